import { useState, type ReactNode } from 'react';

/** One action button: runs the call, shows its problem in the reader's language, reloads on success. */
export function useAction(reload: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>, doneText?: string) => {
    setError(null);
    setDone(null);
    try {
      await fn();
      if (doneText) setDone(doneText);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return { error, done, run };
}

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="panel" data-testid={id} id={id} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
    </section>
  );
}

/** A data source as GET /api/sources lists it. */
export interface SourceRow {
  id: string;
  name: string;
  provenance: string;
  collectingBody: string;
  legalBasis: string;
  consentStatus: string;
  personalDataCategories: string[];
  purposes: string[];
  additionalBases: { purpose: string; basis: string; decidedBy: string }[];
  retentionDays: number;
  sharingAgreements: string[];
  version: number;
  registeredAt: string;
}

/** An area layer as GET /api/layers lists it. */
export interface LayerRow {
  name: string;
  kind: 'jurisdiction' | 'areas';
  srcCrs: string;
  featureCount: number;
  createdAt: string;
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ProblemNote } from '../components/ProblemNote';
import { AuditForm } from './oversight/AuditForm';
import { Monitors } from './oversight/Monitors';
import { CommentLinks, RedactionForm } from './oversight/RegisterDuties';
import { ReleaseForm } from './oversight/ReleaseForm';
import { SourceProposals } from './admin/DataSources';
import type { SystemRow } from './oversight/shared';

export { csvHeader } from './oversight/shared';

/**
 * Oversight's jobs in the browser (issue 17.3): bias audits from a registered data source or a file,
 * published; monitors, their breaches and the pauses they caused, pause and resume with reasons;
 * register redactions; the way to consultation comments; statistics releases within the privacy budget.
 */
export function Oversight() {
  const { t } = useTranslation();
  const [systems, setSystems] = useState<SystemRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = () => void api<SystemRow[]>('/api/register').then(setSystems).catch(setError);
  useEffect(load, []);
  return (
    <section className="oversight">
      <h1>{t('oversight.title')}</h1>
      <p className="note">{t('oversight.intro')}</p>
      <ProblemNote error={error} />
      <AuditForm systems={systems} />
      <Monitors systems={systems} reload={load} />
      <RedactionForm systems={systems} />
      <CommentLinks systems={systems} />
      <section className="panel" data-testid="oversight-proposals" aria-labelledby="oversight-proposals-h">
        <h2 id="oversight-proposals-h">{t('oversight.proposals')}</h2>
        <p className="note">{t('oversight.proposalsHelp')}</p>
        <SourceProposals />
      </section>
      <ReleaseForm />
    </section>
  );
}

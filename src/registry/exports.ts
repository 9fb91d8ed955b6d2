/**
 * Register exports, always built from the public (redacted) view so a withheld field stays withheld in
 * every format: the record's JSON Schema (generated from the zod schema), CSV (one row per system
 * version, stable columns, RFC 4180), and field mappings to two public registers:
 *  - UK Algorithmic Transparency Recording Standard: attribute names of ATRS v2.1 as published on
 *    GOV.UK ("Algorithmic Transparency Recording Standard v2.1", tier 1 overview and the tier 2
 *    sections owner and responsibility, description and rationale, decision-making process, tool
 *    specification, data, risks/impact assessments).
 *  - Dutch Algoritmeregister: field names of the Algoritmeregister publication standard as used by the
 *    register's API (algoritmes.overheid.nl; groups inzet, juridisch, toepassing, toezicht).
 * Only names are taken from those standards; the values are ours.
 */
import { z } from 'zod';
import type { Classification } from './classification';
import type { LifecycleState } from './record';
import { SystemRecordSchema } from './record';
import { isRedactionMarker } from './redaction';

/** One system version as the public register shows it. */
export interface RegisterEntry {
  /** publicView(...).record */
  record: Record<string, unknown>;
  state: LifecycleState;
  assessment: { level: number; levelRoman: string; status: string } | null;
  classification: Classification;
  updatedAt: string;
  /** Public page of this entry, if the deployment has one. */
  url?: string;
}

export function recordJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://counterweight.example/schemas/ai-system-record.json',
    title: 'Counterweight AI system record (one system, one version)',
    ...z.toJSONSchema(SystemRecordSchema, { io: 'input', unrepresentable: 'any' }),
  };
}

/** Render any public value as one line of text; redaction markers as "[withheld: reason]". */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (isRedactionMarker(v)) return `[withheld: ${v.reason}; ${v.legalReference}; until ${v.expiresAt}]`;
  if (Array.isArray(v)) return v.map(cellText).filter(Boolean).join('; ');
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${cellText(x)}`).join(', ');
  return String(v);
}

const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((n, p) => (n !== null && typeof n === 'object' && !isRedactionMarker(n) ? (n as Record<string, unknown>)[p] : isRedactionMarker(n) ? n : undefined), o);

/**
 * One CSV cell, RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. With
 * `guardFormulas` (default), a cell starting with = + - @ TAB or CR gets a leading apostrophe so a
 * spreadsheet never runs it (OWASP CSV injection).
 */
export function csvCell(s: string, guardFormulas = true): string {
  let v = s;
  if (guardFormulas && /^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export const CSV_COLUMNS = [
  'system_id', 'version', 'name', 'technology', 'state', 'impact_level', 'assessment_status', 'eu_ai_act', 'korea_high_impact',
  'purpose', 'intended_use', 'prohibited_uses', 'legal_basis', 'deploying_unit', 'provider', 'procurement_route',
  'data_sources', 'personal_data_categories', 'retention_days', 'model_method', 'known_limitations',
  'human_oversight', 'how_notified', 'how_to_contest', 'external_sharing', 'output_kind', 'updated_at',
] as const;

function csvValues(e: RegisterEntry): string[] {
  const r = e.record;
  const names = (path: string) => { const v = get(r, path); return Array.isArray(v) ? v.map((x) => (isRedactionMarker(x) ? cellText(x) : cellText(get(x, 'name') ?? get(x, 'title') ?? get(x, 'recipient') ?? x))) .join('; ') : cellText(v); };
  return [
    cellText(get(r, 'system.id')), cellText(get(r, 'system.version')), cellText(get(r, 'system.name')), cellText(get(r, 'system.technology')),
    e.state, e.assessment ? e.assessment.levelRoman : '', e.assessment?.status ?? '', e.classification.euAiAct.category, e.classification.korea.highImpact ? 'yes' : 'no',
    cellText(get(r, 'purpose')), cellText(get(r, 'intendedUse')), cellText(get(r, 'prohibitedUses')),
    Array.isArray(get(r, 'legalBasis')) ? (get(r, 'legalBasis') as unknown[]).map((b) => `${cellText(get(b, 'title'))} <${cellText(get(b, 'url'))}>`).join('; ') : cellText(get(r, 'legalBasis')),
    cellText(get(r, 'deployingUnit')), cellText(get(r, 'provider.name')), cellText(get(r, 'provider.procurementRoute')),
    names('dataSources'), cellText(get(r, 'personalData.categories')), cellText(get(r, 'personalData.retentionDays')),
    cellText(get(r, 'model.method')), cellText(get(r, 'model.knownLimitations')),
    cellText(get(r, 'humanOversight.design')), cellText(get(r, 'notification.howNotified')), cellText(get(r, 'notification.howToContest')),
    names('externalSharing'), cellText(get(r, 'outputSchema.kind')), e.updatedAt,
  ];
}

/** CSV of many entries: header row, then one row per system version, CRLF line ends. O(total text). */
export function toCsv(entries: readonly RegisterEntry[], opts: { guardFormulas?: boolean } = {}): string {
  const rows = [CSV_COLUMNS.slice(), ...entries.map(csvValues)];
  return rows.map((row) => row.map((c) => csvCell(c, opts.guardFormulas ?? true)).join(',')).join('\r\n') + '\r\n';
}

/** UK ATRS v2.1 attributes (tier 1 and tier 2), filled from the public view. */
export function toAtrs(e: RegisterEntry): { tier1: Record<string, string>; tier2: Record<string, string> } {
  const r = e.record;
  const t = (p: string) => cellText(get(r, p));
  return {
    tier1: {
      name: t('system.name'),
      description: [t('purpose'), t('intendedUse')].filter(Boolean).join(' '),
      website: e.url ?? '',
      contact_email: '',
      organisation: t('deployingUnit'),
      phase: e.state === 'active' ? 'Production' : e.state === 'retired' ? 'Retired' : e.state === 'paused' ? 'Production (paused)' : 'Pre-deployment',
    },
    tier2: {
      organisation: t('deployingUnit'),
      team: t('deployingUnit'),
      senior_responsible_owner: t('accountableOwnerId'),
      external_supplier: get(r, 'provider.kind') === 'in-house' ? '' : t('provider.name'),
      external_supplier_role: get(r, 'provider.kind') === 'in-house' ? '' : t('system.technology'),
      procurement_procedure_type: t('provider.procurementRoute'),
      scope: t('intendedUse'),
      benefit: t('purpose'),
      alternatives_considered: '',
      process_integration: t('humanOversight.design'),
      provided_information: t('outputSchema'),
      human_decisions_and_review: t('humanOversight.design'),
      required_training: t('training'),
      appeals_and_review: t('notification.howToContest'),
      model_name: t('system.technology'),
      model_type: t('model.method'),
      model_performance: t('model.evaluation'),
      source_data_name: cellText((get(r, 'dataSources') as unknown[] | undefined)?.map?.((d) => get(d, 'name')) ?? get(r, 'dataSources')),
      data_description: t('model.trainingData'),
      data_categories: t('personalData.categories'),
      data_sharing_agreements: t('externalSharing'),
      data_access_and_storage: `retention ${t('personalData.retentionDays')} days`,
      impact_assessment_name: e.assessment ? `Counterweight impact assessment, level ${e.assessment.levelRoman} (${e.assessment.status})` : '',
      risk_name: t('model.knownLimitations'),
      risk_mitigation: t('monitoringPlan.description'),
    },
  };
}

/** Dutch Algoritmeregister fields, filled from the public view. */
export function toAlgoritmeregister(e: RegisterEntry): Record<string, string> {
  const r = e.record;
  const t = (p: string) => cellText(get(r, p));
  const lb = get(r, 'legalBasis');
  return {
    name: t('system.name'),
    organization: t('deployingUnit'),
    department: t('deployingUnit'),
    description_short: t('purpose'),
    type: t('model.method'),
    category: 'Openbare orde en veiligheid',
    website: e.url ?? '',
    status: e.state === 'active' ? 'In gebruik' : e.state === 'retired' ? 'Buiten gebruik' : 'In ontwikkeling',
    goal: t('purpose'),
    impact: t('intendedUse'),
    proportionality: t('prohibitedUses'),
    decision_making_process: t('humanOversight.design'),
    documentation: e.url ?? '',
    competent_authority: t('deployingUnit'),
    lawful_basis: Array.isArray(lb) ? lb.map((b) => cellText(get(b, 'title'))).join('; ') : cellText(lb),
    lawful_basis_link: Array.isArray(lb) ? lb.map((b) => cellText(get(b, 'url'))).join('; ') : '',
    iama: e.assessment ? 'Ja' : 'Nee',
    iama_description: e.assessment ? `Counterweight impact assessment: level ${e.assessment.levelRoman}, ${e.assessment.status}` : '',
    objection_procedure: t('notification.howToContest'),
    source_data: cellText((get(r, 'dataSources') as unknown[] | undefined)?.map?.((d) => `${cellText(get(d, 'name'))} (${cellText(get(d, 'provenance'))})`) ?? get(r, 'dataSources')),
    methods_and_models: [t('model.method'), t('model.evaluation')].filter(Boolean).join(' '),
    monitoring: t('monitoringPlan.description'),
    human_intervention: t('humanOversight.design'),
    risks: t('model.knownLimitations'),
    provider: t('provider.name'),
    revision_date: e.updatedAt.slice(0, 10),
    lang: 'en',
  };
}

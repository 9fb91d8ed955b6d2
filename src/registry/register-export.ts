/**
 * Register exports: JSON with a published JSON Schema, CSV, and mappings to two public field sets —
 * the UK Algorithmic Transparency Recording Standard (attribute names of ATRS v2.1, GOV.UK) and the
 * Dutch Algoritmeregister publication standard (v1.0 field names). Exports are built from the
 * public, redacted view: a redacted field stays redacted in every format.
 */
import { z } from 'zod';
import { SystemRecordSchema } from './service-rules';
import { OwnerModelCardSchema } from './model-card';

type Public = {
  id: string;
  name: string;
  version: number;
  state: string;
  updatedAt: string;
  record: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assessment: { level: number; status: string } | null;
  classification: { euAiAct: { category: string }; korea: { highImpact: boolean } };
};

export function recordJsonSchema() {
  return {
    $id: 'https://counterweight.local/schemas/ai-system-record.json',
    title: 'Counterweight AI system record',
    ...z.toJSONSchema(SystemRecordSchema, { unrepresentable: 'any' }),
  };
}

/** JSON Schema of the model card a system's owner fills in (the vendor-supplied part of a card). */
export function modelCardJsonSchema() {
  return {
    $id: 'https://counterweight.local/schemas/model-card.json',
    title: 'Counterweight model card (supplied by the owner)',
    ...z.toJSONSchema(OwnerModelCardSchema, { unrepresentable: 'any', io: 'input' }),
  };
}

const text = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && (v as { redacted?: boolean }).redacted)
    return `[withheld: ${(v as { legalReason: string }).legalReason}]`;
  if (Array.isArray(v)) return v.map(text).join('; ');
  if (typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${text(x)}`)
      .join(', ');
  return String(v);
};

/** RFC 4180 CSV; cells starting with = + - @ get a leading apostrophe so spreadsheets never run them. */
export function toCsv(header: string[], rows: unknown[][]): string {
  const cell = (v: unknown) => {
    let s = text(v).replace(/\r?\n/g, ' ');
    if (/^[=+\-@\t]/.test(s)) s = `'${s}`;
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const CSV_COLUMNS = [
  'id',
  'version',
  'name',
  'state',
  'impact_level',
  'assessment_status',
  'eu_ai_act',
  'korea_high_impact',
  'purpose',
  'deploying_unit',
  'provider',
  'legal_basis',
  'data_sources',
  'retention_days',
  'human_oversight',
  'contest',
  'updated_at',
];

export function csvRow(p: Public): unknown[] {
  const r = p.record;
  return [
    p.id,
    p.version,
    p.name,
    p.state,
    p.assessment?.level ?? '',
    p.assessment?.status ?? '',
    p.classification.euAiAct.category,
    p.classification.korea.highImpact ? 'yes' : 'no',
    r.purpose,
    r.deployingUnit,
    r.provider,
    r.legalBasis,
    r.dataSources,
    r.personalData?.retentionDays,
    r.humanOversight,
    r.notificationAndContest,
    p.updatedAt,
  ];
}

/** UK ATRS (tier 1 and tier 2 attribute names). */
export function toAtrs(p: Public) {
  const r = p.record;
  return {
    name: p.name,
    description: text(r.purpose),
    website: '',
    contact_email: '',
    organisation: text(r.deployingUnit),
    team: text(r.deployingUnit),
    senior_responsible_owner: text(r.supervisorId),
    external_supplier: text(r.provider?.name ?? r.provider),
    procurement_procedure: text(r.provider?.procurementRoute),
    scope: text(r.intendedUse),
    benefit: text(r.purpose),
    alternatives: '',
    approach: text(r.model?.method),
    process_integration: text(r.humanOversight),
    provided_information: text(r.outputSchema),
    human_decisions: text(r.humanOversight),
    required_training: text(r.training),
    appeals_and_review: text(r.notificationAndContest),
    model_type: text(r.model?.method),
    source_data_name: text((r.dataSources ?? []).map?.((d: { name: string }) => d.name) ?? r.dataSources),
    data_sharing: text(r.externalSharing),
    impact_assessment_name: p.assessment
      ? `Counterweight human-rights impact assessment (level ${p.assessment.level}, ${p.assessment.status})`
      : '',
    risk_mitigation: text(r.model?.limitations),
    phase: p.state,
  };
}

/** Dutch Algoritmeregister publication standard. */
export function toAlgoritmeregister(p: Public) {
  const r = p.record;
  return {
    name: p.name,
    organization: text(r.deployingUnit),
    description_short: text(r.purpose),
    type: 'Zelflerend of regelgebaseerd algoritme',
    category: 'Openbare orde en veiligheid',
    status: p.state === 'active' ? 'In gebruik' : p.state === 'retired' ? 'Buiten gebruik' : 'In ontwikkeling',
    goal: text(r.purpose),
    impact: text(r.intendedUse),
    proportionality: text(r.prohibitedUses),
    decision_making_process: text(r.humanOversight),
    documentation: '',
    competent_authority: text(r.deployingUnit),
    lawful_basis: text(r.legalBasis),
    iama: p.assessment ? 'Ja' : 'Nee',
    iama_description: p.assessment ? `impact level ${p.assessment.level}, ${p.assessment.status}` : '',
    objection_procedure: text(r.notificationAndContest),
    source_data: text(r.dataSources),
    methods_and_models: text(r.model),
    monitoring: text(r.monitoringPlan),
    human_intervention: text(r.humanOversight),
    risk_management: text(r.model?.limitations),
    provider: text(r.provider),
  };
}

/**
 * Where personal data lives: every table of the schema, classified once. A unit test compares this list
 * with the migrated database, so a new table or column cannot hold personal data without being named
 * here, and the retention job, subject access and the purge scan all read this one list.
 *
 * - `citizen`: data about residents (subjects of alerts, incident details, decision texts, stop
 *   locations, refs they are known by). Retention purges it; subject access returns it.
 * - `staff`: data about the agency's own people (accounts, shifts, location pings); kept under the
 *   agency's staff rules, pings under `patrol.pingRetentionDays`.
 * - `none`: no personal data (aggregates, register records, the log's hashes and signatures).
 */
import type { DB } from '../store/schema';

export type PersonalDataClass = 'citizen' | 'staff' | 'none';

export interface TableInventory {
  class: PersonalDataClass;
  /** Columns that hold personal data (for 'citizen' and 'staff'). */
  columns?: string[];
  /** How retention removes it, in words (shown to auditors in the data-governance docs). */
  purge?: string;
}

export const PERSONAL_DATA: Record<keyof DB, TableInventory> = {
  users: {
    class: 'staff',
    columns: ['username', 'display_name'],
    purge: 'kept while the account exists; disabled, never deleted (decisions name their reviewer)',
  },
  sessions: { class: 'staff', columns: ['user_id'], purge: 'deleted at expiry' },
  api_keys: { class: 'none' },
  account_events: {
    class: 'staff',
    columns: ['subject', 'actor'],
    purge: 'kept with the account (every change of roles, unit and state)',
  },
  sign_in_throttle: { class: 'staff', columns: ['username'], purge: 'reset at the next successful sign-in' },
  datasets: { class: 'none' },
  incidents: {
    class: 'citizen',
    columns: ['subtype', 'lon', 'lat', 'x', 'y', 'attrs'],
    purge: "past the source's retention: point rounded to ~1 km, subtype and attributes removed",
  },
  area_layers: { class: 'none' },
  areas: { class: 'none' },
  settings: { class: 'none' },
  change_generation: { class: 'none' },
  ledger_state: { class: 'none' },
  ledger_tiles: { class: 'none', purge: 'leaves hold only pseudonymous refs and salted hashes, never personal data' },
  ledger_payloads: {
    class: 'citizen',
    columns: ['payload', 'salt'],
    purge: 'erased through a tombstone with the record it logs (proofs keep verifying)',
  },
  ledger_subjects: { class: 'citizen', columns: ['ref'], purge: 'rows of erased entries deleted' },
  ledger_checkpoints: { class: 'none' },
  ledger_cosignatures: { class: 'none' },
  ai_systems: { class: 'none' },
  system_versions: { class: 'none' },
  system_transitions: { class: 'none' },
  assessments: { class: 'none' },
  consultation_comments: { class: 'none', purge: 'public comments, published as written' },
  redactions: { class: 'none' },
  model_cards: { class: 'none' },
  control_evidence: { class: 'none' },
  audits: { class: 'none', purge: 'aggregate reports only' },
  authorisations: { class: 'none' },
  training_records: { class: 'staff', columns: ['user_id'] },
  alerts: {
    class: 'citizen',
    columns: ['subject_ref', 'output', 'explanation', 'input_refs', 'place'],
    purge: "past the system's retention: personal columns cleared, log entry erased, purged_at set",
  },
  decisions: {
    class: 'citizen',
    columns: ['reason_text', 'corroboration'],
    purge: 'with their alert: texts cleared, log entry erased',
  },
  alert_escalations: {
    class: 'staff',
    columns: ['target_user'],
    purge: 'kept with the alert: who an unanswered alert was escalated to (staff accountability)',
  },
  alert_actions: {
    class: 'citizen',
    columns: ['reason_text', 'corroboration'],
    purge: 'with their alert: texts cleared, log entry erased',
  },
  duty_roster: { class: 'staff', columns: ['supervisor_id'] },
  shifts: { class: 'staff', columns: ['user_id'] },
  access_log: {
    class: 'citizen',
    columns: ['records', 'purpose'],
    purge: 'refs of purged records replaced by "(purged)"; their log entries erased',
  },
  legal_holds: {
    class: 'citizen',
    columns: ['subject_ref', 'reason'],
    purge: 'kept while the hold is in force; lifted holds purged with the data they held',
  },
  retention_runs: { class: 'none' },
  data_sources: { class: 'none' },
  statistics_releases: { class: 'none' },
  forecast_runs: { class: 'none', purge: 'cell-level aggregates only' },
  missions: { class: 'none', purge: 'cells and plans, no people' },
  location_pings: {
    class: 'staff',
    columns: ['device_ref', 'user_id', 'lon', 'lat'],
    purge: 'deleted after patrol.pingRetentionDays',
  },
  mission_reports: {
    class: 'citizen',
    columns: ['detail'],
    purge: 'with their mission alert: exact stop locations and outcomes cleared, log entry erased',
  },
  backtest_runs: { class: 'none' },
  questionnaires: { class: 'none' },
  source_redactions: { class: 'none' },
  source_proposals: { class: 'none' },
  outcomes: { class: 'none', purge: 'aggregate counts per group' },
  monitors: { class: 'none' },
  monitor_events: { class: 'none' },
  incident_notes: { class: 'none' },
  notifications: { class: 'staff', columns: ['user_id'] },
  subject_pseudonyms: {
    class: 'citizen',
    columns: ['raw_ref'],
    purge: 'the raw reference behind a pseudonym is deleted once no alert refers to it (erasure)',
  },
  alert_refs: {
    class: 'citizen',
    columns: ['ref'],
    purge: "with their alert's personal columns at retention (pseudonymous refs, the lookup behind erasure and holds)",
  },
  alert_intake_keys: { class: 'none', purge: 'idempotency keys and a hash of the pseudonymised body' },
  audit_datasets: { class: 'none' },
  comment_quota: { class: 'none' },
  outcome_feeds: { class: 'none' },
  privacy_budget: { class: 'none' },
  system_classifications: { class: 'none' },
};

/** Tables holding data about residents, with their personal columns. */
export function citizenTables(): [table: keyof DB, columns: string[]][] {
  return (Object.entries(PERSONAL_DATA) as [keyof DB, TableInventory][])
    .filter(([, t]) => t.class === 'citizen')
    .map(([name, t]) => [name, t.columns ?? []]);
}

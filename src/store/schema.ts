import type { ColumnType, Generated } from 'kysely';

/**
 * Table types. Each capability owns its tables in its own interface; `DB` is their union.
 * Conventions that keep one schema valid on SQLite and PostgreSQL:
 *  - times are UTC ISO 8601 text (`2024-01-02T03:04:05Z`), which sorts correctly as text;
 *  - booleans are integers 0/1; JSON is text; ids of people and records are text (random, unguessable).
 */
export interface FoundationTables {
  users: {
    id: string;
    username: string;
    display_name: string;
    password_hash: string;
    roles: string; // JSON array of Role
    unit: string | null;
    disabled: number;
    created_at: string;
    /** Sessions hold the epoch current when they opened; a new epoch ends them all at once. */
    session_epoch: Generated<string>;
    log_index: number | null;
  };
  sessions: {
    id: string; // SHA-256 of the cookie token; the token itself is never stored
    user_id: string;
    csrf_token: string;
    created_at: string;
    expires_at: string;
    epoch: Generated<string>;
  };
  api_keys: {
    id: string;
    name: string;
    key_hash: string; // SHA-256 of the secret; the secret is shown once
    roles: string; // JSON array of Role
    system_id: string | null;
    created_by: string | null;
    created_at: string;
    revoked_at: string | null;
    last_used_at: string | null;
    log_index: number | null;
  };
  /** Account changes, numbered: the unique `seq` makes concurrent changes conflict (see accounts.ts). */
  account_events: { seq: number; subject: string; event: string; actor: string; log_index: number; created_at: string };
  /** Failed sign-ins per username (known or not), and the lockout they caused. */
  sign_in_throttle: { username: string; failures: number; locked_until: string | null; last_failure_at: string };
  datasets: {
    id: string;
    source: string;
    file_name: string;
    file_sha256: string;
    profile: string;
    src_crs: string;
    rows_read: number;
    rows_imported: number;
    rows_duplicate: number;
    imported_by: string | null;
    started_at: string;
    finished_at: string;
    /** 'done', or 'importing' while an SQLite import publishes (migration 0025); `finished_at` is then its last progress. */
    state: Generated<string>;
  };
  incidents: {
    id: Generated<number>;
    source: string;
    source_id: string;
    dataset_id: string;
    type: string;
    subtype: string | null;
    origin: string;
    occurred_at: string;
    time_precision: string;
    lon: number;
    lat: number;
    x: number | null;
    y: number | null;
    src_crs: string;
    area: string | null;
    attrs: string;
  };
  area_layers: {
    id: string;
    name: string;
    kind: string; // 'jurisdiction' | 'areas'
    src_crs: string;
    file_sha256: string;
    feature_count: number;
    created_at: string;
    /** Id of the demographics declaration (config/demographics/<id>.json) the layer was imported with, or null. */
    demographics: ColumnType<string | null, string | null | undefined, string | null>;
  };
  areas: {
    id: Generated<number>;
    layer_id: string;
    code: string;
    name: string;
    geometry: string; // GeoJSON geometry in WGS84
    min_lon: number;
    min_lat: number;
    max_lon: number;
    max_lat: number;
    attrs: string;
  };
  settings: {
    key: string;
    value: string;
  };
  /** One row (id 1): moved by triggers on every change to what intake checks (see migration 0037). */
  change_generation: { id: number; n: number | string };
}

export interface LedgerTables {
  ledger_state: { id: number; size: number; root: string };
  ledger_tiles: { level: string; idx: number; width: number; data: Buffer };
  ledger_payloads: {
    idx: number;
    type: string;
    time: string;
    payload: string | null;
    salt: Buffer | null;
    erased_at: string | null;
  };
  ledger_subjects: { ref: string; idx: number };
  ledger_checkpoints: { size: number; note: string; created_at: string };
  ledger_cosignatures: { size: number; witness: string; line: string; created_at: string };
}

export interface RegistryTables {
  ai_systems: { id: string; name: string; owner_id: string; created_at: string };
  system_versions: {
    system_id: string;
    version: number;
    record: string;
    state: string;
    consultation_ends_at: string | null;
    created_by: string;
    created_at: string;
    updated_at: string;
    gate_audit_id: number | null;
  };
  system_transitions: {
    id: Generated<number>;
    system_id: string;
    version: number;
    from_state: string;
    to_state: string;
    actor_id: string;
    reason: string;
    at: string;
    log_index: number;
  };
  assessments: {
    id: string;
    system_id: string;
    version: number;
    questionnaire: string;
    answers: string;
    result: string;
    level: number;
    status: string;
    submitted_by: string;
    submitted_at: string;
    decided_by: string | null;
    decided_at: string | null;
    decision_reason: string | null;
    log_index: number | null;
  };
  consultation_comments: {
    id: Generated<number>;
    system_id: string;
    version: number;
    author: string;
    body: string;
    created_at: string;
    response: string | null;
    responded_by: string | null;
    responded_at: string | null;
    response_kind: string | null;
  };
  comment_quota: { system_id: string; day: string; count: number };
  system_classifications: {
    system_id: string;
    version: number;
    answers: string;
    result: string;
    record_sha256: string;
    answered_by: string;
    answered_at: string;
    confirmed_by: string | null;
    confirmed_at: string | null;
    confirm_reason: string | null;
    log_index: number | null;
  };
  redactions: {
    id: Generated<number>;
    system_id: string;
    version: number;
    field: string;
    legal_reason: string;
    decided_by: string;
    expires_at: string;
    created_at: string;
  };
  model_cards: { system_id: string; version: number; card: string; created_by: string; created_at: string };
  control_evidence: {
    id: Generated<number>;
    system_id: string;
    version: number;
    control: string;
    evidence: string;
    recorded_by: string;
    recorded_at: string;
  };
  audits: {
    id: Generated<number>;
    system_id: string;
    version: number;
    kind: string;
    passed: number;
    report: string;
    inputs_sha256: string;
    run_by: string;
    run_at: string;
    published: number;
    log_index: number | null;
    dataset_id: string | null;
    policy_version: string | null;
    counts_for_gate: Generated<number>;
    published_by: string | null;
    published_at: string | null;
  };
  audit_datasets: {
    id: string;
    system_id: string;
    version: number;
    source_id: string;
    source_version: number;
    sha256: string;
    period_start: string;
    period_end: string;
    population: string;
    registered_by: string;
    registered_at: string;
    log_index: number;
  };
  authorisations: {
    id: Generated<number>;
    system_id: string;
    version: number;
    authorised_by: string;
    scope: string;
    expires_at: string;
    created_at: string;
  };
  training_records: {
    id: Generated<number>;
    user_id: string;
    system_id: string;
    course: string;
    completed_at: string;
    valid_until: string;
    recorded_by: string;
  };
}

export interface ReviewTables {
  alerts: {
    id: string;
    system_id: string;
    version: number;
    idempotency_key: string;
    kind: string;
    model_version: string;
    occurred_at: string;
    unit: string;
    place: string | null;
    subject_ref: string | null;
    output: string;
    confidence: number | null;
    explanation: string;
    input_refs: string;
    status: string;
    received_at: string;
    expires_at: string;
    log_index: number;
    withdrawn_at: string | null;
    purged_at: string | null;
    /** Urgency by kind (config/urgency.json, 0031): targets, the current escalation step's deadline, acknowledgement. */
    urgency: Generated<string>;
    ack_target_s: number | null;
    act_target_s: number | null;
    ack_due_at: string | null;
    escalation_step: Generated<number>;
    ack_state: Generated<string>;
    acknowledged_at: string | null;
    acknowledged_by: string | null;
    first_action_at: string | null;
  };
  decisions: {
    id: string;
    alert_id: string;
    outcome: string;
    reason_code: string;
    reason_text: string;
    enforcement_action: string | null;
    corroboration: string | null;
    reviewer_id: string | null;
    supervisor_id: string | null;
    decided_at: string;
    seconds_to_decide: number;
    log_index: number;
    purged_at: string | null;
  };
  duty_roster: { unit: string; supervisor_id: string; starts_at: string; ends_at: string };
  shifts: {
    id: string;
    unit: string;
    user_id: string;
    starts_at: string;
    ends_at: string;
    created_by: string;
    created_at: string;
  };
  /** Idempotency keys with the canonical hash of the alert each was first used for (NULL: from before 0026). */
  alert_intake_keys: {
    system_id: string;
    idempotency_key: string;
    body_sha256: string | null;
    alert_id: string;
    reserved_at: string;
  };
  /** A sender's raw subject reference and the pseudonym minted for it: access-controlled, deleted on erasure. */
  subject_pseudonyms: { pseudonym: string; raw_ref: string; created_at: string };
  /** Each ref an unpurged alert carries, as subject or input (0039): found by ref without reading the alerts. */
  alert_refs: { ref: string; alert_id: string };
  /** One row per escalation step of an unacknowledged urgent alert (0031), beside its log entry. */
  alert_escalations: {
    id: string;
    alert_id: string;
    unit: string;
    step: number;
    to_kind: string;
    target_unit: string | null;
    target_user: string | null;
    due_at: string;
    at: string;
    log_index: number;
  };
  /** Actions taken on an alert (0031): protective (no corroboration needed) or coercive (corroboration required). */
  alert_actions: {
    id: string;
    alert_id: string;
    kind: string;
    action: string;
    reason_text: string;
    corroboration: string | null;
    actor_id: string;
    at: string;
    log_index: number;
    purged_at: string | null;
  };
}

export interface PrivacyTables {
  access_log: {
    id: Generated<number>;
    at: string;
    actor_id: string;
    actor_unit: string | null;
    route: string;
    records: string;
    purpose: string | null;
    status: number;
    log_index: number;
  };
  legal_holds: {
    id: Generated<number>;
    subject_ref: string;
    reason: string;
    placed_by: string;
    placed_at: string;
    lifted_at: string | null;
    /** pending (awaiting a second person) → active → lift-requested → lifted; a refused request is 'refused'. */
    status: string;
    confirmed_by: string | null;
    confirmed_at: string | null;
    lift_requested_by: string | null;
    lift_reason: string | null;
    lifted_by: string | null;
  };
  retention_runs: {
    id: Generated<number>;
    at: string;
    retention_days: number;
    purged: number;
    held: number;
    report: string;
    log_index: number;
  };
  data_sources: {
    id: string;
    version: number;
    record: string;
    created_by: string;
    created_at: string;
    log_index: number;
  };
  statistics_releases: {
    id: string;
    created_at: string;
    created_by: string;
    epsilon_total: number;
    tables: string;
    log_index: number;
    period_from: string | null;
    period_to: string | null;
  };
  privacy_budget: { table_name: string; period: string; spent_micro: number };
  forecast_runs: {
    id: string;
    jurisdiction: string;
    as_of: string;
    window: string;
    model: string;
    include_officer_initiated: number;
    run: string;
    hotspots: string;
    explanations: string;
    created_by: string;
    created_at: string;
    log_index: number;
    /** JSON array of the data-source ids the forecast learned from. */
    sources: string;
  };
  missions: {
    id: string;
    forecast_run_id: string;
    unit: string;
    shift_start: string;
    shift_end: string;
    cells: string;
    plan: string;
    status: string;
    proposed_by: string;
    proposed_at: string;
    decided_by: string | null;
    decided_at: string | null;
    reason: string | null;
    alert_id: string | null;
    log_index: number;
  };
  location_pings: {
    id: Generated<number>;
    device_ref: string;
    user_id: string;
    unit: string;
    t: string;
    lon: number;
    lat: number;
    accuracy_m: number | null;
    received_at: string;
  };
  mission_reports: {
    id: Generated<number>;
    alert_id: string;
    officer_id: string;
    kind: string;
    detail: string;
    at: string;
    log_index: number;
    purged_at: string | null;
  };
  backtest_runs: {
    id: Generated<number>;
    system_id: string | null;
    version: number | null;
    created_at: string;
    data_snapshot_hash: string;
    config: string;
    code_version: string;
    seed: number;
    summary: string;
    log_index: number;
  };
  questionnaires: {
    id: string;
    kind: string;
    title: string;
    json: string;
    created_by: string;
    created_at: string;
    log_index: number;
  };
  source_proposals: {
    id: Generated<number>;
    source_id: string;
    record: string;
    legal_basis: string;
    proposed_by: string;
    proposed_at: string;
    status: string;
    decided_by: string | null;
    decided_at: string | null;
  };
  source_redactions: {
    id: Generated<number>;
    source_id: string;
    field: string;
    legal_reason: string;
    decided_by: string;
    expires_at: string;
    created_at: string;
  };
}

export interface MonitorTables {
  outcomes: {
    id: Generated<number>;
    system_id: string;
    period_start: string;
    kind: string;
    area: string | null;
    group_name: string;
    count: number;
    denominator: number;
    reported_by: string;
    log_index: number;
    source_id: string | null;
    record_id: string | null;
    received_at: string | null;
  };
  outcome_feeds: {
    key_id: string;
    system_id: string;
    source_id: string;
    authorised_by: string;
    authorised_at: string;
    log_index: number;
  };
  monitors: {
    id: string;
    system_id: string;
    kind: string;
    config: string;
    created_by: string;
    created_at: string;
    active: number;
    observe_from: string | null;
  };
  monitor_events: {
    id: Generated<number>;
    monitor_id: string;
    system_id: string;
    at: string;
    breached: number;
    evidence: string;
    log_index: number;
  };
  incident_notes: {
    id: Generated<number>;
    system_id: string;
    at: string;
    title: string;
    body: string;
    log_index: number;
  };
  notifications: {
    id: Generated<number>;
    user_id: string;
    at: string;
    subject: string;
    body: string;
    read_at: string | null;
  };
}

export interface DB
  extends FoundationTables, LedgerTables, RegistryTables, ReviewTables, PrivacyTables, MonitorTables {}

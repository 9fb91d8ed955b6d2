import type { Kysely } from 'kysely';
import type { Dialect } from './util';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_ledger';
import * as m0003 from './0003_registry';
import * as m0004 from './0004_review';
import * as m0005 from './0005_privacy';
import * as m0006 from './0006_sources';
import * as m0007 from './0007_statistics';
import * as m0008 from './0008_monitor';
import * as m0009 from './0009_source_redactions';
import * as m0010 from './0010_backtests';
import * as m0011 from './0011_questionnaires';
import * as m0012 from './0012_forecasts';
import * as m0013 from './0013_alert_withdrawal';
import * as m0014 from './0014_patrol';
import * as m0015 from './0015_drift_monitor';
import * as m0016 from './0016_drop_payload_type_index';
import * as m0017 from './0017_shifts';
import * as m0018 from './0018_subjects_without_rowid';
import * as m0019 from './0019_drop_payload_actor';
import * as m0020 from './0020_binary_salt';
import * as m0021 from './0021_tiles_lz4';
import * as m0022 from './0022_account_security';
import * as m0023 from './0023_privacy_budget';
import * as m0024 from './0024_comment_quota';
import * as m0025 from './0025_dataset_state';
import * as m0026 from './0026_alert_intake_keys_pseudonyms';
import * as m0028 from './0028_audit_gate';
import * as m0029 from './0029_register_gates';
import * as m0030 from './0030_citizen_data';
import * as m0031 from './0031_urgent_alerts';
import * as m0034 from './0034_layer_demographics';
import * as m0037 from './0037_change_generation';
import * as m0038 from './0038_pending_alert_indexes';
import * as m0039 from './0039_alert_refs';

export interface MigrationModule {
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/**
 * Every migration, in order. Names never change once released; a new capability adds its own file
 * and one line here. The same list runs on SQLite and PostgreSQL.
 */
export const MIGRATIONS: [name: string, module: MigrationModule][] = [
  ['0001_foundation', m0001],
  ['0002_ledger', m0002],
  ['0003_registry', m0003],
  ['0004_review', m0004],
  ['0005_privacy', m0005],
  ['0006_sources', m0006],
  ['0007_statistics', m0007],
  ['0008_monitor', m0008],
  ['0009_source_redactions', m0009],
  ['0010_backtests', m0010],
  ['0011_questionnaires', m0011],
  ['0012_forecasts', m0012],
  ['0013_alert_withdrawal', m0013],
  ['0014_patrol', m0014],
  ['0015_drift_monitor', m0015],
  ['0016_drop_payload_type_index', m0016],
  ['0017_shifts', m0017],
  ['0018_subjects_without_rowid', m0018],
  ['0019_drop_payload_actor', m0019],
  ['0020_binary_salt', m0020],
  ['0021_tiles_lz4', m0021],
  ['0022_account_security', m0022],
  ['0023_privacy_budget', m0023],
  ['0024_comment_quota', m0024],
  ['0025_dataset_state', m0025],
  ['0026_alert_intake_keys_pseudonyms', m0026],
  ['0028_audit_gate', m0028],
  ['0029_register_gates', m0029],
  ['0030_citizen_data', m0030],
  ['0031_urgent_alerts', m0031],
  ['0034_layer_demographics', m0034],
  ['0037_change_generation', m0037],
  ['0038_pending_alert_indexes', m0038],
  ['0039_alert_refs', m0039],
];

/**
 * What the log's writers share: an appended entry's result and the rows written in the same transaction
 * as an entry. Kept apart from ledger.ts so the writers and the ledger import them without a circle.
 */

export interface Appended {
  index: number;
  /** The tree size of the checkpoint that first covers this entry. */
  size: number;
  /** With a side row: whether it was inserted (false when a unique key already existed). */
  sideWritten?: boolean;
  /** False only for an entry left out because its onlyIfWritten side row was not written (then index is -1). */
  logged: boolean;
}

/**
 * A row written in the same transaction as the log entry that records it (the alert an `ai.output`
 * entry commits to, the decision a `human.decision` entry records); `indexColumn` receives the entry's
 * index. With `guard`, an UPDATE that must change exactly one row first (e.g. mark a pending alert
 * decided). When the guard changes nothing or the insert hits a unique key, neither is written and
 * `sideWritten` is false. The log entry then stays, recording the attempt, unless `onlyIfWritten`: then
 * the entry is left out of the log in the same transaction (the losing side of a race leaves no entry
 * claiming it was stored) and resolves with `logged: false`, index -1.
 * `claim` is a row that must be new (e.g. an idempotency key): when its unique key is taken, nothing of
 * the side row is written, like a failed guard. `also` rows are kept beside it when absent (written or
 * left as they were, e.g. a pseudonym mapping already known). Writing them here, in the log's own commit,
 * keeps the caller's thread from writing at all (on SQLite a second writer would wait for the log's lock).
 */
export interface SideRow {
  table: SideTable;
  values: Record<string, string | number | null>;
  indexColumn: string;
  guard?: {
    table: SideTable;
    set: Record<string, string | number | null>;
    where: Record<string, string | number | null>;
  };
  claim?: { table: SideTable; values: Record<string, string | number | null> };
  also?: { table: SideTable; values: Record<string, string | number | null> }[];
  /**
   * Updates made once the row is written, in the same transaction, whatever they change (nothing is fine):
   * e.g. an alert's time to act, set only if unset. A null where-value matches NULL. Written here, not by
   * the caller afterwards, they cost no commit of their own (on PostgreSQL, a WAL flush each).
   */
  updates?: SideUpdate[];
  onlyIfWritten?: boolean;
}
export interface SideUpdate {
  table: SideTable;
  set: Record<string, string | number | null>;
  where: Record<string, string | number | null>;
}
/** Tables the log may write beside an entry (their names go into SQL text, so only these). */
export type SideTable =
  | 'alerts'
  | 'decisions'
  | 'users'
  | 'api_keys'
  | 'account_events'
  | 'alert_escalations'
  | 'alert_actions'
  | 'alert_intake_keys'
  | 'subject_pseudonyms'
  | 'alert_refs';

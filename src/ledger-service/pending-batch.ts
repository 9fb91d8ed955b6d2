import type { Appended, SideRow } from './ledger';
import type { PackedBatch } from './sqlite-batch';

/**
 * The entries waiting for the next commit, kept as columns from the start: appending is a few array
 * pushes (no object per entry), sealing hands the columns over as they are, and once sealed the batch
 * keeps nothing alive but its callers' resolvers. That matters at 100k appends/s: every per-entry object
 * that lives until its commit survives a young-generation GC and costs a copy.
 */
export class PendingBatch {
  readonly entries: Buffer[] = [];
  readonly types: string[] = [];
  readonly times: string[] = [];
  readonly actors: string[] = [];
  readonly payloads: (string | null)[] = [];
  readonly salts: (string | null)[] = [];
  readonly subjects: string[] = [];
  private readonly subjectEnds: number[] = [];
  readonly sides: PackedBatch['sides'] = [];
  private readonly resolves: ((a: Appended) => void)[] = [];
  private readonly rejects: ((e: unknown) => void)[] = [];

  get length(): number {
    return this.types.length;
  }

  /** Add one entry; resolves once the batch is committed. O(subjects). */
  add(entry: Buffer, type: string, time: string, actor: string, payload: string | null, salt: string | null, subjects: string[], side: SideRow | undefined): Promise<Appended> {
    if (side) this.sides.push({ ...side, entry: this.types.length });
    this.entries.push(entry);
    this.types.push(type);
    this.times.push(time);
    this.actors.push(actor);
    this.payloads.push(payload);
    this.salts.push(salt);
    for (let i = 0; i < subjects.length; i++) this.subjects.push(subjects[i]);
    this.subjectEnds.push(this.subjects.length);
    return new Promise((resolve, reject) => {
      this.resolves.push(resolve);
      this.rejects.push(reject);
    });
  }

  /** The batch for one structured clone, leaf bytes concatenated. O(k). */
  seal(): PackedBatch {
    const n = this.types.length;
    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + this.entries[i].length;
    const subjectStart = new Uint32Array(n + 1);
    subjectStart.set(this.subjectEnds, 1);
    return {
      entries: Buffer.concat(this.entries, offsets[n]), offsets,
      types: this.types, times: this.times, actors: this.actors, payloads: this.payloads, salts: this.salts,
      subjects: this.subjects, subjectStart, sides: this.sides,
    };
  }

  /** (subject, log index) rows for entries numbered from `base`. */
  subjectRows(base: number): { ref: string; idx: number }[] {
    const rows: { ref: string; idx: number }[] = [];
    for (let i = 0, k = 0; i < this.subjectEnds.length; i++) for (; k < this.subjectEnds[i]; k++) rows.push({ ref: this.subjects[k], idx: base + i });
    return rows;
  }

  /** Drop the entries' data once sent: only the resolvers stay until the commit answers. */
  release(): void {
    for (const column of [this.entries, this.types, this.times, this.actors, this.payloads, this.salts, this.subjects, this.subjectEnds]) column.length = 0;
  }

  /** Tell every caller its index; entries with a side row also learn whether it was written. */
  resolveAll(oldSize: number, newSize: number, sideWritten: boolean[]): void {
    const written = new Map<number, boolean>();
    this.sides.forEach((s, k) => written.set(s.entry, sideWritten[k]));
    this.resolves.forEach((resolve, i) => resolve(written.has(i) ? { index: oldSize + i, size: newSize, sideWritten: written.get(i) } : { index: oldSize + i, size: newSize }));
  }

  rejectAll(e: unknown): void {
    for (const reject of this.rejects) reject(e);
  }
}

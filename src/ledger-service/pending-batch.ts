import { type PayloadArea, writeLeafInput } from '../ledger';
import type { Appended, SideRow } from '../store/log/entries';
import type { PackedBatch } from '../store/log/sqlite-commit';

/**
 * The entries waiting for the next commit, kept as columns from the start: appending is a few array
 * pushes (no object per entry), sealing hands the columns over as they are, and once sealed the batch
 * keeps nothing alive but its callers' resolvers. That matters at 100k appends/s: every per-entry object
 * that lives until its commit survives a young-generation GC and costs a copy.
 *
 * Entries, salts and payloads are bytes, not strings or a Buffer each: each entry's leaf hash input
 * (0x00 ‖ entry) is written into one area and hashed where it lies; each salt ‖ UTF-8 canonical payload
 * is written (and hashed) straight into another (PayloadArea). Both move to the writer thread without
 * a copy; the payload area is zeroed once committed.
 */
export class PendingBatch implements PayloadArea {
  /** Entry i's leaf hash input 0x00 ‖ entry is inputs[inputAt[i] … inputAt[i + 1]). */
  private inputs: Buffer;
  private readonly inputAt: number[] = [0];
  readonly types: string[] = [];
  readonly times: string[] = [];
  /** Entry i's salt ‖ payload is area[payloadAt[i] … payloadAt[i] + payloadLen[i]); payloadAt -1: none (tombstone). */
  private area: Buffer;
  private used = 0;
  private reserved = 0;
  private readonly payloadAt: number[] = [];
  private readonly payloadLen: number[] = [];
  /** RFC 6962 leaf hash of each entry, made here so the writer thread does not have to. */
  private leafHashes: Buffer;
  readonly subjects: string[] = [];
  private readonly subjectEnds: number[] = [];
  readonly sides: PackedBatch['sides'] = [];
  private readonly resolves: ((a: Appended) => void)[] = [];
  private readonly rejects: ((e: unknown) => void)[] = [];

  /** `like`: a batch whose sizes to start from (the previous one is a good guess), so the areas rarely grow. */
  constructor(like?: PendingBatch) {
    const n = like?.length ?? 0;
    // Each its own ArrayBuffer, never Node's shared pool: they are transferred.
    this.area = Buffer.allocUnsafeSlow(Math.max(1024, like ? like.used + (like.used >> 2) : 64 * 1024));
    this.leafHashes = Buffer.allocUnsafeSlow(32 * Math.max(64, n + (n >> 2)));
    this.inputs = Buffer.allocUnsafeSlow(Math.max(1024, like ? like.inputAt[n] + (like.inputAt[n] >> 2) : 16 * 1024));
  }

  get length(): number {
    return this.types.length;
  }

  /** PayloadArea: room for `bytes` after the last added entry's payload. Amortised O(bytes). */
  reserve(bytes: number): { buf: Buffer; at: number } {
    if (this.used + bytes > this.area.length) {
      const old = this.area;
      this.area = grown(old, this.used, this.used + bytes);
      old.fill(0); // it held salts
    }
    this.reserved = bytes;
    return { buf: this.area, at: this.used };
  }

  /**
   * Add one entry, given as its leaf hash input "\0" + entry in one-byte characters (encodeEventInput;
   * a leaf is ASCII); resolves once the batch is committed. `saltedPayloadBytes`: the salt ‖ payload just
   * written at reserve()'s offset (null: the entry has no payload). O(entry + subjects).
   */
  add(
    leafInput: string,
    type: string,
    time: string,
    saltedPayloadBytes: number | null,
    subjects: string[],
    side: SideRow | undefined,
  ): Promise<Appended> {
    const i = this.types.length;
    if (side) this.sides.push({ ...side, entry: i });
    const at = this.inputAt[i];
    if (at + leafInput.length > this.inputs.length) this.inputs = grown(this.inputs, at, at + leafInput.length);
    if ((i + 1) * 32 > this.leafHashes.length) this.leafHashes = grown(this.leafHashes, i * 32, (i + 1) * 32);
    this.inputAt.push(at + writeLeafInput(leafInput, this.inputs, at, this.leafHashes, i * 32));
    this.types.push(type);
    this.times.push(time);
    if (saltedPayloadBytes === null) {
      this.payloadAt.push(-1);
      this.payloadLen.push(0);
    } else {
      this.payloadAt.push(this.used);
      this.payloadLen.push(saltedPayloadBytes);
      this.used += saltedPayloadBytes;
    }
    this.reserved = 0;
    for (let i = 0; i < subjects.length; i++) this.subjects.push(subjects[i]);
    this.subjectEnds.push(this.subjects.length);
    return new Promise((resolve, reject) => {
      this.resolves.push(resolve);
      this.rejects.push(reject);
    });
  }

  /** Zero what a failed encoding left in its reservation (a salt, part of a payload). */
  discardReserved(): void {
    this.area.fill(0, this.used, Math.min(this.area.length, this.used + this.reserved));
    this.reserved = 0;
  }

  /** Entry i's payload text and salt, or nulls: for the PostgreSQL path. The salt is a view into the area, zeroed after the commit. */
  payloadText(i: number): string | null {
    return this.payloadAt[i] < 0
      ? null
      : this.area.toString('utf8', this.payloadAt[i] + 32, this.payloadAt[i] + this.payloadLen[i]);
  }
  salt(i: number): Buffer | null {
    return this.payloadAt[i] < 0 ? null : this.area.subarray(this.payloadAt[i], this.payloadAt[i] + 32);
  }

  /** The entries (views into the input area), for integrate() on this thread. O(k). */
  entryViews(): Buffer[] {
    return Array.from({ length: this.types.length }, (_, i) =>
      this.inputs.subarray(this.inputAt[i] + 1, this.inputAt[i + 1]),
    );
  }

  /** The batch for one structured clone, both areas as they are. O(k). */
  seal(): PackedBatch {
    const n = this.types.length;
    const subjectStart = new Uint32Array(n + 1);
    subjectStart.set(this.subjectEnds, 1);
    return {
      leafInputs: this.inputs,
      leafInputAt: Uint32Array.from(this.inputAt),
      types: this.types,
      times: this.times,
      payloadArea: this.area,
      payloadAt: Int32Array.from(this.payloadAt),
      payloadLen: Uint32Array.from(this.payloadLen),
      leafHashes: this.leafHashes,
      subjects: this.subjects,
      subjectStart,
      sides: this.sides,
    };
  }

  /** (subject, log index) rows for entries numbered from `base`. */
  subjectRows(base: number): { ref: string; idx: number }[] {
    const rows: { ref: string; idx: number }[] = [];
    for (let i = 0, k = 0; i < this.subjectEnds.length; i++)
      for (; k < this.subjectEnds[i]; k++) rows.push({ ref: this.subjects[k], idx: base + i });
    return rows;
  }

  /** Drop the entries' data once sent (the area, if not moved to the writer, is zeroed by the committer). */
  release(): void {
    this.inputAt.length = 1;
    for (const column of [this.types, this.times, this.payloadAt, this.payloadLen, this.subjects, this.subjectEnds])
      column.length = 0;
    this.area = Buffer.alloc(0);
    this.leafHashes = Buffer.alloc(0);
    this.inputs = Buffer.alloc(0);
    this.used = 0;
  }

  /** The entries' leaf hashes, 32 bytes each, in order. */
  get hashes(): Buffer {
    return this.leafHashes.subarray(0, this.types.length * 32);
  }

  /** Zero the salts and payloads (after a commit on this thread). */
  wipe(): void {
    this.area.fill(0, 0, this.used);
  }

  /**
   * Tell every caller its index; entries with a side row also learn whether it was written. `dropped`
   * (ascending positions) were left out of the log: they get index -1, and later entries move down. O(k).
   */
  resolveAll(oldSize: number, newSize: number, sideWritten: boolean[], dropped: number[] = []): void {
    const written = new Map<number, boolean>();
    this.sides.forEach((s, k) => written.set(s.entry, sideWritten[k]));
    let gone = 0;
    this.resolves.forEach((resolve, i) => {
      const logged = dropped[gone] !== i;
      if (!logged) gone++;
      const a: Appended = { index: logged ? oldSize + i - gone : -1, size: newSize, logged };
      if (written.has(i)) a.sideWritten = written.get(i);
      resolve(a);
    });
  }

  rejectAll(e: unknown): void {
    for (const reject of this.rejects) reject(e);
  }
}

/** A buffer of at least `need` bytes (at least twice `buf`'s size) holding `buf`'s first `keep` bytes; its own ArrayBuffer, so it can be transferred. */
function grown(buf: Buffer, keep: number, need: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(need, buf.length * 2));
  buf.copy(bigger, 0, 0, keep);
  return bigger;
}

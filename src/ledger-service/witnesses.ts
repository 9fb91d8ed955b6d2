/**
 * Witness cosignatures on the log's checkpoints (C2SP tlog-cosignature): the latest checkpoint served with
 * the cosignatures it has, and accepting new ones from configured witnesses only.
 */
import { InputError, NotFoundError } from '../domain/errors';
import { openCheckpoint, verifyCosignatures, newVerifier } from '../ledger';
import { nowIso, type Executor } from '../store/db';
import { type Ledger } from './ledger';
import { checkpointAt, latestCheckpoint } from './checkpoints';
import { msg } from '../domain/messages';

/** The latest signed checkpoint followed by every cosignature line recorded for its size. */
export async function cosignedCheckpoint(db: Executor): Promise<string> {
  const cp = await latestCheckpoint(db);
  if (!cp) throw new NotFoundError(msg('log.empty'));
  const cosigs = await db.selectFrom('ledger_cosignatures').select('line').where('size', '=', cp.size).execute();
  return cp.note + cosigs.map((c) => `${c.line}\n`).join('');
}

/**
 * Records the cosignatures in `note` made by a configured witness on one of OUR checkpoints (our
 * signature, our origin, the body we stored for that size). Unknown signers are ignored; a note with no
 * new cosignature by a configured witness is refused. Idempotent per (size, witness).
 */
export async function acceptCosignatures(
  db: Executor,
  ledger: Ledger,
  note: string,
  witnessKeys: string[],
): Promise<{ size: number; accepted: string[] }> {
  const { checkpoint } = openCheckpoint(note, ledger.keys.verifierKeys.map(newVerifier), ledger.origin);
  const ours = await checkpointAt(db, checkpoint.size);
  const body = (n: string) => n.slice(0, n.indexOf('\n\n') + 1);
  if (!ours || body(ours) !== body(note))
    throw new InputError(msg('log.foreignCheckpoint'), [
      { field: 'body.note', expected: 'a checkpoint served by /log/checkpoint' },
    ]);
  const verified = verifyCosignatures(note, { witnesses: witnessKeys.map(newVerifier), quorum: 1 });
  const size = checkpoint.size;
  const lines = note.split('\n').filter((l) => verified.some((v) => l.startsWith(`\u2014 ${v.name} `)));
  const accepted: string[] = [];
  for (const line of lines) {
    const witness = line.split(' ')[1];
    const r = await db
      .insertInto('ledger_cosignatures')
      .values({ size, witness, line, created_at: nowIso() })
      .onConflict((oc) => oc.columns(['size', 'witness']).doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) accepted.push(witness);
  }
  if (accepted.length === 0) {
    throw new InputError(msg('log.noNewCosignature'), [
      {
        field: 'body.note',
        expected: `a cosignature/v1 line by one of: ${witnessKeys.map((k) => k.split('+')[0]).join(', ') || '(no witnesses configured)'}`,
      },
    ]);
  }
  return { size, accepted };
}

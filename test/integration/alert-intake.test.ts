/**
 * Attacks on the alert intake: a vendor's subject reference that is a person's name and birth date
 * (it has the `kind:token` form, so no pattern can refuse it), an idempotency key reused with another
 * body (also two at once), and an alert dated in the future.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreatePseudonyms, PSEUDONYM_SECRET_FILE } from '../../src/privacy/pseudonyms';
import { tilePath } from '../../src/ledger/tiles';
import { setSetting } from '../../src/store/settings';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const NAME = 'person:John_Smith_1985-03-14';
const WITNESS = 'person:Jane_Roe_1990-07-01';
/** The pseudonym, computed here from the secret file by the documented rule, not by the server's code. */
const expectedPseudonym = (keysDir: string, raw: string) =>
  `pseud:${createHmac('sha256', Buffer.from(readFileSync(join(keysDir, PSEUDONYM_SECRET_FILE), 'utf8').trim(), 'hex'))
    .update('counterweight/subject-pseudonym/v1\n')
    .update(raw)
    .digest('hex')}`;

describe.each(DIALECTS)('honest alert intake on %s', (dialect) => {
  let s: DemoServer;
  let w: Awaited<ReturnType<typeof activeSystem>>;
  const aiOutputs = async (key: string) =>
    (await s.store.db.selectFrom('ledger_payloads').select(['payload']).where('type', '=', 'ai.output').execute())
      .map((r) => JSON.parse(r.payload ?? 'null'))
      .filter((p) => p?.idempotencyKey === key);

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    w = await activeSystem(s);
  }, 120_000);
  afterAll(async () => s?.close());

  it('a name posted as subjectRef or inputRef reaches no leaf, tile, subject index, payload or alert row: only the pseudonym does', async () => {
    const r = await w.postAlert(1, { subjectRef: NAME, inputRefs: [WITNESS, 'case:2026-0001-abc'] });
    expect(r.statusCode, r.body).toBe(201);
    const pseud = expectedPseudonym(s.keysDir, NAME);
    const a = await s.store.db.selectFrom('alerts').selectAll().where('id', '=', r.json().id).executeTakeFirstOrThrow();
    expect(a.subject_ref).toBe(pseud);
    expect(JSON.parse(a.input_refs)).toEqual([
      expectedPseudonym(s.keysDir, WITNESS),
      expectedPseudonym(s.keysDir, 'case:2026-0001-abc'),
    ]);
    // Every byte the public log serves: the checkpoint and every tile (hash tiles and entry bundles).
    await s.ledger.drain();
    const checkpoint = await s.app.inject({ url: '/log/checkpoint' });
    expect(checkpoint.statusCode).toBe(200);
    const tiles = await s.store.db.selectFrom('ledger_tiles').select(['level', 'idx', 'width']).execute();
    expect(tiles.some((t) => t.level === 'entries')).toBe(true);
    const served: Buffer[] = [checkpoint.rawPayload];
    for (const t of tiles) {
      const res = await s.app.inject({
        url: `/log/${tilePath({ level: t.level === 'entries' ? 'entries' : Number(t.level), index: t.idx, width: t.width })}`,
      });
      expect(res.statusCode, `${t.level}/${t.idx}`).toBe(200);
      served.push(res.rawPayload);
    }
    const all = Buffer.concat(served);
    expect(all.includes(pseud)).toBe(true); // the leaf names the person, by pseudonym
    for (const raw of [NAME, WITNESS, 'John_Smith', 'Jane_Roe']) expect(all.includes(raw), raw).toBe(false);
    // And in the database: the subject index, the payloads kept beside the log, the alert rows.
    const text = JSON.stringify([
      await s.store.db.selectFrom('ledger_subjects').selectAll().execute(),
      await s.store.db.selectFrom('ledger_payloads').select(['payload']).execute(),
      await s.store.db.selectFrom('alerts').selectAll().execute(),
      await s.store.db.selectFrom('alert_intake_keys').selectAll().execute(),
    ]);
    expect(text).toContain(pseud);
    for (const raw of ['John_Smith', 'Jane_Roe']) expect(text, raw).not.toContain(raw);
    // Only the access-controlled mapping holds the raw reference.
    expect(
      (
        await s.store.db
          .selectFrom('subject_pseudonyms')
          .selectAll()
          .where('pseudonym', '=', pseud)
          .executeTakeFirstOrThrow()
      ).raw_ref,
    ).toBe(NAME);
  });

  it('the pseudonym is stable for one installation and differs across installations; the secret is a 0600 file created once', async () => {
    const again = await w.postAlert(2, { subjectRef: NAME });
    const rows = await s.store.db
      .selectFrom('alerts')
      .select('subject_ref')
      .where('id', 'in', [again.json().id])
      .execute();
    expect(rows[0].subject_ref).toBe(expectedPseudonym(s.keysDir, NAME));
    expect(statSync(join(s.keysDir, PSEUDONYM_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(loadOrCreatePseudonyms(s.keysDir).of(NAME)).toBe(expectedPseudonym(s.keysDir, NAME)); // a restart keeps the secret
    const elsewhere = loadOrCreatePseudonyms(mkdtempSync(join(tmpdir(), 'cw-other-install-'))).of(NAME);
    expect(elsewhere).toMatch(/^pseud:[0-9a-f]{64}$/);
    expect(elsewhere).not.toBe(expectedPseudonym(s.keysDir, NAME));
  });

  it("subject access by the raw reference finds the person's records, and the access log names the pseudonym only", async () => {
    const purpose = { 'x-purpose': 'subject-access; request from counsel' };
    const r = await w.call('oversight', 'GET', `/api/subjects/${encodeURIComponent(NAME)}`, undefined, purpose);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().alerts).toHaveLength(2);
    expect(r.json().logEntries.filter((e: { type: string }) => e.type === 'ai.output')).toHaveLength(2);
    await expect
      .poll(
        async () =>
          (
            await s.store.db
              .selectFrom('access_log')
              .select('records')
              .where('route', '=', 'GET /api/subjects/:ref')
              .execute()
          ).length,
      )
      .toBe(1);
    const logged =
      JSON.stringify(await s.store.db.selectFrom('access_log').selectAll().execute()) +
      JSON.stringify(await s.store.db.selectFrom('ledger_subjects').selectAll().execute());
    expect(logged).toContain(expectedPseudonym(s.keysDir, NAME));
    expect(logged).not.toContain('John_Smith');
    // By the pseudonym too (oversight copies it from an alert).
    const byPseud = await w.call(
      'oversight',
      'GET',
      `/api/subjects/${expectedPseudonym(s.keysDir, NAME)}`,
      undefined,
      purpose,
    );
    expect(byPseud.json().alerts).toHaveLength(2);
  });

  it('erasure (retention) removes the mapping: the raw reference is then nowhere in the database', async () => {
    await s.store.db.updateTable('alerts').set({ received_at: '2020-01-01T00:00:00Z' }).execute(); // past the 730-day retention
    const run = await w.call('oversight', 'POST', '/api/retention/run', {});
    expect(run.statusCode, run.body).toBe(200);
    expect(await s.store.db.selectFrom('subject_pseudonyms').selectAll().execute()).toEqual([]);
    const text = JSON.stringify([
      await s.store.db.selectFrom('alerts').selectAll().execute(),
      await s.store.db.selectFrom('ledger_payloads').select(['payload']).execute(),
      await s.store.db.selectFrom('access_log').selectAll().execute(),
      await s.store.db.selectFrom('ledger_subjects').selectAll().execute(),
    ]);
    expect(text).not.toContain('John_Smith');
  });

  it('a reused idempotency key: the same body returns the first alert, another body is refused (409, naming the key) and not logged', async () => {
    const first = await w.postAlert(10, { output: { risk: 0.7 } });
    expect(first.statusCode, first.body).toBe(201);
    const retry = await w.postAlert(10, { output: { risk: 0.7 } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ ...first.json(), duplicate: true });
    const other = await w.postAlert(10, { output: { risk: 0.1 } });
    expect(other.statusCode).toBe(409);
    expect(other.json().detail).toContain('alert-key-000010');
    expect(other.json().code).toBe('review.idempotencyConflict');
    const ko = await s.app.inject({
      method: 'POST',
      url: `/api/systems/${w.systemId}/alerts`,
      headers: { authorization: `Bearer ${w.key}`, 'accept-language': 'ko' },
      payload: {
        idempotencyKey: 'alert-key-000010',
        kind: 'cctv-detection',
        modelVersion: '1',
        occurredAt: '2026-11-22T10:00:00Z',
        unit: 'district-1',
        output: { risk: 0.2 },
        explanation: { summary: 'pattern', factors: [] },
      },
    });
    expect(ko.json().detail).toMatch(/멱등성 키 alert-key-000010/);
    const logged = await aiOutputs('alert-key-000010');
    expect(logged).toHaveLength(1);
    expect(logged[0].output).toEqual({ risk: 0.7 });
    expect(
      JSON.parse(
        (
          await s.store.db
            .selectFrom('alerts')
            .select('output')
            .where('id', '=', first.json().id)
            .executeTakeFirstOrThrow()
        ).output,
      ),
    ).toEqual({ risk: 0.7 });
  });

  it('two different bodies with one key at once: exactly one wins, the other gets 409, and only the stored one is in the log', async () => {
    for (let k = 20; k < 26; k++) {
      const [x, y] = await Promise.all([
        w.postAlert(k, { output: { risk: 0.3 } }),
        w.postAlert(k, { output: { risk: 0.9 } }),
      ]);
      expect([x.statusCode, y.statusCode].sort(), `${x.body} ${y.body}`).toEqual([201, 409]);
      const winner = x.statusCode === 201 ? x : y;
      const stored = await s.store.db
        .selectFrom('alerts')
        .select(['id', 'output'])
        .where('idempotency_key', '=', `alert-key-${String(k).padStart(6, '0')}`)
        .execute();
      expect(stored.map((a) => a.id)).toEqual([winner.json().id]);
      const logged = await aiOutputs(`alert-key-${String(k).padStart(6, '0')}`);
      expect(logged.map((p) => p.alertId)).toEqual([winner.json().id]);
      expect(logged[0].output).toEqual(JSON.parse(stored[0].output));
    }
    // The same body twice at once: one 201, one 200 for the same alert, one log entry.
    const [x, y] = await Promise.all([w.postAlert(30), w.postAlert(30)]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 201]);
    expect(x.json().id).toBe(y.json().id);
    expect(await aiOutputs('alert-key-000030')).toHaveLength(1);
  });

  // Latency (issues 16, 24): on an SQLite file a write on the serving connection waits for the log writer's
  // lock in SQLite's sleeping busy handler, blocking every request. The idempotency claim and the
  // pseudonym mapping travel with the alert into the log's own commit instead.
  it.runIf(dialect === 'sqlite')(
    "intake writes nothing on the serving connection: claim, alert and pseudonyms go in the log's commit",
    async () => {
      expect((await w.postAlert(50)).statusCode).toBe(201); // the key's last use is now recorded (at most once a minute)
      s.store.sqlite!.pragma('query_only = ON'); // any write on this connection now fails
      try {
        const r = await w.postAlert(51, {
          subjectRef: 'person:Quiet_Path_1970-01-01',
          inputRefs: ['case:2026-0051-abc'],
        });
        expect(r.statusCode, r.body).toBe(201);
        const again = await w.postAlert(51, {
          subjectRef: 'person:Quiet_Path_1970-01-01',
          inputRefs: ['case:2026-0051-abc'],
        });
        expect(again.statusCode, again.body).toBe(200);
        expect(again.json()).toEqual({ ...r.json(), duplicate: true });
        const other = await w.postAlert(51, { output: { risk: 0.01 } });
        expect(other.statusCode, other.body).toBe(409);
        expect(other.json().code).toBe('review.idempotencyConflict');
      } finally {
        s.store.sqlite!.pragma('query_only = OFF');
      }
      const pseud = expectedPseudonym(s.keysDir, 'person:Quiet_Path_1970-01-01');
      expect(
        (
          await s.store.db
            .selectFrom('subject_pseudonyms')
            .selectAll()
            .where('pseudonym', '=', pseud)
            .executeTakeFirstOrThrow()
        ).raw_ref,
      ).toBe('person:Quiet_Path_1970-01-01');
      expect(
        (
          await s.store.db
            .selectFrom('alert_intake_keys')
            .selectAll()
            .where('idempotency_key', '=', 'alert-key-000051')
            .execute()
        ).map((k) => k.body_sha256),
      ).toHaveLength(1);
      expect(await aiOutputs('alert-key-000051')).toHaveLength(1);
    },
  );

  it('occurredAt further ahead than the allowed clock skew (default 5 minutes; a setting) is refused naming the field', async () => {
    const iso = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');
    const future = await w.postAlert(40, { occurredAt: iso(10 * 60_000) });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('occurredAt');
    expect(future.json().code).toBe('review.occurredInFuture');
    expect(await aiOutputs('alert-key-000040')).toHaveLength(0);
    expect((await w.postAlert(41, { occurredAt: iso(4 * 60_000) })).statusCode).toBe(201);
    await setSetting(s.store.db, 'review.maxClockSkewMinutes', '0');
    expect((await w.postAlert(42, { occurredAt: iso(60_000) })).statusCode).toBe(400);
    await setSetting(s.store.db, 'review.maxClockSkewMinutes', '5');
  });
});

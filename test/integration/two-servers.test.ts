import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { openCheckpoint } from '../../src/ledger/checkpoint';
import { newVerifier } from '../../src/ledger/keys';
import { verifyConsistency } from '../../src/ledger/merkle';
import { proveConsistency } from '../../src/ledger-service/ledger';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { loadLogKeys } from '../../src/ledger-service/log-keys';
import { startUp } from '../../src/server/start';
import { openStore, type Store } from '../../src/store/db';
import { activeSystem } from '../support/active-system';
import { runCli } from '../support/cli';
import { PASSWORD, type DemoServer } from '../support/server';
import { freshPostgresUrl } from '../support/stores';

type Started = Awaited<ReturnType<typeof startUp>> & { store: Store; url: string };

// Issue 20 item 4: two `serve` processes behind a load balancer share one PostgreSQL. Two servers here are
// two complete server stacks (each its own pool, log writer and app) on one throwaway database.
describe('two servers on one PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-two-'));
  const keysDir = join(dir, 'keys'); // the servers share the log's keys (the same files deployed on both)
  let url: string;
  const servers: Started[] = [];
  const config = { webDist: 'web/dist', keysDir, logOrigin: 'test.counterweight/log' };

  beforeAll(async () => {
    url = await freshPostgresUrl();
  });
  afterAll(async () => {
    for (const s of servers) {
      await s.app.close();
      await s.store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('two first starts at once on an empty database: both start, one admin, one log key', async () => {
    const start = async (password: string) => {
      const store = openStore({ databaseUrl: url });
      const s = await startUp(store, config, { adminPassword: password });
      return { ...s, store, url: await s.app.listen({ port: 0, host: '127.0.0.1' }) };
    };
    servers.push(...(await Promise.all([start(PASSWORD), start(PASSWORD)])));
    expect(servers.map((s) => s.firstAdmin).sort()).toEqual([false, true]);
    const store = servers[0].store;
    const admins = await store.db.selectFrom('users').select('username').execute();
    expect(admins.map((u) => u.username)).toEqual(['admin']);
    expect(readdirSync(keysDir).filter((f) => f.endsWith('.key'))).toEqual(['current.key']);
    const created = await store.db
      .selectFrom('ledger_payloads')
      .select('idx')
      .where('type', '=', 'access.user.created')
      .execute();
    expect(created).toHaveLength(1);
    // Every checkpoint so far is signed by that one key.
    const keys = loadLogKeys(keysDir);
    for (const cp of await store.db.selectFrom('ledger_checkpoints').select('note').execute())
      openCheckpoint(cp.note, keys.verifierKeys.map(newVerifier), keys.origin);
  });

  it('two first starts at once with different key directories: one starts, the other is refused, one log key in all', async () => {
    const empty = await freshPostgresUrl();
    const dirs = [join(dir, 'own-keys-1'), join(dir, 'own-keys-2')];
    const stores = dirs.map(() => openStore({ databaseUrl: empty }));
    try {
      const results = await Promise.allSettled(
        dirs.map((d, i) => startUp(stores[i], { ...config, keysDir: d }, { adminPassword: PASSWORD })),
      );
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(String(refused.reason)).toMatch(/key/);
      expect(dirs.filter((d) => existsSync(join(d, 'current.key')))).toHaveLength(1);
      for (const r of results) if (r.status === 'fulfilled') await r.value.app.close();
    } finally {
      for (const st of stores) await st.close();
    }
  });

  it('alerts and decisions sent to both at once, with races on one idempotency key and one decision: the log accounts for every row, no fork, the export verifies', async () => {
    const [a, b] = servers;
    for (const [i, role] of (['supervisor', 'officer', 'system-owner', 'oversight', 'analyst'] as const).entries()) {
      await createUser(servers[i % 2].ledger, 'system:test-setup', {
        username: role,
        password: PASSWORD,
        roles: [role],
        unit: 'district-1',
      });
    }
    // activeSystem signs everyone in on A; the same sessions are then used on B.
    const sys = await activeSystem(
      { app: a.app, ledger: a.ledger, store: a.store } as unknown as DemoServer,
      'Two-server system',
    );
    const early = (await latestCheckpoint(a.store.db))!;
    const post = (s: Started, key: string) =>
      s.app.inject({
        method: 'POST',
        url: `/api/systems/${sys.systemId}/alerts`,
        headers: { authorization: `Bearer ${sys.key}` },
        payload: {
          idempotencyKey: key,
          kind: 'cctv-detection',
          modelVersion: '1',
          occurredAt: '2026-11-22T10:00:00Z',
          unit: 'district-1',
          output: { risk: 0.7 },
          explanation: { summary: 'pattern', factors: [] },
        },
      });
    // 300 distinct alerts split over both servers, and 40 keys each sent to both at once.
    const replies = await Promise.all([
      ...Array.from({ length: 300 }, (_, i) => post(i % 2 ? a : b, `key-${String(i).padStart(6, '0')}`)),
      ...Array.from({ length: 40 }, (_, i) => [
        post(a, `race-${String(i).padStart(6, '0')}`),
        post(b, `race-${String(i).padStart(6, '0')}`),
      ]).flat(),
    ]);
    expect(replies.filter((r) => r.statusCode !== 201 && r.statusCode !== 200).map((r) => r.body)).toEqual([]);
    const raced = replies.slice(300);
    for (let i = 0; i < 40; i++) expect(raced[2 * i].json().id).toBe(raced[2 * i + 1].json().id);
    const alertIds = [...new Set(replies.map((r) => r.json().id as string))];
    expect(alertIds).toHaveLength(340);
    // Decisions: 60 alerts decided on both servers at the same moment (the same officer's session on both).
    const officer = sys.as.officer;
    const decide = (s: Started, alertId: string, why: string) =>
      s.app.inject({
        method: 'POST',
        url: `/api/alerts/${alertId}/decision`,
        headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrf },
        payload: { outcome: 'not-acted', reasonCode: 'no-activity-found', reasonText: why },
      });
    const decisions = await Promise.all(
      alertIds.slice(0, 60).map((id) => Promise.all([decide(a, id, 'seen on a'), decide(b, id, 'seen on b')])),
    );
    for (const pair of decisions) expect(pair.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    await Promise.all(servers.map((s) => s.ledger.drain()));

    const db = a.store.db;
    const cp = (await latestCheckpoint(db))!;
    // Every entry accounted for: one payload row per index, 0 … size-1.
    const idx = (await db.selectFrom('ledger_payloads').select('idx').orderBy('idx').execute()).map((r) =>
      Number(r.idx),
    );
    expect(idx).toEqual(Array.from({ length: cp.size }, (_, i) => i));
    // Counts from the log equal the tables.
    const count = async (type: string) =>
      (await db.selectFrom('ledger_payloads').select('idx').where('type', '=', type).execute()).length;
    expect(await count('ai.output')).toBe((await db.selectFrom('alerts').select('id').execute()).length);
    expect(await count('ai.output')).toBe(340);
    expect(await count('human.decision')).toBe(60);
    expect((await db.selectFrom('decisions').select('id').execute()).length).toBe(60);
    expect(await count('access.user.created')).toBe((await db.selectFrom('users').select('id').execute()).length);
    // Each stored row points at its own entry.
    const rows = await db.selectFrom('alerts').select(['id', 'log_index']).execute();
    const payloadOf = new Map(
      (await db.selectFrom('ledger_payloads').select(['idx', 'payload']).where('type', '=', 'ai.output').execute()).map(
        (r) => [Number(r.idx), JSON.parse(r.payload!).alertId],
      ),
    );
    for (const r of rows) expect(payloadOf.get(Number(r.log_index))).toBe(r.id);
    // No fork: every checkpoint either server signed is a prefix of the latest.
    const keys = loadLogKeys(keysDir);
    const verifiers = keys.verifierKeys.map(newVerifier);
    const latest = openCheckpoint(cp.note, verifiers, keys.origin).checkpoint;
    const all = await db.selectFrom('ledger_checkpoints').select(['size', 'note']).orderBy('size').execute();
    // Batching works across both writers: far fewer checkpoints than entries.
    expect(all.length).toBeLessThan(cp.size / 2);
    for (const row of all) {
      const c = openCheckpoint(row.note, verifiers, keys.origin).checkpoint;
      if (c.size < latest.size)
        verifyConsistency(c.size, latest.size, await proveConsistency(db, c.size, latest.size), c.root, latest.root);
    }
    // The export verifies, read over HTTP from server B, extending a checkpoint kept from before the load.
    const kept = join(dir, 'early.checkpoint');
    writeFileSync(kept, early.note);
    const v = await runCli([
      'verify',
      'log',
      '--from',
      b.url,
      '--previous',
      kept,
      ...keys.verifierKeys.flatMap((k) => ['--key', k]),
    ]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
  });
});

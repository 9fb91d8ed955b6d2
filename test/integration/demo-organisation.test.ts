/**
 * Issue 17 item 6: a first start that shows the product. After startUp with a demo, the example
 * organisation is there, built through the same API calls and gates a real agency uses: one person per
 * role who signs in with the password printed once, the patrol forecaster live with an assessment
 * approved by someone other than its owner, a vendor CCTV detector under public consultation, a
 * published audit, alerts waiting in the queue of the officer on shift, published statistics, and a
 * log that verifies. Passwords are never in the database or the server's log output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/ledger/audit';
import { newVerifier } from '../../src/ledger/keys';
import { latestCheckpoint } from '../../src/ledger-service/checkpoints';
import { DEMO_TAXONOMY, type DemoName } from '../../src/demo/load-demo';
import { DEMO_ROLES } from '../../src/demo/demo-organisation';
import { startUp } from '../../src/server/start';
import { openStore, type Store } from '../../src/store/db';
import { DIALECTS, freshPostgresUrl, type DialectName } from '../support/stores';
import { wholeDatabase } from '../support/whole-database';

type Started = Awaited<ReturnType<typeof startUp>>;

async function open(dialect: DialectName, dir: string): Promise<Store> {
  return dialect === 'postgres'
    ? openStore({ databaseUrl: await freshPostgresUrl() })
    : openStore({ sqliteFile: join(dir, 'cw.db') });
}

const cases: [DialectName, DemoName][] = DIALECTS.flatMap((d) =>
  (['chicago', 'seoul'] as DemoName[]).map((n) => [d, n] as [DialectName, DemoName]),
);

describe.each(cases)('the demo organisation on %s (%s)', (dialect, demo) => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-demo-org-'));
  const keysDir = join(dir, 'keys');
  const config = { webDist: 'web/dist', keysDir, logOrigin: 'test.counterweight/log' };
  let logOutput = '';
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logOutput += String(chunk);
      done();
    },
  });
  let store: Store;
  let s: Started;
  let url: string;
  const login = async (username: string, password: string) =>
    fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  const session = async (username: string) => {
    const r = await login(username, s.demoAccounts!.people.find((p) => p.username === username)!.password);
    const cookie = /cw_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
    return { cookie, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
  };

  beforeAll(async () => {
    store = await open(dialect, dir);
    s = await startUp(
      store,
      config,
      { adminPassword: 'a-long-test-password', demo: { name: demo, taxonomyFile: DEMO_TAXONOMY[demo] } },
      { logger: { level: 'info', stream: logStream } },
    );
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
  }, 240_000);
  afterAll(async () => {
    await s?.app.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes one person per role, in the demo unit, who signs in with the password given once', async () => {
    const people = s.demoAccounts!.people;
    for (const role of DEMO_ROLES)
      expect(
        people.some((p) => p.roles.includes(role)),
        role,
      ).toBe(true);
    expect(people.filter((p) => p.roles.includes('oversight')).length).toBeGreaterThanOrEqual(2);
    for (const p of people) {
      const r = await login(p.username, p.password);
      expect(r.status, p.username).toBe(200);
      const me = (await r.json()) as { roles: string[]; unit: string | null; name: string };
      expect(me.roles).toEqual(expect.arrayContaining(p.roles));
      expect(me.name).toMatch(demo === 'seoul' ? /^\[데모\]/ : /^\[Demo\]/);
      if (['officer', 'supervisor', 'analyst'].some((role) => p.roles.includes(role)))
        expect(me.unit).toBe(s.demoAccounts!.unit);
      expect((await login(p.username, `${p.password}x`)).status).toBe(401);
    }
    expect(s.demoAccounts!.vendorKey).toMatch(/^cwk_/);
  });

  it('never stores or logs a password or the vendor key in plain text', async () => {
    const secrets = [...s.demoAccounts!.people.map((p) => p.password), s.demoAccounts!.vendorKey];
    const db = await wholeDatabase(store);
    expect(db.length).toBeGreaterThan(10_000);
    for (const x of secrets) {
      expect(db.includes(x), 'a secret in the database').toBe(false);
      expect(logOutput.includes(x), 'a secret in the server log').toBe(false);
    }
    expect(logOutput).toContain('"reqId"'); // the server did log its requests
  });

  // Seoul's demo has district statistics, no incident points: its forecaster's stress test has no victimization
  // to compare exposure with and refuses, so the forecaster waits assessed (in consultation), never live.
  it('lists the forecaster live (Chicago; assessed and waiting in Seoul) and the vendor CCTV detector under consultation, all marked demo', async () => {
    const reg = (await (await fetch(`${url}/api/register`)).json()) as {
      id: string;
      name: string;
      state: string;
      assessment: { level: number; status: string } | null;
      latestAudit: { id: number } | null;
    }[];
    const mark = demo === 'seoul' ? '[데모]' : '[Demo]';
    for (const x of reg) expect(x.name.startsWith(mark), x.name).toBe(true);
    const forecaster = reg.find((x) => x.id === s.demoAccounts!.systems.forecaster)!;
    const cctv = reg.find((x) => x.id === s.demoAccounts!.systems.consultation)!;
    expect(forecaster.state).toBe(demo === 'chicago' ? 'active' : 'consultation');
    expect(forecaster.assessment).toMatchObject({ status: 'approved' });
    expect(cctv.state).toBe('consultation');
    const pub = (await (await fetch(`${url}/api/register/${cctv.id}`)).json()) as {
      consultationEndsAt: string;
      record: { dataSources: { sourceId: string }[] };
    };
    expect(Date.parse(pub.consultationEndsAt)).toBeGreaterThan(Date.now() + 7 * 86_400_000);
    // The activation gate's source checks pass for every system the demo registers.
    for (const id of Object.values(s.demoAccounts!.systems)) {
      const versions = await store.db
        .selectFrom('system_versions')
        .select('record')
        .where('system_id', '=', id)
        .execute();
      for (const v of versions)
        for (const src of (JSON.parse(v.record) as { dataSources: { sourceId: string }[] }).dataSources) {
          const row = await store.db
            .selectFrom('data_sources')
            .select('id')
            .where('id', '=', src.sourceId)
            .executeTakeFirst();
          expect(row, src.sourceId).toBeTruthy();
        }
    }
    // Its approved assessment was decided by someone other than its owner; the forecaster is the named one.
    const a = await store.db
      .selectFrom('assessments')
      .innerJoin('ai_systems', 'ai_systems.id', 'assessments.system_id')
      .select(['assessments.status', 'assessments.decided_by', 'ai_systems.owner_id'])
      .where('assessments.system_id', '=', forecaster.id)
      .execute();
    expect(a.filter((x) => x.status === 'approved')).toHaveLength(1);
    for (const x of a) expect(x.decided_by).not.toBe(x.owner_id);
    const named = await store.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'forecast.system_id')
      .executeTakeFirst();
    expect(named?.value).toBe(demo === 'chicago' ? forecaster.id : undefined);
  });

  it('publishes audits of the forecaster, run and published by oversight, not the owner', async () => {
    const id = s.demoAccounts!.systems.forecaster;
    const pub = (await (await fetch(`${url}/api/register/${id}`)).json()) as {
      audits: { id: number; kind: string; passed: boolean }[];
    };
    // The feedback-loop stress test it passed before approval; on Chicago's incidents also the place audit of its released missions.
    const kinds = pub.audits.map((a) => a.kind).sort();
    expect(kinds).toEqual(demo === 'chicago' ? ['forecaster-stress', 'place-based'] : []);
    for (const a of pub.audits)
      expect(((await (await fetch(`${url}/api/audits/${a.id}`)).json()) as { published: boolean }).published).toBe(
        true,
      );
    if (demo === 'chicago') {
      const reg = (await (await fetch(`${url}/api/register`)).json()) as {
        id: string;
        latestAudit: { kind: string } | null;
      }[];
      expect(reg.find((x) => x.id === id)!.latestAudit?.kind).toBe('place-based');
    }
    const rows = await store.db
      .selectFrom('audits')
      .innerJoin('ai_systems', 'ai_systems.id', 'audits.system_id')
      .select(['audits.run_by', 'audits.published_by', 'ai_systems.owner_id'])
      .where('audits.published', '=', 1)
      .execute();
    expect(rows.length).toBe(pub.audits.length);
    for (const r of rows) {
      expect(r.run_by).not.toBe(r.owner_id);
      expect(r.published_by).not.toBe(r.owner_id);
    }
  });

  it('has alerts waiting in the queue of the demo officer on shift, with pseudonymised subjects', async () => {
    const officer = s.demoAccounts!.people.find((p) => p.roles.includes('officer'))!;
    const { cookie } = await session(officer.username);
    const q = await fetch(`${url}/api/review/queue`, { headers: { cookie } });
    expect(q.status).toBe(200);
    const alerts = (await q.json()) as { id: string; status: string; subjectRef: string | null; unit: string }[];
    expect(alerts.length).toBeGreaterThanOrEqual(3);
    for (const x of alerts) expect(x.unit).toBe(s.demoAccounts!.unit);
    const withSubject = alerts.filter((x) => x.subjectRef);
    expect(withSubject.length).toBeGreaterThan(0);
    for (const x of withSubject) expect(x.subjectRef).toMatch(/^pseud:[0-9a-f]{64}$/);
  });

  it('has published statistics releases within the privacy budget', async () => {
    const releases = (await (await fetch(`${url}/api/statistics/releases`)).json()) as { id: string }[];
    expect(releases.length).toBeGreaterThanOrEqual(demo === 'chicago' ? 2 : 1);
    const budget = (await (await fetch(`${url}/api/statistics/budget`)).json()) as {
      periods?: { spent: number; limit?: number }[];
    } & Record<string, unknown>;
    expect(JSON.stringify(budget)).not.toMatch(/"remaining":-/);
  });

  it('records it all in a log that verifies, and loads once', async () => {
    await s.ledger.drain();
    const cp = (await latestCheckpoint(store.db))!;
    const tiles = store.log.wholeLogTiles();
    const report = await auditLog(cp.note, async (ref) => (await tiles.read(ref))!, {
      logVerifiers: s.ledger.keys.verifierKeys.map(newVerifier),
    }).finally(() => tiles.close());
    expect(report.ok).toBe(true);
    const types = (await store.db.selectFrom('ledger_payloads').select('type').execute()).map((r) => r.type);
    for (const t of [
      'access.user.created',
      'system.registered',
      'assessment.decision',
      'system.consultation',
      'system.approved',
      'system.active',
      ...(demo === 'chicago' ? ['audit.published'] : []), // Seoul publishes no audit (no incident points: see above)
      'review.duty',
      'ai.output',
      'statistics.release',
    ]) {
      expect(types, t).toContain(t);
    }
    // A second start on the same database loads nothing and prints no password.
    const users = (await store.db.selectFrom('users').select('id').execute()).length;
    await s.app.close();
    s = await startUp(store, config, {
      adminPassword: 'a-long-test-password',
      demo: { name: demo, taxonomyFile: DEMO_TAXONOMY[demo] },
    });
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    expect(s.demoAccounts).toBeUndefined();
    expect((await store.db.selectFrom('users').select('id').execute()).length).toBe(users);
  });
});

describe('two first starts at once on one PostgreSQL', () => {
  it('load one demo organisation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-demo-two-'));
    const dbUrl = await freshPostgresUrl();
    const stores = [openStore({ databaseUrl: dbUrl }), openStore({ databaseUrl: dbUrl })];
    const config = { webDist: 'web/dist', keysDir: join(dir, 'keys'), logOrigin: 'test.counterweight/log' };
    try {
      const started = await Promise.all(
        stores.map((st) =>
          startUp(st, config, {
            adminPassword: 'a-long-test-password',
            demo: { name: 'seoul', taxonomyFile: DEMO_TAXONOMY.seoul },
          }),
        ),
      );
      expect(started.filter((x) => x.demoAccounts).length).toBe(1);
      const systems = await stores[0].db.selectFrom('ai_systems').select('id').execute();
      expect(systems.length).toBe(Object.keys(started.find((x) => x.demoAccounts)!.demoAccounts!.systems).length);
      for (const x of started) await x.app.close();
    } finally {
      for (const st of stores) await st.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

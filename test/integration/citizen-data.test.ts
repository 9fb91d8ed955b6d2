import { readFileSync, existsSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { PERSONAL_DATA, citizenTables } from '../../src/privacy/personal-data';
import { buildApp } from '../../src/server/app';
import { activeSystem, type Session } from '../support/active-system';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

/** Every column of every table, as the migrated database has them. */
async function schemaColumns(s: DemoServer): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (s.store.dialect === 'sqlite') {
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`.execute(s.store.db);
    for (const t of tables.rows) {
      const cols = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${t.name})`.execute(s.store.db);
      out.set(t.name, new Set(cols.rows.map((c) => c.name)));
    }
  } else {
    const cols = await sql<{ table_name: string; column_name: string }>`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'`.execute(s.store.db);
    for (const c of cols.rows) (out.get(c.table_name) ?? out.set(c.table_name, new Set()).get(c.table_name)!).add(c.column_name);
  }
  return out;
}

async function signIn(s: DemoServer, username: string): Promise<Session> {
  const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  return { cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`, csrf: r.json().csrfToken, id: r.json().id };
}

describe.each(DIALECTS)('citizen data under oversight, for real (%s)', (dialect) => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  let second: Session; // a second oversight officer
  let auditor: Session;
  const as2 = (who: Session, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    s.app.inject({ method: method as 'POST', url, payload: payload as object, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, ...headers } });

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    ctx = await activeSystem(s);
    await createUser(s.store.db, { username: 'oversight-2', password: PASSWORD, roles: ['oversight'], unit: null });
    await createUser(s.store.db, { username: 'auditor', password: PASSWORD, roles: ['auditor'], unit: null });
    second = await signIn(s, 'oversight-2');
    auditor = await signIn(s, 'auditor');
  });
  afterAll(async () => s?.close());

  it('the personal-data inventory names every table and column of the schema', async () => {
    const cols = await schemaColumns(s);
    expect([...cols.keys()].sort()).toEqual(Object.keys(PERSONAL_DATA).sort());
    for (const [table, columns] of citizenTables()) for (const c of columns) expect(cols.get(table)!.has(c), `${table}.${c}`).toBe(true);
  });

  it('a legal hold needs two people, matches every ref a record carries, refuses a ref that matches nothing, and is listed', async () => {
    const byAlert = (await ctx.postAlert(100, { subjectRef: 'person:HoldByAlert01' })).json().id as string;
    const byInput = (await ctx.postAlert(101, { subjectRef: 'person:Unrelated0001', inputRefs: ['person:OnlyAnInput01'] })).json().id as string;
    const free = (await ctx.postAlert(102, { subjectRef: 'person:NotHeld000001' })).json().id as string;
    // A ref nothing carries is refused: it would protect nothing.
    const nothing = await ctx.call('oversight', 'POST', '/api/legal-holds', { subjectRef: 'person:NobodyAtAll01', reason: 'pending litigation' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().code).toBe('privacy.holdMatchesNothing');
    const placed = await ctx.call('oversight', 'POST', '/api/legal-holds', { subjectRef: `alert:${byAlert}`, reason: 'evidence in a court case' });
    expect(placed.statusCode, placed.body).toBe(201);
    const h1 = placed.json().id as number;
    const h2 = (await ctx.call('oversight', 'POST', '/api/legal-holds', { subjectRef: 'person:OnlyAnInput01', reason: 'evidence in a court case' })).json().id as number;
    // The one who asked cannot confirm it.
    const self = await ctx.call('oversight', 'POST', `/api/legal-holds/${h1}/confirm`, { confirm: true, reason: 'confirm' });
    expect(self.statusCode, self.body).toBe(403);
    for (const id of [h1, h2]) expect((await as2(second, 'POST', `/api/legal-holds/${id}/confirm`, { confirm: true, reason: 'court order seen' })).json().status).toBe('active');
    const list = (await as2(auditor, 'GET', '/api/legal-holds')).json() as { id: number; status: string; alertsHeld: number; confirmedBy: string }[];
    expect(list.find((h) => h.id === h1)).toMatchObject({ status: 'active', alertsHeld: 1, confirmedBy: second.id });
    expect(list.find((h) => h.id === h2)).toMatchObject({ status: 'active', alertsHeld: 1 });

    await s.store.db.updateTable('alerts').set({ received_at: '2020-01-01T00:00:00Z' }).where('id', 'in', [byAlert, byInput, free]).execute();
    const run = (await ctx.call('oversight', 'POST', '/api/retention/run', {})).json();
    expect(run.held.sort()).toEqual([byAlert, byInput].sort());
    expect(run.purged).toContain(free);

    // Lifting: asked by one, still in force, confirmed by another.
    expect((await ctx.call('oversight', 'POST', `/api/legal-holds/${h1}/lift`, { reason: 'case closed' })).statusCode).toBe(200);
    expect((await ctx.call('oversight', 'POST', `/api/legal-holds/${h1}/lift/confirm`, { reason: 'case closed' })).statusCode).toBe(403);
    expect((await ctx.call('oversight', 'POST', '/api/retention/run', {})).json().held).toContain(byAlert);
    expect((await as2(second, 'POST', `/api/legal-holds/${h1}/lift/confirm`, { reason: 'judgment final' })).json().status).toBe('lifted');
    const after = (await ctx.call('oversight', 'POST', '/api/retention/run', {})).json();
    expect(after.purged).toEqual([byAlert]);
    expect(after.held).toEqual([byInput]);
    // Holds are not readable or placeable by other roles.
    expect((await ctx.call('officer', 'GET', '/api/legal-holds')).statusCode).toBe(403);
    expect((await as2(auditor, 'POST', '/api/legal-holds', { subjectRef: 'person:NotHeld000001', reason: 'x x x' })).statusCode).toBe(403);
  });

  it('subject access returns every alert that names the person (subject, inputs, output, explanation) and everything on them', async () => {
    const ref = 'person:SubjectAccess1';
    const ids = [
      (await ctx.postAlert(200, { subjectRef: ref })).json().id,
      (await ctx.postAlert(201, { subjectRef: 'person:Somebody00001', inputRefs: [ref] })).json().id,
      (await ctx.postAlert(202, { output: { risk: 0.4, note: `seen with ${ref}` } })).json().id,
      (await ctx.postAlert(203, { explanation: { summary: 'seen with another person', factors: [{ name: 'co-presence', detail: `with ${ref}` }] } })).json().id,
    ] as string[];
    await ctx.postAlert(204, { subjectRef: 'person:SubjectAccess12' }); // a longer ref that starts the same is someone else
    const r = await ctx.call('oversight', 'GET', `/api/subjects/${ref}`, undefined, { 'x-purpose': 'request from counsel' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect((r.json().alerts as { id: string }[]).map((a) => a.id).sort()).toEqual([...ids].sort());
  });

  it('retention purges every citizen-data table by age and state, also alerts with an empty output, and the disk keeps none of it', async () => {
    const marker = (k: string) => `ZQXMARK${k}${dialect}`;
    const subject = `person:Purge${dialect}Subj1`;
    const emptyRes = await ctx.postAlert(300, { subjectRef: subject, explanation: { summary: marker('EXPL'), factors: [] } });
    expect(emptyRes.statusCode, emptyRes.body).toBe(201);
    const empty = emptyRes.json().id as string;
    // An alert whose output is empty (a vendor schema that requires nothing): the old purge took `{}` for "already purged".
    await s.store.db.updateTable('alerts').set({ output: '{}' }).where('id', '=', empty).execute();
    const full = (await ctx.postAlert(301, { subjectRef: subject, output: { risk: 0.5, note: marker('OUT') }, inputRefs: [`person:Purge${dialect}Input`] })).json().id as string;
    const decided = await ctx.call('officer', 'POST', `/api/alerts/${full}/decision`, {
      outcome: 'acted', reasonCode: 'confirmed-on-scene', reasonText: `approached ${marker('REASON')}`, enforcementAction: 'stop',
      corroboration: { kind: 'officer-observation', description: `saw it myself ${marker('CORR')}` },
    });
    expect(decided.statusCode, decided.body).toBe(201);
    // Oversight reads the person's record: the access log now names them.
    expect((await ctx.call('oversight', 'GET', `/api/subjects/${subject}`, undefined, { 'x-purpose': 'request from counsel' })).statusCode).toBe(200);
    const accessRows = async () => (await s.store.db.selectFrom('access_log').select('records').execute()).filter((r) => r.records.includes(subject)).length;
    expect(await accessRows()).toBeGreaterThan(0);

    const onDisk = (k: string) => [s.dbFile, `${s.dbFile}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(marker(k))));
    // The values are on disk before the purge (so the check after it means something).
    if (dialect === 'sqlite') for (const k of ['EXPL', 'OUT', 'REASON', 'CORR']) expect(onDisk(k), `${k} on disk before the purge`).toBe(true);
    await s.store.db.updateTable('alerts').set({ received_at: '2020-01-01T00:00:00Z' }).where('id', 'in', [empty, full]).execute();
    const run = (await ctx.call('oversight', 'POST', '/api/retention/run', {})).json();
    expect(run.purged).toEqual(expect.arrayContaining([empty, full]));
    expect(run.decisionsPurged).toBeGreaterThanOrEqual(1);
    expect(await accessRows()).toBe(0);
    // The ref→entry index keeps nothing that points at an erased entry.
    const dangling = await s.store.db.selectFrom('ledger_subjects').innerJoin('ledger_payloads', 'ledger_payloads.idx', 'ledger_subjects.idx').select('ledger_subjects.ref').where('ledger_payloads.erased_at', 'is not', null).execute();
    expect(dangling).toEqual([]);
    // Nothing of it is left in any citizen-data column.
    for (const [table, columns] of citizenTables()) {
      for (const c of columns) {
        const rows = await s.store.db.selectFrom(table as 'alerts').select(sql<string>`CAST(${sql.ref(c)} AS TEXT)`.as('v')).execute();
        for (const k of ['EXPL', 'OUT', 'REASON', 'CORR']) expect(rows.some((r) => String(r.v ?? '').includes(marker(k))), `${table}.${c} still holds ${k}`).toBe(false);
        expect(rows.some((r) => String(r.v ?? '').includes(subject)), `${table}.${c} still holds the subject`).toBe(false);
      }
    }
    // Subject access after the purge reports no decision texts.
    const sa = (await ctx.call('oversight', 'GET', `/api/subjects/${subject}`, undefined, { 'x-purpose': 'request from counsel' })).json();
    expect(JSON.stringify(sa)).not.toContain(marker('REASON'));
    // On SQLite, the file and its WAL hold none of the purged values (secure_delete + WAL truncation).
    if (dialect === 'sqlite') for (const k of ['EXPL', 'OUT', 'REASON', 'CORR']) expect(onDisk(k), `${k} still on disk`).toBe(false);
  });

  it('retention also runs when the server starts', async () => {
    const id = (await ctx.postAlert(400, { subjectRef: 'person:AtStartup0001' })).json().id as string;
    await s.store.db.updateTable('alerts').set({ received_at: '2020-01-01T00:00:00Z' }).where('id', '=', id).execute();
    const again = await buildApp(s.store, { webDist: undefined, keysDir: s.keysDir, logOrigin: 'test.counterweight/log' });
    await again.app.close();
    expect((await s.store.db.selectFrom('alerts').select('purged_at').where('id', '=', id).executeTakeFirstOrThrow()).purged_at).not.toBeNull();
  });

  it('reads are logged before the data leaves: if the access log cannot be written, nothing is sent; auditors see oversight\'s reads', async () => {
    const id = (await ctx.postAlert(500, { subjectRef: 'person:FailClosed001' })).json().id as string;
    const ok = await ctx.call('oversight', 'GET', `/api/alerts/${id}`, undefined, { 'x-purpose': 'complaint investigation' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    // The read is in the access log by the time the response arrived (written before it left).
    const rows = (await as2(auditor, 'GET', '/api/access-log?limit=50')).json() as { actor_id: string; records: string[] }[];
    expect(rows.some((r) => r.actor_id === ctx.as.oversight.id && r.records.includes(`alert:${id}`))).toBe(true);
    expect((await as2(auditor, 'GET', `/api/subjects/person:FailClosed001`, undefined, { 'x-purpose': 'check' })).statusCode).toBe(403);
    // Break the access log: the read must fail closed.
    await s.store.db.schema.alterTable('access_log').renameTo('access_log_broken').execute();
    try {
      const blocked = await ctx.call('oversight', 'GET', `/api/alerts/${id}`, undefined, { 'x-purpose': 'complaint investigation' });
      expect(blocked.statusCode).toBe(503);
      expect(blocked.body).not.toContain('FailClosed001');
      expect(blocked.json().code).toBe('privacy.accessLogFailed');
    } finally {
      await s.store.db.schema.alterTable('access_log_broken').renameTo('access_log').execute();
    }
  });
});

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/accounts/accounts';
import { PERSONAL_DATA, citizenTables } from '../../src/privacy/personal-data';
import { userRef } from '../../src/ledger-service/events';
import { registerBundledSources, registerSource } from '../../src/privacy/sources';
import { buildApp } from '../../src/server/app';
import { activeSystem, type Session } from '../support/active-system';
import { completeRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

/** Every column of every table, as the migrated database has them. */
async function schemaColumns(s: DemoServer): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (s.store.dialect === 'sqlite') {
    const tables = await sql<{
      name: string;
    }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`.execute(
      s.store.db,
    );
    for (const t of tables.rows) {
      const cols = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${t.name})`.execute(s.store.db);
      out.set(t.name, new Set(cols.rows.map((c) => c.name)));
    }
  } else {
    const cols = await sql<{
      table_name: string;
      column_name: string;
    }>`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'`.execute(
      s.store.db,
    );
    for (const c of cols.rows)
      (out.get(c.table_name) ?? out.set(c.table_name, new Set()).get(c.table_name)!).add(c.column_name);
  }
  return out;
}

async function signIn(s: DemoServer, username: string): Promise<Session> {
  const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  return {
    cookie: `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`,
    csrf: r.json().csrfToken,
    id: r.json().id,
  };
}

describe.each(DIALECTS)('citizen data under oversight, for real (%s)', (dialect) => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  let second: Session; // a second oversight officer
  let auditor: Session;
  const as2 = (who: Session, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    s.app.inject({
      method: method as 'POST',
      url,
      payload: payload as object,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, ...headers },
    });

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    ctx = await activeSystem(s);
    await createUser(s.ledger, 'system:test-setup', {
      username: 'oversight-2',
      password: PASSWORD,
      roles: ['oversight'],
      unit: null,
    });
    await createUser(s.ledger, 'system:test-setup', {
      username: 'auditor',
      password: PASSWORD,
      roles: ['auditor'],
      unit: null,
    });
    second = await signIn(s, 'oversight-2');
    auditor = await signIn(s, 'auditor');
  });
  afterAll(async () => s?.close());

  it('the personal-data inventory names every table and column of the schema', async () => {
    const cols = await schemaColumns(s);
    expect([...cols.keys()].sort()).toEqual(Object.keys(PERSONAL_DATA).sort());
    for (const [table, columns] of citizenTables())
      for (const c of columns) expect(cols.get(table)!.has(c), `${table}.${c}`).toBe(true);
  });

  it('walks every GET route: a route whose answer carries a value of any citizen-data column must be marked personal data, with its purposes', async () => {
    const M = 'QQPLANTEDqq';
    const alertId = (
      await ctx.postAlert(600, {
        subjectRef: 'person:Planted00001',
        output: { risk: 0.3, note: `${M}out` },
        inputRefs: ['person:PlantedInput1'],
        explanation: { summary: `${M}expl`, factors: [] },
      })
    ).json().id as string;
    await ctx.call('officer', 'POST', `/api/alerts/${alertId}/decision`, {
      outcome: 'not-acted',
      reasonCode: 'other',
      reasonText: `${M}reason text`,
    });
    await registerBundledSources(s.store, s.ledger);
    const source = (
      await s.store.db.selectFrom('data_sources').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()
    ).id;
    await s.store.db
      .insertInto('datasets')
      .values({
        id: 'ds-planted',
        source,
        file_name: 'planted.csv',
        file_sha256: '0'.repeat(64),
        profile: 'generic',
        src_crs: 'EPSG:4326',
        rows_read: 1,
        rows_imported: 1,
        rows_duplicate: 0,
        imported_by: null,
        started_at: '2026-01-01T00:00:00Z',
        finished_at: '2026-01-01T00:00:00Z',
      })
      .execute();
    await s.store.db
      .insertInto('incidents')
      .values({
        source,
        source_id: 'planted-1',
        dataset_id: 'ds-planted',
        type: 'BURGLARY',
        subtype: `${M}subtype`,
        origin: 'citizen',
        occurred_at: '2026-01-01T00:00:00Z',
        time_precision: 'minute',
        lon: -87.6,
        lat: 41.8,
        x: null,
        y: null,
        src_crs: 'EPSG:4326',
        area: null,
        attrs: JSON.stringify({ note: `${M}attrs` }),
      })
      .execute();
    await s.store.db
      .insertInto('mission_reports')
      .values({
        alert_id: alertId,
        officer_id: ctx.as.officer.id,
        kind: 'outcome',
        detail: JSON.stringify({ stop: `${M}stop` }),
        at: '2026-01-01T00:00:00Z',
        log_index: 0,
        purged_at: null,
      })
      .execute();
    // A read through a personal-data route puts refs into the access log too.
    await ctx.call('oversight', 'GET', `/api/subjects/person:Planted00001`, undefined, {
      'x-purpose': 'subject-access; planted',
    });

    const { routes } = await buildApp(s.store, {
      webDist: undefined,
      keysDir: s.keysDir,
      logOrigin: 'test.counterweight/log',
      retentionAtStart: false,
    });
    const callers: Record<string, Session> = { ...ctx.as, auditor };
    const unmarked: string[] = [];
    for (const r of routes.filter((x) => x.method === 'GET' && x.url !== '/*')) {
      const url = r.url.replace(/:(\w+)/g, (_m, name: string) =>
        name === 'alertId' ? alertId : name === 'ref' ? 'person:Planted00001' : 'x',
      );
      for (const role of r.roles.filter((x) => x in callers)) {
        const headers: Record<string, string> = r.personalData ? { 'x-purpose': `${r.purposes![0]}; route walk` } : {};
        const res = await as2(callers[role], 'GET', url, undefined, headers);
        const leaks = res.body.includes(M) || res.body.includes('person:Planted');
        if (leaks && !r.personalData) unmarked.push(`${role} ${r.method} ${r.url}`);
        if (r.personalData) expect(res.headers['cache-control'], `${r.url} no-store`).toBe('no-store');
      }
    }
    expect(unmarked).toEqual([]);
  });

  it('a purpose is a registered one that the route serves; any other is refused and the attempt logged', async () => {
    const id = (await ctx.postAlert(650, { subjectRef: 'person:PurposeTest01' })).json().id as string;
    for (const bad of ['just curious lol', 'immigration-control', 'alert-review; x', 'crime-analysis']) {
      const r = await ctx.call('oversight', 'GET', `/api/alerts/${id}`, undefined, { 'x-purpose': bad });
      expect(r.statusCode, bad).toBe(400);
      expect(r.body).not.toContain('PurposeTest01');
    }
    // Sensitive routes need one named; elsewhere the route's first purpose is recorded.
    expect((await ctx.call('oversight', 'GET', `/api/subjects/person:PurposeTest01`)).statusCode).toBe(400);
    expect((await ctx.call('supervisor', 'GET', `/api/alerts/${id}`)).statusCode).toBe(200);
    expect(
      (
        await s.store.db
          .selectFrom('access_log')
          .select('purpose')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow()
      ).purpose,
    ).toBe('alert-review');
    const ok = await ctx.call('oversight', 'GET', `/api/alerts/${id}`, undefined, {
      'x-purpose': 'oversight-review; complaint 2026-114',
    });
    expect(ok.statusCode).toBe(200);
    const row = await s.store.db
      .selectFrom('access_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(row.purpose).toBe('oversight-review; complaint 2026-114');
    const refused = await s.store.db
      .selectFrom('access_log')
      .selectAll()
      .where('status', '=', 400)
      .where('purpose', 'like', '(refused)%')
      .execute();
    expect(refused.length).toBeGreaterThanOrEqual(5);
  });

  it('incident points: officers get none; a source narrowed away from a purpose is no longer read for it', async () => {
    await registerBundledSources(s.store, s.ledger);
    expect(
      (await ctx.call('officer', 'GET', '/api/incidents?limit=50000', undefined, { 'x-purpose': 'crime-analysis' }))
        .statusCode,
    ).toBe(403);
    const before = (
      await ctx.call('analyst', 'GET', '/api/incidents?limit=50000', undefined, { 'x-purpose': 'crime-analysis' })
    ).json();
    expect(
      before.features.some((f: { properties: { subtype: string } }) =>
        String(f.properties.subtype).includes('QQPLANTED'),
      ),
    ).toBe(true);
    const src = (
      await s.store.db
        .selectFrom('incidents')
        .select('source')
        .where('source_id', '=', 'planted-1')
        .executeTakeFirstOrThrow()
    ).source;
    const rec = JSON.parse(
      (
        await s.store.db
          .selectFrom('data_sources')
          .select('record')
          .where('id', '=', src)
          .orderBy('version', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow()
      ).record,
    );
    await registerSource(s.store, s.ledger, userRef(ctx.as.admin.id), {
      ...rec,
      purposes: rec.purposes.filter((x: string) => x !== 'crime-analysis'),
      additionalBases: [],
    });
    const after = (
      await ctx.call('analyst', 'GET', '/api/incidents?limit=50000', undefined, { 'x-purpose': 'crime-analysis' })
    ).json();
    expect(after.features.some((f: { properties: { source: string } }) => f.properties.source === src)).toBe(false);
    const named = await ctx.call('analyst', 'GET', `/api/incidents?source=${src}`, undefined, {
      'x-purpose': 'crime-analysis',
    });
    expect(named.statusCode).toBe(403);
    expect(
      (
        await s.store.db
          .selectFrom('ledger_payloads')
          .select('type')
          .where('type', '=', 'privacy.purpose-refused')
          .execute()
      ).length,
    ).toBeGreaterThan(0);
  });

  it("a vendor system names a registered source for every data source, allowed for its declared use, or it cannot go live; narrowing a live system's source stops its intake", async () => {
    await registerBundledSources(s.store, s.ledger);
    const base = completeRecord();
    const feed = {
      name: 'Vendor camera feed',
      provenance: 'street cameras',
      legalBasis: 'Police duties act',
      consent: 'not applicable',
    };
    // A data source given only by name: purpose limitation would be opt-in.
    await expect(activeSystem(s, 'Unnamed-source analytics', { ...base, dataSources: [feed] })).rejects.toThrow(
      /names no registered source/,
    );
    // A source id that is not in the register.
    await expect(
      activeSystem(s, 'Unknown-source analytics', { ...base, dataSources: [{ ...feed, sourceId: 'no-such-source' }] }),
    ).rejects.toThrow(/not in the data-source register/);
    // No declared use: the gate does not guess one.
    const { usePurpose: _omit, ...noUse } = { ...base, dataSources: [{ ...feed, sourceId: 'nij-portland' }] } as Record<
      string,
      unknown
    >;
    await expect(activeSystem(s, 'Undeclared-use analytics', noUse)).rejects.toThrow(/use purpose/);
    // A registered source whose purposes exclude the system's use.
    await registerSource(s.store, s.ledger, userRef(ctx.as.admin.id), {
      id: 'vendor-cams',
      name: 'Vendor street cameras',
      provenance: 'vendor cameras',
      collectingBody: 'District 1',
      legalBasis: 'Police duties act',
      consentStatus: 'not applicable',
      personalDataCategories: ['images'],
      purposes: ['public-statistics'],
      retentionDays: 30,
      sharingAgreements: [],
    });
    await expect(
      activeSystem(s, 'Excluded-use analytics', {
        ...base,
        usePurpose: 'crime-analysis',
        dataSources: [{ ...feed, sourceId: 'vendor-cams' }],
      }),
    ).rejects.toThrow(/vendor-cams/);
    // Allowed: goes live and its alerts are taken; then the source is narrowed and intake stops.
    await registerSource(s.store, s.ledger, userRef(ctx.as.admin.id), {
      id: 'vendor-cams-2',
      name: 'Vendor street cameras 2',
      provenance: 'vendor cameras',
      collectingBody: 'District 1',
      legalBasis: 'Police duties act',
      consentStatus: 'not applicable',
      personalDataCategories: ['images'],
      purposes: ['crime-analysis', 'public-statistics'],
      retentionDays: 30,
      sharingAgreements: [],
    });
    const live = await activeSystem(s, 'Allowed-use analytics', {
      ...base,
      usePurpose: 'crime-analysis',
      dataSources: [{ ...feed, sourceId: 'vendor-cams-2' }],
    });
    expect((await live.postAlert(1)).statusCode).toBe(201);
    await registerSource(s.store, s.ledger, userRef(ctx.as.admin.id), {
      id: 'vendor-cams-2',
      name: 'Vendor street cameras 2',
      provenance: 'vendor cameras',
      collectingBody: 'District 1',
      legalBasis: 'Police duties act',
      consentStatus: 'not applicable',
      personalDataCategories: ['images'],
      purposes: ['public-statistics'],
      retentionDays: 30,
      sharingAgreements: [],
    });
    const refused = await live.postAlert(2);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/vendor-cams-2/);
    expect(refused.json().code).toBe('sources.intakeRefused');
    const stored = await s.store.db.selectFrom('alerts').select('id').where('system_id', '=', live.systemId).execute();
    expect(stored).toHaveLength(1);
  });

  it('a legal hold needs two people, matches every ref a record carries, refuses a ref that matches nothing, and is listed', async () => {
    const byAlert = (await ctx.postAlert(100, { subjectRef: 'person:HoldByAlert01' })).json().id as string;
    const byInput = (
      await ctx.postAlert(101, { subjectRef: 'person:Unrelated0001', inputRefs: ['person:OnlyAnInput01'] })
    ).json().id as string;
    const free = (await ctx.postAlert(102, { subjectRef: 'person:NotHeld000001' })).json().id as string;
    // A ref nothing carries is refused: it would protect nothing.
    const nothing = await ctx.call('oversight', 'POST', '/api/legal-holds', {
      subjectRef: 'person:NobodyAtAll01',
      reason: 'pending litigation',
    });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.json().code).toBe('privacy.holdMatchesNothing');
    const placed = await ctx.call('oversight', 'POST', '/api/legal-holds', {
      subjectRef: `alert:${byAlert}`,
      reason: 'evidence in a court case',
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const h1 = placed.json().id as number;
    const h2 = (
      await ctx.call('oversight', 'POST', '/api/legal-holds', {
        subjectRef: 'person:OnlyAnInput01',
        reason: 'evidence in a court case',
      })
    ).json().id as number;
    // The one who asked cannot confirm it.
    const self = await ctx.call('oversight', 'POST', `/api/legal-holds/${h1}/confirm`, {
      confirm: true,
      reason: 'confirm',
    });
    expect(self.statusCode, self.body).toBe(403);
    for (const id of [h1, h2])
      expect(
        (
          await as2(second, 'POST', `/api/legal-holds/${id}/confirm`, { confirm: true, reason: 'court order seen' })
        ).json().status,
      ).toBe('active');
    const list = (await as2(auditor, 'GET', '/api/legal-holds')).json() as {
      id: number;
      status: string;
      alertsHeld: number;
      confirmedBy: string;
    }[];
    expect(list.find((h) => h.id === h1)).toMatchObject({ status: 'active', alertsHeld: 1, confirmedBy: second.id });
    expect(list.find((h) => h.id === h2)).toMatchObject({ status: 'active', alertsHeld: 1 });

    await s.store.db
      .updateTable('alerts')
      .set({ received_at: '2020-01-01T00:00:00Z' })
      .where('id', 'in', [byAlert, byInput, free])
      .execute();
    const run = (await ctx.call('oversight', 'POST', '/api/retention/run', {})).json();
    expect(run.held.sort()).toEqual([byAlert, byInput].sort());
    expect(run.purged).toContain(free);

    // Lifting: asked by one, still in force, confirmed by another.
    expect(
      (await ctx.call('oversight', 'POST', `/api/legal-holds/${h1}/lift`, { reason: 'case closed' })).statusCode,
    ).toBe(200);
    expect(
      (await ctx.call('oversight', 'POST', `/api/legal-holds/${h1}/lift/confirm`, { reason: 'case closed' }))
        .statusCode,
    ).toBe(403);
    expect((await ctx.call('oversight', 'POST', '/api/retention/run', {})).json().held).toContain(byAlert);
    expect(
      (await as2(second, 'POST', `/api/legal-holds/${h1}/lift/confirm`, { reason: 'judgment final' })).json().status,
    ).toBe('lifted');
    const after = (await ctx.call('oversight', 'POST', '/api/retention/run', {})).json();
    expect(after.purged).toEqual([byAlert]);
    expect(after.held).toEqual([byInput]);
    // Holds are not readable or placeable by other roles.
    expect((await ctx.call('officer', 'GET', '/api/legal-holds')).statusCode).toBe(403);
    expect(
      (await as2(auditor, 'POST', '/api/legal-holds', { subjectRef: 'person:NotHeld000001', reason: 'x x x' }))
        .statusCode,
    ).toBe(403);
  });

  it('subject access returns every alert that names the person (subject, inputs, output, explanation) and everything on them', async () => {
    const ref = 'person:SubjectAccess1';
    const ids = [
      (await ctx.postAlert(200, { subjectRef: ref })).json().id,
      (await ctx.postAlert(201, { subjectRef: 'person:Somebody00001', inputRefs: [ref] })).json().id,
      (await ctx.postAlert(202, { output: { risk: 0.4, note: `seen with ${ref}` } })).json().id,
      (
        await ctx.postAlert(203, {
          explanation: {
            summary: 'seen with another person',
            factors: [{ name: 'co-presence', detail: `with ${ref}` }],
          },
        })
      ).json().id,
    ] as string[];
    await ctx.postAlert(204, { subjectRef: 'person:SubjectAccess12' }); // a longer ref that starts the same is someone else
    const r = await ctx.call('oversight', 'GET', `/api/subjects/${ref}`, undefined, {
      'x-purpose': 'subject-access; request from counsel',
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect((r.json().alerts as { id: string }[]).map((a) => a.id).sort()).toEqual([...ids].sort());
  });

  it('retention purges every citizen-data table by age and state, also alerts with an empty output, and the disk keeps none of it', async () => {
    const marker = (k: string) => `ZQXMARK${k}${dialect}`;
    const subject = `person:Purge${dialect}Subj1`;
    const emptyRes = await ctx.postAlert(300, {
      subjectRef: subject,
      explanation: { summary: marker('EXPL'), factors: [] },
    });
    expect(emptyRes.statusCode, emptyRes.body).toBe(201);
    const empty = emptyRes.json().id as string;
    // An alert whose output is empty (a vendor schema that requires nothing): the old purge took `{}` for "already purged".
    await s.store.db.updateTable('alerts').set({ output: '{}' }).where('id', '=', empty).execute();
    const full = (
      await ctx.postAlert(301, {
        subjectRef: subject,
        output: { risk: 0.5, note: marker('OUT') },
        inputRefs: [`person:Purge${dialect}Input`],
      })
    ).json().id as string;
    const decided = await ctx.call('officer', 'POST', `/api/alerts/${full}/decision`, {
      outcome: 'acted',
      reasonCode: 'confirmed-on-scene',
      reasonText: `approached ${marker('REASON')}`,
      enforcementAction: 'stop',
      corroboration: { kind: 'officer-observation', description: `saw it myself ${marker('CORR')}` },
    });
    expect(decided.statusCode, decided.body).toBe(201);
    // Oversight reads the person's record: the access log now names them.
    expect(
      (
        await ctx.call('oversight', 'GET', `/api/subjects/${subject}`, undefined, {
          'x-purpose': 'subject-access; request from counsel',
        })
      ).statusCode,
    ).toBe(200);
    // Records name the person by the server's pseudonym (the raw reference lives only in subject_pseudonyms).
    const pseudonym = s.pseudonyms.of(subject);
    const accessRows = async () =>
      (await s.store.db.selectFrom('access_log').select('records').execute()).filter((r) =>
        r.records.includes(pseudonym),
      ).length;
    expect(await accessRows()).toBeGreaterThan(0);

    const onDisk = (k: string) =>
      [s.dbFile, `${s.dbFile}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(marker(k))));
    // The values are on disk before the purge (so the check after it means something).
    if (dialect === 'sqlite')
      for (const k of ['EXPL', 'OUT', 'REASON', 'CORR']) expect(onDisk(k), `${k} on disk before the purge`).toBe(true);
    await s.store.db
      .updateTable('alerts')
      .set({ received_at: '2020-01-01T00:00:00Z' })
      .where('id', 'in', [empty, full])
      .execute();
    const run = (await ctx.call('oversight', 'POST', '/api/retention/run', {})).json();
    expect(run.purged).toEqual(expect.arrayContaining([empty, full]));
    expect(run.decisionsPurged).toBeGreaterThanOrEqual(1);
    expect(await accessRows()).toBe(0);
    // The ref→entry index keeps nothing that points at an erased entry.
    const dangling = await s.store.db
      .selectFrom('ledger_subjects')
      .innerJoin('ledger_payloads', 'ledger_payloads.idx', 'ledger_subjects.idx')
      .select('ledger_subjects.ref')
      .where('ledger_payloads.erased_at', 'is not', null)
      .execute();
    expect(dangling).toEqual([]);
    // Nothing of it is left in any citizen-data column.
    for (const [table, columns] of citizenTables()) {
      for (const c of columns) {
        const rows = await s.store.db
          .selectFrom(table as 'alerts')
          .select(sql<string>`CAST(${sql.ref(c)} AS TEXT)`.as('v'))
          .execute();
        for (const k of ['EXPL', 'OUT', 'REASON', 'CORR'])
          expect(
            rows.some((r) => String(r.v ?? '').includes(marker(k))),
            `${table}.${c} still holds ${k}`,
          ).toBe(false);
        expect(
          rows.some((r) => String(r.v ?? '').includes(subject)),
          `${table}.${c} still holds the subject`,
        ).toBe(false);
        expect(
          rows.some((r) => String(r.v ?? '').includes(pseudonym)),
          `${table}.${c} still holds the subject's pseudonym`,
        ).toBe(false);
      }
    }
    // Subject access after the purge reports no decision texts.
    const sa = (
      await ctx.call('oversight', 'GET', `/api/subjects/${subject}`, undefined, {
        'x-purpose': 'subject-access; request from counsel',
      })
    ).json();
    expect(JSON.stringify(sa)).not.toContain(marker('REASON'));
    // On SQLite, the file and its WAL hold none of the purged values (secure_delete + WAL truncation).
    if (dialect === 'sqlite')
      for (const k of ['EXPL', 'OUT', 'REASON', 'CORR']) expect(onDisk(k), `${k} still on disk`).toBe(false);
  });

  it('retention also runs when the server starts', async () => {
    const id = (await ctx.postAlert(400, { subjectRef: 'person:AtStartup0001' })).json().id as string;
    await s.store.db.updateTable('alerts').set({ received_at: '2020-01-01T00:00:00Z' }).where('id', '=', id).execute();
    const again = await buildApp(s.store, {
      webDist: undefined,
      keysDir: s.keysDir,
      logOrigin: 'test.counterweight/log',
    });
    await again.app.close();
    expect(
      (await s.store.db.selectFrom('alerts').select('purged_at').where('id', '=', id).executeTakeFirstOrThrow())
        .purged_at,
    ).not.toBeNull();
  });

  it("reads are logged before the data leaves: if the access log cannot be written, nothing is sent; auditors see oversight's reads", async () => {
    const id = (await ctx.postAlert(500, { subjectRef: 'person:FailClosed001' })).json().id as string;
    const ok = await ctx.call('oversight', 'GET', `/api/alerts/${id}`, undefined, {
      'x-purpose': 'oversight-review; complaint investigation',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    // The read is in the access log by the time the response arrived (written before it left).
    const rows = (await as2(auditor, 'GET', '/api/access-log?limit=50')).json() as {
      actor_id: string;
      records: string[];
    }[];
    expect(rows.some((r) => r.actor_id === ctx.as.oversight.id && r.records.includes(`alert:${id}`))).toBe(true);
    expect(
      (await as2(auditor, 'GET', `/api/subjects/person:FailClosed001`, undefined, { 'x-purpose': 'check' })).statusCode,
    ).toBe(403);
    // Break the access log: the read must fail closed.
    await s.store.db.schema.alterTable('access_log').renameTo('access_log_broken').execute();
    try {
      const blocked = await ctx.call('oversight', 'GET', `/api/alerts/${id}`, undefined, {
        'x-purpose': 'oversight-review; complaint investigation',
      });
      expect(blocked.statusCode).toBe(503);
      expect(blocked.body).not.toContain('FailClosed001');
      expect(blocked.json().code).toBe('privacy.accessLogFailed');
    } finally {
      await s.store.db.schema.alterTable('access_log_broken').renameTo('access_log').execute();
    }
  });
});

describe.each(DIALECTS)('the pseudonym secret is never silently replaced (%s)', (dialect) => {
  it('refuses to start when pseudonyms are stored and the secret is missing or another one, and creates none', async () => {
    const s = await startDemoServer({ demo: false, dialect });
    try {
      const ctx = await activeSystem(s);
      expect((await ctx.postAlert(1, { subjectRef: 'person:SecretGuard001' })).statusCode).toBe(201);
      // The log's keys, but not the pseudonym secret: a wrong or half-restored CW_KEYS_DIR.
      const elsewhere = mkdtempSync(join(tmpdir(), 'cw-keys-'));
      cpSync(s.keysDir, elsewhere, { recursive: true });
      rmSync(join(elsewhere, 'pseudonym.secret'));
      await expect(
        buildApp(s.store, { webDist: undefined, keysDir: elsewhere, logOrigin: 'test.counterweight/log' }),
      ).rejects.toThrow(join(elsewhere, 'pseudonym.secret'));
      expect(existsSync(join(elsewhere, 'pseudonym.secret'))).toBe(false);
      // Another installation's secret would mint other pseudonyms for the same people.
      writeFileSync(join(elsewhere, 'pseudonym.secret'), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      await expect(
        buildApp(s.store, { webDist: undefined, keysDir: elsewhere, logOrigin: 'test.counterweight/log' }),
      ).rejects.toThrow(/did not mint/);
      rmSync(elsewhere, { recursive: true, force: true });
    } finally {
      await s.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVerifier } from '../../src/ledger/keys';
import { verifyTlogProof } from '../../src/ledger/proof';
import { receiptFor } from '../../src/ledger-service/ledger';
import { buildApp } from '../../src/server/app';
import { createUser } from '../../src/accounts/accounts';
import { activeSystem } from '../support/active-system';
import { completeRecord } from '../support/register-fixtures';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';

describe('citizen data under oversight', () => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  const alertIds: string[] = [];
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    ctx = await activeSystem(s);
    for (let i = 0; i < 3; i++)
      alertIds.push(
        (await ctx.postAlert(i, { subjectRef: i < 2 ? 'person:Ab12Cd34Ef' : 'person:Zz98Yy76Xx' })).json().id,
      );
  });
  afterAll(async () => s?.close());

  it('walks the route table: every personal-data route writes an access-log entry naming who, what and why', async () => {
    const { routes } = await buildApp(s.store, { webDist: undefined, keysDir: s.keysDir });
    const personal = routes.filter((r) => r.personalData);
    expect(personal.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /api/access-log',
      'GET /api/alerts/:alertId',
      'GET /api/alerts/:alertId/disclosure',
      'GET /api/incidents',
      'GET /api/incidents/clusters',
      'GET /api/legal-holds',
      'GET /api/missions',
      'GET /api/missions/:alertId/dosage',
      'GET /api/review/queue',
      'GET /api/subjects/:ref',
      'POST /api/patrol/pings',
    ]);
    // Officers' location data (pings in, dosage out) is walked in test/integration/patrol.test.ts, on a patrol mission; missions in unit-scope.test.ts;
    // incident points, the access log and holds in citizen-data.test.ts.
    for (const r of personal.filter((x) => !/patrol|missions|incidents|access-log|legal-holds/.test(x.url))) {
      const who = r.roles.includes('oversight') ? 'oversight' : r.roles.includes('officer') ? 'officer' : r.roles[0];
      const url = r.url.replace(':alertId', alertIds[0]).replace(':ref', 'person:Ab12Cd34Ef');
      const before = (await s.store.db.selectFrom('access_log').selectAll().execute()).length;
      const res = await s.app.inject({
        method: r.method as 'GET',
        url,
        headers: { cookie: ctx.as[who].cookie, 'x-purpose': `${r.purposes![0]}; audit of route table` },
      });
      expect(res.statusCode, `${r.method} ${r.url}: ${res.body.slice(0, 200)}`).toBe(200);
      // Written after the response is sent: wait for it.
      await expect
        .poll(async () => (await s.store.db.selectFrom('access_log').selectAll().execute()).length, { timeout: 5000 })
        .toBe(before + 1);
      const after = await s.store.db.selectFrom('access_log').selectAll().orderBy('id', 'desc').execute();
      expect(after[0]).toMatchObject({
        actor_id: ctx.as[who].id,
        route: `${r.method} ${r.url}`,
        purpose: `${r.purposes![0]}; audit of route table`,
        status: 200,
      });
      expect(JSON.parse(after[0].records).length).toBeGreaterThan(0);
    }
    const logged = (
      await s.store.db.selectFrom('ledger_payloads').select('type').where('type', '=', 'access.read').execute()
    ).length;
    expect(logged).toBeGreaterThanOrEqual(3);
  });

  it('subject access: oversight only, with a stated purpose, returns alerts, decisions, log entries and reads', async () => {
    expect((await ctx.call('officer', 'GET', '/api/subjects/person:Ab12Cd34Ef')).statusCode).toBe(403);
    expect((await ctx.call('oversight', 'GET', '/api/subjects/person:Ab12Cd34Ef')).statusCode).toBe(400);
    const r = await ctx.call('oversight', 'GET', '/api/subjects/person:Ab12Cd34Ef', undefined, {
      'x-purpose': 'subject-access; request from counsel',
    });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.alerts.map((a: { id: string }) => a.id).sort()).toEqual(alertIds.slice(0, 2).sort());
    expect(body.logEntries.filter((e: { type: string }) => e.type === 'ai.output')).toHaveLength(2);
    expect(body.accessLog.length).toBeGreaterThan(0);
    expect(
      (await ctx.call('oversight', 'GET', '/api/subjects/Jane%20Doe', undefined, { 'x-purpose': 'x request' }))
        .statusCode,
    ).toBe(400);
  });

  it('retention purges personal data past the period through tombstones, proofs still verify, and a legal hold prevents the purge', async () => {
    const held = await ctx.call('oversight', 'POST', '/api/legal-holds', {
      subjectRef: 'person:Zz98Yy76Xx',
      reason: 'pending litigation',
    });
    expect(held.statusCode).toBe(201);
    await s.store.db.updateTable('alerts').set({ received_at: '2020-01-01T00:00:00Z' }).execute(); // past the 730-day retention
    const idx = (
      await s.store.db.selectFrom('alerts').select('log_index').where('id', '=', alertIds[0]).executeTakeFirstOrThrow()
    ).log_index;
    const receipt = await receiptFor(s.store.db, idx);
    const run = await ctx.call('oversight', 'POST', '/api/retention/run', {});
    expect(run.statusCode).toBe(200);
    expect(run.json().purged.sort()).toEqual(alertIds.slice(0, 2).sort());
    expect(run.json().held).toEqual([alertIds[2]]);
    const purged = await s.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', alertIds[0])
      .executeTakeFirstOrThrow();
    expect(purged.subject_ref).toBeNull();
    expect(purged.kind).toBe('cctv-detection'); // aggregates survive
    const payload = await s.store.db
      .selectFrom('ledger_payloads')
      .selectAll()
      .where('idx', '=', idx)
      .executeTakeFirstOrThrow();
    expect(payload.payload).toBeNull();
    const policy = { origin: s.ledger.origin, logVerifiers: s.ledger.keys.verifierKeys.map(newVerifier) };
    verifyTlogProof(receipt, policy);
    verifyTlogProof(await receiptFor(s.store.db, idx), policy);
    const kept = await s.store.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', alertIds[2])
      .executeTakeFirstOrThrow();
    // Kept under the server's pseudonym, never the reference the vendor sent (alert-intake.test.ts).
    expect(kept.subject_ref).toMatch(/^pseud:[0-9a-f]{64}$/);
    // Incidents past their source's retention period lose the precise point; the area-level record stays.
    expect(run.json().incidentsCoarsened).toEqual({}); // the demo data is younger than 3,650 days
    // Lifting the hold (asked by one oversight officer, confirmed by another) lets the next run purge it.
    await createUser(s.ledger, 'system:test-setup', {
      username: 'oversight-b',
      password: PASSWORD,
      roles: ['oversight'],
      unit: null,
    });
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'oversight-b', password: PASSWORD },
    });
    const b = {
      cookie: `cw_session=${login.cookies.find((c) => c.name === 'cw_session')!.value}`,
      'x-csrf-token': login.json().csrfToken,
    };
    expect(
      (
        await s.app.inject({
          method: 'POST',
          url: `/api/legal-holds/${held.json().id}/confirm`,
          headers: b,
          payload: { confirm: true, reason: 'court order seen' },
        })
      ).statusCode,
    ).toBe(200);
    await ctx.call('oversight', 'POST', `/api/legal-holds/${held.json().id}/lift`, { reason: 'case closed' });
    expect(
      (
        await s.app.inject({
          method: 'POST',
          url: `/api/legal-holds/${held.json().id}/lift/confirm`,
          headers: b,
          payload: { reason: 'case closed' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await ctx.call('oversight', 'POST', '/api/retention/run', {})).json().purged).toEqual([alertIds[2]]);
  });

  it('the access review flags a person reading records outside their unit', async () => {
    await s.store.db.updateTable('alerts').set({ unit: 'district-9' }).where('id', '=', alertIds[1]).execute();
    await s.app.inject({ url: `/api/alerts/${alertIds[1]}`, headers: { cookie: ctx.as.supervisor.cookie } });
    // The access-log write happens after the response is sent: wait for it.
    const supervisorEntry = () =>
      ctx
        .call('oversight', 'GET', '/api/access-log/review')
        .then((r) => r.json().people.find((p: { actorId: string }) => p.actorId === ctx.as.supervisor.id));
    await expect.poll(supervisorEntry).toBeDefined();
    const sup = await supervisorEntry();
    expect(sup.outsideUnit).toBe(1);
    expect(sup.flagged).toBe(true);
    expect(sup.reasons.join()).toMatch(/outside their unit/);
  });
});

describe('incident retention by source', () => {
  it("coarsens incidents past their source's retention period and keeps them for area-level audits", async () => {
    const s = await startDemoServer({ demo: true });
    try {
      const ctx = await activeSystem(s);
      await ctx.call('oversight', 'POST', '/api/sources', {
        ...JSON.parse((await import('node:fs')).readFileSync('config/sources/chicago-data-portal.json', 'utf8')),
        retentionDays: 365 * 8,
      });
      const before = await s.store.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('occurred_at', '<', new Date(Date.now() - 365 * 8 * 86_400_000).toISOString())
        .executeTakeFirstOrThrow();
      expect(Number(before.n)).toBeGreaterThan(0); // 2017–2018 incidents are older than 8 years on this date
      const run = (await ctx.call('oversight', 'POST', '/api/retention/run', {})).json();
      expect(run.incidentsCoarsened['chicago-data-portal']).toBe(Number(before.n));
      const old = await s.store.db
        .selectFrom('incidents')
        .selectAll()
        .where('attrs', '=', '{"purged":"retention"}')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(old.x).toBeNull();
      expect(old.subtype).toBeNull();
      expect(Math.abs(old.lon * 100 - Math.round(old.lon * 100))).toBeLessThan(1e-6); // rounded to 0.01° (~1 km)
      expect(Math.abs(old.lat * 100 - Math.round(old.lat * 100))).toBeLessThan(1e-6);
      expect(old.area).not.toBeNull();
      expect(
        Number(
          (
            await s.store.db
              .selectFrom('incidents')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ).toBe(25_000);
    } finally {
      await s.close();
    }
  });
});

describe('purpose limitation', () => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  const biometrics = {
    id: 'immigration-biometrics',
    name: 'Border-control face images',
    provenance: 'collected at airports for entry checks',
    collectingBody: 'Immigration service',
    legalBasis: 'Immigration Act art. 12',
    consentStatus: 'no consent collected',
    personalDataCategories: ['facial images'],
    purposes: ['immigration-control'],
    retentionDays: 365,
    sharingAgreements: [],
  };
  beforeAll(async () => {
    s = await startDemoServer({ demo: true });
    ctx = await activeSystem(s);
  });
  afterAll(async () => s?.close());

  it('the source register is public, and imports must name a registered source that allows crime analysis', async () => {
    const list = (await s.app.inject({ url: '/api/sources' })).json();
    expect(list.map((x: { id: string }) => x.id)).toEqual(
      expect.arrayContaining(['chicago-data-portal', 'nij-portland', 'houston-pd']),
    );
    // Structured redaction: the field is withheld with its reason; what the source may be used for never is.
    expect(
      (
        await ctx.call('oversight', 'POST', '/api/sources/houston-pd/redactions', {
          field: 'provenance',
          legalReason: 'ongoing procurement',
          expiresAt: '2099-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await ctx.call('oversight', 'POST', '/api/sources/houston-pd/redactions', {
          field: 'purposes',
          legalReason: 'x',
          expiresAt: '2099-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(400);
    const houston = (await s.app.inject({ url: '/api/sources' }))
      .json()
      .find((x: { id: string }) => x.id === 'houston-pd');
    expect(houston.provenance).toMatchObject({ redacted: true, legalReason: 'ongoing procurement' });
    expect(houston.purposes).toContain('crime-analysis');
    const head =
      'id,date,primary_type,description,latitude,longitude,community_area,arrest\n1,1/2/2018 10:00,THEFT,x,41.8,-87.6,1,false\n';
    const unregistered = await ctx.call('analyst', 'POST', '/api/imports?profile=chicago&source=mystery-feed', head, {
      'content-type': 'text/csv',
    });
    expect(unregistered.statusCode).toBe(409);
    expect(unregistered.json().detail).toMatch(/not registered/);
    expect((await ctx.call('oversight', 'POST', '/api/sources', biometrics)).statusCode).toBe(201);
    const misuse = await ctx.call(
      'analyst',
      'POST',
      '/api/imports?profile=chicago&source=immigration-biometrics',
      head,
      { 'content-type': 'text/csv' },
    );
    expect(misuse.statusCode).toBe(403);
    expect(misuse.json().detail).toMatch(
      /collected for immigration-control; using it for crime-analysis needs a recorded legal basis/,
    );
    await s.ledger.drain();
    const refusals = await s.store.db
      .selectFrom('ledger_payloads')
      .select('payload')
      .where('type', '=', 'privacy.purpose-refused')
      .execute();
    expect(refusals).toHaveLength(2);
    expect(refusals.map((r) => JSON.parse(r.payload!).sourceId).sort()).toEqual([
      'immigration-biometrics',
      'mystery-feed',
    ]);
  });

  it('an AI system naming a source for a purpose it was not collected for cannot go live, until a legal basis is recorded', async () => {
    const record = {
      ...completeRecord(),
      usePurpose: 'crime-analysis',
      dataSources: [
        {
          name: 'faces',
          provenance: 'border',
          legalBasis: 'Immigration Act',
          consent: 'none',
          sourceId: 'immigration-biometrics',
        },
      ],
    };
    const id = (
      await ctx.call('system-owner', 'POST', '/api/systems', { name: 'Face matching for patrols', record })
    ).json().systemId;
    const ws = (await ctx.call('system-owner', 'GET', `/api/systems/${id}/workspace`)).json();
    expect(ws.gate.problems.join('\n')).toMatch(
      /data source immigration-biometrics may not be used for crime-analysis: source immigration-biometrics was collected for immigration-control/,
    );
    // A new version of the source record with a recorded legal basis for this purpose lifts that refusal:
    // widening cannot be registered directly, and needs a second person to approve the proposal.
    const widened = {
      ...biometrics,
      additionalBases: [
        { purpose: 'crime-analysis', basis: 'Court order 2026-77 (serious crime only)', decidedBy: 'District court' },
      ],
    };
    const direct = await ctx.call('admin', 'POST', '/api/sources', widened);
    expect(direct.statusCode).toBe(409);
    expect(direct.json().code).toBe('privacy.sourceWidening');
    expect(
      (await ctx.call('admin', 'POST', '/api/sources/proposals', { record: widened, legalBasis: 'x' })).statusCode,
    ).toBe(400);
    const proposal = await ctx.call('admin', 'POST', '/api/sources/proposals', {
      record: widened,
      legalBasis: 'Court order 2026-77 of the district court',
    });
    expect(proposal.statusCode, proposal.body).toBe(202);
    expect(proposal.json().adds).toEqual(['crime-analysis']);
    // Until approved, nothing changed; the proposer cannot approve their own proposal.
    expect(
      (await ctx.call('system-owner', 'GET', `/api/systems/${id}/workspace`)).json().gate.problems.join('\n'),
    ).toMatch(/data source immigration-biometrics/);
    expect(
      (
        await ctx.call('admin', 'POST', `/api/sources/proposals/${proposal.json().proposalId}/decision`, {
          approve: true,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await ctx.call('oversight', 'POST', `/api/sources/proposals/${proposal.json().proposalId}/decision`, {
          approve: true,
        })
      ).json().status,
    ).toBe('approved');
    const ws2 = (await ctx.call('system-owner', 'GET', `/api/systems/${id}/workspace`)).json();
    expect(ws2.gate.problems.join('\n')).not.toMatch(/data source/);
    expect((await s.app.inject({ url: '/api/sources/immigration-biometrics' })).json()).toHaveLength(2);
  });
});

describe('private public statistics', () => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    s = await startDemoServer({ demo: true });
    ctx = await activeSystem(s);
  });
  afterAll(async () => s?.close());

  it('publishes noisy counts with margins, suppresses small cells, and records the budget in the log', async () => {
    expect((await ctx.call('analyst', 'POST', '/api/statistics/releases', { epsilonPerTable: 0.5 })).statusCode).toBe(
      403,
    );
    const r = await ctx.call('oversight', 'POST', '/api/statistics/releases', {
      epsilonPerTable: 0.5,
      suppressBelow: 10,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().epsilonTotal).toBe(1.5); // three tables × 0.5
    const rel = (await s.app.inject({ url: `/api/statistics/releases/${r.json().id}` })).json();
    const inc = rel.tables.find((t: { name: string }) => t.name === 'incidents-by-area-month-origin');
    // True counts, to compare against: the noise must stay within the published 95% margin for most cells.
    const truth = new Map(
      (await s.store.db.selectFrom('incidents').select(['area', 'origin', 'occurred_at']).execute()).reduce((m, x) => {
        const k = `${x.area}|${x.occurred_at.slice(0, 7)}|${x.origin}`;
        m.set(k, (m.get(k) ?? 0) + 1);
        return m;
      }, new Map<string, number>()),
    );
    const shown = inc.cells.filter((c: { suppressed: boolean }) => !c.suppressed);
    expect(shown.length).toBeGreaterThan(100);
    const within = shown.filter(
      (c: { key: Record<string, string>; count: number }) =>
        Math.abs(c.count - truth.get(`${c.key.area}|${c.key.month}|${c.key.origin}`)!) <= inc.margin95,
    ).length;
    expect(within / shown.length).toBeGreaterThan(0.9);
    expect(
      inc.cells
        .filter((c: { suppressed: boolean; count: number | null }) => c.suppressed)
        .every((c: { count: number | null }) => c.count === null),
    ).toBe(true);
    await s.ledger.drain();
    const entry = await s.store.db
      .selectFrom('ledger_payloads')
      .select('payload')
      .where('type', '=', 'statistics.release')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.payload!)).toMatchObject({
      epsilonTotal: 1.5,
      tables: [{ epsilon: 0.5, suppressBelow: 10 }, { epsilon: 0.5 }, { name: 'outcomes-by-kind-month-group' }],
    });
    expect((await s.app.inject({ url: '/api/statistics/releases' })).json()[0].epsilonTotal).toBe(1.5);
  });
});

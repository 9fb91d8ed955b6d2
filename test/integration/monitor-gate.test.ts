/**
 * Gates issue 15.3, attacked on both databases: the monitor's data and the pause must hold.
 *  - outcome data only from a source the monitoring plan names, through a key oversight authorised;
 *    a flood of balanced rows cannot hide a breach (unauthorised: refused; resent ids: no-ops);
 *  - a pause leaves no queued alert that can still lead to enforcement;
 *  - a resume records what was done and starts a new observation window; a new breach pauses again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/accounts';
import { activeSystem } from '../support/active-system';
import { completeRecord } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const today = new Date().toISOString().slice(0, 10);

/** `n` rows alternating groups A and B with the given (count, denominator) each, ids `${prefix}-i`. */
function rows(prefix: string, n: number, a: [number, number], b: [number, number]) {
  return Array.from({ length: n }, (_, i) => ({
    recordId: `${prefix}-${i}`,
    kind: 'stop',
    group: i % 2 ? 'B' : 'A',
    count: (i % 2 ? b : a)[0],
    denominator: (i % 2 ? b : a)[1],
  }));
}

describe.each(DIALECTS)('monitor data and the pause on %s (issue 15.3)', (dialect) => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  let agencyKey = '';
  let strayKey = '';
  const post = (key: string, body: unknown) =>
    s.app.inject({
      method: 'POST',
      url: `/api/systems/${ctx.systemId}/outcomes`,
      headers: { authorization: `Bearer ${key}` },
      payload: body as object,
    });
  const outcomeRows = async () =>
    Number(
      (
        await s.store.db
          .selectFrom('outcomes')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('system_id', '=', ctx.systemId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const run = async () =>
    (await ctx.call('oversight', 'POST', '/api/monitors/run', {}))
      .json()
      .find((r: { systemId: string }) => r.systemId === ctx.systemId);
  let queued: string[] = [];

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    ctx = await activeSystem(s, 'CCTV analytics (vendor Y)', {
      ...completeRecord(),
      outcomeSources: [{ sourceId: 'agency-stops' }],
    });
    const src = {
      id: 'agency-stops',
      name: 'Agency stop records',
      provenance: 'records management system, nightly export',
      collectingBody: 'the agency',
      legalBasis: 'police records act',
      consentStatus: 'not applicable (public task)',
      personalDataCategories: [],
      purposes: ['fairness-audit'],
      retentionDays: 3650,
      sharingAgreements: [],
    };
    expect((await ctx.call('oversight', 'POST', '/api/sources', src)).statusCode).toBe(201);
    expect(
      (
        await ctx.call('oversight', 'POST', '/api/sources', {
          ...src,
          id: 'vendor-claims',
          name: 'Vendor outcome claims',
        })
      ).statusCode,
    ).toBe(201);
    const agency = await createApiKey(s.ledger, 'system:test-setup', {
      name: 'agency records feed',
      roles: ['integration'],
    });
    agencyKey = agency.key;
    strayKey = (
      await createApiKey(s.ledger, 'system:test-setup', { name: 'some other client', roles: ['integration'] })
    ).key;
    const vendorKeyId = ctx.key.split('_')[1];
    // The vendor's own key is refused as a feed (the plan does not say vendorKey), and so is a source the plan does not name.
    const vendor = await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/outcome-feeds`, {
      keyId: vendorKeyId,
      sourceId: 'agency-stops',
    });
    expect(vendor.statusCode).toBe(409);
    expect(vendor.json().code).toBe('monitor.vendorKeyNotInPlan');
    expect(
      (
        await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/outcome-feeds`, {
          keyId: agency.id,
          sourceId: 'vendor-claims',
        })
      ).json().code,
    ).toBe('monitor.sourceNotInPlan');
    expect(
      (
        await ctx.call('system-owner', 'POST', `/api/systems/${ctx.systemId}/outcome-feeds`, {
          keyId: agency.id,
          sourceId: 'agency-stops',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/outcome-feeds`, {
          keyId: agency.id,
          sourceId: 'agency-stops',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/monitors`, {
          kind: 'disparity',
          outcome: 'stop',
          windowDays: 30,
          ratioMax: 1.25,
          minCount: 20,
          alpha: 0.05,
        })
      ).statusCode,
    ).toBe(201);
    // Two alerts wait in the queue when the breach comes (not patrol missions: any kind must be withdrawn).
    queued = [(await ctx.postAlert(1)).json().id, (await ctx.postAlert(2)).json().id];
  }, 120_000);
  afterAll(async () => s?.close());

  it('a flood of 10,000 balanced rows cannot hide a breach: unauthorised senders are refused, resent record ids are no-ops', async () => {
    const flood = { periodStart: today, rows: rows('fresh', 10_000, [50, 1000], [50, 1000]) };
    // Unauthorised: the vendor's own key, a key nobody authorised, and any person's session (analyst).
    for (const key of [ctx.key, strayKey]) {
      const r = await post(key, flood);
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('monitor.outcomesNotAuthorised');
    }
    expect((await ctx.call('analyst', 'POST', `/api/systems/${ctx.systemId}/outcomes`, flood)).statusCode).toBe(403);
    expect(await outcomeRows()).toBe(0);

    // The real breach from the agency's records: A stopped at 8/100, B at 2/100 in 5,000 rows each.
    const breach = await post(agencyKey, { periodStart: today, rows: rows('stop', 10_000, [8, 100], [2, 100]) });
    expect(breach.statusCode, breach.body.slice(0, 300)).toBe(201);
    expect(breach.json()).toMatchObject({ rows: 10_000, accepted: 10_000, duplicates: 0, sourceId: 'agency-stops' });
    // The same ids resent with balanced counts (50/1000 each): had they counted, A would be at
    // (40,000 + 250,000) / 5,500,000 = 0.0527 vs B 0.0473, ratio 1.11 — inside the bound, breach hidden.
    const resent = await post(agencyKey, { periodStart: today, rows: rows('stop', 10_000, [50, 1000], [50, 1000]) });
    expect(resent.json()).toMatchObject({ accepted: 0, duplicates: 10_000 });
    expect(await outcomeRows()).toBe(10_000);
    // One id twice in a batch is refused, naming the row.
    const twice = await post(agencyKey, {
      periodStart: today,
      rows: [...rows('x', 1, [1, 10], [1, 10]), ...rows('x', 1, [1, 10], [1, 10])],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0]).toMatchObject({ field: 'rows/1/recordId' });

    const r = await run();
    expect(r).toMatchObject({ breached: true, paused: true });
    expect(r.evidence.statistic).toBeCloseTo(40_000 / 500_000 / (10_000 / 500_000), 9); // exactly 4
    // Every batch is logged with its source and key.
    const logged = (
      await s.store.db.selectFrom('ledger_payloads').select('payload').where('type', '=', 'monitor.outcomes').execute()
    ).map((x) => JSON.parse(x.payload!));
    expect(logged.length).toBe(2);
    for (const l of logged)
      expect(l).toMatchObject({ sourceId: 'agency-stops', keyId: expect.stringMatching(/^[0-9a-f]{12}$/) });
  }, 120_000);

  it('a pause leaves no queued alert that can lead to enforcement; one that slipped in can only be closed as not acted', async () => {
    const enforce = {
      outcome: 'acted',
      reasonCode: 'confirmed-on-scene',
      reasonText: 'seen on camera',
      enforcementAction: 'stop',
      corroboration: { kind: 'officer-observation', description: 'officer saw the person at the scene' },
    };
    for (const id of queued) {
      const d = await ctx.call('officer', 'POST', `/api/alerts/${id}/decision`, enforce);
      expect(d.statusCode).toBe(409);
      expect(d.json().detail).toMatch(/withdrawn/);
    }
    // An alert written as the pause landed (after the withdrawal): acted is refused, not-acted closes it.
    await s.store.db
      .insertInto('alerts')
      .values({
        id: 'alert-00000000000000ff',
        system_id: ctx.systemId,
        version: 1,
        idempotency_key: 'slipped-in-0001',
        kind: 'cctv-detection',
        model_version: '1',
        occurred_at: '2026-11-22T10:00:00Z',
        unit: 'district-1',
        place: null,
        subject_ref: null,
        output: '{"risk":0.9}',
        confidence: null,
        explanation: '{"summary":"x","factors":[]}',
        input_refs: '[]',
        status: 'pending',
        received_at: new Date().toISOString(),
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        log_index: 0,
        withdrawn_at: null,
      })
      .execute();
    const acted = await ctx.call('officer', 'POST', '/api/alerts/alert-00000000000000ff/decision', enforce);
    expect(acted.statusCode).toBe(409);
    expect(acted.json().code).toBe('monitor.pausedDecision');
    const plainActed = await ctx.call('officer', 'POST', '/api/alerts/alert-00000000000000ff/decision', {
      outcome: 'acted',
      reasonCode: 'confirmed-on-scene',
      reasonText: 'went there',
    });
    expect(plainActed.statusCode).toBe(409);
    const closed = await ctx.call('officer', 'POST', '/api/alerts/alert-00000000000000ff/decision', {
      outcome: 'not-acted',
      reasonCode: 'other',
      reasonText: 'system paused',
    });
    expect(closed.statusCode, closed.body).toBe(201);
  });

  it('a resume records what was done and starts a new window: the old data does not re-pause, a new breach does', async () => {
    const url = `/api/systems/${ctx.systemId}/versions/1/transition`;
    const bare = await ctx.call('oversight', 'POST', url, { to: 'active', reason: 'reviewed' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0].field).toBe('remedy');
    const remedy = 'stop-and-frisk guidance withdrawn in district 1; model thresholds retrained on audited data';
    expect(
      (await ctx.call('oversight', 'POST', url, { to: 'active', reason: 'breach investigated', remedy })).statusCode,
    ).toBe(200);
    const entry = (
      await s.store.db.selectFrom('ledger_payloads').select('payload').where('type', '=', 'system.active').execute()
    )
      .map((x) => JSON.parse(x.payload!))
      .at(-1);
    expect(entry).toMatchObject({ from: 'paused', remedy, observationFrom: expect.any(String) });

    // The next (hourly) run reads only the new window: no rows yet, no verdict, no pause.
    const calm = await run();
    expect(calm).toMatchObject({ breached: false, paused: false });
    expect((await ctx.postAlert(3)).statusCode).toBe(201);

    // A new breach in the new window (fresh ids): 60/1000 vs 20/1000, ratio 3 — from the new data alone.
    expect(
      (
        await post(agencyKey, {
          periodStart: today,
          rows: [
            { recordId: 'w2-a', kind: 'stop', group: 'A', count: 60, denominator: 1000 },
            { recordId: 'w2-b', kind: 'stop', group: 'B', count: 20, denominator: 1000 },
          ],
        })
      ).statusCode,
    ).toBe(201);
    const again = await run();
    expect(again).toMatchObject({ breached: true, paused: true });
    expect(again.evidence.statistic).toBeCloseTo(3, 9);
  });
});

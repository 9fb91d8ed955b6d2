import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/accounts';
import { activeSystem } from '../support/active-system';
import { completeRecord } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('outcome monitor and the automatic pause', () => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  let agencyKey = '';
  let n = 0;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    // The monitoring plan names the agency's stop records; oversight authorises the agency's key to feed them.
    ctx = await activeSystem(s, 'Patrol guidance (vendor Z)', {
      ...completeRecord(),
      outcomeSources: [{ sourceId: 'agency-stops' }],
    });
    await ctx.call('oversight', 'POST', '/api/sources', {
      id: 'agency-stops',
      name: 'Agency stop records',
      provenance: 'records management system',
      collectingBody: 'the agency',
      legalBasis: 'police records act',
      consentStatus: 'not applicable',
      personalDataCategories: [],
      purposes: ['fairness-audit'],
      retentionDays: 3650,
      sharingAgreements: [],
    });
    const k = await createApiKey(s.ledger, 'system:test-setup', { name: 'agency records', roles: ['integration'] });
    agencyKey = k.key;
    await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/outcome-feeds`, {
      keyId: k.id,
      sourceId: 'agency-stops',
    });
  });
  afterAll(async () => s?.close());

  /** Outcomes from the agency's authorised feed, each row with a fresh record id. */
  const vendor = (url: string, payload: { periodStart: string; rows: Record<string, unknown>[] }) =>
    s.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${agencyKey}` },
      payload: { ...payload, rows: payload.rows.map((r) => ({ recordId: `r-${++n}`, ...r })) },
    });

  it('refuses malformed outcomes naming the field', async () => {
    const r = await vendor(`/api/systems/${ctx.systemId}/outcomes`, {
      periodStart: daysAgo(3),
      rows: [{ kind: 'stop', group: 'A', count: 50, denominator: 10 }],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toMatch(/rows\/0/);
    const m = await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/monitors`, {
      kind: 'disparity',
      outcome: 'stop',
      windowDays: 30,
      ratioMax: 0.5,
      minCount: 1,
      alpha: 0.05,
    });
    expect(m.statusCode).toBe(400);
  });

  it('balanced outcomes do not pause; a significant disparity pauses the system, refuses its alerts, notifies and publishes a note', async () => {
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
    await vendor(`/api/systems/${ctx.systemId}/outcomes`, {
      periodStart: daysAgo(10),
      rows: [
        { kind: 'stop', group: 'A', count: 40, denominator: 1000 },
        { kind: 'stop', group: 'B', count: 38, denominator: 1000 },
      ],
    });
    const calm = (await ctx.call('oversight', 'POST', '/api/monitors/run', {})).json();
    expect(calm[0]).toMatchObject({ breached: false, paused: false });
    expect((await ctx.postAlert(1)).statusCode).toBe(201);

    // Outcomes that drift: stops of group A double those of group B (60/1000 vs 30/1000 over the window, p ≈ 0.001).
    await vendor(`/api/systems/${ctx.systemId}/outcomes`, {
      periodStart: daysAgo(2),
      rows: [
        { kind: 'stop', group: 'A', count: 80, denominator: 1000 },
        { kind: 'stop', group: 'B', count: 22, denominator: 1000 },
      ],
    });
    const run = (await ctx.call('oversight', 'POST', '/api/monitors/run', {})).json();
    expect(run[0]).toMatchObject({ breached: true, paused: true });
    expect(run[0].evidence.statistic).toBeCloseTo(120 / 60, 6); // (40+80)/2000 vs (38+22)/2000
    expect(run[0].evidence.test.pValue).toBeLessThan(0.001);

    const refused = await ctx.postAlert(2);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/paused/);
    const notes = (await s.app.inject({ url: '/api/incident-notes' })).json();
    expect(notes[0].title).toMatch(/paused automatically/);
    expect(notes[0].body).toMatch(/A 6\.0% vs B 3\.0%: ratio 2\.00 \(limit 1\.25\)/);
    expect((await ctx.call('system-owner', 'GET', '/api/notifications')).json()[0].subject).toMatch(
      /paused automatically/,
    );
    expect((await ctx.call('oversight', 'GET', '/api/notifications')).json().length).toBeGreaterThan(0);
    const history = (await s.app.inject({ url: `/api/systems/${ctx.systemId}/transitions` })).json();
    expect(history.at(-1)).toMatchObject({ from: 'active', to: 'paused', actor: 'system:monitor' });
  });

  it('only oversight, never the owner, can resume it, with a recorded reason', async () => {
    const owner = await ctx.call('system-owner', 'POST', `/api/systems/${ctx.systemId}/versions/1/transition`, {
      to: 'active',
      reason: 'it is fine',
    });
    expect(owner.statusCode).toBe(403);
    const ok = await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/versions/1/transition`, {
      to: 'active',
      reason: 'stop data reviewed',
      remedy: 'one precinct double-counted; corrected at source',
    });
    expect(ok.statusCode).toBe(200);
    expect((await ctx.postAlert(3)).statusCode).toBe(201);
  });

  it('an override-rate monitor pauses a system whose alerts reviewers keep rejecting', async () => {
    expect(
      (
        await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/monitors`, {
          kind: 'override-rate',
          windowDays: 30,
          maxRate: 0.5,
          minDecisions: 5,
        })
      ).statusCode,
    ).toBe(201);
    await s.store.db.updateTable('monitors').set({ active: 0 }).where('kind', '=', 'disparity').execute();
    for (let i = 10; i < 16; i++) {
      const id = (await ctx.postAlert(i)).json().id;
      expect(
        (
          await ctx.call('officer', 'POST', `/api/alerts/${id}/decision`, {
            outcome: 'false-positive',
            reasonCode: 'no-activity-found',
            reasonText: 'nothing there',
          })
        ).statusCode,
      ).toBe(201);
    }
    const run = (await ctx.call('oversight', 'POST', '/api/monitors/run', {})).json();
    const o = run.find((r: { evidence: { config: { kind: string } } }) => r.evidence.config.kind === 'override-rate');
    expect(o).toMatchObject({ breached: true, paused: true });
  });
});

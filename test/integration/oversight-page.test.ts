import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/accounts';
import { activeSystem } from '../support/active-system';
import { completeRecord } from '../support/register-fixtures';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/**
 * What oversight's page reads (issue 17.3): the audit policy's fixed settings for a version, an audit's
 * failures as data a reader's language can word, every monitor with its latest check and its breaches
 * with the automatic pause each caused; the resume refusals in the reader's language.
 */
describe.each(DIALECTS)("oversight page's reads on %s", (dialect) => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
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
    await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/outcome-feeds`, {
      keyId: k.id,
      sourceId: 'agency-stops',
    });
    // Stops: group A 80 of 1000, group B 40 of 1000: ratio exactly 2.00 against a limit of 1.25.
    const fed = await s.app.inject({
      method: 'POST',
      url: `/api/systems/${ctx.systemId}/outcomes`,
      headers: { authorization: `Bearer ${k.key}` },
      payload: {
        periodStart: daysAgo(3),
        rows: [
          { recordId: 'a', kind: 'stop', group: 'A', count: 80, denominator: 1000 },
          { recordId: 'b', kind: 'stop', group: 'B', count: 40, denominator: 1000 },
        ],
      },
    });
    expect(fed.statusCode, fed.body).toBe(201);
  }, 120_000);
  afterAll(async () => s?.close());

  it("shows the audit policy's metrics for the version, to oversight only", async () => {
    const url = `/api/systems/${ctx.systemId}/versions/1/audit-policy`;
    const r = await ctx.call('oversight', 'GET', url);
    expect(r.statusCode, r.body).toBe(200);
    // completeRecord: patrol missions and CCTV detections, assessed at a low level: the default rule.
    expect(r.json()).toMatchObject({
      rule: 'default',
      metrics: ['FPR', 'FNR'],
      reference: { mode: 'largest' },
      band: [0.8, 1.25],
      minGroupSize: 30,
    });
    expect((await s.app.inject({ url })).statusCode).toBe(401);
  });

  it("words an audit's failures as data: COMPAS, Black vs White defendants' false-positive rate 1.91", async () => {
    const csv = readFileSync('test/fixtures/compas/compas-scores-two-years.csv', 'utf8');
    const r = await ctx.call(
      'oversight',
      'POST',
      `/api/systems/${ctx.systemId}/versions/1/audits?predictedColumn=score_text&positiveValues=Medium,High&labelColumn=two_year_recid&labelPositive=1&groupColumns=race&reference=Caucasian`,
      csv,
      { 'content-type': 'text/csv' },
    );
    expect(r.statusCode, r.body).toBe(201);
    const { findings, failures } = r.json() as {
      findings: { attributes: string[]; group: string; metric: string; ratio: number; reference: string }[];
      failures: string[];
    };
    expect(findings.length).toBe(failures.length);
    const aa = findings.find((f) => f.group === 'African-American' && f.metric === 'FPR')!;
    // ProPublica (2016): FPR 44.85% for Black defendants vs 23.45% for White ones.
    expect(aa).toMatchObject({ attributes: ['race'], reference: 'Caucasian' });
    expect(aa.ratio).toBeCloseTo(0.4485 / 0.2345, 1);
    expect(failures).toContain(`race: African-American FPR ratio ${aa.ratio.toFixed(2)} vs Caucasian`);
  }, 60_000);

  it('lists monitors with their latest check, and each breach with the automatic pause it caused', async () => {
    const m = await ctx.call('oversight', 'POST', `/api/systems/${ctx.systemId}/monitors`, {
      kind: 'disparity',
      outcome: 'stop',
      windowDays: 30,
      ratioMax: 1.25,
      minCount: 20,
      alpha: 0.05,
    });
    expect(m.statusCode, m.body).toBe(201);
    const before = (await ctx.call('oversight', 'GET', '/api/monitors')).json();
    expect(before).toMatchObject([{ id: m.json().id, systemId: ctx.systemId, latest: null, breaches: [] }]);
    await ctx.call('oversight', 'POST', '/api/monitors/run', {});
    const [after] = (await ctx.call('oversight', 'GET', '/api/monitors')).json();
    expect(after.latest).toMatchObject({ breached: true, status: 'breach', threshold: 1.25 });
    expect(after.latest.statistic).toBeCloseTo(2, 9);
    expect(after.breaches).toHaveLength(1);
    const history = (await s.app.inject({ url: `/api/systems/${ctx.systemId}/transitions` })).json();
    const pause = history.at(-1);
    expect(pause).toMatchObject({ to: 'paused', actor: 'system:monitor' });
    expect(after.breaches[0].pause.logIndex).toBe(pause.logIndex);
    expect(after.breaches[0].pause.logIndex).toBeGreaterThan(after.breaches[0].logIndex);
    expect((await ctx.call('officer', 'GET', '/api/monitors')).statusCode).toBe(403);
  });

  it("refuses the owner's resume, in Korean for a Korean reader; oversight resumes and the breach keeps its pause", async () => {
    const url = `/api/systems/${ctx.systemId}/versions/1/transition`;
    const owner = await ctx.call(
      'system-owner',
      'POST',
      url,
      { to: 'active', reason: 'fine' },
      { 'accept-language': 'ko' },
    );
    expect(owner.statusCode).toBe(403);
    expect(owner.json().code).toBe('register.onlyOversightResumes');
    expect(owner.json().detail).toMatch(/감독관만 재개/);
    const noReason = await ctx.call(
      'oversight',
      'POST',
      url,
      { to: 'active', reason: ' ' },
      { 'accept-language': 'ko' },
    );
    expect(noReason.json().code).toBe('register.reasonRequired');
    const ok = await ctx.call('oversight', 'POST', url, {
      to: 'active',
      reason: 'stop data re-checked',
      remedy: 'double-counted precinct corrected at source',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    await ctx.call('oversight', 'POST', '/api/monitors/run', {});
    const [after] = (await ctx.call('oversight', 'GET', '/api/monitors')).json();
    // After the resume the window starts afresh: no new breach, the old one still names its pause.
    expect(after.latest.breached).toBe(false);
    expect(after.breaches).toHaveLength(1);
    expect(after.breaches[0].pause).not.toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';

const COMPAS = readFileSync('test/fixtures/compas/compas-scores-two-years.csv', 'utf8');
const Q =
  'predictedColumn=score_text&positiveValues=Medium,High&labelColumn=two_year_recid&labelPositive=1&groupColumns=race&reference=Caucasian';

describe('bias audits through the API', () => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false });
    ctx = await activeSystem(s, 'Recidivism risk scores (electronic monitoring)');
  });
  afterAll(async () => s?.close());

  it('runs the COMPAS audit on uploaded CSV, fails it on disparity, logs it, and publishes it on request', async () => {
    const url = `/api/systems/${ctx.systemId}/versions/1/audits?${Q}`;
    expect((await ctx.call('system-owner', 'POST', url, COMPAS, { 'content-type': 'text/csv' })).statusCode).toBe(403);
    const r = await ctx.call('oversight', 'POST', url, COMPAS, { 'content-type': 'text/csv' });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
    expect(r.json().passed).toBe(false);
    expect(r.json().failures.join('\n')).toMatch(/race: African-American FPR ratio 1\.91 vs Caucasian/);
    const id = r.json().id;
    expect((await s.app.inject({ url: `/api/audits/${id}` })).statusCode).toBe(404); // not yet published
    expect((await ctx.call('oversight', 'POST', `/api/audits/${id}/publish`, {})).statusCode).toBe(204);
    const pub = (await s.app.inject({ url: `/api/audits/${id}` })).json();
    const aa = pub.report.dimensions[0].groups.find((g: { group: string }) => g.group === 'African-American');
    expect(aa.counts).toEqual({ TP: 1369, FP: 805, TN: 990, FN: 532 });
    expect(pub.inputsSha256).toMatch(/^[0-9a-f]{64}$/);
    const reg = (await s.app.inject({ url: '/api/register' }))
      .json()
      .find((x: { id: string }) => x.id === ctx.systemId);
    expect(reg.latestAudit).toMatchObject({ kind: 'person-level', passed: false });
  });

  it('refuses a CSV missing a named column, naming it', async () => {
    const r = await ctx.call(
      'oversight',
      'POST',
      `/api/systems/${ctx.systemId}/versions/1/audits?${Q.replace('groupColumns=race', 'groupColumns=ethnicity')}`,
      COMPAS,
      { 'content-type': 'text/csv' },
    );
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ field: 'ethnicity' });
  });

  it('proxy detection flags a feature that stands in for race, and the model card shows it', async () => {
    const [head, ...lines] = COMPAS.trim().split('\n');
    const cols = head.split(',');
    const [race, age, priors] = ['race', 'age', 'priors_count'].map((c) => cols.indexOf(c));
    // "neighbourhood" is race under another name (a perfect proxy); age and prior counts are what they are.
    const rows = lines
      .slice(0, 3000)
      .map((l) => l.split(','))
      .filter((f) => f.length === cols.length);
    const csv = [
      'race,neighbourhood,age,priors_count',
      ...rows.map((f) => `${f[race]},n-${f[race].length}${f[race][0]},${f[age]},${f[priors]}`),
    ].join('\n');
    const url = `/api/systems/${ctx.systemId}/versions/1/proxy-audit?protectedColumn=race&features=neighbourhood,age,priors_count`;
    expect((await ctx.call('analyst', 'POST', url, csv, { 'content-type': 'text/csv' })).statusCode).toBe(403);
    const r = await ctx.call('oversight', 'POST', url, csv, { 'content-type': 'text/csv' });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
    const flagged = r.json().flagged.map((f: { feature: string }) => f.feature);
    expect(flagged).toContain('neighbourhood');
    expect(flagged).not.toContain('age');
    const stored = await s.store.db
      .selectFrom('audits')
      .select(['report'])
      .where('id', '=', r.json().id)
      .executeTakeFirstOrThrow();
    const v = JSON.parse(stored.report).perFeature.find(
      (x: { feature: string }) => x.feature === 'neighbourhood',
    ).cramersV;
    expect(v).toBeGreaterThan(0.99); // a relabelled copy: bias-corrected V ≈ 1
    const card = (await s.app.inject({ url: `/api/register/${ctx.systemId}` })).json().modelCard;
    expect(card.proxyFeatures.flagged.map((f: { feature: string }) => f.feature)).toEqual(flagged);
    // The card also carries subgroup results from the version's COMPAS audit above: ProPublica's FPR for African-American defendants, 805 / (805 + 990).
    const aaFpr = card.subgroupResults.find(
      (x: { group: string; metric: string }) => x.group === 'African-American' && x.metric === 'FPR',
    );
    expect(aaFpr.value).toBeCloseTo(805 / 1795, 12);
    expect(aaFpr.interval[0]).toBeLessThan(aaFpr.value);
    // Malformed uploads name the row or column and store nothing.
    const before = (await s.store.db.selectFrom('audits').select('id').execute()).length;
    const missing = await ctx.call('oversight', 'POST', url.replace('priors_count', 'nope'), csv, {
      'content-type': 'text/csv',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0]).toMatchObject({ field: 'nope', row: 1 });
    const ragged = await ctx.call('oversight', 'POST', url, `${csv}\nAfrican-American,x`, {
      'content-type': 'text/csv',
    });
    expect(ragged.statusCode).toBe(400);
    expect(ragged.json().errors[0].row).toBe(rows.length + 2);
    expect((await s.store.db.selectFrom('audits').select('id').execute()).length).toBe(before);
  }, 60_000);
});

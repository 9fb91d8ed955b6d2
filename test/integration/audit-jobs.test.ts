/**
 * Issue 17 item 8 for bias audits: an audit runs as a job whose progress (reading rows, rates per
 * attribute, disparities, writing the report) is read at GET /api/jobs/:id by the person who started it
 * only; the report is the one the synchronous call gives; a failing audit ends in a failed job with a code.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type Principal } from '../../src/accounts/accounts';
import { runAudit } from '../../src/monitor/audits';
import { RunJobs, type RunProgress } from '../../src/store/run-jobs';
import { activeSystem } from '../support/active-system';
import { PASSWORD, startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const COMPAS = readFileSync('test/fixtures/compas/compas-scores-two-years.csv', 'utf8');
const Q =
  'predictedColumn=score_text&positiveValues=Medium,High&labelColumn=two_year_recid&labelPositive=1&groupColumns=race,sex&reference=Caucasian';
const REQ = {
  predictedColumn: 'score_text',
  positiveValues: ['Medium', 'High'],
  labelColumn: 'two_year_recid',
  labelPositive: ['1'],
  groupColumns: ['race', 'sex'],
  reference: 'Caucasian',
};
const JOB = '6f1c3c1e-2b7a-4c55-9d0e-0a1b2c3d4e5f';
const BAD_JOB = '7a2d4d2f-3c8b-4d66-8e1f-1b2c3d4e5f60';

describe.each(DIALECTS)('bias audits as jobs with progress on %s', (dialect) => {
  let s: DemoServer;
  let ctx: Awaited<ReturnType<typeof activeSystem>>;
  let otherUnit = '';
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect });
    ctx = await activeSystem(s, 'Recidivism risk scores (electronic monitoring)');
    await createUser(s.ledger, 'system:test-setup', {
      username: 'oversight-east',
      password: PASSWORD,
      roles: ['oversight'],
      unit: 'district-2',
    });
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'oversight-east', password: PASSWORD },
    });
    otherUnit = `cw_session=${r.cookies.find((c) => c.name === 'cw_session')!.value}`;
  }, 120_000);
  afterAll(async () => s?.close());
  const url = (q: string) => `/api/systems/${ctx.systemId}/versions/1/audits?${q}`;
  const csv = { 'content-type': 'text/csv' };

  it('an audit with a job id reaches done with the same report as without one; only its starter reads the job', async () => {
    const plain = await ctx.call('oversight', 'POST', url(Q), COMPAS, csv);
    expect(plain.statusCode, plain.body.slice(0, 300)).toBe(201);
    const withJob = await ctx.call('oversight', 'POST', url(`${Q}&jobId=${JOB}`), COMPAS, csv);
    expect(withJob.statusCode, withJob.body.slice(0, 300)).toBe(201);
    // The old reply, plus the job's id.
    const { id: a, logIndex: la, jobId: plainJob, ...restA } = plain.json();
    expect(plainJob).toMatch(/^[0-9a-f-]{36}$/); // a job id the server chose
    const { id: b, logIndex: lb, jobId, ...restB } = withJob.json();
    expect(jobId).toBe(JOB);
    expect(restB).toEqual(restA);
    expect(b).not.toBe(a);
    expect(lb).toBeGreaterThan(la);
    const report = async (id: number) => (await ctx.call('oversight', 'GET', `/api/audits/${id}`)).json().report;
    expect(await report(b)).toEqual(await report(a));

    const job = await ctx.call('oversight', 'GET', `/api/jobs/${JOB}`);
    expect(job.statusCode).toBe(200);
    expect(job.json()).toMatchObject({
      id: JOB,
      kind: 'audit',
      phase: 'done',
      fraction: 1,
      resultId: String(b),
      problem: null,
    });
    // Attack: another unit's oversight officer, the system's owner and the public cannot read it.
    const east = await s.app.inject({ url: `/api/jobs/${JOB}`, headers: { cookie: otherUnit } });
    expect(east.statusCode).toBe(404);
    expect([403, 404]).toContain((await ctx.call('system-owner', 'GET', `/api/jobs/${JOB}`)).statusCode);
    expect([401, 403, 404]).toContain((await s.app.inject({ url: `/api/jobs/${JOB}` })).statusCode);
  }, 120_000);

  it('reports reading rows, rates per attribute, disparities and writing the report, monotonically in [0, 1]', async () => {
    const user = await s.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'oversight')
      .executeTakeFirstOrThrow();
    const p: Principal = { kind: 'user', id: user.id, name: 'oversight', roles: ['oversight'], unit: 'district-1' };
    const seen: { phase: string; done: number; total: number; stage?: string }[] = [];
    const fractions: number[] = [];
    // The job registry the route uses, read after every report as GET /api/jobs/:id would.
    const jobs = new RunJobs();
    await jobs.run(
      'user:x',
      JOB,
      'audit',
      (job) => {
        const progress: RunProgress = {
          phase: (phase, done = 0, total = 0, stage) => {
            job.phase(phase, done, total, stage);
            seen.push({ phase, done, total, stage });
            fractions.push(jobs.get('user:x', JOB).fraction);
          },
        };
        return runAudit(s.store, s.ledger, p, ctx.systemId, 1, COMPAS, REQ, progress);
      },
      (r) => String(r.id),
    );
    fractions.push(jobs.get('user:x', JOB).fraction);
    // race, sex and race × sex: three dimensions, so 1 counting + 3 rates + 1 disparities steps.
    expect(seen.map((e) => `${e.phase}:${e.stage}:${e.done}/${e.total}`)).toEqual([
      'loading:reading-rows:0/1',
      'loading:reading-rows:1/1',
      'computing:counting:1/5',
      'computing:rates:2/5',
      'computing:rates:3/5',
      'computing:rates:4/5',
      'computing:disparities:5/5',
      'storing:writing-report:0/1',
      'storing:writing-report:1/1',
    ]);
    for (const e of seen) expect(e.done).toBeLessThanOrEqual(e.total);
    for (const f of fractions) expect(f >= 0 && f <= 1).toBe(true);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    // Steps inside the computing phase move the bar: loading 0–0.1, computing 0.1–0.9, storing 0.9–0.99, done 1.
    expect(fractions.map((f) => f.toFixed(2))).toEqual([
      '0.00',
      '0.10',
      '0.26',
      '0.42',
      '0.58',
      '0.74',
      '0.90',
      '0.90',
      '0.99',
      '1.00',
    ]);
  });

  it('a failing audit (a column the file lacks) ends in a failed job whose problem carries the code', async () => {
    const r = await ctx.call(
      'oversight',
      'POST',
      url(`${Q.replace('groupColumns=race,sex', 'groupColumns=ethnicity')}&jobId=${BAD_JOB}`),
      COMPAS,
      csv,
    );
    expect(r.statusCode).toBe(400);
    const job = (await ctx.call('oversight', 'GET', `/api/jobs/${BAD_JOB}`)).json();
    expect(job.phase).toBe('failed');
    expect(job.problem).toEqual({
      code: 'monitor.csvNoColumn',
      params: { file: 'upload', column: 'ethnicity' },
    });
    expect(job.fraction).toBeLessThan(1);
  });
});

/**
 * Attack: a large bias-audit or proxy-detection upload must not take the server down for everyone else.
 * Their CSVs were hashed, read and audited on the request-serving thread: 500,000 audit rows held it
 * about 2 s, 30,000 proxy rows 4 s, every request (alert intake included) waiting, and the upload limit
 * allows far more. Now they run on a thread of their own (src/monitor/audit-thread.ts). Here the real
 * server (loopback HTTP) takes each while a prober keeps asking for health; the serving thread's share of
 * the CPU must stay far below what the old code took (all of the work), and the audit's
 * findings are the ones computed on the test's own thread from the same file.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personAudit } from '../../src/fairness';
import { rowsFromCsv } from '../../src/monitor/audits';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';
import { servingThreadShare } from '../support/thread-cpu';

const ROWS = 600_000;
const PROXY_ROWS = 30_000;
// The serving thread's share of this process's CPU while the upload is audited: a share, which the
// machine's load does not move (a wall-clock bound on the event loop's stall, 0.8 s, is what a loaded
// full-suite run pushed over in the import test). Measured: 0.21 (audit, with the prober's requests) and
// 0.02 (proxy detection) on their threads; with the work done on the serving thread, as the old code did,
// proxy detection's share is 0.91 and the audit stops the prober outright.
const MAX_SERVING_THREAD_SHARE = 0.4;
const REQ = {
  predictedColumn: 'score',
  positiveValues: ['high'],
  labelColumn: 'outcome',
  labelPositive: ['1'],
  groupColumns: ['race', 'sex'],
};
const Q = 'predictedColumn=score&positiveValues=high&labelColumn=outcome&labelPositive=1&groupColumns=race,sex';

/** A synthetic decisions file: group rates differ on purpose, so the audit finds disparities. */
function decisionsCsv(n: number): string {
  const races = ['A', 'B', 'C', 'D'];
  const parts = ['id,race,sex,score,outcome\n'];
  for (let i = 0; i < n; i++) {
    const race = races[i % 4];
    const flagged = (i * 7919) % 100 < (race === 'B' ? 40 : 25);
    parts.push(
      `${i},${race},${(i >> 2) % 2 ? 'female' : 'male'},${flagged ? 'high' : 'low'},${(i * 104729) % 10 < 3 ? 1 : 0}\n`,
    );
  }
  return parts.join('');
}

let s: DemoServer;
let ctx: Awaited<ReturnType<typeof activeSystem>>;
beforeAll(async () => {
  s = await startDemoServer({ demo: false });
  ctx = await activeSystem(s, 'Audit availability');
}, 120_000);
afterAll(async () => s?.close());

describe('a large bias audit runs off the serving thread', () => {
  it('keeps the serving thread answering while 600,000 rows are audited, with the report the audit computes', async () => {
    const csv = decisionsCsv(ROWS);
    const url = `${s.url}/api/systems/${ctx.systemId}/versions/1/audits?${Q}`;
    let auditing = true;
    let answered = 0;
    const prober = (async () => {
      while (auditing) {
        const r = await fetch(`${s.url}/healthz`);
        await r.arrayBuffer();
        answered++;
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    // The server runs in this process: its serving thread's CPU is read directly.
    const { result: audit, share } = await servingThreadShare(() =>
      fetch(url, {
        method: 'POST',
        headers: { cookie: ctx.as.oversight.cookie, 'x-csrf-token': ctx.as.oversight.csrf, 'content-type': 'text/csv' },
        body: csv,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })),
    );
    auditing = false;
    await prober;
    expect(audit.status, JSON.stringify(audit.body).slice(0, 400)).toBe(201);
    expect(answered).toBeGreaterThan(5);
    expect(share, 'serving thread share of the CPU during the audit').toBeLessThan(MAX_SERVING_THREAD_SHARE);

    // The same findings as the audit computes here, on this thread, from the same file.
    const here = personAudit(rowsFromCsv(csv, REQ), {
      attributes: REQ.groupColumns,
      intersections: true,
      reference: { mode: 'largest' },
      band: [0.8, 1.25],
      minGroupSize: 30,
    });
    const findings = audit.body.findings as { attributes: string[]; group: string; metric: string; ratio: number }[];
    const metrics = new Set(findings.map((f) => f.metric));
    const failingHere = here.dimensions.flatMap((d) =>
      d.disparities
        .filter((x) => metrics.has(x.metric))
        .flatMap((x) =>
          x.groups
            .filter((g) => g.verdict === 'fail')
            .map((g) => ({ attributes: d.attributes, group: g.group, metric: x.metric, ratio: g.ratio })),
        ),
    );
    expect(findings.length).toBeGreaterThan(0); // race B is flagged more often on purpose
    expect(findings.map(({ attributes, group, metric, ratio }) => ({ attributes, group, metric, ratio }))).toEqual(
      failingHere,
    );
    const stored = await s.store.db
      .selectFrom('audits')
      .select('inputs_sha256')
      .where('id', '=', audit.body.id as number)
      .executeTakeFirstOrThrow();
    expect(stored.inputs_sha256).toBe(createHash('sha256').update(csv).digest('hex'));
  }, 180_000);

  it('keeps the serving thread answering while proxy detection reads and tests a large feature table', async () => {
    // "area" stands in for the protected column (one area per group, with noise); "age" does not.
    const parts = ['group,area,age\n'];
    for (let i = 0; i < PROXY_ROWS; i++) {
      const g = ['A', 'B', 'C'][i % 3];
      const area = (i * 7919) % 10 < 8 ? `area-${g}` : `area-${(i * 31) % 3}`;
      parts.push(`${g},${area},${18 + ((i * 104729) % 60)}\n`);
    }
    const csv = parts.join('');
    const { result: r, share } = await servingThreadShare(() =>
      fetch(`${s.url}/api/systems/${ctx.systemId}/versions/1/proxy-audit?protectedColumn=group&features=area,age`, {
        method: 'POST',
        headers: { cookie: ctx.as.oversight.cookie, 'x-csrf-token': ctx.as.oversight.csrf, 'content-type': 'text/csv' },
        body: csv,
      }),
    );
    const body = (await r.json()) as { flagged: { feature: string }[] };
    expect(r.status, JSON.stringify(body).slice(0, 400)).toBe(201);
    expect(body.flagged.map((f) => f.feature)).toContain('area');
    expect(body.flagged.map((f) => f.feature)).not.toContain('age');
    expect(share, 'serving thread share of the CPU during proxy detection').toBeLessThan(MAX_SERVING_THREAD_SHARE);
  }, 180_000);
});

/**
 * Attack and availability: imports and audits each run on a thread of their own, and before this every
 * upload started its thread at once, so a few uploads (one person's, in several tabs) held every core
 * and as many files' memory as were sent. Now they take turns (src/store/work-queue.ts): here the
 * server allows one at a time, one waiting, one per person, and the test holds the one turn itself, as
 * a long import would. Over loopback HTTP against the real server:
 * - an import waits its turn, shows as 'queued' to its owner meanwhile, then runs and imports its rows;
 * - with the waiting place taken, another person is refused (503, Retry-After, in Korean), and nothing is
 *   written: no dataset, no upload left on disk;
 * - one person cannot hold a second place (429, Retry-After);
 * - bias audits and proxy detection wait for the turn too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';

const CSV = readFileSync('demo/chicago/chicago_crimes_sample_2017_2019.csv', 'utf8');
const [HEADER, ...LINES] = CSV.trimEnd().split('\n');
/** A slice of the demo file: distinct rows per slice, so each import writes rows of its own. */
const slice = (from: number, n: number) => [HEADER, ...LINES.slice(from, from + n)].join('\n') + '\n';

let s: DemoServer;
let ctx: Awaited<ReturnType<typeof activeSystem>>;
let uploadsDir: string;
const oldTmp = process.env.TMPDIR;

beforeAll(async () => {
  s = await startDemoServer({ demo: false, config: { backgroundWork: { running: 1, waiting: 1, perOwner: 1 } } });
  ctx = await activeSystem(s, 'Turns');
  uploadsDir = mkdtempSync(join(tmpdir(), 'cw-upload-watch-'));
  process.env.TMPDIR = uploadsDir;
}, 120_000);
afterAll(async () => {
  // Unset again if it was (assigning undefined would set the text "undefined" for the rest of the worker).
  if (oldTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = oldTmp;
  await s?.close();
  rmSync(uploadsDir, { recursive: true, force: true });
});

/** Hold the server's one turn, as a long import would, until `release` is called. */
function holdTheTurn() {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const done = s.backgroundWork.run('test:holder', () => held);
  return { release, done };
}

function importAs(who: { cookie: string; csrf: string }, body: string, fileName: string, jobId?: string) {
  const q = new URLSearchParams({ profile: 'chicago', fileName, ...(jobId ? { jobId } : {}) });
  return fetch(`${s.url}/api/imports?${q}`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'text/csv', 'accept-language': 'ko' },
    body,
  }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.json() }));
}

async function datasets(): Promise<{ file_name: string; rows_imported: number }[]> {
  return s.store.db.selectFrom('datasets').select(['file_name', 'rows_imported']).execute();
}

async function until(cond: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
    if (await cond()) return;
  throw new Error('condition not met in time');
}

describe('imports and audits take turns on the server', () => {
  it('an import waits as queued while the turn is held, others are refused, and nothing of theirs is written', async () => {
    const turn = holdTheTurn();
    expect(s.backgroundWork.counts).toEqual({ running: 1, waiting: 0 });
    const jobId = crypto.randomUUID();
    let answered = false;
    const waiting = importAs(ctx.as.analyst, slice(0, 300), 'first.csv', jobId).finally(() => (answered = true));
    // Its upload is on disk and it waits for the turn: its owner sees 'queued'.
    await until(() => s.backgroundWork.counts.waiting === 1);
    const poll = await fetch(`${s.url}/api/imports/jobs/${jobId}`, { headers: { cookie: ctx.as.analyst.cookie } });
    expect(poll.status).toBe(200);
    expect(((await poll.json()) as { phase: string }).phase).toBe('queued');
    expect(answered).toBe(false);

    // An operator sees it in /metrics (this machine may scrape without a token).
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/^counterweight_background_jobs\{state="running"\} 1$/m);
    expect(metrics).toMatch(/^counterweight_background_jobs\{state="waiting"\} 1$/m);

    const before = await datasets();
    // Another person, with the one waiting place taken: 503, when to come back, in Korean.
    const busy = await importAs(ctx.as.admin, slice(300, 300), 'second.csv');
    expect(busy.status).toBe(503);
    expect(Number(busy.retryAfter)).toBeGreaterThan(0);
    expect(busy.body.code).toBe('jobs.serverBusy');
    expect(busy.body.detail).toMatch(/서버가 다른 가져오기, 감사와 예측을 처리하고 있습니다/);
    // The same person again: 429 (one place per person), also with a time to retry.
    const mine = await importAs(ctx.as.analyst, slice(600, 300), 'third.csv');
    expect(mine.status).toBe(429);
    expect(Number(mine.retryAfter)).toBeGreaterThan(0);
    expect(mine.body.code).toBe('jobs.tooManyOfYours');
    // Nothing of the refused imports was written, and their uploads are gone from disk.
    expect(await datasets()).toEqual(before);
    await until(() => readdirSync(uploadsDir).filter((d) => d.startsWith('cw-upload-')).length === 1);

    // The turn comes free: the waiting import runs and imports its rows.
    turn.release();
    await turn.done;
    const r = await waiting;
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(201);
    expect(r.body.imported).toBeGreaterThan(250);
    const done = await fetch(`${s.url}/api/imports/jobs/${jobId}`, { headers: { cookie: ctx.as.analyst.cookie } });
    expect(((await done.json()) as { phase: string }).phase).toBe('done');
    expect((await datasets()).map((d) => d.file_name)).toContain('first.csv');
    expect(s.backgroundWork.counts).toEqual({ running: 0, waiting: 0 });
  }, 60_000);

  it('bias audits and proxy detection wait for the turn as well', async () => {
    const turn = holdTheTurn();
    const jobId = crypto.randomUUID();
    const rows = ['score,outcome,race,sex'];
    for (let i = 0; i < 400; i++)
      rows.push(`${i % 3 ? 'high' : 'low'},${i % 2},${['A', 'B'][i % 2]},${['F', 'M'][i % 5 ? 0 : 1]}`);
    const q =
      'predictedColumn=score&positiveValues=high&labelColumn=outcome&labelPositive=1&groupColumns=race,sex&jobId=' +
      jobId;
    const headers = {
      cookie: ctx.as.oversight.cookie,
      'x-csrf-token': ctx.as.oversight.csrf,
      'content-type': 'text/csv',
    };
    let auditAnswered = false;
    const audit = fetch(`${s.url}/api/systems/${ctx.systemId}/versions/1/audits?${q}`, {
      method: 'POST',
      headers,
      body: rows.join('\n') + '\n',
    }).finally(() => (auditAnswered = true));
    await until(() => s.backgroundWork.counts.waiting === 1);
    const poll = await fetch(`${s.url}/api/jobs/${jobId}`, { headers: { cookie: ctx.as.oversight.cookie } });
    expect(((await poll.json()) as { phase: string }).phase).toBe('queued');
    // The same person's proxy detection meanwhile: one place per person, refused.
    const proxy = await fetch(
      `${s.url}/api/systems/${ctx.systemId}/versions/1/proxy-audit?protectedColumn=race&features=sex`,
      { method: 'POST', headers, body: rows.join('\n') + '\n' },
    );
    expect(proxy.status).toBe(429);
    expect(auditAnswered).toBe(false);
    turn.release();
    const a = await audit;
    expect(a.status, (await a.clone().text()).slice(0, 300)).toBe(201);
    const after = await fetch(`${s.url}/api/jobs/${jobId}`, { headers: { cookie: ctx.as.oversight.cookie } });
    expect(((await after.json()) as { phase: string }).phase).toBe('done');
    // With the turn free, proxy detection runs at once.
    const again = await fetch(
      `${s.url}/api/systems/${ctx.systemId}/versions/1/proxy-audit?protectedColumn=race&features=sex`,
      { method: 'POST', headers, body: rows.join('\n') + '\n' },
    );
    expect(again.status, (await again.clone().text()).slice(0, 300)).toBe(201);
  }, 60_000);
});

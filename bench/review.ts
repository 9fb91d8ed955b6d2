/**
 * Review load benchmark: alert intake and decisions over HTTP on loopback, driven by autocannon at a
 * fixed rate, on SQLite. Every 10th request retries an earlier idempotency key, so the run also checks
 * that no alert is lost or duplicated. The server runs in its own process (bench/review-server.ts),
 * as it would in production; this process only generates load. Prints one JSON object.
 *   npx tsx bench/review.ts [rate=500] [seconds=20] [warmupSeconds=3]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { openStore } from '../src/store/db';
import { SERVER_NODE_FLAGS } from './support';

const rate = Number(process.argv[2] ?? 500);
const seconds = Number(process.argv[3] ?? 20);
const warmupSeconds = Number(process.argv[4] ?? 3);
const child = spawn(
  process.execPath,
  [
    ...SERVER_NODE_FLAGS,
    ...(process.env.CW_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.CW_BENCH_PROF] : []),
    '--import',
    'tsx',
    'bench/review-server.ts',
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const next = async () => (await lines.next()).value as string;
const server = JSON.parse(await next()) as {
  url: string;
  systemId: string;
  key: string;
  dbFile: string;
  officer: { cookie: string; csrf: string };
};
const { systemId, key } = server;
const as = { officer: server.officer };
const s = { url: server.url, store: openStore({ sqliteFile: server.dbFile }) };
let serverSide: unknown;
const drain = async () => {
  child.stdin!.write('drain\n');
  for (let line = await next(); line !== 'drained'; line = await next())
    if (line.startsWith('{')) serverSide = JSON.parse(line).serverSide;
  return serverSide;
};

// Warm-up (not measured): the server's JIT, statement caches and the log's writer thread reach steady
// state, as a long-running server would be. Its alerts count towards nothing below.
const alertBody = (k: string) =>
  JSON.stringify({
    idempotencyKey: k,
    kind: 'cctv-detection',
    modelVersion: '1',
    occurredAt: '2026-11-22T10:00:00Z',
    unit: 'district-1',
    output: { risk: 0.5 },
    explanation: { summary: 'bench' },
  });
let w = 0;
await autocannon({
  url: `${s.url}/api/systems/${systemId}/alerts`,
  method: 'POST',
  connections: 16,
  overallRate: rate,
  duration: warmupSeconds,
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  requests: [{ setupRequest: (req) => ({ ...req, body: alertBody(`warmup-${String(w++).padStart(8, '0')}`) }) }],
});
await drain(); // resets the server-side timings

let n = 0;
const sentKeys = new Set<string>();
const intake = await autocannon({
  url: `${s.url}/api/systems/${systemId}/alerts`,
  method: 'POST',
  connections: 16,
  overallRate: rate,
  duration: seconds,
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (req, context) => {
        n++;
        // Every 10th request retries an earlier key, as a client would after a timeout.
        const k =
          n % 10 === 0 && n > 10 ? `bench-${String(n - 7).padStart(8, '0')}` : `bench-${String(n).padStart(8, '0')}`;
        (context as { key?: string }).key = k;
        return { ...req, body: alertBody(k) };
      },
      // Only an acknowledged (2xx) alert must be stored; requests cut off by the end of the run are not.
      onResponse: (status, _body, context) => {
        if (status >= 200 && status < 300) sentKeys.add((context as { key: string }).key);
      },
    },
  ],
});
const intakeServerSide = await drain();
const stored = await s.store.db
  .selectFrom('alerts')
  .select('idempotency_key')
  .where('idempotency_key', 'like', 'bench-%')
  .execute();
const storedKeys = new Set(stored.map((r) => r.idempotency_key));
const lost = [...sentKeys].filter((k) => !storedKeys.has(k)).length;

const ids = (
  await s.store.db.selectFrom('alerts').select('id').where('idempotency_key', 'like', 'bench-%').execute()
).map((r) => r.id);
let i = 0;
const decisions = await autocannon({
  url: s.url,
  method: 'POST',
  connections: 8,
  overallRate: Math.min(rate, ids.length / seconds),
  duration: Math.min(seconds, 10),
  headers: { cookie: as.officer.cookie, 'x-csrf-token': as.officer.csrf, 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (req) => ({
        ...req,
        path: `/api/alerts/${ids[i++ % ids.length]}/decision`,
        body: JSON.stringify({ outcome: 'not-acted', reasonCode: 'no-activity-found', reasonText: 'nothing seen' }),
      }),
    },
  ],
});
const decisionsServerSide = await drain();
const decided = await s.store.db
  .selectFrom('decisions')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
await s.store.close();
child.stdin!.write('stop\n');
const summary = (r: autocannon.Result) => ({
  requests: r.requests.total,
  rps: Math.round(r.requests.average),
  p50ms: r.latency.p50,
  p99ms: r.latency.p99,
  maxMs: r.latency.max,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});
console.log(
  JSON.stringify(
    {
      bench: 'review',
      database: 'sqlite',
      targetRate: rate,
      seconds,
      warmupSeconds,
      server: `separate process, node ${SERVER_NODE_FLAGS.join(' ')} (as npm start)`,
      intake: {
        ...summary(intake),
        serverSide: intakeServerSide,
        uniqueKeysAcknowledged: sentKeys.size,
        alertsStored: storedKeys.size,
        lost,
        duplicated: stored.length - storedKeys.size,
      },
      decisions: {
        ...summary(decisions),
        serverSide: decisionsServerSide,
        decisionsStored: Number(decided.n),
        note: 'a second decision on the same alert is refused (409): non2xx counts those',
      },
    },
    null,
    2,
  ),
);

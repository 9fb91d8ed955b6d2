/**
 * Review load benchmark: alert intake and decisions over HTTP on loopback, an open-loop load at a fixed
 * mean rate (bench/open-loop.ts: Poisson arrivals, latency from each request's scheduled time), on
 * SQLite, or on PostgreSQL with CW_BENCH_DATABASE=postgres (fsync on). Every 10th request retries an
 * earlier idempotency key, so the run also checks that no alert is lost or duplicated. The server runs
 * in its own process (bench/review-server.ts), as it would in production; this process only generates
 * load. Prints one JSON object.
 *   npx tsx bench/review.ts [rate=500] [seconds=20] [warmupSeconds=3]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openStore } from '../src/store/db';
import { openLoop, type OpenLoopResult } from './open-loop';
import { alertBody, SERVER_NODE_FLAGS } from './support';

const rate = Number(process.argv[2] ?? 500);
const seconds = Number(process.argv[3] ?? 20);
const warmupSeconds = Number(process.argv[4] ?? 3);
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'bench/review-server.ts'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const next = async () => (await lines.next()).value as string;
const server = JSON.parse(await next()) as {
  url: string;
  systemId: string;
  key: string;
  dbFile: string;
  databaseUrl?: string;
  officer: { cookie: string; csrf: string };
};
const { systemId, key } = server;
const as = { officer: server.officer };
const s = {
  url: server.url,
  store: openStore(server.databaseUrl ? { databaseUrl: server.databaseUrl } : { sqliteFile: server.dbFile }),
};
let serverSide: unknown;
const drain = async () => {
  child.stdin!.write('drain\n');
  for (let line = await next(); line !== 'drained'; line = await next())
    if (line.startsWith('{')) serverSide = JSON.parse(line).serverSide;
  return serverSide;
};

// Warm-up (not measured): the server's JIT, statement caches and the log's writer thread reach steady
// state, as a long-running server would be. Its alerts count towards nothing below.
const intakeUrl = `${s.url}/api/systems/${systemId}/alerts`;
const machine = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
await openLoop({
  url: intakeUrl,
  rate,
  seconds: warmupSeconds,
  headers: machine,
  body: (i) => alertBody(`warmup-${String(i).padStart(8, '0')}`),
  seed: 2,
});
await drain(); // resets the server-side timings

const sentKeys = new Set<string>();
// Every 10th request retries an earlier key, as a client would after a timeout.
const keyOf = (i: number) => `bench-${String(i % 10 === 9 && i > 10 ? i - 7 : i).padStart(8, '0')}`;
const intake = await openLoop({
  url: intakeUrl,
  rate,
  seconds,
  headers: machine,
  body: (i) => alertBody(keyOf(i)),
  // Only an acknowledged (2xx) alert must be stored; requests cut off by the end of the run are not.
  onResponse: (i, status) => {
    if (status >= 200 && status < 300) sentKeys.add(keyOf(i));
  },
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
const decisions = await openLoop({
  url: s.url,
  rate: Math.min(rate, ids.length / seconds),
  seconds: Math.min(seconds, 10),
  headers: { cookie: as.officer.cookie, 'x-csrf-token': as.officer.csrf, 'content-type': 'application/json' },
  path: (i) => `/api/alerts/${ids[i % ids.length]}/decision`,
  body: () => JSON.stringify({ outcome: 'not-acted', reasonCode: 'no-activity-found', reasonText: 'nothing seen' }),
});
const decisionsServerSide = await drain();
const decided = await s.store.db
  .selectFrom('decisions')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow();
await s.store.close();
child.stdin!.write('stop\n');
const summary = (r: OpenLoopResult) => r;
console.log(
  JSON.stringify(
    {
      bench: 'review',
      database: server.databaseUrl ? 'postgres (fsync on, synchronous_commit on)' : 'sqlite',
      load: "open loop: Poisson arrivals at the target rate, latency from each request's scheduled time (bench/open-loop.ts)",
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

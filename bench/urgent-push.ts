/**
 * Urgent-alert push under load (issue 24, item 5): a crowd-density system posts `rate` alerts per second
 * for `seconds` over HTTP while `clients` review pages hold the server-sent event stream open. For every
 * alert acknowledged by intake (2xx), every client must receive it: push latency is measured in this
 * process from the moment the request is handed to the socket to the moment the event is parsed
 * (one clock), so it includes intake. The server runs in its own process (bench/urgent-push-server.ts).
 * Prints one JSON object.
 *   npx tsx bench/urgent-push.ts [rate=200] [seconds=60] [clients=5] [warmupSeconds=3]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openLoop } from './open-loop';
import { SERVER_NODE_FLAGS, stolenCpuSeconds } from './support';

const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 60);
const clients = Number(process.argv[4] ?? 5);
const warmupSeconds = Number(process.argv[5] ?? 3);

const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'bench/urgent-push-server.ts'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const next = async () => (await lines.next()).value as string;
const server = JSON.parse(await next()) as { url: string; systemId: string; key: string; officer: { cookie: string } };
const drain = async () => {
  child.stdin!.write('drain\n');
  let out: unknown;
  for (let line = await next(); line !== 'drained'; line = await next())
    if (line.startsWith('{')) out = JSON.parse(line).serverSide;
  return out;
};

/** Receipt times per alert id, per client (performance.now() of this process). */
const received: Map<string, number>[] = [];
const aborts: AbortController[] = [];
let reconnects = 0;
async function openClient(i: number) {
  received[i] = new Map();
  let last: string | null = null;
  const ac = new AbortController();
  aborts.push(ac);
  const connect = async (): Promise<void> => {
    const res = await fetch(`${server.url}/api/review/stream`, {
      headers: {
        cookie: server.officer.cookie,
        accept: 'text/event-stream',
        ...(last ? { 'last-event-id': last } : {}),
      },
      signal: ac.signal,
    });
    if (!res.ok) throw new Error(`stream ${i}: HTTP ${res.status} ${await res.text()}`);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let k;
          while ((k = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, k);
            buf = buf.slice(k + 2);
            const id = /^id: (\d+)$/m.exec(frame);
            const data = /^data: (.*)$/m.exec(frame);
            if (id) last = id[1];
            if (data && /^event: alert$/m.test(frame)) {
              const alertId = (JSON.parse(data[1]) as { alertId: string }).alertId;
              if (!received[i].has(alertId)) received[i].set(alertId, performance.now());
            }
          }
        }
      } catch {
        return; // aborted at the end
      }
      // The server ended the stream (a backlog over its limit): reconnect with Last-Event-ID, as EventSource does.
      if (!ac.signal.aborted) {
        reconnects++;
        await connect();
      }
    })();
  };
  await connect();
}
for (let i = 0; i < clients; i++) await openClient(i);

const body = (k: string) =>
  JSON.stringify({
    idempotencyKey: k,
    kind: 'crowd-density',
    modelVersion: '1',
    occurredAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    unit: 'district-1',
    output: { risk: 0.9, density: 6.2 },
    explanation: { summary: 'bench' },
  });
const url = `${server.url}/api/systems/${server.systemId}/alerts`;
const headers = { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' };
await openLoop({
  url,
  rate,
  seconds: warmupSeconds,
  headers,
  body: (i) => body(`warmup-${String(i).padStart(8, '0')}`),
  seed: 2,
});
await drain();
for (const m of received) m.clear();

const stealBefore = stolenCpuSeconds();
const accepted = new Map<string, number>(); // alert id → scheduled send time
const intake = await openLoop({
  url,
  rate,
  seconds,
  headers,
  body: (i) => body(`bench-${String(i).padStart(8, '0')}`),
  onResponse: (_i, status, resBody, scheduledAt) => {
    if (status >= 200 && status < 300) accepted.set((JSON.parse(resBody) as { id: string }).id, scheduledAt);
  },
});
const serverSide = await drain();
// Events still in flight get a moment to land before anything is counted as lost.
await new Promise((r) => setTimeout(r, 2000));
const stealAfter = stolenCpuSeconds();

const latencies: number[] = [];
let lost = 0;
for (const [id, t0] of accepted) {
  for (const m of received) {
    const t = m.get(id);
    if (t === undefined) lost++;
    else latencies.push(t - t0);
  }
}
latencies.sort((a, b) => a - b);
const q = (p: number) =>
  +(latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? NaN).toFixed(1);
for (const a of aborts) a.abort();
child.stdin!.write('stop\n');
console.log(
  JSON.stringify(
    {
      bench: 'urgent-push',
      database: 'sqlite',
      targetRate: rate,
      seconds,
      clients,
      warmupSeconds,
      server: `separate process, node ${SERVER_NODE_FLAGS.join(' ')} (as npm start)`,
      load: "open loop: Poisson arrivals at the target rate, latency from each request's scheduled time (bench/open-loop.ts)",
      intake: { ...intake, serverSide },
      push: {
        alertsAccepted: accepted.size,
        deliveriesExpected: accepted.size * clients,
        deliveries: latencies.length,
        lost,
        reconnects,
        p50ms: q(0.5),
        p90ms: q(0.9),
        p99ms: q(0.99),
        maxMs: q(1),
      },
      targets: {
        pushP99Under1000ms: q(0.99) < 1000,
        noneLost: lost === 0,
        intakeP99Under20ms: intake.p99ms < 20,
      },
      cpuStolenSeconds:
        stealBefore !== undefined && stealAfter !== undefined ? +(stealAfter - stealBefore).toFixed(1) : null,
    },
    null,
    2,
  ),
);
process.exit(0);

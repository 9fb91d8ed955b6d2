/**
 * An open-loop load generator: requests arrive at `rate` per second as a Poisson process (exponential
 * gaps, so bursts happen as they do in the field), each sent at its scheduled time whether or not earlier
 * ones have been answered, and its latency is counted from that scheduled time. A request that had to
 * wait in this process for a free connection, or behind a slow event loop here, is charged that wait:
 * no coordinated omission.
 *
 * Why not autocannon's `overallRate`: it gives each connection a quota per second and lets every
 * connection fire back to back until the quota is spent, then idle until the next second. At 200/s on
 * 16 connections the server sees 16 requests in flight for the first ~100 ms of every second and
 * nothing after: a closed loop at concurrency 16, whose latency is queueing behind 15 others (at 50/s
 * the same bench reported a higher median than at 200/s). That measures a burst, not a rate.
 */
import { Agent, request } from 'node:http';
import { prng } from '../src/forecast/random';

export interface OpenLoopOptions {
  url: string;
  /** Mean arrivals per second. */
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  /** The body of request `i` (0-based). */
  body: (i: number) => string;
  /** The path of request `i`, when it differs from the url's. */
  path?: (i: number) => string;
  /** Called with every answer (status, body, and the time it was scheduled, performance.now()), e.g. to record what was accepted. */
  onResponse?: (i: number, status: number, body: string, scheduledAt: number) => void;
  /** Seed of the arrival process (the same seed gives the same schedule). */
  seed?: number;
  /** Connections kept open at most; a request finding none free waits here, and that wait is counted. */
  maxSockets?: number;
}

export interface OpenLoopResult {
  requests: number;
  /** Achieved rate over the run (requests / seconds). */
  rps: number;
  p50ms: number;
  p90ms: number;
  p99ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /** How late this process sent requests behind their schedule (p99, ms): large means the client, not the server, was the bottleneck. */
  sendLagP99ms: number;
}

/** Quantile of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const random = prng(o.seed ?? 1); // the same seed, the same arrival schedule
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 256 });
  const target = new URL(o.url);
  const latencies: number[] = [];
  const lags: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let i = 0;
  const done: Promise<void>[] = [];
  const start = performance.now();
  const end = start + o.seconds * 1000;
  let due = start;

  const send = (n: number, scheduled: number) =>
    new Promise<void>((resolve) => {
      lags.push(performance.now() - scheduled);
      const payload = o.body(n);
      const path = o.path ? o.path(n) : target.pathname + target.search;
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path,
          method: 'POST',
          headers: { ...o.headers, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) non2xx++;
            o.onResponse?.(n, status, Buffer.concat(chunks).toString('utf8'), scheduled);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(payload);
    });

  // Send every request whose time has come, then sleep until the next one is due. O(requests).
  while (due < end) {
    const now = performance.now();
    while (due <= now && due < end) {
      done.push(send(i++, due));
      due += (-Math.log(1 - random()) / o.rate) * 1000;
    }
    if (due < end) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  }
  await Promise.all(done);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const lagSorted = lags.sort((a, b) => a - b);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: i,
    rps: Math.round(i / o.seconds),
    p50ms: r1(quantile(sorted, 0.5)),
    p90ms: r1(quantile(sorted, 0.9)),
    p99ms: r1(quantile(sorted, 0.99)),
    maxMs: r1(sorted[sorted.length - 1] ?? 0),
    non2xx,
    errors,
    sendLagP99ms: r1(quantile(lagSorted, 0.99)),
  };
}

/**
 * The server under test for bench/urgent-push.ts, in its own process: a demo server with an active
 * crowd-density system, the officer on shift and the supervisor on duty in district-1. Prints one JSON
 * line with what the driver needs; "drain" on stdin makes the log durable, reports the server-side
 * intake timings and answers "drained"; "stop" exits.
 */
import { createInterface } from 'node:readline';
import { activeSystem } from '../test/support/active-system';
import { completeRecord } from '../test/support/register-fixtures';
import { startDemoServer } from '../test/support/server';

const s = await startDemoServer({ demo: false });
const served: number[] = [];
s.app.server.on('request', (req, res) => {
  if (!req.url?.endsWith('/alerts')) return; // only intake is timed (the streams stay open)
  const t0 = performance.now();
  res.on('finish', () => served.push(performance.now() - t0));
});
const record = completeRecord();
(record as { outputSchema: unknown }).outputSchema = {
  kinds: ['crowd-density'],
  fields: { risk: 'number', density: 'number' },
  required: ['risk'],
};
const { as, systemId, key } = await activeSystem(s, 'Bench crowd density', record);
process.stdout.write(`${JSON.stringify({ url: s.url, systemId, key, dbFile: s.dbFile, officer: as.officer })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'drain') {
    await s.ledger.drain();
    const t = served.splice(0).sort((a, b) => a - b);
    const at = (q: number) => +(t[Math.min(t.length - 1, Math.floor(q * t.length))] ?? 0).toFixed(1);
    process.stdout.write(
      `${JSON.stringify({ serverSide: { requests: t.length, p50ms: at(0.5), p99ms: at(0.99), maxMs: at(1), streams: s.urgent.hub.subscribers, webhook: s.urgent.webhook.counts } })}\n`,
    );
    process.stdout.write('drained\n');
  } else if (line === 'stop') {
    await s.close();
    process.exit(0);
  }
}

/**
 * The server under test for bench/review.ts, in its own process (so the load generator does not share
 * its event loop): a demo server with an active system. Prints one JSON line with what the driver
 * needs, then on a line "drain" on stdin makes the log durable and answers "drained"; "stop" exits.
 */
import { createInterface } from 'node:readline';
import { activeSystem } from '../test/support/active-system';
import { startDemoServer } from '../test/support/server';

const s = await startDemoServer({ demo: false });
const { as, systemId, key } = await activeSystem(s, 'Bench system');
process.stdout.write(`${JSON.stringify({ url: s.url, systemId, key, dbFile: s.dbFile, officer: as.officer })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'drain') {
    await s.ledger.drain();
    process.stdout.write('drained\n');
  } else if (line === 'stop') {
    await s.close();
    process.exit(0);
  }
}

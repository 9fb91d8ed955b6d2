import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildDisclosure, disclosurePdf } from '../../review/disclosure';
import { CLI_ACTOR, openLedger, openMigratedStore } from '../common';

export function registerReview(program: Command) {
  program
    .command('disclose')
    .description('write the disclosure packet of an alert and its decision (JSON, plus a readable PDF), verifiable with `counterweight verify disclosure`')
    .argument('<alertId>')
    .requiredOption('--out <file>', 'JSON packet')
    .option('--pdf <file>', 'readable PDF')
    .action(async (alertId: string, o) => {
      const store = await openMigratedStore();
      try {
        const ledger = await openLedger(store);
        const packet = await buildDisclosure(store.db, ledger, alertId);
        await ledger.append({ type: 'access.disclosure', actor: CLI_ACTOR, subjects: [`alert:${alertId}`], payload: { alertId, out: o.out } });
        await ledger.drain();
        writeFileSync(o.out, JSON.stringify(packet, null, 2));
        if (o.pdf) writeFileSync(o.pdf, await disclosurePdf(packet));
        process.stdout.write(`wrote ${o.out}${o.pdf ? ` and ${o.pdf}` : ''}: ${packet.entries.length} log entries with receipts\n`);
      } finally {
        await store.close();
      }
    });
}

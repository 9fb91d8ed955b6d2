import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { msg, render } from '../../domain/messages';
import { disclosurePdf, verifiedDisclosure } from '../../review/disclosure';
import { CLI_ACTOR, cliLang, openLedger, openMigratedStore } from '../common';

/** The language of CLI messages: CW_LANG, else the locale (LC_ALL, LANG); Korean when it says so, else English. */

export function registerReview(program: Command) {
  program
    .command('disclose')
    .description(
      'write the disclosure packet of an alert and its decision (JSON, plus a readable PDF rendered from the verified packet), verifiable with `counterweight verify disclosure`',
    )
    .argument('<alertId>')
    .requiredOption('--out <file>', 'JSON packet')
    .option('--pdf <file>', 'readable PDF')
    .action(async (alertId: string, o) => {
      const store = await openMigratedStore();
      try {
        const ledger = await openLedger(store);
        const { packet, view } = await verifiedDisclosure(store.db, ledger, alertId);
        await ledger.append({
          type: 'access.disclosure',
          actor: CLI_ACTOR,
          subjects: [`alert:${alertId}`],
          payload: { alertId, out: o.out },
        });
        await ledger.drain();
        writeFileSync(o.out, JSON.stringify(packet, null, 2));
        process.stdout.write(
          `${render(msg('disclosure.written', { out: o.out, entries: packet.entries.length }), cliLang())}\n`,
        );
        if (o.pdf) {
          writeFileSync(o.pdf, await disclosurePdf(view));
          process.stdout.write(`${render(msg('disclosure.pdfWritten', { file: o.pdf }), cliLang())}\n`);
        }
      } finally {
        await store.close();
      }
    });
}

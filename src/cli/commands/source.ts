import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { listSources, registerBundledSources, registerSource } from '../../privacy/sources';
import { CLI_ACTOR, openLedger, openMigratedStore } from '../common';

export function registerSourceCommands(program: Command) {
  const source = program
    .command('source')
    .description('the data-source register (an import must name a registered source)');
  source
    .command('add')
    .description('register a data source (or a new version) from a JSON record')
    .argument('<file>')
    .action(async (file: string) => {
      const store = await openMigratedStore();
      try {
        const ledger = await openLedger(store);
        const r = await registerSource(store, ledger, CLI_ACTOR, JSON.parse(readFileSync(file, 'utf8')));
        await ledger.drain();
        process.stdout.write(`registered ${r.id} version ${r.version}\n`);
      } finally {
        await store.close();
      }
    });
  source
    .command('add-bundled')
    .description('register the sources of the bundled public datasets (config/sources)')
    .action(async () => {
      const store = await openMigratedStore();
      try {
        const ledger = await openLedger(store);
        const done = await registerBundledSources(store, ledger);
        await ledger.drain();
        process.stdout.write(done.length ? `registered ${done.join(', ')}\n` : 'already registered\n');
      } finally {
        await store.close();
      }
    });
  source
    .command('list')
    .description('list registered sources')
    .action(async () => {
      const store = await openMigratedStore();
      try {
        for (const s of await listSources(store.db))
          process.stdout.write(
            `${s.id} v${s.version}: ${s.name} — purposes ${s.purposes.join(', ')}; retention ${s.retentionDays} days\n`,
          );
      } finally {
        await store.close();
      }
    });
}

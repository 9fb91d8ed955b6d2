import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { agencyTimeZone } from '../../store/agency';
import { parseEncoding } from '../../ingest/encoding';
import { BUILTIN_PROFILES, resolveProfile } from '../../ingest/profiles';
import { joinTables } from '../../ingest/area-table';
import { readAreaLayer } from '../../ingest/read-areas';
import { InputError } from '../../domain/errors';
import { msg } from '../../domain/messages';
import { loadTaxonomy } from '../../ingest/taxonomy';
import { ImportRejected } from '../../store/incidents';
import { publishAreaLayer } from '../../maps/area-layers';
import { importForAnalysis } from '../../privacy/incident-imports';
import { CLI_ACTOR, openLedger, openMigratedStore, progressBar } from '../common';

export function registerImport(program: Command) {
  program
    .command('import')
    .description('import an incident CSV through a profile: streamed, all-or-nothing, idempotent on source ids')
    .argument('<file>', 'CSV file')
    .requiredOption('--profile <name>', [...Object.keys(BUILTIN_PROFILES), 'generic'].join(' | '))
    .option('--mapping <file>', 'column mapping JSON (generic profile)')
    .option('--source <name>', "source name (default: the profile's)")
    .option('--taxonomy <file>', 'incident type → origin taxonomy', 'config/taxonomy.json')
    .option('--encoding <enc>', "text encoding: cp949 | euc-kr | utf-8 | auto (default: the mapping's, else detected)")
    .option('--skip-invalid', 'import valid rows and report the bad ones instead of refusing the file')
    .option('--report <file>', 'write every bad row (file, row, field, expected, got) as JSON')
    .action(async (file: string, o) => {
      const store = await openMigratedStore();
      const bar = progressBar('import');
      try {
        const profile = resolveProfile(o.profile, o.mapping, await agencyTimeZone(store.db));
        const ledger = await openLedger(store);
        const r = await importForAnalysis(store, ledger, CLI_ACTOR, file, profile, loadTaxonomy(o.taxonomy), {
          why: `import ${file}`,
          source: o.source,
          skipInvalid: !!o.skipInvalid,
          encoding: o.encoding === undefined ? undefined : parseEncoding(o.encoding),
          onProgress: (b, t) => bar.update(b, t),
          maxErrors: o.report ? 1_000_000 : 1000,
        });
        bar.stop();
        if (o.report)
          writeFileSync(
            o.report,
            JSON.stringify({ errorCount: r.errorCount, unknownTypes: r.unknownTypes, errors: r.errors }, null, 2),
          );
        process.stdout.write(
          `${r.file}: ${r.rowsRead} rows read, ${r.imported} imported, ${r.duplicates} already present, ${r.errorCount} rejected (source ${r.source}, sha256 ${r.sha256.slice(0, 16)}…, log entry ${r.logIndex})\n`,
        );
      } catch (e) {
        bar.stop();
        if (e instanceof ImportRejected && o.report) {
          writeFileSync(
            o.report,
            JSON.stringify(
              { errorCount: e.summary.errorCount, unknownTypes: e.summary.unknownTypes, errors: e.summary.errors },
              null,
              2,
            ),
          );
          process.stderr.write(`all ${e.summary.errorCount} bad rows written to ${o.report}\n`);
        }
        throw e;
      } finally {
        await store.close();
      }
    });

  program
    .command('areas')
    .description('area layers: jurisdictions and areas with demographics')
    .command('import')
    .description('import a GeoJSON layer of polygons (replaces a layer of the same name)')
    .argument('<file>', 'GeoJSON FeatureCollection')
    .requiredOption('--name <name>', 'layer name, e.g. seoul-districts')
    .option('--kind <kind>', 'jurisdiction | areas', 'areas')
    .option('--code-field <prop>', 'property with the area code')
    .option('--name-field <prop>', 'property with the area name')
    .option('--crs <epsg>', 'source CRS if the file does not declare one (GeoJSON default EPSG:4326)')
    .option(
      '--join <table>',
      'a CSV of counts per area (e.g. residents by group) to join onto the boundaries; repeatable',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--join-mapping <file>',
      'table mapping JSON for each --join, in order: key column and count columns (names as in the file, Korean or not)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--join-on <field>', 'match table keys to the area code or name: code | name', 'code')
    .option('--demographics <id>', 'demographics declaration of the resident groups (config/demographics/<id>.json)')
    .action(async (file: string, o) => {
      if (o.kind !== 'jurisdiction' && o.kind !== 'areas')
        throw new InputError(
          msg('cli.badOption', { option: '--kind', value: String(o.kind), expected: 'jurisdiction | areas' }),
          [{ field: '--kind', expected: 'jurisdiction | areas', got: o.kind }],
        );
      if (o.join.length !== o.joinMapping.length)
        throw new InputError(msg('table.badMapping', { file: '--join-mapping' }), [
          {
            field: '--join-mapping',
            expected: `one mapping per --join (${o.join.length})`,
            got: String(o.joinMapping.length),
          },
        ]);
      if (o.joinOn !== 'code' && o.joinOn !== 'name')
        throw new InputError(msg('table.badMapping', { file: '--join-on' }), [
          { field: '--join-on', expected: 'code or name', got: String(o.joinOn).slice(0, 20) },
        ]);
      // Boundaries + tables: every join is checked before anything is saved (all-or-nothing).
      const layer = joinTables(
        readAreaLayer(file, { codeField: o.codeField, nameField: o.nameField, crs: o.crs }),
        o.join,
        o.joinMapping,
        o.joinOn,
      );
      const store = await openMigratedStore();
      try {
        const ledger = await openLedger(store); // first: a log whose key is elsewhere refuses before the layer is saved
        const r = await publishAreaLayer(store, ledger, CLI_ACTOR, o.name, o.kind, layer, {
          demographics: o.demographics,
        });
        process.stdout.write(`${file}: layer ${o.name} (${o.kind}) with ${r.areas} areas from ${layer.srcCrs}\n`);
      } finally {
        await store.close();
      }
    });
}

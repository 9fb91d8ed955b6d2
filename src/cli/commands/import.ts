import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveProfile } from '../../ingest/profiles';
import { readAreaLayer } from '../../ingest/read-areas';
import { loadTaxonomy } from '../../ingest/taxonomy';
import { saveAreaLayer } from '../../store/areas';
import { ImportRejected, importIncidentFile } from '../../store/incidents';
import { recordAreaLayer, recordImport } from '../../ledger-service/events';
import { requirePurpose } from '../../privacy/sources';
import { CLI_ACTOR, openLedger, openMigratedStore, progressBar } from '../common';

export function registerImport(program: Command) {
  program
    .command('import')
    .description('import an incident CSV through a profile: streamed, all-or-nothing, idempotent on source ids')
    .argument('<file>', 'CSV file')
    .requiredOption('--profile <name>', 'chicago | houston | portland-nij | generic')
    .option('--mapping <file>', 'column mapping JSON (generic profile)')
    .option('--source <name>', 'source name (default: the profile\'s)')
    .option('--taxonomy <file>', 'incident type → origin taxonomy', 'config/taxonomy.json')
    .option('--skip-invalid', 'import valid rows and report the bad ones instead of refusing the file')
    .option('--report <file>', 'write every bad row (file, row, field, expected, got) as JSON')
    .action(async (file: string, o) => {
      const store = await openMigratedStore();
      const bar = progressBar('import');
      try {
        const profile = resolveProfile(o.profile, o.mapping);
        const ledger = await openLedger(store);
        await requirePurpose(store, ledger, CLI_ACTOR, o.source ?? profile.source, 'crime-analysis', `import ${file}`);
        const r = await importIncidentFile(store, file, profile, loadTaxonomy(o.taxonomy), {
          source: o.source, skipInvalid: !!o.skipInvalid, onProgress: (b, t) => bar.update(b, t), maxErrors: o.report ? 1_000_000 : 1000,
        });
        bar.stop();
        const entry = await recordImport(ledger, CLI_ACTOR, { datasetId: r.datasetId, source: r.source, profile: o.profile, sha256: r.sha256, rowsRead: r.rowsRead, imported: r.imported, duplicates: r.duplicates, rejected: r.errorCount });
        if (o.report) writeFileSync(o.report, JSON.stringify({ errorCount: r.errorCount, unknownTypes: r.unknownTypes, errors: r.errors }, null, 2));
        process.stdout.write(`${r.file}: ${r.rowsRead} rows read, ${r.imported} imported, ${r.duplicates} already present, ${r.errorCount} rejected (source ${r.source}, sha256 ${r.sha256.slice(0, 16)}…, log entry ${entry.index})\n`);
      } catch (e) {
        bar.stop();
        if (e instanceof ImportRejected && o.report) {
          writeFileSync(o.report, JSON.stringify({ errorCount: e.summary.errorCount, unknownTypes: e.summary.unknownTypes, errors: e.summary.errors }, null, 2));
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
    .requiredOption('--name <name>', 'layer name, e.g. city-districts')
    .option('--kind <kind>', 'jurisdiction | areas', 'areas')
    .option('--code-field <prop>', 'property with the area code')
    .option('--name-field <prop>', 'property with the area name')
    .option('--crs <epsg>', 'source CRS if the file does not declare one (GeoJSON default EPSG:4326)')
    .option('--demographics <id>', 'demographics declaration of the resident groups (config/demographics/<id>.json)')
    .action(async (file: string, o) => {
      if (o.kind !== 'jurisdiction' && o.kind !== 'areas') throw new Error('--kind must be jurisdiction or areas');
      const layer = readAreaLayer(file, { codeField: o.codeField, nameField: o.nameField, crs: o.crs });
      const store = await openMigratedStore();
      try {
        const ledger = await openLedger(store); // first: a log whose key is elsewhere refuses before the layer is saved
        const r = await saveAreaLayer(store, o.name, o.kind, layer, { demographics: o.demographics });
        await recordAreaLayer(ledger, CLI_ACTOR, { layerId: r.layerId, name: o.name, kind: o.kind, sha256: layer.sha256, areas: r.areas });
        process.stdout.write(`${file}: layer ${o.name} (${o.kind}) with ${r.areas} areas from ${layer.srcCrs}\n`);
      } finally {
        await store.close();
      }
    });
}

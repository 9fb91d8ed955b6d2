/**
 * Fairness benchmark: a person-level audit of N synthetic rows with 3 protected attributes, through the
 * columnar entry point. Prints one JSON object.   npx tsx bench/fairness.ts [rows=10000000]
 */
import { personAuditColumns } from '../src/fairness/person-audit';
import { prng } from '../src/forecast/hotspot-metrics';

const n = Number(process.argv[2] ?? 10_000_000);
const rnd = prng(42);
const predicted = new Uint8Array(n);
const label = new Uint8Array(n);
const attrs = [
  { name: 'race', labels: ['A', 'B', 'C', 'D', 'E', 'F'] },
  { name: 'sex', labels: ['female', 'male'] },
  { name: 'age', labels: ['<25', '25-45', '>45'] },
].map((a) => ({ ...a, codes: new Uint16Array(n) }));
for (let i = 0; i < n; i++) {
  for (const a of attrs) a.codes[i] = rnd() < 0.002 ? 0xffff : Math.floor(rnd() * a.labels.length);
  const risk = 0.3 + 0.1 * attrs[0].codes[i] / 6;
  label[i] = rnd() < risk ? 1 : 0;
  predicted[i] = rnd() < risk + (label[i] ? 0.3 : 0.05) ? 1 : 0;
}
const t0 = performance.now();
const report = personAuditColumns(predicted, label, attrs, { reference: { mode: 'largest' } });
const ms = performance.now() - t0;
console.log(JSON.stringify({
  bench: 'fairness', rows: n, attributes: attrs.length, auditMs: +ms.toFixed(0), groups: report.dimensions.map((d) => d.groups.length),
  missingLabels: report.dimensions.map((d) => d.missingLabels), peakRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
}, null, 2));

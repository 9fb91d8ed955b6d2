// A hashing thread of the audit (audit.ts HashPool): hashes the entry bundles it is sent.
import { parentPort } from 'node:worker_threads';
import { hashBundle } from './tile-hash.mjs';

parentPort.on('message', ({ id, bundle, width }) => {
  const r = hashBundle(bundle, width);
  parentPort.postMessage({ id, ...r }, r.hashes ? [r.hashes.buffer] : []);
});

// Entry of the cluster-index thread: a worker starts with plain Node, so register tsx before loading TypeScript
// (as the import thread does, src/store/import-worker.boot.mjs). The compiled build bundles the worker directly.
import { register } from 'tsx/esm/api';

register();
await import('./cluster-index.worker.ts');

// Entry of a reader thread: a worker starts with plain Node, so register tsx before loading TypeScript
// (as the cluster-index thread does, src/maps/cluster-index-worker.boot.mjs). The compiled build bundles the worker directly.
import { register } from 'tsx/esm/api';

register();
await import('./read.worker.ts');

// Entry of an audit thread: a worker starts with plain Node, so register tsx before loading TypeScript
// (as the import thread does, src/store/import-worker.boot.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./audit.worker.ts');

// Entry of an import thread: a worker starts with plain Node, so register tsx before loading TypeScript
// (as the log's writer thread does, src/store/log/sqlite-writer.boot.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./import.worker.ts');

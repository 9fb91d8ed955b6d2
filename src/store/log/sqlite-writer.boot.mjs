// Entry of the log's writer thread: a worker starts with plain Node, so register tsx before loading TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-writer.worker.ts');

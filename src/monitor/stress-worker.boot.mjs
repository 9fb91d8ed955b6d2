// Entry of a stress-test thread: a worker starts with plain Node, so register tsx before loading TypeScript
// (as the audit thread does, src/monitor/audit-worker.boot.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./stress.worker.ts');

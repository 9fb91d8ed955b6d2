// Entry of a forecast thread: a worker starts with plain Node, so register tsx before loading TypeScript
// (as the planning thread does, src/forecast-service/plan-worker.boot.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./forecast.worker.ts');

// A thread for test/unit/store/write-turns.test.ts: registers tsx, then runs the TypeScript side.
import { register } from 'tsx/esm/api';

register();
await import('./write-turns-side.ts');

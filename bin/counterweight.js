#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the installed package needs no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

register();
process.env.CW_CLI_MAIN = '1';
await import(join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.ts'));

#!/usr/bin/env node
// The `counterweight` command: runs the compiled JavaScript in dist/ (source maps on, so stack traces name
// the TypeScript lines). A checkout without a build, or with sources newer than it, is built first (about
// a second, once); `npm ci`, `npm install` and `npm start` build it too.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

process.setSourceMapsEnabled(true);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { build, isFresh } = await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href);
if (!isFresh()) await build();
process.env.CW_CLI_MAIN = '1';
await import(pathToFileURL(join(root, 'dist', 'cli', 'main.mjs')).href);

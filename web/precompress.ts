/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the built web app, once at build
 * time, so the server sends them as they are (@fastify/static `preCompressed`) instead of compressing
 * every response: the first load's 551 kB of script is about 150 kB over the wire. Fonts (woff2) and
 * images are compressed already and left alone. O(bytes built).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const TEXT = /\.(js|mjs|css|html|svg|json|txt|map)$/;
/** Below this a compressed copy saves too little to be worth a second file. */
const MIN_BYTES = 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'counterweight-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    closeBundle() {
      for (const f of files(outDir)) {
        if (!TEXT.test(f)) continue;
        const data = readFileSync(f);
        if (data.length < MIN_BYTES) continue;
        writeFileSync(
          `${f}.br`,
          brotliCompressSync(data, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 10,
              [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
            },
          }),
        );
        writeFileSync(`${f}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

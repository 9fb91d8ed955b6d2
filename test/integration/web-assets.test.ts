/**
 * The web app's files are sent compressed when the browser takes it (the .br and .gz copies the build
 * wrote, web/precompress.ts), byte for byte the built file once decompressed, and cached by what they are:
 * hashed assets for good, the page that names them never without asking again (else a release would not
 * show until the cache expired). A client that takes no compression gets the file as it is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../support/server';

let s: DemoServer;
const script = readdirSync('web/dist/assets').find((f) => /^index-.*\.js$/.test(f))!;
const built = (path: string) => readFileSync(`web/dist/${path}`);

beforeAll(async () => {
  s = await startDemoServer({ demo: false });
});
afterAll(async () => s?.close());

const get = (url: string, encoding?: string) =>
  s.app.inject({ method: 'GET', url, headers: encoding === undefined ? {} : { 'accept-encoding': encoding } });

describe('the web app over the wire', () => {
  it('sends the first script as brotli to a browser that takes it, the built bytes once decompressed', async () => {
    const r = await get(`/assets/${script}`, 'gzip, deflate, br');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(String(r.headers.vary)).toMatch(/accept-encoding/i);
    expect(r.rawPayload.length).toBeLessThan(built(`assets/${script}`).length / 3);
    expect(brotliDecompressSync(r.rawPayload).equals(built(`assets/${script}`))).toBe(true);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('sends gzip to a client that takes only gzip, and the file as it is to one that takes nothing', async () => {
    const gz = await get(`/assets/${script}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(built(`assets/${script}`))).toBe(true);
    for (const encoding of [undefined, 'identity', 'compress;q=1, br;q=0, gzip;q=0']) {
      const plain = await get(`/assets/${script}`, encoding);
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding'], `accept-encoding: ${encoding}`).toBeUndefined();
      expect(plain.rawPayload.equals(built(`assets/${script}`))).toBe(true);
    }
  });

  it('asks again for the page itself, at / and at any page of the app', async () => {
    for (const url of ['/', '/review', '/systems/some-system']) {
      const r = await get(url, 'gzip, deflate, br');
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['cache-control'], url).toBe('no-cache');
      const body = r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.rawPayload) : r.rawPayload;
      expect(body.equals(built('index.html')), url).toBe(true);
    }
  });

  it('serves nothing outside the built app, compressed or not', async () => {
    for (const url of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json']) {
      const r = await get(url, 'br');
      expect(r.body, url).not.toContain('"dependencies"');
    }
    // The API is not the web app: an unknown API path is a 404 problem, not the page.
    const api = await get('/api/nothing-here', 'br');
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/json/);
  });
});

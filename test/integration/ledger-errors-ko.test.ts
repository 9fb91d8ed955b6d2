import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/accounts';
import { generateKeyPair, signCheckpoint, newSigner, SIG_COSIGNATURE_V1 } from '../../src/ledger';
import { parseCheckpoint } from '../../src/ledger/checkpoint';
import { parseNote } from '../../src/ledger/note';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';

const HANGUL = /[\uac00-\ud7a3]/;

/**
 * Issue 17 item 5 for the transparency log: a proof or checkpoint the log refuses reaches the caller as a
 * problem with the log's stable reason in its message code (`ledger.<reason>…`) and parameters, and its
 * detail in Korean when the caller asks for Korean; the same request in English keeps the English text.
 */
describe.each(DIALECTS)('the log’s own errors in the caller’s language on %s', (dialect) => {
  let s: DemoServer;
  let apiKey: string;
  const witness = generateKeyPair('witness.example/w1', SIG_COSIGNATURE_V1);

  beforeAll(async () => {
    s = await startDemoServer({ demo: false, dialect, config: { witnessKeys: [witness.verifierKey] } });
    for (let i = 0; i < 3; i++)
      void s.ledger.append({ type: 'ai.output', actor: 'system:test-vendor', subjects: [], payload: { i } });
    await s.ledger.drain();
    apiKey = (await createApiKey(s.ledger, 'system:test-setup', { name: 'witness', roles: ['integration'] })).key;
  });
  afterAll(async () => s?.close());

  const cosign = (note: string, lang?: string) =>
    s.app.inject({
      method: 'POST',
      url: '/api/log/cosignatures',
      headers: { authorization: `Bearer ${apiKey}`, ...(lang ? { 'accept-language': lang } : {}) },
      payload: { note },
    });
  const checkpoint = async () => (await s.app.inject({ method: 'GET', url: '/log/checkpoint' })).body;

  it('an edited checkpoint note (its size changed) is refused with ledger.note-bad-signature, in Korean when asked', async () => {
    const note = await checkpoint();
    const size = parseCheckpoint(parseNote(note).text).size;
    const edited = note.replace(`\n${size}\n`, `\n${size + 1}\n`);
    const ko = await cosign(edited, 'ko-KR,ko;q=0.9,en;q=0.5');
    expect(ko.statusCode, ko.body).toBe(400);
    expect(ko.headers['content-type']).toMatch(/application\/problem\+json/);
    const kb = ko.json();
    expect(kb.code).toBe('ledger.note-bad-signature');
    expect(kb.params).toMatchObject({ name: s.ledger.origin, line: 5 });
    expect(kb.detail).toMatch(HANGUL);
    expect(kb.detail).toMatch(/\(5행\)$/);
    expect(kb.detail).not.toMatch(/does not verify|signature by/);
    expect(kb.errors[0]).toMatchObject({ row: 5 });

    const en = (await cosign(edited)).json();
    expect(en.code).toBe('ledger.note-bad-signature');
    expect(en.detail).toMatch(/^signature by .+ \(key [0-9a-f]{8}\) does not verify \(line 5\)$/);
    expect(en.detail).not.toMatch(HANGUL);
  });

  it('a checkpoint signed by another key is refused with ledger.note-no-trusted-signature, in Korean when asked', async () => {
    const impostor = generateKeyPair(s.ledger.origin);
    const forged = signCheckpoint(parseCheckpoint(parseNote(await checkpoint()).text), [newSigner(impostor.signerKey)]);
    const ko = (await cosign(forged, 'ko')).json();
    expect(ko.code).toBe('ledger.note-no-trusted-signature');
    expect(ko.detail).toMatch(HANGUL);
    expect(ko.detail).toContain(s.ledger.origin);
    expect(ko.detail).not.toMatch(/no signature by a trusted key/);
    const en = (await cosign(forged, 'en')).json();
    expect(en.detail).toMatch(/^no signature by a trusted key \(signed by: /);
  });

  it('an inclusion proof outside the tree is refused with ledger.index-range, in Korean when asked', async () => {
    const ask = (lang: string) =>
      s.app.inject({
        method: 'GET',
        url: '/api/log/proof/inclusion?index=7&size=3',
        headers: { 'accept-language': lang },
      });
    const ko = await ask('ko');
    expect(ko.statusCode).toBe(400);
    expect(ko.json()).toMatchObject({ code: 'ledger.index-range', params: { index: 7, size: 3 } });
    expect(ko.json().detail).toBe('인덱스 7은(는) 크기 3인 트리에 없습니다');
    expect((await ask('en')).json().detail).toBe('index 7 is not in a tree of size 3');
  });
});

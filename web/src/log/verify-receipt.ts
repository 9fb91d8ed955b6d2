/**
 * Receipt verification in the browser, with WebCrypto only (Ed25519 + SHA-256): a c2sp.org/tlog-proof
 * receipt's signed checkpoint is checked against a verifier key the visitor supplies, then the entry's
 * RFC 9162 inclusion proof is folded up to the signed root. Nothing from our server is trusted.
 * O(log n) hashes.
 */
const enc = new TextEncoder();
const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const hex = (u: Uint8Array) => [...u].map((b) => b.toString(16).padStart(2, '0')).join('');

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

/** A step's finding as an i18n key under log.check.* and its parameters; `detail` is the same in English. */
type Check = { key: string; params?: Record<string, string | number> };

/** A receipt that cannot be checked, with the finding that says why. */
class Unreadable extends Error {
  constructor(
    readonly check: Check,
    english: string,
  ) {
    super(english);
  }
}

export interface ReceiptResult {
  ok: boolean;
  steps: { label: string; ok: boolean; detail: string; check: Check }[];
  index?: number;
  size?: number;
  origin?: string;
  entry?: string;
}

/** Parse a C2SP verifier key `name+hexid+base64(0x01 || pub)`. */
function parseVkey(vkey: string) {
  // name+hexid+base64: the name has no '+', the id is 8 hex digits, the base64 key may itself contain '+'.
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  const [name, id, key] = m ? [m[1], m[2], m[3]] : [];
  const raw = key ? b64(key) : new Uint8Array();
  if (!name || !/^[0-9a-f]{8}$/.test(id ?? '') || raw.length !== 33 || raw[0] !== 1)
    throw new Unreadable({ key: 'badKey' }, 'not an Ed25519 verifier key (name+keyid+base64)');
  return { name, id, pub: raw.slice(1) };
}

export async function verifyReceipt(receipt: string, vkeyText: string): Promise<ReceiptResult> {
  const steps: ReceiptResult['steps'] = [];
  const step = (label: string, ok: boolean, detail: string, check: Check) => {
    steps.push({ label, ok, detail, check });
    return ok;
  };
  try {
    const vkey = parseVkey(vkeyText);
    const split = receipt.indexOf('\n\n');
    if (!receipt.startsWith('c2sp.org/tlog-proof@v1\n') || split < 0)
      throw new Unreadable({ key: 'notReceipt' }, 'not a c2sp.org/tlog-proof@v1 receipt');
    const head = receipt.slice(0, split).split('\n').slice(1);
    const note = receipt.slice(split + 2);
    let extra: Uint8Array | undefined;
    if (head[0]?.startsWith('extra ')) extra = b64(head.shift()!.slice(6));
    const index = Number(/^index (\d+)$/.exec(head.shift() ?? '')?.[1] ?? NaN);
    if (!Number.isSafeInteger(index)) throw new Unreadable({ key: 'noIndex' }, 'receipt has no valid index line');
    const proof = head.map(b64);
    // Signed note: body, blank line, signature lines "— name base64(keyid4 || sig64)".
    const sep = note.indexOf('\n\n');
    const body = note.slice(0, sep + 1);
    const [origin, sizeLine, rootLine] = body.split('\n');
    const size = Number(sizeLine);
    const root = b64(rootLine);
    const sigs = note
      .slice(sep + 2)
      .split('\n')
      .filter((l) => l.startsWith('\u2014 '));
    const mine = sigs
      .map((l) => l.split(' '))
      .filter(([, n, s]) => n === vkey.name && hex(b64(s).slice(0, 4)) === vkey.id);
    if (
      !step(
        'signature',
        mine.length > 0,
        mine.length ? `a signature by ${vkey.name} (key ${vkey.id})` : `no signature by ${vkey.name} (key ${vkey.id})`,
        { key: mine.length ? 'signedBy' : 'notSignedBy', params: { name: vkey.name ?? '', id: vkey.id ?? '' } },
      )
    )
      return { ok: false, steps };
    const key = await crypto.subtle.importKey('raw', vkey.pub, { name: 'Ed25519' }, false, ['verify']);
    const sig = b64(mine[0][2]).slice(4);
    const good = await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, enc.encode(body));
    if (
      !step(
        'signature',
        good,
        good
          ? 'Ed25519 signature over the checkpoint is valid'
          : 'signature does not verify: the checkpoint was altered or signed by another key',
        { key: good ? 'signatureValid' : 'signatureInvalid' },
      )
    )
      return { ok: false, steps };
    step('checkpoint', true, `${origin}, tree size ${size}, root ${rootLine}`, {
      key: 'checkpoint',
      params: { origin, size, root: rootLine },
    });
    if (!extra) throw new Unreadable({ key: 'noEntry' }, 'receipt carries no entry (extra line); paste one that does');
    // RFC 9162 §2.1.3.2: fold the proof from the leaf up.
    let r = await sha256(new Uint8Array([0]), extra);
    let fn = index;
    let sn = size - 1;
    if (index >= size)
      throw new Unreadable(
        { key: 'outside', params: { index, size } },
        `index ${index} is outside a tree of size ${size}`,
      );
    for (const p of proof) {
      if (sn === 0) throw new Unreadable({ key: 'proofTooLong' }, 'proof is longer than the tree allows');
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(new Uint8Array([1]), p, r);
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else r = await sha256(new Uint8Array([1]), r, p);
      fn >>= 1;
      sn >>= 1;
    }
    const included = sn === 0 && hex(r) === hex(root);
    step(
      'inclusion',
      included,
      included
        ? `entry ${index} is in the signed tree (${proof.length} proof hashes)`
        : 'the inclusion proof does not lead to the signed root',
      included ? { key: 'included', params: { index, hashes: proof.length } } : { key: 'notIncluded' },
    );
    return { ok: included, steps, index, size, origin, entry: new TextDecoder().decode(extra) };
  } catch (e) {
    const check = e instanceof Unreadable ? e.check : { key: 'unreadable', params: { error: (e as Error).message } };
    step('format', false, (e as Error).message, check);
    return { ok: false, steps };
  }
}

/**
 * Ed25519 keys for C2SP signed notes, in the string formats of golang.org/x/mod/sumdb/note:
 *
 *   verifier key: <name>+<hex key ID>+base64(<type byte> || 32-byte public key)
 *   signer key:   PRIVATE+KEY+<name>+<hex key ID>+base64(<type byte> || 32-byte seed)
 *
 * key ID = SHA-256(name || 0x0A || type || public key)[:4], big-endian uint32.
 * Type 0x01 signs the note text (log checkpoints); type 0x04 is a C2SP tlog-cosignature/v1
 * witness key (signs "cosignature/v1\ntime <t>\n" || text, with the timestamp in the signature).
 * The Go package defines only 0x01 signer keys; 0x04 signer keys use the same layout.
 *
 * Rotation: a log signs each checkpoint with every key in its signer list (old and new, both
 * under the origin name); verifiers trust either verifier key until the old one is retired.
 */
import * as crypto from 'node:crypto';
import { LedgerError } from './errors';
import { msg } from '../domain/messages';

export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof SIG_ED25519 | typeof SIG_COSIGNATURE_V1;

/** Signs note text; returns the signature bytes that follow the 4-byte key ID. */
export interface NoteSigner {
  name: string;
  keyId: number;
  type: SignatureType;
  sign(text: Uint8Array): Uint8Array;
}

/** Checks the signature bytes (after the key ID) of a note text. */
export interface NoteVerifier {
  name: string;
  keyId: number;
  type: SignatureType;
  publicKey: Buffer;
  verify(text: Uint8Array, sig: Uint8Array): boolean;
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function privateKeyFromSeed(seed: Uint8Array): crypto.KeyObject {
  if (seed.length !== 32) throw new LedgerError(msg('ledger.bad-key.seed', { got: seed.length }));
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyObject(pub: Uint8Array): crypto.KeyObject {
  if (pub.length !== 32) throw new LedgerError(msg('ledger.bad-key.public', { got: pub.length }));
  return crypto.createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, pub]), format: 'der', type: 'spki' });
}

/** Raw 32-byte Ed25519 public key of a seed. */
export function publicKeyFromSeed(seed: Uint8Array): Buffer {
  const der = crypto.createPublicKey(privateKeyFromSeed(seed)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

/**
 * Key names: non-empty, valid Unicode, no Unicode spaces, no '+', no control characters
 * (C2SP signed-note; same rule as Go's note package plus the note's no-control-chars rule).
 */
export function isValidKeyName(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0) return false;
  if (/[\s\u0085+\u0000-\u001f\u007f]/u.test(name)) return false;
  // lone surrogates cannot be encoded as UTF-8
  return Buffer.from(name, 'utf8').toString('utf8') === name;
}

export function checkKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new LedgerError(msg('ledger.bad-key-name', { name: JSON.stringify(name) }), [
      {
        field: 'name',
        expected: 'non-empty, no spaces, no "+", no control characters',
        got: String(name).slice(0, 80),
      },
    ]);
  }
}

/** key ID = SHA-256(name || 0x0A || type || publicKey)[:4] as a big-endian uint32. */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  const h = crypto.createHash('sha256').update(name, 'utf8').update(Buffer.of(0x0a, type)).update(publicKey).digest();
  return h.readUInt32BE(0);
}

export const keyIdHex = (id: number): string => id.toString(16).padStart(8, '0');

/** Signed message of a tlog-cosignature/v1: "cosignature/v1\ntime <t>\n" || note text. */
export function cosignedMessage(text: Uint8Array, timestamp: bigint): Buffer {
  return Buffer.concat([Buffer.from(`cosignature/v1\ntime ${timestamp.toString()}\n`, 'utf8'), text]);
}

const MAX_TIMESTAMP = 2n ** 63n - 1n;

/** Verifier key string `name+hexid+base64(type||pub)`. */
export function encodeVerifierKey(name: string, publicKey: Uint8Array, type: SignatureType = SIG_ED25519): string {
  checkKeyName(name);
  return `${name}+${keyIdHex(keyId(name, type, publicKey))}+${Buffer.concat([Buffer.of(type), publicKey]).toString('base64')}`;
}

/** Signer key string `PRIVATE+KEY+name+hexid+base64(type||seed)` (Go x/mod/sumdb/note). */
export function encodeSignerKey(name: string, seed: Uint8Array, type: SignatureType = SIG_ED25519): string {
  checkKeyName(name);
  const pub = publicKeyFromSeed(seed);
  return `PRIVATE+KEY+${name}+${keyIdHex(keyId(name, type, pub))}+${Buffer.concat([Buffer.of(type), seed]).toString('base64')}`;
}

/** Split at the first n-1 '+' only: the base64 key material may itself contain '+'. */
function splitN(s: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf('+');
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  out.push(rest);
  return out;
}

function strictBase64(s: string, what: string): Buffer {
  const b = Buffer.from(s, 'base64');
  if (s.length === 0 || b.toString('base64') !== s)
    throw new LedgerError(msg('ledger.bad-key.base64', { what }), [{ field: what }]);
  return b;
}

function checkType(t: number, what: string): SignatureType {
  if (t !== SIG_ED25519 && t !== SIG_COSIGNATURE_V1) {
    throw new LedgerError(msg('ledger.bad-key-type.unsupported', { what, type: t.toString(16).padStart(2, '0') }), [
      { field: what, expected: '0x01 (Ed25519) or 0x04 (cosignature/v1)' },
    ]);
  }
  return t;
}

export interface DecodedKey {
  name: string;
  keyId: number;
  type: SignatureType;
  /** 32-byte public key (verifier) or seed (signer). */
  key: Buffer;
}

/** Parse and check a verifier key string (key ID must match name, type and key). */
export function decodeVerifierKey(vkey: string): DecodedKey {
  const parts = splitN(vkey, 3);
  if (parts.length !== 3)
    throw new LedgerError(msg('ledger.bad-key.verifierShape'), [
      { field: 'verifier key', expected: 'name+hexid+base64' },
    ]);
  const [name, idHex, b64] = parts;
  checkKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex))
    throw new LedgerError(msg('ledger.bad-key.verifierId', { id: idHex }), [{ field: 'key ID' }]);
  const raw = strictBase64(b64, 'verifier key');
  if (raw.length !== 33)
    throw new LedgerError(msg('ledger.bad-key.verifierLength', { got: raw.length }), [{ field: 'verifier key' }]);
  const type = checkType(raw[0], 'verifier key');
  const key = raw.subarray(1);
  const id = keyId(name, type, key);
  if (keyIdHex(id) !== idHex)
    throw new LedgerError(msg('ledger.bad-key.verifierIdMismatch', { id: idHex, want: keyIdHex(id) }), [
      { field: 'key ID' },
    ]);
  return { name, keyId: id, type, key: Buffer.from(key) };
}

/** Parse and check a signer key string. */
export function decodeSignerKey(skey: string): DecodedKey {
  const parts = splitN(skey, 5);
  if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') {
    throw new LedgerError(msg('ledger.bad-key.signerShape'), [{ field: 'signer key' }]);
  }
  const [, , name, idHex, b64] = parts;
  checkKeyName(name);
  const raw = strictBase64(b64, 'signer key');
  if (raw.length !== 33)
    throw new LedgerError(msg('ledger.bad-key.signerLength', { got: raw.length }), [{ field: 'signer key' }]);
  const type = checkType(raw[0], 'signer key');
  const seed = Buffer.from(raw.subarray(1));
  const id = keyId(name, type, publicKeyFromSeed(seed));
  if (keyIdHex(id) !== idHex)
    throw new LedgerError(msg('ledger.bad-key.signerIdMismatch', { id: idHex, want: keyIdHex(id) }), [
      { field: 'key ID' },
    ]);
  return { name, keyId: id, type, key: seed };
}

export interface KeyPair {
  name: string;
  type: SignatureType;
  keyId: number;
  signerKey: string;
  verifierKey: string;
}

/** Key pair from a 32-byte seed (deterministic). */
export function keyPairFromSeed(name: string, seed: Uint8Array, type: SignatureType = SIG_ED25519): KeyPair {
  const pub = publicKeyFromSeed(seed);
  return {
    name,
    type,
    keyId: keyId(name, type, pub),
    signerKey: encodeSignerKey(name, seed, type),
    verifierKey: encodeVerifierKey(name, pub, type),
  };
}

/** Fresh random Ed25519 key pair. Type 0x01 for a log, 0x04 for a witness (cosigner). */
export function generateKeyPair(name: string, type: SignatureType = SIG_ED25519): KeyPair {
  return keyPairFromSeed(name, crypto.randomBytes(32), type);
}

/** Verifier key string for a signer key string. */
export function verifierKeyOf(skey: string): string {
  const k = decodeSignerKey(skey);
  return encodeVerifierKey(k.name, publicKeyFromSeed(k.key), k.type);
}

/**
 * A NoteSigner for a signer key string. For type 0x04 the signature is
 * timestamp (u64 big-endian, POSIX seconds from `clock`) || Ed25519 over cosignedMessage.
 */
export function newSigner(skey: string, clock: () => number = () => Date.now()): NoteSigner {
  const k = decodeSignerKey(skey);
  const priv = privateKeyFromSeed(k.key);
  if (k.type === SIG_ED25519) {
    return { name: k.name, keyId: k.keyId, type: k.type, sign: (text) => crypto.sign(null, text, priv) };
  }
  return {
    name: k.name,
    keyId: k.keyId,
    type: k.type,
    sign: (text) => {
      const t = BigInt(Math.floor(clock() / 1000));
      const ts = Buffer.alloc(8);
      ts.writeBigUInt64BE(t);
      return Buffer.concat([ts, crypto.sign(null, cosignedMessage(text, t), priv)]);
    },
  };
}

/** Timestamp (POSIX seconds) carried in a cosignature/v1 signature, or undefined if malformed. */
export function cosignatureTimestamp(sig: Uint8Array): bigint | undefined {
  if (sig.length !== 8 + 64) return undefined;
  const t = Buffer.from(sig.buffer, sig.byteOffset, 8).readBigUInt64BE(0);
  return t > MAX_TIMESTAMP ? undefined : t;
}

/** A NoteVerifier for a verifier key string (type 0x01 or 0x04). */
export function newVerifier(vkey: string): NoteVerifier {
  const k = decodeVerifierKey(vkey);
  const pub = publicKeyObject(k.key);
  if (k.type === SIG_ED25519) {
    return {
      name: k.name,
      keyId: k.keyId,
      type: k.type,
      publicKey: k.key,
      verify: (text, sig) => sig.length === 64 && crypto.verify(null, text, pub, sig),
    };
  }
  return {
    name: k.name,
    keyId: k.keyId,
    type: k.type,
    publicKey: k.key,
    verify: (text, sig) => {
      const t = cosignatureTimestamp(sig);
      if (t === undefined) return false;
      return crypto.verify(null, cosignedMessage(text, t), pub, sig.subarray(8));
    },
  };
}

import { isIP } from 'node:net';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `serve --trust-proxy` / CW_TRUST_PROXY: empty or "false" = trust no proxy (the default); "true" = any
 * peer (only when nothing but the proxy can reach the port); otherwise a comma-separated list of the
 * proxies' addresses, CIDRs, or loopback/linklocal/uniquelocal. A hop count is refused: Fastify
 * ignores it (fails closed), which would silently turn the setting off.
 */
export function parseTrustProxy(value: string | undefined, field = '--trust-proxy'): boolean | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((s) => !NAMED.has(s) && !isAddressOrCidr(s));
  if (bad.length || items.length === 0) {
    throw new InputError(
      msg('server.badTrustProxy', { value: v }),
      bad.map((b) => ({
        field,
        expected:
          'true, false, or proxy addresses/CIDRs (e.g. 10.0.0.5,192.168.1.0/24) or loopback/linklocal/uniquelocal',
        got: b,
      })),
    );
  }
  return items;
}

function isAddressOrCidr(s: string): boolean {
  const [ip, prefix, extra] = s.split('/');
  const family = isIP(ip);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

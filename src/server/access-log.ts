import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAccess } from '../privacy/oversight';
import type { ServerContext } from './context';
import { sendProblem } from './problem';
import { preview, type Where } from '../domain/errors';
import { PURPOSES, type Purpose } from '../privacy/sources';
import { langOf, msg, render } from '../domain/messages';

/** `<registered purpose>` optionally followed by `; <reference>` (a case number, a request id). */
const PURPOSE_HEADER = /^([a-z-]{3,40})(?:\s*;\s*([\p{L}\p{N} ,.'()/:#-]{3,200}))?$/u;

/** The purpose of a read, or why it was refused: a registered purpose this route serves. */
export function parsePurpose(
  header: unknown,
  serves: readonly Purpose[],
  sensitive: boolean,
): { purpose: Purpose; reference: string | null } | { problem: Where } {
  const expected = `one of ${serves.join(', ')} (optionally "; " and a case reference), recorded in the access log`;
  // A route's first purpose is the ordinary job of the people it serves, recorded when none is named;
  // sensitive routes (subject access, disclosure) and oversight reading another unit must name one.
  if (header === undefined) {
    if (!sensitive && serves.length > 0) return { purpose: serves[0], reference: null };
    return { problem: { field: 'header x-purpose', expected } };
  }
  const m = typeof header === 'string' ? PURPOSE_HEADER.exec(header.trim()) : null;
  if (!m || !(PURPOSES as readonly string[]).includes(m[1]) || !serves.includes(m[1] as Purpose)) {
    return { problem: { field: 'header x-purpose', expected, got: preview(header, 60) } };
  }
  return { purpose: m[1] as Purpose, reference: m[2] ?? null };
}

/**
 * The request's stated purpose, as the access log records it: on personal-data routes the one the
 * preHandler checked; elsewhere a registered purpose in x-purpose, or null when absent or not registered.
 */
export function purposeOf(req: FastifyRequest): string | null {
  // Only a purpose the caller stated counts here (oversight reading another unit must say why); one a
  // single-purpose route implies is still recorded in the access log.
  if (req.purpose && req.headers['x-purpose'] !== undefined)
    return req.purposeReference ? `${req.purpose}; ${req.purposeReference}` : req.purpose;
  const r = parsePurpose(req.headers['x-purpose'], PURPOSES, true);
  return 'problem' in r ? null : r.reference ? `${r.purpose}; ${r.reference}` : r.purpose;
}

/**
 * The records a request reads, as pseudonymous references, from its route parameters. A `:ref` is
 * what the caller typed (maybe a sender's raw reference): its handler records the pseudonym instead.
 */
function recordsOf(params: unknown): string[] {
  const p = (params ?? {}) as Record<string, string>;
  const out: string[] = [];
  if (p.alertId) out.push(`alert:${p.alertId}`);
  return out;
}

/**
 * Routes marked `personalData` declare the registered purposes they serve (`config.purposes`); every
 * read names one (x-purpose, implied when a route serves only one and is not 'sensitive') and is logged
 * (who, when, which records, purpose) to the access log and the transparency log before the data leaves.
 */
export function personalDataHooks(ctx: ServerContext) {
  return {
    preHandler: async (req: FastifyRequest, reply: FastifyReply) => {
      const cfg = req.routeOptions.config;
      if (!cfg?.personalData) return;
      const r = parsePurpose(req.headers['x-purpose'], cfg.purposes ?? [], cfg.personalData === 'sensitive');
      if ('problem' in r) return sendProblem(reply, 400, msg('privacy.purposeRequired'), [r.problem]);
      req.purpose = r.purpose;
      req.purposeReference = r.reference;
    },
    /**
     * Fail closed: the read is written to the access log (and the transparency log) before the data
     * leaves; if that write fails, the caller gets 503 and none of the data. Personal data is never cached.
     */
    onSend: async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (!req.routeOptions.config?.personalData) return payload;
      reply.header('cache-control', 'no-store');
      if (req.principal.kind === 'anonymous') return payload;
      // A refused purpose never reached the handler: log the attempt with what was asked.
      const purpose = req.purpose
        ? `${req.purpose}${req.purposeReference ? `; ${req.purposeReference}` : ''}`
        : `(refused) ${preview(req.headers['x-purpose'] ?? '', 60)}`;
      try {
        await recordAccess(
          ctx.store,
          ctx.ledger,
          req.principal,
          `${req.method} ${req.routeOptions.url}`,
          [...recordsOf(req.params), ...(req.accessRecords ?? [])],
          purpose,
          reply.statusCode,
        );
        return payload;
      } catch (e) {
        req.log.error({ err: String(e) }, 'access log write failed; the response was withheld');
        const detail = render(msg('privacy.accessLogFailed'), langOf(req.headers['accept-language']));
        reply.code(503).type('application/problem+json');
        return JSON.stringify({
          type: 'about:blank',
          title: 'Service unavailable',
          status: 503,
          detail,
          code: 'privacy.accessLogFailed',
        });
      }
    },
  };
}

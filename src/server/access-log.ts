import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAccess } from '../privacy/oversight';
import type { ServerContext } from './context';
import { sendProblem } from './problem';
import { langOf, msg, render } from '../domain/messages';

const PURPOSE = /^[\p{L}\p{N} ,.'()/-]{3,200}$/u;

/** The records a request reads, as pseudonymous references, from its route parameters. */
function recordsOf(params: unknown): string[] {
  const p = (params ?? {}) as Record<string, string>;
  const out: string[] = [];
  if (p.alertId) out.push(`alert:${p.alertId}`);
  if (p.ref) out.push(p.ref);
  return out;
}

/**
 * Routes marked `personalData` log every read (who, when, which records, stated purpose) to the access
 * log and the transparency log. Routes marked 'sensitive' refuse a request without an x-purpose header.
 */
export function personalDataHooks(ctx: ServerContext) {
  return {
    preHandler: async (req: FastifyRequest, reply: FastifyReply) => {
      const mode = req.routeOptions.config?.personalData;
      if (!mode) return;
      const purpose = req.headers['x-purpose'];
      if (mode === 'sensitive' && (typeof purpose !== 'string' || !PURPOSE.test(purpose))) {
        return sendProblem(reply, 400, 'state why you need this personal data', [{ field: 'header x-purpose', expected: 'the purpose of this access, 3–200 characters (recorded in the access log)' }]);
      }
    },
    /**
     * Fail closed: the read is written to the access log (and the transparency log) before the data
     * leaves; if that write fails, the caller gets 503 and none of the data. Personal data is never cached.
     */
    onSend: async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (!req.routeOptions.config?.personalData) return payload;
      reply.header('cache-control', 'no-store');
      if (req.principal.kind === 'anonymous') return payload;
      const purpose = typeof req.headers['x-purpose'] === 'string' && PURPOSE.test(req.headers['x-purpose']) ? req.headers['x-purpose'] : null;
      try {
        await recordAccess(ctx.store, ctx.ledger, req.principal, `${req.method} ${req.routeOptions.url}`, [...recordsOf(req.params), ...(req.accessRecords ?? [])], purpose, reply.statusCode);
        return payload;
      } catch (e) {
        req.log.error({ err: String(e) }, 'access log write failed; the response was withheld');
        const detail = render(msg('privacy.accessLogFailed'), langOf(req.headers['accept-language']));
        reply.code(503).type('application/problem+json');
        return JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, detail, code: 'privacy.accessLogFailed' });
      }
    },
  };
}

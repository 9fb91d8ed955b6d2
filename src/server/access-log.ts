import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAccess } from '../privacy/oversight';
import type { ServerContext } from './context';
import { sendProblem } from './problem';

const PURPOSE = /^[\p{L}\p{N} ,.'()/-]{3,200}$/u;

/** The request's stated purpose (x-purpose header), or null when absent or malformed. */
export function purposeOf(req: FastifyRequest): string | null {
  const p = req.headers['x-purpose'];
  return typeof p === 'string' && PURPOSE.test(p) ? p : null;
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
    onResponse: async (req: FastifyRequest, reply: FastifyReply) => {
      if (!req.routeOptions.config?.personalData || req.principal.kind === 'anonymous') return;
      const purpose = purposeOf(req);
      await recordAccess(ctx.store, ctx.ledger, req.principal, `${req.method} ${req.routeOptions.url}`, [...recordsOf(req.params), ...(req.accessRecords ?? [])], purpose, reply.statusCode).catch((e) => req.log.error({ err: String(e) }, 'access log write failed'));
    },
  };
}

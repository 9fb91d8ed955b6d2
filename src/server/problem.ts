import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AccessError, InputError, NotFoundError, StateError, type Where } from '../domain/errors';
import { langOf, msg, render, type Message, type MessageCode, type MessageParams } from '../domain/messages';

/** RFC 9457 problem details. `errors` names every failing field (JSON pointer into the request). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Where[];
  /** Stable message code (see domain/messages.ts) and its parameters, for clients that translate. */
  code?: MessageCode;
  params?: MessageParams;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Busy',
};

/**
 * Send a problem. `detail` is either English text or a `Message`, rendered in the language the request
 * asks for (Accept-Language) and sent with its code and parameters.
 */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  detail: string | Message,
  errors?: Where[],
  instance?: string,
): FastifyReply {
  const lang = langOf(reply.request?.headers['accept-language']);
  const text = typeof detail === 'string' ? detail : render(detail, lang);
  const coded =
    typeof detail === 'string' ? {} : { code: detail.code, ...(detail.params ? { params: detail.params } : {}) };
  const body: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: text,
    instance,
    ...coded,
    ...(errors?.length ? { errors: errors.map((w) => whereIn(w, lang)) } : {}),
  };
  return reply.code(status).type('application/problem+json').send(body);
}

/** A row-level finding with `expected` in the caller's language when it carries a message code. */
function whereIn(w: Where, lang: ReturnType<typeof langOf>): Where {
  return w.expectedCode ? { ...w, expected: render({ code: w.expectedCode, params: w.expectedParams }, lang) } : w;
}

function detailOf(err: InputError | AccessError | StateError | NotFoundError): string | Message {
  return err.messageCode ? { code: err.messageCode, params: err.messageParams } : err.message;
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const instance = req.url.split('?')[0];
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validation.map((v) => ({
      field: `${err.validationContext ?? 'body'}${v.instancePath || ''}`,
      expected: v.message ?? 'a valid value',
    }));
    return sendProblem(
      reply,
      400,
      msg('server.invalid', { part: err.validationContext ?? 'request' }),
      where,
      instance,
    );
  }
  if (err instanceof InputError) return sendProblem(reply, err.status, detailOf(err), err.where, instance);
  if (err instanceof AccessError || err instanceof StateError || err instanceof NotFoundError) {
    // A refusal for now (a full work queue): say when to come back.
    const retry = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retry === 'number') reply.header('retry-after', String(retry));
    return sendProblem(reply, err.status, detailOf(err), undefined, instance);
  }
  const status = err.statusCode ?? 500;
  if (status === 413) return sendProblem(reply, 413, msg('server.tooLarge'), undefined, instance);
  if (status === 415) return sendProblem(reply, 415, err.message, undefined, instance);
  if (status >= 400 && status < 500) return sendProblem(reply, status, err.message, undefined, instance);
  // The log line (with reqId) has the cause for the operator; the caller gets only the id to quote.
  req.log.error({ err: { message: err.message, stack: err.stack } }, 'unhandled error');
  return sendProblem(reply, 500, msg('server.internal', { requestId: String(req.id) }), undefined, instance);
}

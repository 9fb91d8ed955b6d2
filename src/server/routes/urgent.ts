/**
 * Urgent alerts (issue 24): the review page's push stream (server-sent events), acknowledgement,
 * protective and coercive actions, and response-time statistics. SQL and rules live in
 * src/review/urgent.ts; these routes parse, authorise and shape the reply.
 */
import { z } from 'zod';
import { InputError } from '../../domain/errors';
import { msg } from '../../domain/messages';
import type { PushEvent } from '../../review/push';
import { acknowledge, ActionInputSchema, openPushStream } from '../../review/urgent';
import type { RouteModule } from '../context';

const alertParams = z.object({ alertId: z.string().regex(/^alert-[0-9a-f]{16}$/) });
/** Streams refuse more than this unsent backlog: the client reconnects with Last-Event-ID and is replayed what it missed. */
const MAX_BACKLOG_BYTES = 1 << 20;

function lastEventId(header: string | string[] | undefined, query: string | undefined): number | null {
  const v = (Array.isArray(header) ? header[0] : header) ?? query;
  if (v === undefined || v === '') return null;
  if (!/^\d{1,15}$/.test(v))
    throw new InputError(msg('urgent.badLastEventId'), [
      { field: 'header Last-Event-ID', expected: 'a log index (a whole number)', got: v.slice(0, 40) },
    ]);
  return Number(v);
}

export const urgentRoutes: RouteModule = (app, { services, urgent }) => {
  const open = new Set<() => void>();
  // Open streams would hold the server open: end them as it closes (clients reconnect elsewhere).
  app.addHook('preClose', (done) => {
    for (const end of [...open]) end();
    done();
  });

  app.get(
    '/api/review/stream',
    {
      config: { roles: ['officer', 'supervisor'] },
      schema: {
        tags: ['review'],
        summary:
          "Server-sent events for a reviewer on shift: their unit's urgent alerts as they arrive and what is escalated to them or their unit (ids are log indexes; reconnect with Last-Event-ID to be replayed what you missed). Events carry no personal data: open the alert to read it (logged).",
        querystring: z.object({ lastEventId: z.string().max(20).optional() }).strict(),
      },
    },
    async (req, reply) => {
      // Only an event-stream client (EventSource sends this) gets a stream that stays open.
      if (!String(req.headers.accept ?? '').includes('text/event-stream'))
        throw new InputError(
          msg('urgent.acceptEventStream'),
          [
            {
              field: 'header Accept',
              expected: 'text/event-stream',
              got: String(req.headers.accept ?? '').slice(0, 60),
            },
          ],
          406,
        );
      const since = lastEventId(req.headers['last-event-id'], req.query.lastEventId);
      const raw = reply.raw;
      let ready = false;
      let closed = false;
      const early: PushEvent[] = [];
      const timers: NodeJS.Timeout[] = [];
      let stream: Awaited<ReturnType<typeof openPushStream>> | null = null;
      const end = () => {
        if (closed) return;
        closed = true;
        stream?.unsubscribe();
        for (const t of timers) clearTimeout(t);
        open.delete(end);
        raw.end();
      };
      const write = (chunk: string) => {
        if (closed) return;
        raw.write(chunk);
        if (raw.writableLength > MAX_BACKLOG_BYTES) end();
      };
      const frame = (ev: PushEvent) => `id: ${ev.id}\nevent: ${ev.type}\ndata: ${JSON.stringify(ev.data)}\n\n`;
      const send = (ev: PushEvent) => (ready ? write(frame(ev)) : early.push(ev));
      // Refusals (not on shift, no unit) come back as problem+json before the stream starts.
      stream = await services.review.openPushStream(urgent, req.principal, since, send);
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: 2000\n: unit ${stream.unit}\n\n`);
      ready = true;
      for (const ev of early) write(frame(ev));
      open.add(end);
      req.raw.on('close', end);
      const hb = setInterval(() => write(': heartbeat\n\n'), urgent.policy.heartbeatSeconds * 1000);
      hb.unref();
      timers.push(hb as unknown as NodeJS.Timeout);
      // The stream lasts the shift: a reviewer off shift receives nothing more.
      const left = Date.parse(stream.endsAt) - Date.now();
      const t = setTimeout(end, Math.max(0, Math.min(left, 2 ** 31 - 1)));
      t.unref();
      timers.push(t);
    },
  );

  app.post(
    '/api/alerts/:alertId/acknowledge',
    {
      config: { roles: ['officer', 'supervisor'], unitScope: 'alert' },
      schema: {
        tags: ['review'],
        summary:
          'Say you have seen an urgent alert: its escalation stops (your unit on shift, or a unit it was escalated to). Logged.',
        params: alertParams,
        response: {
          200: z.object({
            alertId: z.string(),
            acknowledgedAt: z.string(),
            secondsToAcknowledge: z.number(),
            step: z.number(),
            logIndex: z.number(),
          }),
        },
      },
    },
    async (req) => services.review.acknowledge(req.principal, req.params.alertId),
  );

  app.post(
    '/api/alerts/:alertId/actions',
    {
      config: { roles: ['officer', 'supervisor'], unitScope: 'alert' },
      schema: {
        tags: ['review'],
        summary:
          'Record an action on an alert with why: protective (contact the victim, dispatch to the victim, crowd control, warning broadcast) at once without corroboration; coercive (stop, search, arrest, warrant) only with your own corroborating evidence. Logged.',
        params: alertParams,
        body: ActionInputSchema,
        response: {
          201: z.object({ id: z.string(), logIndex: z.number(), kind: z.string(), action: z.string(), at: z.string() }),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await services.review.takeAction(req.principal, req.params.alertId, req.body)),
  );

  app.get(
    '/api/review/response',
    {
      config: { roles: ['supervisor', 'oversight'] },
      schema: {
        tags: ['review'],
        summary:
          'Time to acknowledge and time to act per alert kind and unit, the share that met each target, and every escalation (supervisors: their unit)',
        querystring: z
          .object({
            unit: z.string().max(64).optional(),
            kind: z.string().max(64).optional(),
            since: z.string().datetime().optional(),
          })
          .strict(),
      },
    },
    async (req) =>
      services.review.responseStats({
        unit: req.principal.roles.includes('oversight') ? req.query.unit : (req.principal.unit ?? '__none__'),
        kind: req.query.kind,
        since: req.query.since,
      }),
  );
};

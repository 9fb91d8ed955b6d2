/** Request shapes several route files share (one definition, so a system id is checked the same everywhere). */
import { z } from 'zod';

export const SystemId = z.string().regex(/^sys-[0-9a-f]{12}$/);
/** `:id` of a registered system. */
export const SystemParams = z.object({ id: SystemId });
/** `:id/versions/:version` of a registered system. */
export const SystemVersionParams = z.object({ id: SystemId, version: z.coerce.number().int().min(1) });

/** A text/csv body as a string (Fastify hands raw bodies over as a Buffer). */
export function textBody(body: unknown): string {
  return Buffer.isBuffer(body) ? body.toString('utf8') : String(body ?? '');
}

/** The id a client chooses for a long run, to follow it at GET /api/jobs/{jobId} while its POST runs. */
export const JobId = z
  .string()
  .uuid()
  .describe('an id you choose (UUID), to follow progress at GET /api/jobs/{jobId} while this request runs');

/** Whose a run job is: the person (or key) that started it; nobody else reads it. */
export const jobOwner = (p: { kind: string; id: string | null }) => `${p.kind}:${p.id}`;

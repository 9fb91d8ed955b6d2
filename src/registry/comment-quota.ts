import { sql } from 'kysely';
import { AccessError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Executor } from '../store/db';

/** Accepted public comments per system per UTC day unless configured (`serve --comment-cap`). */
export const DEFAULT_COMMENT_CAP = 100;

/**
 * Take one of today's (UTC) comment slots for a system, or refuse with 429 when `cap` are taken.
 * One atomic upsert: the counter only moves while below the cap, so concurrent requests on several
 * servers can never push it past the cap (a conditional DO UPDATE returns no row when refused).
 */
export async function takeCommentSlot(db: Executor, systemId: string, cap: number, now = new Date()): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  const taken =
    cap >= 1 &&
    (await db
      .insertInto('comment_quota')
      .values({ system_id: systemId, day, count: 1 })
      .onConflict((oc) =>
        oc
          .columns(['system_id', 'day'])
          .doUpdateSet({ count: sql`comment_quota.count + 1` })
          .where('comment_quota.count', '<', cap),
      )
      .returning('count')
      .executeTakeFirst());
  if (!taken) {
    const reopensAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
      .toISOString()
      .replace('.000Z', 'Z');
    throw new AccessError(msg('server.commentCap', { cap, reopensAt }), 429);
  }
}

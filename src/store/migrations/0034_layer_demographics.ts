import type { Kysely } from 'kysely';
import type { Dialect } from './util';

/**
 * An area layer names the demographics declaration (config/demographics/<id>.json) that says which of
 * its properties count residents by group; the place audit, the fair mission planner, the trade-off
 * curve and the stress test read residents through it. Null: the layer declares no demographics.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('area_layers').addColumn('demographics', 'text').execute();
}

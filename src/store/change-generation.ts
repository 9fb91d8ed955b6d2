import type { Executor } from './db';

/**
 * The change generation (migration 0037): a counter that triggers move on every change to API keys,
 * disabled users, system versions, data sources and settings, from any server or thread. What a server
 * read from those tables stays true while the counter stands still, so one primary-key read can stand
 * in for several. A change that commits between reading the counter and reading the tables is seen by
 * the table read and only cached under the older counter, which the next request no longer matches.
 */
export async function changeGeneration(db: Executor): Promise<number> {
  const r = await db.selectFrom('change_generation').select('n').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Values read from the watched tables, per database connection, dropped whenever the generation moves. */
class GenerationCache {
  private generation = -1;
  private readonly values = new Map<string, unknown>();

  async get<V>(generation: number, key: string, load: () => Promise<V>): Promise<V> {
    if (generation !== this.generation) {
      this.values.clear();
      this.generation = generation;
    }
    if (this.values.has(key)) return this.values.get(key) as V;
    const v = await load();
    if (this.values.size >= 10_000) this.values.clear(); // bounded: one entry per system or key asked about
    this.values.set(key, v);
    return v;
  }
}

const caches = new WeakMap<Executor, GenerationCache>();

/**
 * `load()` once per generation and key for this database handle. Read the generation first (one query),
 * then call this for each check: O(1) per check while nothing watched has changed.
 */
export function whileUnchanged<V>(db: Executor, generation: number, key: string, load: () => Promise<V>): Promise<V> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new GenerationCache()));
  return c.get(generation, key, load);
}

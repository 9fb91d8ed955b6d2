import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccessError, StateError } from '../../../src/domain/errors';
import { WorkQueue, type WorkLimits } from '../../../src/store/work-queue';

const tick = () => new Promise<void>((r) => setImmediate(r));

/** A job the test finishes when it chooses. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return { done, finish };
}

describe('WorkQueue: heavy background work is admitted, queued in order, or refused with a time to retry', () => {
  it('matches a simple model over random submissions and finishes (fast-check)', async () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('submit' as const), owner: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ t: fc.constant('finish' as const), pick: fc.nat() }),
    );
    const limits = fc.record({
      running: fc.integer({ min: 1, max: 3 }),
      waiting: fc.integer({ min: 0, max: 4 }),
      perOwner: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(limits, fc.array(op, { maxLength: 60 }), async (l: WorkLimits, ops) => {
        const q = new WorkQueue(l);
        // The model: which jobs run, which wait (in order), how many each owner has.
        const running: { id: number; finish: () => void }[] = [];
        const waiting: number[] = [];
        const owned = new Map<number, number>();
        const ownerOf = new Map<number, number>();
        const started: number[] = [];
        const ran = new Map<number, number>();
        const expectedStarts: number[] = [];
        const jobs = new Map<number, ReturnType<typeof held>>();
        let nextId = 0;
        for (const o of ops) {
          if (o.t === 'submit') {
            const id = nextId++;
            const h = held();
            jobs.set(id, h);
            const mine = owned.get(o.owner) ?? 0;
            const expect429 = mine >= l.perOwner;
            const expect503 = !expect429 && running.length >= l.running && waiting.length >= l.waiting;
            let refused: unknown;
            void q
              .run(
                `person:${o.owner}`,
                async () => {
                  ran.set(id, (ran.get(id) ?? 0) + 1);
                  await h.done;
                },
                () => started.push(id),
              )
              .catch((e) => (refused = e));
            await tick();
            if (expect429) {
              expect(refused).toBeInstanceOf(AccessError);
              expect((refused as AccessError).status).toBe(429);
              expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
            } else if (expect503) {
              expect(refused).toBeInstanceOf(StateError);
              expect((refused as StateError).status).toBe(503);
            } else {
              expect(refused).toBeUndefined();
              owned.set(o.owner, mine + 1);
              ownerOf.set(id, o.owner);
              if (running.length < l.running) {
                running.push({ id, finish: h.finish });
                expectedStarts.push(id);
              } else waiting.push(id);
            }
          } else if (running.length) {
            const [job] = running.splice(o.pick % running.length, 1);
            job.finish();
            await tick();
            await tick();
            const owner = ownerOf.get(job.id)!;
            owned.set(owner, owned.get(owner)! - 1);
            const nextUp = waiting.shift();
            if (nextUp !== undefined) {
              running.push({ id: nextUp, finish: jobs.get(nextUp)!.finish });
              expectedStarts.push(nextUp);
            }
          }
          expect(started).toEqual(expectedStarts); // first come, first started; never more than `running`
          expect(q.counts).toEqual({ running: running.length, waiting: waiting.length });
        }
        // Everything admitted runs exactly once.
        while (running.length) {
          running.shift()!.finish();
          await tick();
          await tick();
          const nextUp = waiting.shift();
          if (nextUp !== undefined) running.push({ id: nextUp, finish: jobs.get(nextUp)!.finish });
        }
        expect([...ran.values()].every((n) => n === 1)).toBe(true);
        expect(ran.size).toBe(ownerOf.size); // every admitted job, and no refused one
        expect(q.counts).toEqual({ running: 0, waiting: 0 });
      }),
      { numRuns: 150 },
    );
  });

  it('a job that fails frees its turn for the next', async () => {
    const q = new WorkQueue({ running: 1, waiting: 1, perOwner: 2 });
    const first = q.run('a', async () => {
      throw new Error('boom');
    });
    const second = q.run('b', async () => 'ran');
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('ran');
    expect(q.counts).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses limits that would admit nothing', () => {
    expect(() => new WorkQueue({ running: 0, waiting: 1, perOwner: 1 })).toThrow(/running/);
    expect(() => new WorkQueue({ running: 1, waiting: 1, perOwner: 0.5 })).toThrow(/perOwner/);
  });
});

/**
 * Admission for this server's heavy background work (imports and bias audits, each on a thread of its
 * own; forecasts, backtests and reproductions, in steps on the serving thread): at most `running` at once, the rest wait in arrival order. Without it every upload started its
 * own thread at once, so a few people (or one, with several tabs) could hold every core and as many
 * files' worth of memory as they sent. Refused, with a time to retry, when `waiting` jobs already wait
 * (503: the server is busy) or when the caller already has `perOwner` jobs running or waiting (429).
 * Per server process, in memory, like the job registries that use it. O(1) per admission and per finish.
 */
import { AccessError, StateError } from '../domain/errors';
import { msg } from '../domain/messages';

export interface WorkLimits {
  /** Jobs running at once. */
  running: number;
  /** Jobs waiting for a turn, all people together. */
  waiting: number;
  /** Jobs one person may have running or waiting. */
  perOwner: number;
}

/** Seconds a refused caller is told to wait before trying again (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 30;

/** A refusal that carries the time to retry, for the Retry-After header. */
export interface RetryAfter {
  retryAfterSeconds: number;
}

export class WorkQueue {
  private active = 0;
  /** FIFO of waiting jobs' start functions; `head` indexes the next, so dequeuing is O(1). */
  private queue: (() => void)[] = [];
  private head = 0;
  private readonly perOwnerCount = new Map<string, number>();

  constructor(readonly limits: WorkLimits) {
    for (const [k, v] of Object.entries(limits))
      if (!Number.isInteger(v) || v < (k === 'waiting' ? 0 : 1))
        throw new Error(`WorkQueue: ${k} must be a whole number ≥ ${k === 'waiting' ? 0 : 1}, got ${v}`);
  }

  /** Jobs running now and waiting now (for /metrics and tests). */
  get counts(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.queue.length - this.head };
  }

  /**
   * Run `work` for `owner` once a turn is free; `onStart` is called when it starts (a job still waiting
   * shows as queued until then). Refuses at once, before waiting, when the queue or the owner is full.
   */
  async run<T>(owner: string, work: () => Promise<T>, onStart: () => void = () => {}): Promise<T> {
    const mine = this.perOwnerCount.get(owner) ?? 0;
    if (mine >= this.limits.perOwner)
      throw withRetry(new AccessError(msg('jobs.tooManyOfYours', { count: this.limits.perOwner }), 429));
    const mustWait = this.active >= this.limits.running;
    if (mustWait && this.queue.length - this.head >= this.limits.waiting)
      throw withRetry(new StateError(msg('jobs.serverBusy', { seconds: RETRY_AFTER_SECONDS }), 503));
    this.perOwnerCount.set(owner, mine + 1);
    try {
      if (mustWait) await new Promise<void>((start) => this.queue.push(start));
      else this.active++;
      onStart();
      return await work();
    } finally {
      const left = (this.perOwnerCount.get(owner) ?? 1) - 1;
      if (left === 0) this.perOwnerCount.delete(owner);
      else this.perOwnerCount.set(owner, left);
      this.next();
    }
  }

  /** A turn is free: hand it to the longest-waiting job (the turn passes on, `active` stays), or release it. */
  private next(): void {
    if (this.head < this.queue.length) {
      const start = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      start();
    } else this.active--;
  }
}

function withRetry<E extends Error>(e: E): E & RetryAfter {
  return Object.assign(e, { retryAfterSeconds: RETRY_AFTER_SECONDS });
}

/**
 * The in-process push hub and the dispatch webhook sender for urgent alerts (issue 24). Neither ever
 * blocks intake: publishing is a synchronous walk over the open streams, and the webhook is a bounded
 * queue drained in the background with retries and backoff.
 *
 * Events carry no personal data (no subject, place, output or explanation): a reviewer opens the alert
 * through the purposed, access-logged read. Event ids are log indexes, so a client reconnecting with
 * Last-Event-ID is replayed what it missed from the database (see urgent.ts: replayEvents).
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface PushEvent {
  /** The log index of the entry the event reports (the alert's intake, or the escalation step). */
  id: number;
  type: 'alert' | 'escalation';
  /** Delivered to subscribers of this unit … */
  unit: string;
  /** … and, when set, only to this person (the duty supervisor an alert was escalated to). */
  userId?: string | null;
  data: Record<string, string | number | null>;
}

export interface Subscriber {
  unit: string;
  userId: string;
  send(ev: PushEvent): void;
}

export class PushHub {
  private readonly byUnit = new Map<string, Set<Subscriber>>();

  subscribe(sub: Subscriber): () => void {
    let set = this.byUnit.get(sub.unit);
    if (!set) this.byUnit.set(sub.unit, (set = new Set()));
    set.add(sub);
    return () => {
      set!.delete(sub);
      if (set!.size === 0 && this.byUnit.get(sub.unit) === set) this.byUnit.delete(sub.unit);
    };
  }

  /** O(subscribers of the event's unit): another unit's streams are never looked at. */
  publish(ev: PushEvent): number {
    let n = 0;
    for (const s of this.byUnit.get(ev.unit) ?? []) {
      if (ev.userId && s.userId !== ev.userId) continue;
      try {
        s.send(ev);
        n++;
      } catch {
        // A broken stream is closed by its own route; the others still get the event.
      }
    }
    return n;
  }

  get subscribers(): number {
    let n = 0;
    for (const s of this.byUnit.values()) n += s.size;
    return n;
  }
}

export interface WebhookConfig {
  url: string | null;
  secret: string | null;
  maxAttempts: number;
  initialBackoffMs: number;
  timeoutMs: number;
  queueLimit: number;
}

interface Job {
  id: string;
  body: string;
  attempt: number;
}

/** The header a receiver checks: `v1=` HMAC-SHA256 (hex) of `${timestamp}.${body}` under the shared secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Sends urgent alerts to the agency's dispatch system: POST JSON, signed (x-counterweight-signature over
 * x-counterweight-timestamp and the body), retried on failure or a non-2xx answer with exponential backoff
 * (initialBackoffMs·2^(attempt−1), at most a minute) up to maxAttempts. At most 4 requests in flight; a
 * full queue drops its oldest job (counted). In memory: jobs pending at shutdown are not resent (the
 * dispatch system can read what it missed from the review API).
 */
export class DispatchWebhook {
  private readonly queue: Job[] = [];
  private inFlight = 0;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly counts = { queued: 0, delivered: 0, retried: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly cfg: WebhookConfig,
    private readonly onFailure: (e: {
      deliveryId: string;
      attempt: number;
      error: string;
      final: boolean;
    }) => void = () => undefined,
  ) {
    if (cfg.url && !cfg.secret) throw new Error('DispatchWebhook: a URL without a signing secret');
  }

  get enabled(): boolean {
    return Boolean(this.cfg.url) && !this.closed;
  }

  /** O(1); never awaits. */
  enqueue(payload: Record<string, unknown>): void {
    if (!this.enabled) return;
    if (this.queue.length >= this.cfg.queueLimit) {
      this.queue.shift();
      this.counts.dropped++;
    }
    const id = randomUUID();
    this.queue.push({ id, body: JSON.stringify({ deliveryId: id, ...payload }), attempt: 0 });
    this.counts.queued++;
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.inFlight < 4 && this.queue.length) {
      const job = this.queue.shift()!;
      this.inFlight++;
      void this.send(job).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(job: Job): Promise<void> {
    job.attempt++;
    const ts = String(Math.floor(Date.now() / 1000));
    let error: string | null = null;
    try {
      const res = await fetch(this.cfg.url!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-counterweight-timestamp': ts,
          'x-counterweight-signature': webhookSignature(this.cfg.secret!, ts, job.body),
          'x-counterweight-delivery': job.id,
        },
        body: job.body,
        signal: AbortSignal.timeout(this.cfg.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) {
        this.counts.delivered++;
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const final = job.attempt >= this.cfg.maxAttempts || this.closed;
    this.onFailure({ deliveryId: job.id, attempt: job.attempt, error, final });
    if (final) {
      this.counts.failed++;
      return;
    }
    this.counts.retried++;
    const delay = Math.min(60_000, this.cfg.initialBackoffMs * 2 ** (job.attempt - 1));
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.closed) return;
      this.queue.unshift(job);
      this.pump();
    }, delay);
    t.unref();
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

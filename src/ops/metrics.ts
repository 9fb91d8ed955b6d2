/**
 * Prometheus metrics of one server: what an operator needs to tell whether the service is healthy.
 *
 * - counterweight_http_request_duration_seconds{method,route,status_code}: request latency (route is
 *   the route's template, never the raw URL, so ids do not multiply the series).
 * - counterweight_log_entries_total, counterweight_log_batch_size: the transparency log's growth (rate()
 *   gives appends/s) and the entries per signed checkpoint, i.e. per commit (group commit at work).
 *   Both are read from the database at scrape time, so they count every server's appends.
 * - counterweight_review_queue_depth / _oldest_seconds: alerts waiting for a human decision.
 * - counterweight_monitor_breaches_total, counterweight_systems_paused: outcome monitors and their pauses.
 * - counterweight_import_*: imports running in this process (bytes and rows read, rows published).
 * - counterweight_map_index_builds_total{on}: the map's cluster indexes built on their own thread or (in-memory
 *   databases, or when that thread failed: counterweight_map_index_thread_failures_total) on the serving thread.
 * - process_* and nodejs_*: prom-client's defaults (memory, CPU, event-loop delay, GC).
 *
 * Database figures cost a few indexed counts per scrape (O(checkpoints since the last scrape) for the
 * batch sizes); nothing is added to the request path but one histogram observation.
 */
import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AccessError } from '../domain/errors';
import { msg } from '../domain/messages';
import type { Store } from '../store/db';
import { clusterIndexBuilds } from '../maps/cluster-index-thread';
import { importsInProgress } from '../store/import-jobs';
import type { WorkQueue } from '../store/work-queue';

export interface MetricsAccess {
  /** Bearer token a scraper must send; without one, only loopback clients with no forwarded headers may scrape. */
  token?: string;
}

export interface ServerMetrics {
  registry: Registry;
  /** Record one answered request. O(1). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Refuses (AccessError) a scrape the configuration does not allow. */
  checkAccess(req: { authorization?: string; forwarded: boolean; remoteAddress?: string }): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function serverMetrics(store: Store, access: MetricsAccess, work?: WorkQueue): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'counterweight_http_request_duration_seconds',
    help: 'HTTP request latency by route template and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  // The log: entries counted from its stored size; batch sizes from the checkpoints signed since the last
  // scrape. prom-client collects metrics concurrently, so both wait on one shared read per scrape.
  let seenSize: number | undefined;
  let reading: Promise<void> | undefined;
  const readLog = () =>
    (reading ??= (async () => {
      const state = await store.db.selectFrom('ledger_state').select('size').where('id', '=', 1).executeTakeFirst();
      const size = Number(state?.size ?? 0);
      if (seenSize === undefined) entries.inc(size);
      else if (size > seenSize) {
        entries.inc(size - seenSize);
        const sizes = await store.db
          .selectFrom('ledger_checkpoints')
          .select('size')
          .where('size', '>', seenSize)
          .where('size', '<=', size)
          .orderBy('size')
          .execute();
        let prev = seenSize;
        for (const r of sizes) {
          batch.observe(Number(r.size) - prev);
          prev = Number(r.size);
        }
      }
      seenSize = Math.max(seenSize ?? 0, size);
    })().finally(() => (reading = undefined)));
  const entries = new Counter({
    name: 'counterweight_log_entries_total',
    help: 'Entries in the transparency log (all servers); rate() is the append rate',
    registers: [registry],
    collect: readLog,
  });
  const batch = new Histogram({
    name: 'counterweight_log_batch_size',
    help: 'Entries per signed checkpoint (one per commit) since the server started',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096],
    registers: [registry],
    collect: readLog,
  });

  new Gauge({
    name: 'counterweight_review_queue_depth',
    help: 'Alerts waiting for a human review decision',
    registers: [registry],
    async collect() {
      const r = await store.db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'pending')
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      this.set(Number(r?.n ?? 0));
    },
  });
  new Gauge({
    name: 'counterweight_review_queue_oldest_seconds',
    help: 'Age of the oldest alert waiting for review (0: none)',
    registers: [registry],
    async collect() {
      const r = await store.db
        .selectFrom('alerts')
        .select((eb) => eb.fn.min('received_at').as('oldest'))
        .where('status', '=', 'pending')
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst();
      this.set(r?.oldest ? Math.max(0, (Date.now() - Date.parse(String(r.oldest))) / 1000) : 0);
    },
  });
  new Counter({
    name: 'counterweight_monitor_breaches_total',
    help: 'Outcome monitor runs that found a breach (each pauses its system)',
    registers: [registry],
    async collect() {
      const r = await store.db
        .selectFrom('monitor_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('breached', '=', 1)
        .executeTakeFirst();
      this.reset();
      this.inc(Number(r?.n ?? 0));
    },
  });
  new Gauge({
    name: 'counterweight_systems_paused',
    help: 'AI systems paused now (automatically or by oversight)',
    registers: [registry],
    async collect() {
      const r = await store.db
        .selectFrom('system_versions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('state', '=', 'paused')
        .executeTakeFirst();
      this.set(Number(r?.n ?? 0));
    },
  });

  const importGauge = (name: string, help: string, pick: (j: ReturnType<typeof importsInProgress>[number]) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(importsInProgress().reduce((s, j) => s + pick(j), 0));
      },
    });
  importGauge('counterweight_imports_running', 'Imports reading or publishing in this server', () => 1);
  if (work)
    new Gauge({
      name: 'counterweight_background_jobs',
      help: 'Imports and audits of this server running, and waiting for a turn (--background-jobs)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const c = work.counts;
        this.set({ state: 'running' }, c.running);
        this.set({ state: 'waiting' }, c.waiting);
      },
    });
  importGauge('counterweight_import_bytes_read', 'Bytes read so far by the running imports', (j) => j.bytesRead);
  importGauge('counterweight_import_bytes_total', 'Size of the files the running imports read', (j) => j.totalBytes);
  importGauge('counterweight_import_rows_read', 'Rows parsed so far by the running imports', (j) => j.rowsRead);
  importGauge(
    'counterweight_import_rows_published',
    'Rows published so far by the running imports',
    (j) => j.rowsPublished,
  );

  new Counter({
    name: 'counterweight_map_index_builds_total',
    help: "The map's cluster indexes built, on their own thread or on the serving thread",
    labelNames: ['on'],
    registers: [registry],
    collect() {
      const b = clusterIndexBuilds();
      this.reset();
      this.inc({ on: 'own-thread' }, b.ownThread);
      this.inc({ on: 'serving-thread' }, b.servingThread);
    },
  });
  new Counter({
    name: 'counterweight_map_index_thread_failures_total',
    help: "Times the map's index thread failed and the serving thread built the index instead",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(clusterIndexBuilds().threadFailures);
    },
  });

  const token = access.token ? Buffer.from(access.token, 'utf8') : undefined;
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.observe({ method, route, status_code: String(status) }, seconds);
    },
    checkAccess({ authorization, forwarded, remoteAddress }) {
      if (token) {
        const sent = Buffer.from(authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : '', 'utf8');
        if (sent.length === token.length && timingSafeEqual(sent, token)) return;
        throw new AccessError(msg('metrics.badToken'), 401);
      }
      // Without a token: the machine itself only. A request relayed by a proxy on this machine is not.
      if (forwarded || !remoteAddress || !LOOPBACK.has(remoteAddress))
        throw new AccessError(msg('metrics.localOnly'), 403);
    },
  };
}

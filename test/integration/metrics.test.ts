import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSystem } from '../support/active-system';
import { startDemoServer, type DemoServer } from '../support/server';
import { DIALECTS } from '../support/stores';
import { clusterIndexBuilds } from '../../src/maps/cluster-index-thread';

/** One sample's value from Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[3] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe.each(DIALECTS)('GET /metrics on %s', (dialect) => {
  let s: DemoServer;
  let sys: Awaited<ReturnType<typeof activeSystem>>;
  // The map index counters are the process's (one server per process in production); test files before this
  // one may have run in the same process (vitest isolate: false), so count from here.
  let builds: ReturnType<typeof clusterIndexBuilds>;
  beforeAll(async () => {
    builds = clusterIndexBuilds();
    s = await startDemoServer({ demo: false, dialect });
    sys = await activeSystem(s);
  });
  afterAll(async () => s?.close());

  const scrape = async () => {
    const r = await s.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('text/plain');
    return r.body;
  };

  it('reports request latency, the log append count and batch sizes, the review queue, monitors and imports', async () => {
    const before = await scrape(); // the baseline: batch sizes count from here
    const logBefore = sample(before, 'counterweight_log_entries_total')!;
    expect(logBefore).toBeGreaterThan(0); // the users and the system's walk to active are in the log
    expect(sample(before, 'counterweight_review_queue_depth')).toBe(0);

    // 7 alerts at once: one review-queue entry and one log entry each.
    const posted = await Promise.all(Array.from({ length: 7 }, (_, i) => sys.postAlert(i)));
    for (const p of posted) expect(p.statusCode, p.body).toBe(201);
    const after = await scrape();
    expect(sample(after, 'counterweight_review_queue_depth')).toBe(7);
    expect(sample(after, 'counterweight_review_queue_oldest_seconds')).toBeGreaterThanOrEqual(0);
    const size = Number((await s.store.db.selectFrom('ledger_state').select('size').executeTakeFirstOrThrow()).size);
    expect(sample(after, 'counterweight_log_entries_total')).toBe(size);
    // Every entry since the baseline sits in exactly one observed batch.
    expect(sample(after, 'counterweight_log_batch_size_sum')).toBe(size - logBefore);
    const checkpoints = await s.store.db
      .selectFrom('ledger_checkpoints')
      .select('size')
      .where('size', '>', logBefore)
      .execute();
    expect(sample(after, 'counterweight_log_batch_size_count')).toBe(checkpoints.length);

    // Latency by route template (not the raw URL with the system id), with the status.
    const route = '/api/systems/:id/alerts';
    expect(
      sample(after, 'counterweight_http_request_duration_seconds_count', { method: 'POST', route, status_code: '201' }),
    ).toBe(7);
    expect(after).not.toContain(sys.systemId);
    expect(sample(after, 'counterweight_monitor_breaches_total')).toBe(0);
    expect(sample(after, 'counterweight_systems_paused')).toBe(0);
    expect(sample(after, 'counterweight_imports_running')).toBe(0);
    expect(sample(after, 'counterweight_import_rows_read')).toBe(0);
    expect(sample(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // The map's index, built at start for a database file or PostgreSQL: on its own thread, none failed.
    await expect
      .poll(async () => sample(await scrape(), 'counterweight_map_index_builds_total', { on: 'own-thread' }))
      .toBeGreaterThanOrEqual(builds.ownThread + 1);
    const built = await scrape();
    expect(sample(built, 'counterweight_map_index_builds_total', { on: 'serving-thread' })).toBe(builds.servingThread);
    expect(sample(built, 'counterweight_map_index_thread_failures_total')).toBe(builds.threadFailures);
    expect(after).toContain('nodejs_eventloop_lag');
  });

  it('answers only this machine without a token: not another address, not through a proxy', async () => {
    const remote = await s.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.0.0.7' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().code).toBe('metrics.localOnly');
    const proxied = await s.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(proxied.statusCode).toBe(403);
    const ko = await s.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '10.0.0.7',
      headers: { 'accept-language': 'ko' },
    });
    expect(ko.json().detail).toContain('CW_METRICS_TOKEN');
    expect(ko.json().detail).toContain('메트릭');
  });
});

describe('GET /metrics with a bearer token', () => {
  let s: DemoServer;
  beforeAll(async () => {
    s = await startDemoServer({ demo: false, config: { metricsToken: 'scrape-token-0123456789' } });
  });
  afterAll(async () => s?.close());

  it('needs the token from anywhere, loopback included; the token is not taken for an API key', async () => {
    for (const remoteAddress of ['127.0.0.1', '10.0.0.7']) {
      expect((await s.app.inject({ method: 'GET', url: '/metrics', remoteAddress })).statusCode).toBe(401);
      const wrong = await s.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress,
        headers: { authorization: 'Bearer scrape-token-0123456780' },
      });
      expect([wrong.statusCode, wrong.json().code]).toEqual([401, 'metrics.badToken']);
      const ok = await s.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress,
        headers: { authorization: 'Bearer scrape-token-0123456789' },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('# TYPE counterweight_http_request_duration_seconds histogram');
    }
    // Elsewhere the same header is still an API key, and an unknown one.
    const api = await s.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { authorization: 'Bearer scrape-token-0123456789' },
    });
    expect(api.statusCode).toBe(401);
  });
});

import { servingThreadShare } from './thread-cpu';

/** An alert a vendor system registered with the default fixture record accepts, under idempotency key `key`: the availability tests post these to probe intake. */
export const probeAlertBody = (key: string) =>
  JSON.stringify({
    idempotencyKey: key,
    kind: 'cctv-detection',
    modelVersion: '1',
    occurredAt: '2026-11-22T10:00:00Z',
    unit: 'district-1',
    output: { risk: 0.5 },
    explanation: { summary: 'load' },
  });

let probes = 0;

/**
 * Post alerts to `system` (a vendor system registered with the default fixture record) every few ms, over
 * real HTTP, until `work` settles: the longest stretch without an answered alert (from the start of
 * `work` to its end), and how many were answered. Any answer but 201 fails the probe.
 */
export async function whileProbingIntake<T>(
  url: string,
  system: { systemId: string; key: string },
  work: () => Promise<T>,
): Promise<{ result: T; maxGap: number; answered: number }> {
  let busy = true;
  const answeredAt: number[] = [];
  const prober = (async () => {
    while (busy) {
      const r = await fetch(`${url}/api/systems/${system.systemId}/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${system.key}`, 'content-type': 'application/json' },
        body: probeAlertBody(`probe-${process.pid}-${probes++}`),
      });
      await r.arrayBuffer();
      if (r.status !== 201) throw new Error(`alert intake answered ${r.status}`);
      answeredAt.push(performance.now());
      await new Promise((res) => setTimeout(res, 5));
    }
  })();
  const started = performance.now();
  try {
    const result = await work();
    const ended = performance.now();
    const marks = [started, ...answeredAt.filter((t) => t <= ended), ended];
    let maxGap = 0;
    for (let i = 1; i < marks.length; i++) maxGap = Math.max(maxGap, marks[i] - marks[i - 1]);
    return { result, maxGap, answered: answeredAt.length };
  } finally {
    busy = false;
    await prober;
  }
}

/**
 * One request while intake is probed, for the benches: its status, wall seconds, the longest stretch without
 * an answered alert, the alerts answered, and the serving thread's share of the process's CPU. Throws with
 * the server's answer when the status is `failAt` or above.
 */
export async function measureWhileProbing(
  url: string,
  system: { systemId: string; key: string },
  run: () => Promise<{ statusCode: number; body: string }>,
  failAt = 300,
) {
  const t0 = performance.now();
  const {
    result: { result, share },
    maxGap,
    answered,
  } = await whileProbingIntake(url, system, () => servingThreadShare(run));
  if (result.statusCode >= failAt) throw new Error(result.body.slice(0, 300));
  return {
    status: result.statusCode,
    seconds: +((performance.now() - t0) / 1000).toFixed(2),
    longestGapMs: Math.round(maxGap),
    answered,
    servingThreadShare: +share.toFixed(2),
  };
}

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

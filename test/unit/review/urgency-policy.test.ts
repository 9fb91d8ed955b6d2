import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/domain/errors';
import { ALERT_KINDS, parseUrgencyPolicy, urgencyOf } from '../../../src/review/urgency';

const shipped = () => JSON.parse(readFileSync('config/urgency.json', 'utf8'));

describe('urgency policy (config/urgency.json)', () => {
  it('the shipped policy: life-safety kinds immediate with a 3-step chain, CCTV prompt, scores and missions routine', () => {
    const p = parseUrgencyPolicy(shipped());
    expect(p.kinds['stalking-proximity']).toBe('immediate');
    expect(p.kinds['crowd-density']).toBe('immediate');
    expect(p.kinds['cctv-detection']).toBe('prompt');
    expect(p.kinds['risk-score']).toBe('routine');
    expect(p.kinds['patrol-mission']).toBe('routine');
    expect(p.urgencies.immediate.chain.map((s) => s.to)).toEqual(['on-shift-reviewers', 'duty-supervisor', 'unit']);
    expect(p.urgencies.immediate.pauseOnMissedTarget).toBe(false);
    for (const k of ALERT_KINDS) expect(p.kinds[k]).toBeDefined();
  });

  it('the first deadline is the acknowledgement target after receipt; routine alerts have none', () => {
    const p = parseUrgencyPolicy(shipped());
    const t = Date.parse('2026-12-03T10:00:00Z');
    expect(urgencyOf(p, 'crowd-density', t)).toMatchObject({
      urgency: 'immediate',
      ackTargetSeconds: 60,
      actTargetSeconds: 300,
      ackDueAt: '2026-12-03T10:01:00.000Z',
    });
    expect(urgencyOf(p, 'risk-score', t)).toMatchObject({ urgency: 'routine', ackTargetSeconds: null, ackDueAt: null });
  });

  it('a bad policy is refused naming the file and each field: a missing kind, a chain not starting with the reviewers, an unknown step', () => {
    const bad = shipped();
    delete bad.kinds['stalking-proximity'];
    bad.urgencies.immediate.chain[0] = { to: 'duty-supervisor', withinSeconds: 60 };
    bad.urgencies.prompt.chain.push({ to: 'the-mayor', withinSeconds: 5 });
    let err: unknown;
    try {
      parseUrgencyPolicy(bad, 'agency/urgency.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const where = (err as InputError).where;
    expect(where.every((w) => w.file === 'agency/urgency.json')).toBe(true);
    expect(where.map((w) => w.field)).toEqual(
      expect.arrayContaining([
        'kinds.stalking-proximity',
        'urgencies.immediate.chain.0.to',
        'urgencies.prompt.chain.2.to',
      ]),
    );
    expect((err as InputError).text('ko')).toContain('agency/urgency.json');
  });
});

import { describe, expect, it } from 'vitest';
import { LOCK_AFTER, lockMillis, MIN_PASSWORD, passwordProblems } from '../../../src/accounts/accounts';

describe('passwords a person may choose', () => {
  it('refuses the most common breached passwords padded to length, keyboard walks and the username, and names the field', () => {
    // From the top of the published breach lists (e.g. NCSC/HIBP top 100k): each is 12+ characters, so only strength refuses it.
    for (const pw of [
      '123456789012',
      'password1234',
      'qwertyuiopasdf',
      'iloveyou1234',
      '1q2w3e4r5t6y',
      'aaaaaaaaaaaa',
    ]) {
      const p = passwordProblems(pw, []);
      expect(p, pw).toHaveLength(1);
      expect(p[0].field).toBe('password');
    }
    expect(passwordProblems('Newcomer1234!', [])).toEqual([]);
    expect(passwordProblems('Newcomer1234!', ['newcomer'])).toHaveLength(1);
    expect(passwordProblems('x'.repeat(MIN_PASSWORD - 1), [])[0].expected).toMatch(/12–1024 characters/);
    expect(passwordProblems('correct horse battery staple', ['dana'], 'newPassword')).toEqual([]);
    expect(passwordProblems('iloveyou1234', [], 'newPassword')[0].field).toBe('newPassword');
  });

  it('locks for 1 minute at the threshold, doubling each further failure, capped at an hour', () => {
    expect(LOCK_AFTER).toBe(5);
    expect([5, 6, 7, 8, 9, 10, 11, 12].map(lockMillis)).toEqual([
      60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });
});

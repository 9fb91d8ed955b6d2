import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_POLICY, auditRuleFor, loadAuditPolicy, policyDeviations } from '../../../src/registry/audit-policy';
import { InputError } from '../../../src/domain/errors';

describe('audit policy (config/audit-policy.json)', () => {
  it('person-level risk scores need FPR, FNR and selection-rate (PPR) parity, whatever the level', () => {
    const rule = auditRuleFor({ personLevelRiskScoring: true, outputSchema: { kinds: ['risk-score'] } }, 1);
    expect(rule.id).toBe('person-level-risk-scores');
    expect(rule.metrics).toEqual(expect.arrayContaining(['FPR', 'FNR', 'PPR']));
    expect(auditRuleFor({ outputSchema: { kinds: ['cctv-detection', 'risk-score'] } }, 1).metrics).toEqual(
      expect.arrayContaining(['FPR', 'FNR', 'PPR']),
    );
    expect(auditRuleFor({ outputSchema: { kinds: ['cctv-detection'] } }, 3).id).toBe('level-3');
    expect(auditRuleFor({ outputSchema: { kinds: ['cctv-detection'] } }, 4).id).toBe('level-4');
  });

  it('an audit that leaves out a policy metric or swaps the reference group is informative', () => {
    const rule = auditRuleFor({ personLevelRiskScoring: true }, 3);
    expect(policyDeviations(rule, { metrics: ['PPV', 'NPV'] })[0]).toMatch(/FPR, FNR, PPR required/);
    expect(policyDeviations(rule, { metrics: ['FPR', 'FNR', 'PPR', 'PPV'] })).toEqual([]);
    expect(policyDeviations(rule, {})).toEqual([]);
    expect(policyDeviations(rule, { reference: { mode: 'named', group: 'X' } })[0]).toMatch(/reference group/);
  });

  it('refuses an invalid policy file, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-policy-'));
    const file = join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({ version: AUDIT_POLICY.version, rules: [{ ...AUDIT_POLICY.rules[0], metrics: ['accuracy'] }] }),
    );
    try {
      loadAuditPolicy(file);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where[0]).toMatchObject({ file, field: 'rules.0.metrics.0' });
    }
  });
});

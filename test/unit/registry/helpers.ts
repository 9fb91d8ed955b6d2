import { parseRecord, type SystemRecord, type SystemRecordInput } from '../../../src/registry/record';
import type { ModelCard } from '../../../src/registry/model-card';

/** A complete record for a vendor stalking-proximity alert system; tests break one thing at a time. */
export function completeRecord(over: Partial<SystemRecordInput> = {}): SystemRecord {
  return parseRecord({
    system: { id: 'stalking-proximity', name: 'Stalking victim proximity alerts', version: '2.1.0', technology: 'GPS proximity rules over electronic-monitoring tracks' },
    purpose: 'Warn protection officers when a monitored offender approaches a registered victim.',
    intendedUse: 'Alerts to the duty officer, who decides whether to contact the victim.',
    prohibitedUses: ['locating people who are not under a court order'],
    legalBasis: [{ title: 'Act on Electronic Monitoring', url: 'https://www.law.go.kr/', provision: 'art. 16' }],
    deployingUnit: 'Victim protection unit',
    provider: { name: 'Vendor Co', kind: 'vendor', procurementRoute: 'open tender 2025-17' },
    accountableOwnerId: 'owner-1',
    supervisorId: 'supervisor-1',
    dataSources: [{ name: 'EM tracks', provenance: 'probation service feed', legalBasis: 'court order', consent: 'not-required-legal-basis', containsPersonalData: true }],
    personalData: { categories: ['location'], retentionDays: 90 },
    model: { method: 'distance rules', trainingData: 'none (rules)', evaluation: 'false alarm rate on 2024 tracks', knownLimitations: ['GPS drift in tunnels'] },
    humanOversight: { design: 'every alert reviewed by the duty officer', humanDecidesEveryCase: true },
    notification: { howNotified: 'letter to the victim and the offender', howToContest: 'complaint to the oversight board' },
    externalSharing: [],
    training: { courseId: 'proximity-alerts', validityDays: 365 },
    monitoringPlan: { description: 'monthly false-alarm review', metrics: ['false alarm rate'], reviewIntervalDays: 30 },
    outputSchema: { kind: 'stalking-proximity', fields: { distanceM: { type: 'number', required: true }, subject: { type: 'ref', required: true } } },
    flags: { personLevelRiskScoring: false },
    ...over,
  });
}

export function card(record: SystemRecord): ModelCard {
  return {
    systemId: record.system.id, systemVersion: record.system.version, source: 'vendor-supplied', generatedAt: '2026-01-01T00:00:00Z',
    model: { name: 'rules', version: '2.1.0', method: 'distance rules' }, intendedUse: 'x', outOfScopeUses: [],
    data: { description: 'tracks' }, metrics: [{ name: 'false alarm rate', value: 0.1, level: 0.95, dataset: '' }], subgroups: [], limitations: ['x'], provenance: { config: {} },
  };
}

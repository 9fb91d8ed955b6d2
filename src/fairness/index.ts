/**
 * Counterweight's fairness library — pure: tables in, tables out; no HTTP, SQL, env or console.
 * A pipeline of group → bias → fairness steps that adapters (store, HTTP routes, CLI, the monitor
 * service) call and whose results they store with the inputs' hash, configuration, code version and seed.
 * The public surface, by name (test/unit/architecture/library-surfaces.test.ts pins it):
 *
 *   person-level   personAudit (auditColumns = auditCounts → auditRates → auditDisparities inside)
 *   place-based    placeAuditFromPlans / placeAuditReport, areaDemographics, exposureBasis
 *   proxies        detectProxies / proxyModelCardRows
 *   feedback loops stressTestForecaster (the model-approval gate)
 *   missions       planFairMissions / fairnessTradeoff / bandOf
 *   monitoring     disparityCheck, driftCheck, overrideCheck, responseTimeCheck: the monitor's one set of checks
 *
 * Bad input throws `InputError` (src/domain/errors) naming the field, row and what was expected.
 */
export { type AuditRow, type Metric, METRICS, personAudit, type ReferenceRule } from './person-audit';
export {
  areaDemographics,
  type AreaDemographics,
  type DemographicsDeclaration,
  loadDemographicsDeclaration,
} from './demographics';
export { type GroupExposure, placeAuditFromPlans, type PlaceAuditResult, type PlanInput } from './place-audit';
export { exposureBasis, type ExposureBasis, type ExposureGroup } from './exposure';
export { detectProxies, proxyModelCardRows, type ProxyRow } from './proxy-detection';
export {
  type IncidentHistory,
  layerCity,
  type RiskModel,
  stressTestForecaster,
  type SyntheticCity,
} from './forecaster-stress';
export { bandOf, fairnessTradeoff, type MissionPlan, planFairMissions } from './fair-missions';
export { disparityCheck, driftCheck, overrideCheck, responseTimeCheck } from './monitor-checks';
export { placeAuditReport } from './report';

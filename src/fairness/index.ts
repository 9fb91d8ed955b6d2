/**
 * Counterweight's fairness library — pure: tables in, tables out; no HTTP, SQL, env or console.
 * A pipeline of group → bias → fairness steps that adapters (store, HTTP routes, CLI, the monitor
 * service) call and whose results they store with the inputs' hash, configuration, code version and seed.
 *
 *   person-level   auditColumns / personAudit      confusion counts, rates, disparities, verdicts, guidance
 *                  readCompas / compasAuditColumns  ProPublica's COMPAS file, traps handled
 *   place-based    placeAudit / placeAuditFromPlans exposure per resident by group, vs victimization, concentration, hit-rate parity
 *   proxies        detectProxies / proxyModelCardRows Cramér's V, η, MI, cross-validated AUC; flags for the model card
 *   feedback loops simulateUrn / feedbackVerdict     Ensign et al.'s urn, with and without the correction
 *                  stressTestForecaster              the same test on any forecaster (model-approval gate)
 *   missions       planFairMissions / fairnessTradeoff exposure-disparity bound and the PAI-vs-disparity curve
 *   monitoring     evaluateMonitors and the checks     breach / ok / insufficient-data with the evidence
 *   reports        personAuditReport / placeAuditReport one JSON document for the web page and the PDF
 *
 * Bad input throws `InputError` (src/domain/errors) naming the field, row and what was expected.
 */
export * from './stats';
export {
  METRICS, METRIC_INFO, GUIDANCE, metricFraction, encodeRows, thresholdScores, personAudit, auditColumns, auditCounts, auditRates, auditDisparities,
  findComparison, findGroup,
  type Metric, type Counts, type AuditRow, type AttributeColumn, type AuditColumns, type ReferenceRule, type MissingPolicy,
  type AuditOptions, type RateEstimate, type GroupResult, type Verdict, type Comparison, type MetricDisparity, type RangeSummary,
  type FairnessSummary, type DimensionResult, type GuidanceRow, type PersonAuditResult,
  type GroupCounts, type DimensionCounts, type AuditCounts, type DimensionRates, type AuditRates,
} from './person-audit';
export * from './compas';
export * from './place-audit';
export * from './proxy-detection';
export * from './feedback-loop';
export * from './forecaster-stress';
export * from './fair-missions';
export * from './monitor-checks';
export * from './report';

/**
 * A model card for Counterweight's own forecaster, generated from a stored backtest run: what data it
 * learned from (with the snapshot hash), how it was evaluated (PAI and PEI with 95% intervals per
 * window, compared with all-history counts), the data policy, subgroup results from the latest audit
 * when one exists, and known limitations. Nothing in it is typed by hand.
 */
export interface BacktestSummaryRow { model: string; window: string; origins: number; pai: { mean: number; ci95: [number, number] }; pei: { mean: number; ci95: [number, number] } }

export function forecasterModelCard(input: {
  summary: BacktestSummaryRow[];
  dataSnapshotHash: string;
  source: string;
  events: number;
  period: { from: string; to: string };
  config: Record<string, unknown>;
  codeVersion: string;
  latestAudit?: { id: number; passed: boolean; runAt: string; failures: string[] } | null;
}) {
  const windows = [...new Set(input.summary.map((s) => s.window))];
  const best = windows.map((w) => input.summary.filter((s) => s.window === w).reduce((a, b) => (b.pai.mean > a.pai.mean ? b : a)));
  const naive = (w: string) => input.summary.find((s) => s.window === w && s.model === 'all-history counts');
  return {
    kind: 'counterweight-forecaster',
    generatedFrom: { backtest: input.config, codeVersion: input.codeVersion, dataSnapshotHash: input.dataSnapshotHash },
    method: 'grid hotspot models (counts, prospective hotspotting, time-weighted KDE) chosen per window by rolling-origin backtest on data before each forecast date',
    trainingData: { source: input.source, events: input.events, period: input.period, policy: 'citizen-reported incident types only (officer-initiated records excluded unless an analyst sets an explicit, recorded flag)' },
    evaluation: best.map((b) => ({
      window: b.window, chosenModel: b.model, origins: b.origins, pai: b.pai, pei: b.pei,
      baselineAllHistoryCounts: naive(b.window) ? { pai: naive(b.window)!.pai, pei: naive(b.window)!.pei } : null,
    })),
    allCandidates: input.summary,
    subgroupResults: input.latestAudit ? { auditId: input.latestAudit.id, passed: input.latestAudit.passed, runAt: input.latestAudit.runAt, failures: input.latestAudit.failures } : 'no bias audit yet: run one before approval',
    limitations: [
      'learns only where crime was reported; under-reporting areas look safer than they are',
      'date-only data cannot resolve near-repeat patterns within a day',
      'a high-risk cell is a place, never a person: it is not grounds for a stop, search or arrest',
      'hotspots concentrate patrols; dosage caps and exposure audits guard against saturating the same streets',
      `evaluated on ${best[0]?.origins ?? 0} weekly origins; with so few events a single hit moves PAI by several points (see the intervals)`,
    ],
  };
}

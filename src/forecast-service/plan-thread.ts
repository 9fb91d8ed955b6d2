/**
 * The caller's side of a planning thread (plan.worker.ts): the fair mission planner (an LP relaxation,
 * then local search, once per bound) is CPU work that grows with the shift's budget and the candidates.
 * On the serving thread a trade-off curve for a 200-cell shift held every request, alert intake included,
 * for about 49 s on the Chicago demo, and a fair 200-cell plan for about 19 s. It runs on a thread of its
 * own, at lower CPU priority, one per plan (plans are occasional: no pool). Inputs and results are a few
 * thousand numbers, copied (structured clone) both ways.
 */
import type { fairnessTradeoff, MissionPlan, planFairMissions } from '../fairness';
import { rebuildThreadError, type SerializedError } from '../store/import-thread';
import { oneShotThread } from '../store/reusable-threads';

export type TradeoffCurve = ReturnType<typeof fairnessTradeoff>;
type FairMissionInput = Parameters<typeof planFairMissions>[0];

/** What the thread plans. */
export type PlanTask =
  { kind: 'plan'; input: FairMissionInput; band: [number, number] } | { kind: 'tradeoff'; input: FairMissionInput };

export type FromPlanThread =
  { t: 'done'; result: MissionPlan | TradeoffCurve } | { t: 'failed'; error: SerializedError };

/** planFairMissions(input, band), on a planning thread. */
export function planFairMissionsOnThread(input: FairMissionInput, band: [number, number]): Promise<MissionPlan> {
  return onPlanThread({ kind: 'plan', input: cloneable(input), band }) as Promise<MissionPlan>;
}

/** fairnessTradeoff(input) with its default bounds, on a planning thread. */
export function fairnessTradeoffOnThread(input: FairMissionInput): Promise<TradeoffCurve> {
  return onPlanThread({ kind: 'tradeoff', input: cloneable(input) }) as Promise<TradeoffCurve>;
}

/** `excluded` may be any iterable (a Set, a generator): an array crosses to the thread. */
function cloneable(input: FairMissionInput): FairMissionInput {
  return input.excluded === undefined ? input : { ...input, excluded: [...input.excluded] };
}

function onPlanThread(task: PlanTask): Promise<MissionPlan | TradeoffCurve> {
  return oneShotThread<MissionPlan | TradeoffCurve, FromPlanThread>(
    new URL('./plan-worker.boot.mjs', import.meta.url),
    { workerData: task },
    (m, settle) => (m.t === 'done' ? settle.done(m.result) : settle.failed(rebuildThreadError(m.error))),
    (why) => new Error(`the planning thread stopped (${why})`),
  );
}

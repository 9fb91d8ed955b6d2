/**
 * What route handlers are handed instead of the store: each capability's service functions with the
 * database (and the log, for those that append to it) already bound. A route parses, authorises, calls one
 * of these and shapes the reply; it never holds a database handle, so it cannot query a table itself.
 * Built once per server in app.ts; a new service function a route needs is added here.
 */
import type { Ledger } from '../ledger-service/ledger';
import type { Store } from '../store/db';
import { RunJobs } from '../store/run-jobs';
import { WorkQueue } from '../store/work-queue';
import { getUser, listApiKeys, listUsers, logout } from '../accounts/accounts';
import {
  createBacktest,
  createForecast,
  forecastExplanation,
  forecastView,
  getBacktest,
  listBacktests,
  listForecasts,
  modelCardFromStoredBacktest,
  reproduceStoredForecast,
  nameForecaster,
} from '../forecast-service/forecasts';
import { decideMission, missionTradeoff, missionsFor, proposeMissions } from '../forecast-service/missions';
import { proveConsistency, proveInclusion, receiptFor } from '../ledger-service/ledger';
import { acceptCosignatures, cosignedCheckpoint } from '../ledger-service/witnesses';
import { incidentClusters, rebuildAfterImports, warmClusterIndexes } from '../maps/incident-clusters';
import { auditRuleOf, getAudit, publishAudit, registerAuditDataset, runAudit } from '../monitor/audits';
import {
  authoriseOutcomeFeed,
  createMonitor,
  incidentNotes,
  listMonitors,
  notificationsOf,
  recordOutcomes,
  runMonitors,
} from '../monitor/monitor';
import { runProxyAudit } from '../monitor/proxy-audit';
import { runPlaceAudit } from '../monitor/released-missions-audit';
import { runStressTest } from '../monitor/stress-test';
import { missionDosage, reportOnMission, uploadPings } from '../patrol/field-reports';
import { importUploadedFile } from '../privacy/incident-imports';
import { readIncidentPoints } from '../privacy/incident-reads';
import {
  accessLog,
  accessReview,
  confirmHold,
  liftHold,
  listHolds,
  placeHold,
  requestLift,
  runRetention,
  subjectAccess,
} from '../privacy/oversight';
import {
  decideSourceChange,
  listSources,
  pendingSourceProposals,
  proposeSourceChange,
  redactSourceField,
  registerSource,
  requirePurpose,
  sourceHistory,
} from '../privacy/sources';
import { budgetStatus, getRelease, listReleases, publishRelease } from '../privacy/statistics';
import {
  allQuestionnaires,
  checkQuestionnaire,
  importQuestionnaire,
  questionnaireForm,
  submitScoredAssessment,
} from '../registry/questionnaires';
import {
  addAuthorisation,
  addComment,
  addEvidence,
  addRedaction,
  answerClassification,
  classificationOf,
  comments,
  confirmClassification,
  createSystem,
  decideAssessment,
  gateInput,
  getVersion,
  latestAssessment,
  newVersion,
  publicRegister,
  publicSystem,
  putModelCard,
  recordTraining,
  respondToComment,
  transitionSystem,
  transitions,
  storedModelCard,
  updateDraft,
} from '../registry/register';
import { decide, expireAlerts, intakeAlert, queue, reviewStats } from '../review/alert-review';
import { discloseAlert } from '../review/disclosure';
import { alertDetail } from '../review/reads';
import { currentShift, rosterShift, listShifts, putOnDuty, unitReviewers, upcomingDuty } from '../review/shifts';
import { acknowledge, openPushStream, responseStats, takeAction } from '../review/urgent';
import { agencyDisplay } from '../store/agency';
import { changeTimeZone } from '../ops/agency-settings';
import { layerGeoJson, listLayers } from '../store/areas';
import { publishAreaLayer } from '../maps/area-layers';
import { pingDatabase } from '../store/db';
import { incidentSummary, listDatasets } from '../store/incident-queries';
import { readTileBytes } from '../store/log/tile-reads';
import { getSetting, setSetting } from '../store/settings';

type Db = Store['db'];

export function makeServices(store: Store, ledger: Ledger, backgroundWork: WorkQueue) {
  const importing = rebuildAfterImports(store);
  const onDb =
    <A extends unknown[], R>(f: (db: Db, ...a: A) => R) =>
    (...a: A) =>
      f(store.db, ...a);
  const onStore =
    <A extends unknown[], R>(f: (s: Store, ...a: A) => R) =>
    (...a: A) =>
      f(store, ...a);
  const logged =
    <A extends unknown[], R>(f: (s: Store, l: Ledger, ...a: A) => R) =>
    (...a: A) =>
      f(store, ledger, ...a);
  const onDbLogged =
    <A extends unknown[], R>(f: (db: Db, l: Ledger, ...a: A) => R) =>
    (...a: A) =>
      f(store.db, ledger, ...a);
  return {
    accounts: {
      getUser: onDb(getUser),
      listApiKeys: onDb(listApiKeys),
      listUsers: onDb(listUsers),
      logout: onDb(logout),
    },
    agency: {
      agencyDisplay: onDb(agencyDisplay),
      changeTimeZone: logged(changeTimeZone),
    },
    forecast: {
      nameForecaster: logged(nameForecaster),
      createBacktest: logged(createBacktest),
      createForecast: logged(createForecast),
      decideMission: logged(decideMission),
      forecastExplanation: onDb(forecastExplanation),
      forecastView: onDb(forecastView),
      getBacktest: onDb(getBacktest),
      listBacktests: onDb(listBacktests),
      listForecasts: onDb(listForecasts),
      missionsFor: onDb(missionsFor),
      missionTradeoff: onStore(missionTradeoff),
      modelCardFromStoredBacktest: logged(modelCardFromStoredBacktest),
      proposeMissions: logged(proposeMissions),
      reproduceStoredForecast: logged(reproduceStoredForecast),
    },
    health: {
      /** Reachable: the dialect's name, after one round trip. */
      pingDatabase: async () => {
        await pingDatabase(store);
        return store.dialect;
      },
    },
    incidents: {
      // The map's cluster indexes are rebuilt in the background once imports go quiet (views meanwhile build on demand).
      importUploadedFile: (
        ...a: Parameters<typeof importUploadedFile> extends [Store, Ledger, ...infer A] ? A : never
      ) => importing(() => importUploadedFile(store, ledger, ...a)),
      incidentSummary: onStore(incidentSummary),
      listDatasets: onDb(listDatasets),
    },
    layers: {
      layerGeoJson: onDb(layerGeoJson),
      listLayers: onDb(listLayers),
      publishAreaLayer: logged(publishAreaLayer),
    },
    log: {
      acceptCosignatures: onDbLogged(acceptCosignatures),
      cosignedCheckpoint: onDb(cosignedCheckpoint),
      proveConsistency: onDb(proveConsistency),
      proveInclusion: onDb(proveInclusion),
      readTileBytes: onDb(readTileBytes),
      receiptFor: onDb(receiptFor),
    },
    maps: {
      incidentClusters: logged(incidentClusters),
      warmClusterIndexes: () => warmClusterIndexes(store),
    },
    monitor: {
      auditRuleOf: onStore(auditRuleOf),
      authoriseOutcomeFeed: logged(authoriseOutcomeFeed),
      createMonitor: logged(createMonitor),
      getAudit: onStore(getAudit),
      incidentNotes: onDb(incidentNotes),
      listMonitors: onDb(listMonitors),
      notificationsOf: onDb(notificationsOf),
      publishAudit: logged(publishAudit),
      recordOutcomes: logged(recordOutcomes),
      registerAuditDataset: logged(registerAuditDataset),
      runAudit: logged(runAudit),
      runMonitors: logged(runMonitors),
      runPlaceAudit: logged(runPlaceAudit),
      runProxyAudit: logged(runProxyAudit),
      runStressTest: logged(runStressTest),
    },
    patrol: {
      missionDosage: onStore(missionDosage),
      reportOnMission: logged(reportOnMission),
      uploadPings: logged(uploadPings),
    },
    privacy: {
      accessLog: onDb(accessLog),
      accessReview: onStore(accessReview),
      budgetStatus: onStore(budgetStatus),
      confirmHold: logged(confirmHold),
      decideSourceChange: logged(decideSourceChange),
      getRelease: onStore(getRelease),
      liftHold: logged(liftHold),
      listHolds: onDb(listHolds),
      listReleases: onStore(listReleases),
      listSources: onDb(listSources),
      pendingSourceProposals: onDb(pendingSourceProposals),
      placeHold: logged(placeHold),
      proposeSourceChange: logged(proposeSourceChange),
      publishRelease: logged(publishRelease),
      readIncidentPoints: logged(readIncidentPoints),
      redactSourceField: logged(redactSourceField),
      registerSource: logged(registerSource),
      requestLift: logged(requestLift),
      requirePurpose: logged(requirePurpose),
      runRetention: logged(runRetention),
      sourceHistory: onDb(sourceHistory),
      subjectAccess: onStore(subjectAccess),
    },
    registry: {
      addAuthorisation: logged(addAuthorisation),
      addComment: logged(addComment),
      addEvidence: logged(addEvidence),
      addRedaction: logged(addRedaction),
      allQuestionnaires: onDb(allQuestionnaires),
      checkQuestionnaire: onDb(checkQuestionnaire),
      storedModelCard: onDb(storedModelCard),
      answerClassification: logged(answerClassification),
      classificationOf: onDb(classificationOf),
      comments: onDb(comments),
      confirmClassification: logged(confirmClassification),
      createSystem: logged(createSystem),
      decideAssessment: logged(decideAssessment),
      gateInput: onDb(gateInput),
      getVersion: onDb(getVersion),
      importQuestionnaire: logged(importQuestionnaire),
      latestAssessment: onDb(latestAssessment),
      newVersion: logged(newVersion),
      publicRegister: onDb(publicRegister),
      publicSystem: onDb(publicSystem),
      putModelCard: logged(putModelCard),
      questionnaireForm: onDb(questionnaireForm),
      recordTraining: logged(recordTraining),
      respondToComment: logged(respondToComment),
      submitScoredAssessment: logged(submitScoredAssessment),
      transitions: onDb(transitions),
      transitionSystem: logged(transitionSystem),
      updateDraft: logged(updateDraft),
    },
    review: {
      acknowledge: logged(acknowledge),
      rosterShift: logged(rosterShift),
      alertDetail: onDb(alertDetail),
      currentShift: onDb(currentShift),
      decide: logged(decide),
      discloseAlert: onDbLogged(discloseAlert),
      expireAlerts: logged(expireAlerts),
      intakeAlert: logged(intakeAlert),
      listShifts: onDb(listShifts),
      openPushStream: onDb(openPushStream),
      putOnDuty: logged(putOnDuty),
      queue: onDb(queue),
      responseStats: onStore(responseStats),
      reviewStats: onStore(reviewStats),
      takeAction: logged(takeAction),
      unitReviewers: onDb(unitReviewers),
      upcomingDuty: onDb(upcomingDuty),
    },
    settings: {
      getSetting: onDb(getSetting),
      setSetting: onDb(setSetting),
    },
    /** Progress of this server's long runs (forecasts, backtests, bias audits), one registry for GET /api/jobs/:id. */
    jobs: new RunJobs(backgroundWork),
    /** Turns for imports, audits, forecasts and backtests: at most so many at once, the rest wait in order. */
    backgroundWork,
  };
}

export type Services = ReturnType<typeof makeServices>;

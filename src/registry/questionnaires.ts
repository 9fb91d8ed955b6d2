/**
 * Impact-assessment questionnaires: the built-in ones and those imported from SurveyJS (Canadian AIA
 * conventions), and an assessment scored on the server against the one it names.
 */
import type { Principal } from '../accounts/accounts';
import { InputError } from '../domain/errors';
import { msg } from '../domain/messages';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import type { Executor, Store } from '../store/db';
import { score, type Questionnaire } from './assessment/engine';
import { getVersion, submitAssessment } from './register';
import { toSurveyJs } from './assessment/survey-form';
import { assess, getQuestionnaire, importedQuestionnaire, listQuestionnaires } from './service-rules';

/** A questionnaire by id: an imported one if stored, else a built-in one (NotFoundError otherwise). */
export async function resolveQuestionnaire(db: Executor, id: string): Promise<Questionnaire> {
  const imported = await db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirst();
  return imported ? importedQuestionnaire(imported.id, JSON.parse(imported.json)).questionnaire : getQuestionnaire(id);
}

/**
 * A questionnaire as a form: the SurveyJS JSON to render (an imported one as imported, a built-in one
 * converted) and, for a built-in one, the questionnaire itself (an imported one is converted by the
 * reader with the same importer, so the live score is the server's).
 */
export async function questionnaireForm(db: Executor, id: string) {
  const imported = await db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirst();
  if (imported)
    return { id, kind: imported.kind, title: imported.title, surveyjs: JSON.parse(imported.json) as unknown };
  const q = getQuestionnaire(id);
  return { id, kind: 'built-in', title: q.title.en, surveyjs: toSurveyJs(q), questionnaire: q };
}

/** The owner's answers, scored on the server (never trusted from the client), submitted for oversight. */
export async function submitScoredAssessment(
  store: Store,
  ledger: Ledger,
  p: Principal,
  systemId: string,
  version: number,
  questionnaireId: string,
  answers: Record<string, unknown>,
) {
  const v = await getVersion(store.db, systemId, version);
  const { result, level } = assess(await resolveQuestionnaire(store.db, questionnaireId), answers, v.record);
  const id = await submitAssessment(store, ledger, p, systemId, version, {
    questionnaire: questionnaireId,
    answers,
    result,
    level,
  });
  return { id, level, result };
}

/**
 * What importing a SurveyJS questionnaire under `id` would give, without writing anything: converted (and
 * so validated, each problem naming its element path), the id checked against the built-in ones and the
 * ones already imported. `existing` is the stored one with the same JSON (an import of it changes nothing).
 */
export async function checkQuestionnaire(db: Executor, id: string, surveyjs: Record<string, unknown>) {
  const { questionnaire, warnings } = importedQuestionnaire(id, surveyjs);
  if (listQuestionnaires().some((q) => q.id === id))
    throw new InputError(msg('questionnaires.builtIn', { id }), [{ field: 'id', expected: 'a new id' }], 409);
  const stored = await db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirst();
  if (stored && stored.json !== JSON.stringify(surveyjs))
    throw new InputError(msg('questionnaires.idTaken', { id }), [{ field: 'id', expected: 'a new id' }], 409);
  const empty = score(questionnaire, {});
  return {
    id,
    title: questionnaire.title.en,
    rawMax: empty.rawMax,
    mitigationMax: empty.mitigationMax,
    questions: questionnaire.sections.reduce((n, s) => n + s.questions.length, 0),
    sections: questionnaire.sections.length,
    warnings,
    existing: stored ? { logIndex: Number(stored.log_index) } : null,
  };
}

/**
 * Imports a SurveyJS questionnaire: checked first (checkQuestionnaire; nothing written if refused), logged,
 * then stored. Importing the same JSON under the same id again changes nothing and answers as the first time.
 */
export async function importQuestionnaire(
  store: Store,
  ledger: Ledger,
  p: Principal,
  id: string,
  surveyjs: Record<string, unknown>,
) {
  const { existing, title, sections: _sections, ...summary } = await checkQuestionnaire(store.db, id, surveyjs);
  if (existing) return { ...summary, logIndex: existing.logIndex };
  const entry = await ledger.append({
    type: 'register.questionnaire',
    actor: userRef(p.id),
    subjects: [],
    payload: { id, surveyjs },
  });
  await store.db
    .insertInto('questionnaires')
    .values({
      id,
      kind: 'surveyjs-aia',
      title: title.slice(0, 500),
      json: JSON.stringify(surveyjs),
      created_by: p.id!,
      created_at: new Date().toISOString(),
      log_index: entry.index,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return { ...summary, logIndex: entry.index };
}

/** Every questionnaire an assessment may use: built-in, then imported. */
export async function allQuestionnaires(db: Executor) {
  return [
    ...listQuestionnaires().map((q) => ({ ...q, kind: 'built-in' })),
    ...(await db.selectFrom('questionnaires').select(['id', 'kind', 'title']).execute()),
  ];
}

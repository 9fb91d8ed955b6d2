/**
 * Impact-assessment questionnaires: the built-in ones and those imported from SurveyJS (Canadian AIA
 * conventions), and an assessment scored on the server against the one it names.
 */
import type { Principal } from '../accounts/accounts';
import { InputError } from '../domain/errors';
import { userRef } from '../ledger-service/events';
import type { Ledger } from '../ledger-service/ledger';
import type { Executor, Store } from '../store/db';
import { score, type Questionnaire } from './assessment/engine';
import { getVersion, submitAssessment } from './register';
import { assess, getQuestionnaire, importedQuestionnaire, listQuestionnaires } from './service-rules';

/** A questionnaire by id: an imported one if stored, else a built-in one (NotFoundError otherwise). */
export async function resolveQuestionnaire(db: Executor, id: string): Promise<Questionnaire> {
  const imported = await db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirst();
  return imported ? importedQuestionnaire(imported.id, JSON.parse(imported.json)).questionnaire : getQuestionnaire(id);
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
 * Imports a SurveyJS questionnaire: converted (and so validated) before anything is stored, the error
 * naming the element path; logged, then stored (idempotent per id).
 */
export async function importQuestionnaire(
  store: Store,
  ledger: Ledger,
  p: Principal,
  id: string,
  surveyjs: Record<string, unknown>,
) {
  const { questionnaire, warnings } = importedQuestionnaire(id, surveyjs);
  const empty = score(questionnaire, {});
  if (listQuestionnaires().some((q) => q.id === id))
    throw new InputError(`${id} is a built-in questionnaire`, [{ field: 'id', expected: 'a new id' }], 409);
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
      title: questionnaire.title.en.slice(0, 500),
      json: JSON.stringify(surveyjs),
      created_by: p.id!,
      created_at: new Date().toISOString(),
      log_index: entry.index,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return {
    id,
    logIndex: entry.index,
    rawMax: empty.rawMax,
    mitigationMax: empty.mitigationMax,
    questions: questionnaire.sections.reduce((n, s) => n + s.questions.length, 0),
    warnings,
  };
}

/** Every questionnaire an assessment may use: built-in, then imported. */
export async function allQuestionnaires(db: Executor) {
  return [
    ...listQuestionnaires().map((q) => ({ ...q, kind: 'built-in' })),
    ...(await db.selectFrom('questionnaires').select(['id', 'kind', 'title']).execute()),
  ];
}

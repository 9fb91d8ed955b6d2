/**
 * Counterweight's own human-rights impact questionnaire (privacy; equality and non-discrimination;
 * due process and the presumption of innocence; freedom of assembly and expression; vulnerable groups;
 * reversibility; scale), kept as data in config/questionnaires/human-rights-v1.json with English and
 * Korean text, and scored by the same AIA rule as every questionnaire (engine.ts).
 * Raw impact maximum 52, mitigation maximum 27 (see the JSON; the unit tests recompute both).
 */
import data from '../../../config/questionnaires/human-rights-v1.json';
import { parseQuestionnaire, type Questionnaire } from './engine';

/** Validated at load: a broken questionnaire file stops the program with the field that is wrong. */
export const HUMAN_RIGHTS_V1: Questionnaire = parseQuestionnaire(data, 'config/questionnaires/human-rights-v1.json');

/** Built-in questionnaires by id (imported SurveyJS questionnaires are stored by the service). */
export const BUILT_IN_QUESTIONNAIRES: ReadonlyMap<string, Questionnaire> = new Map([
  [HUMAN_RIGHTS_V1.id, HUMAN_RIGHTS_V1],
]);

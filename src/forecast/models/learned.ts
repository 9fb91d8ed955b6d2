/**
 * Learned forecasters (poisson-learner.ts): a regularised non-negative Poisson regression on named feature maps
 * ('learned'), or the ensemble of memory maps ('ensemble').
 */
import { describeLearned, fitLearned, validateLearned, type LearnedParams } from '../poisson-learner';
import type { ModelFamily } from '../model-family';

export const learned: ModelFamily<LearnedParams> = {
  names: ['learned', 'ensemble'],
  syntax: ['learned', 'ensemble'],
  parse: (name) => ({ model: name }),
  describe: describeLearned,
  validate: (p) => validateLearned(p),
  // the reference `auto` keeps unless a challenger beats it beyond the noise (robustChoice)
  autoCandidates: () => [{ params: { model: 'learned' } }, { params: { model: 'ensemble' } }],
  fit: fitLearned,
};

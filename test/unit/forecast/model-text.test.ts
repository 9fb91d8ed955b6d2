/**
 * A model's name is a message: the command line and run records keep today's English text, and the
 * web app shows it in Korean in Korean mode (issue 17 item 5).
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/domain/messages';
import { describeModel, modelMessage, type ModelParams } from '../../../src/forecast/models';

// The English each family described itself with before its description became a message.
const CASES: [ModelParams, string][] = [
  [{ model: 'counts' }, 'all-history counts'],
  [{ model: 'counts', days: 365 }, 'counts over the last 365 days'],
  [{ model: 'kde', bandwidth: 250, halfLifeDays: 365 }, 'time-weighted KDE (gaussian 250, half-life 365 d)'],
  [
    { model: 'kde', kernel: 'quartic', bandwidth: 750, halfLifeDays: 730 },
    'time-weighted KDE (quartic 750, half-life 730 d)',
  ],
  [{ model: 'prospective', bandwidth: 500, weeks: 8 }, 'prospective hotspotting (radius 500, 8 weeks)'],
  [{ model: 'retrospective', bandwidth: 500, weeks: 52 }, 'retrospective hotspotting (radius 500, 52 weeks)'],
  [{ model: 'sepp' }, 'space-time SEPP (stochastic declustering, 30 iterations)'],
  [{ model: 'etas', iterations: 40 }, 'grid ETAS (EM, 40 iterations)'],
  [{ model: 'etas', iterations: 20, trainingDays: 365 }, 'grid ETAS (EM, 20 iterations, last 365 d)'],
  [{ model: 'ensemble' }, 'ensemble of short- and long-memory maps (weights learned on backtests)'],
  [{ model: 'learned' }, 'learned Poisson model (16 position features, 6 recent + 4 same-season origins)'],
  [
    { model: 'learned', rff: 32, recentOrigins: 3, seasons: 2, target: ['burglary', 'theft'] },
    'learned Poisson model (32 position features, 3 recent + 2 same-season origins, target burglary+theft)',
  ],
] as [ModelParams, string][];

describe('model names as messages', () => {
  it.each(CASES)('%j reads as before in English', (params, english) => {
    expect(describeModel(params)).toBe(english);
    expect(render(modelMessage(params), 'en')).toBe(english);
  });

  it('reads in Korean with no English words but the parameters given', () => {
    for (const [params] of CASES) {
      const ko = render(modelMessage(params), 'ko');
      const words = ko.replace(/burglary|theft|ETAS|SEPP/g, '').match(/[A-Za-z]{3,}/g);
      expect(words, ko).toBeNull();
      expect(ko).toMatch(/[가-힣]/);
    }
  });
});

import { langOf } from '../../domain/messages';
import { describeDuty, LEGAL_DUTIES, loadRegisterExamples } from '../../registry/legal-duties';
import type { RouteModule } from '../context';

/** The legal duties the register maps onto its controls, and the example entries: public, in the reader's language. */
export const legalRoutes: RouteModule = (app) => {
  const examples = loadRegisterExamples(); // validated at start: a broken example stops the server, not a page

  app.get(
    '/api/legal-duties',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary:
          'Legal duties (Korea AI Framework Act, Personal Information Protection Act) and the controls and mechanisms that carry them',
      },
    },
    async (req) => {
      const lang = langOf(req.headers['accept-language']);
      return {
        frameworks: Object.entries(LEGAL_DUTIES.frameworks).map(([id, f]) => ({
          id,
          title: f.title[lang],
          titleEn: f.title.en,
          titleKo: f.title.ko,
          url: f.url,
        })),
        duties: LEGAL_DUTIES.duties.map((d) => ({
          ...describeDuty(d, lang),
          articleKo: d.article.ko,
          textKo: d.text.ko,
        })),
      };
    },
  );

  app.get(
    '/api/register/examples',
    {
      config: { roles: ['public'] },
      schema: {
        tags: ['register'],
        summary:
          'Example register entries (marked example: not real systems) with their classification and the duties that bind them',
      },
    },
    async (req) => {
      const lang = langOf(req.headers['accept-language']);
      return examples.map((e) => ({
        id: e.id,
        example: true,
        name: e.name[lang],
        notice: e.notice[lang],
        record: e.record,
        answers: e.answers,
        classification: e.classification,
        duties: e.duties.map((d) => describeDuty(d, lang)),
      }));
    },
  );
};

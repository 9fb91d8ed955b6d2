/**
 * Server messages a person reads, in every language the product ships (English and Korean together).
 * An error carries a stable `code` and its `params`; the server renders `detail` in the caller's
 * language (Accept-Language) and sends code and params too (problem+json extension members), so the
 * web app and other clients can render them themselves. Placeholders are `{{name}}`, as in i18next.
 *
 * Add a message here, in both languages, in the same change that first uses it; a unit test checks that
 * both languages exist and name the same placeholders.
 */
export const MESSAGES = {
  'auth.notSignedIn': { en: 'sign in to do this', ko: '로그인이 필요합니다' },
  'auth.needsRole': { en: 'this needs one of the roles: {{roles}}', ko: '다음 역할 중 하나가 필요합니다: {{roles}}' },
  'auth.badKey': { en: 'API key not recognised or revoked', ko: 'API 키를 인식할 수 없거나 폐기된 키입니다' },
  'auth.badCsrf': { en: 'missing or wrong x-csrf-token header for this session', ko: '이 세션의 x-csrf-token 헤더가 없거나 올바르지 않습니다' },
  'server.internal': { en: 'something went wrong on our side; it has been logged as request {{requestId}}', ko: '서버 내부 오류가 발생했습니다. 요청 {{requestId}}(으)로 기록되었습니다' },
  'server.noEndpoint': { en: 'no such endpoint: {{method}} {{path}}', ko: '해당 엔드포인트가 없습니다: {{method}} {{path}}' },
  'server.tooLarge': { en: 'request body is larger than this endpoint accepts', ko: '요청 본문이 이 엔드포인트의 허용 크기보다 큽니다' },
  'server.invalid': { en: 'invalid {{part}}', ko: '{{part}} 값이 올바르지 않습니다' },

  // --- accounts: sign-in, throttling, passwords, account lifecycle, API keys ---

  // --- server: request limits, rate limits, cookies ---

  // --- imports ---

  // --- review: alerts, unit scoping, pseudonyms, idempotency ---

  // --- disclosure packets ---

  // --- audits and monitors: the audit gate, outcomes, pause and resume ---

  // --- register: consultation, redactions, classification ---
  'register.consultationOpen': { en: 'the public consultation is open until {{endsAt}}; a version cannot be approved before it closes', ko: '공개 의견수렴이 {{endsAt}}까지 진행 중입니다. 의견수렴이 끝나기 전에는 승인할 수 없습니다' },
  'register.consultationTooShort': { en: 'the consultation ran {{days}} day(s); impact level {{level}} needs at least {{minimum}} day(s) by policy — reopen it for longer', ko: '의견수렴 기간이 {{days}}일이었습니다. 정책상 영향 등급 {{level}}은(는) 최소 {{minimum}}일이 필요합니다. 더 긴 기간으로 다시 진행하십시오' },
  'register.consultationDaysBelowMinimum': { en: 'a consultation of {{days}} day(s) is shorter than policy allows', ko: '{{days}}일의 의견수렴 기간은 정책이 허용하는 기간보다 짧습니다' },
  'register.consultationDaysExpected': { en: 'at least {{minimum}} day(s) for impact level {{level}}', ko: '영향 등급 {{level}}은(는) 최소 {{minimum}}일' },
  'register.commentsUnanswered': { en: '{{count}} consultation comment(s) have not been answered or acknowledged yet', ko: '아직 답변하거나 접수 확인하지 않은 의견이 {{count}}건 있습니다' },
  'register.commentNotFound': { en: 'no comment {{commentId}} on {{systemId}}', ko: '{{systemId}}에 {{commentId}}번 의견이 없습니다' },
  'register.onlyOwnerOrOversightAnswers': { en: 'only the system\'s owner or oversight may answer a consultation comment', ko: '의견에 대한 답변은 시스템 소유자 또는 감독 기관만 할 수 있습니다' },

  // --- privacy: differential privacy budget ---

  // --- fairness figures ---

  // --- log keys ---
} as const satisfies Record<string, { en: string; ko: string }>;

export type MessageCode = keyof typeof MESSAGES;
export type Lang = 'en' | 'ko';
export type MessageParams = Record<string, string | number>;
export const LANGS: readonly Lang[] = ['en', 'ko'];

/** A message to show a person: a stable code and its parameters. */
export interface Message {
  code: MessageCode;
  params?: MessageParams;
}

export function msg(code: MessageCode, params?: MessageParams): Message {
  return { code, params };
}

export function isMessage(x: unknown): x is Message {
  return typeof x === 'object' && x !== null && typeof (x as Message).code === 'string' && (x as Message).code in MESSAGES;
}

/** The message in `lang`, placeholders filled (a missing parameter stays visible as `{{name}}`). */
export function render(m: Message, lang: Lang = 'en'): string {
  const text: string = MESSAGES[m.code][lang];
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (m.params && name in m.params ? String(m.params[name]) : whole));
}

/** The caller's language from an Accept-Language header: Korean when it comes before English, else English. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'en';
  for (const part of acceptLanguage.split(',')) {
    const tag = part.trim().toLowerCase();
    if (tag.startsWith('ko')) return 'ko';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

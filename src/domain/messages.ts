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
  'review.alertNotFound': { en: 'no alert {{alertId}} that you may read (it does not exist, or belongs to another unit or a later shift)', ko: '열람할 수 있는 알림 {{alertId}}이(가) 없습니다 (존재하지 않거나 다른 부서 또는 이후 근무조의 알림입니다)' },
  'review.missionNotFound': { en: 'no mission {{missionId}} that you may read (it does not exist, or belongs to another unit or a later shift)', ko: '열람할 수 있는 임무 {{missionId}}이(가) 없습니다 (존재하지 않거나 다른 부서 또는 이후 근무조의 임무입니다)' },
  'review.otherUnitMissions': { en: 'you read the missions of your own unit ({{own}}), not of {{unit}}', ko: '소속 부서({{own}})의 임무만 볼 수 있습니다. {{unit}}의 임무는 볼 수 없습니다' },
  'review.idempotencyConflict': { en: 'idempotency key {{key}} was already used for a different alert ({{alertId}}): send the same body to retry it, or a new key for a new alert', ko: '멱등성 키 {{key}}은(는) 이미 다른 알림({{alertId}})에 사용되었습니다. 재시도하려면 같은 본문을 보내고, 새 알림에는 새 키를 사용하십시오' },
  'review.idempotencyInFlight': { en: 'the alert with idempotency key {{key}} is still being recorded: retry in a moment', ko: '멱등성 키 {{key}}의 알림을 아직 기록하는 중입니다. 잠시 후 다시 시도하십시오' },
  'review.occurredInFuture': { en: 'occurredAt {{occurredAt}} is in the future: more than {{minutes}} minutes after the server\'s clock ({{now}})', ko: 'occurredAt {{occurredAt}}이(가) 미래 시각입니다. 서버 시각({{now}})보다 {{minutes}}분 넘게 앞설 수 없습니다' },
  'review.purposeNeeded': { en: 'reading another unit\'s records needs a stated purpose (x-purpose header), which the access log records', ko: '다른 부서의 기록을 열람하려면 목적을 밝혀야 합니다(x-purpose 헤더). 목적은 접근 기록에 남습니다' },

  // --- disclosure packets ---

  // --- audits and monitors: the audit gate, outcomes, pause and resume ---

  // --- register: consultation, redactions, classification ---

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

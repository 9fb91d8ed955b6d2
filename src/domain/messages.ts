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

  // --- privacy: differential privacy budget ---

  // --- fairness figures ---

  // --- log keys ---

  // --- citizen data: legal holds, retention, purposes, the access log ---
  'privacy.holdRefInvalid': { en: 'a legal hold names a pseudonymous reference or an alert', ko: '법적 보존 조치는 가명 참조 또는 알림을 지정해야 합니다' },
  'privacy.holdMatchesNothing': { en: 'no record carries {{ref}}: a hold on it would keep nothing', ko: '{{ref}}을(를) 가진 기록이 없습니다. 보존 조치를 해도 보존할 것이 없습니다' },
  'privacy.holdNotFound': { en: 'no legal hold {{id}}', ko: '법적 보존 조치 {{id}}이(가) 없습니다' },
  'privacy.holdNotPending': { en: 'legal hold {{id}} is not awaiting confirmation ({{status}})', ko: '법적 보존 조치 {{id}}은(는) 확인 대기 상태가 아닙니다 ({{status}})' },
  'privacy.holdNotInForce': { en: 'legal hold {{id}} is not in force ({{status}})', ko: '법적 보존 조치 {{id}}은(는) 효력 중이 아닙니다 ({{status}})' },
  'privacy.holdNoLiftRequest': { en: 'nobody has asked to lift legal hold {{id}} ({{status}})', ko: '법적 보존 조치 {{id}}의 해제 요청이 없습니다 ({{status}})' },
  'privacy.holdSamePerson': { en: 'a second person must confirm this: you asked for it yourself', ko: '본인이 요청한 건이므로 다른 사람이 확인해야 합니다' },
  'privacy.purposeRequired': { en: 'say why you need this personal data: a registered purpose this route serves', ko: '이 개인정보가 필요한 이유를 밝혀 주십시오. 이 경로가 허용하는 등록된 목적이어야 합니다' },
  'privacy.sourceNotForPurpose': { en: 'data source {{source}} may not be used for {{purpose}}', ko: '데이터 출처 {{source}}은(는) {{purpose}} 목적으로 사용할 수 없습니다' },
  'privacy.sourceWidening': { en: 'the new version of {{source}} adds the purposes {{purposes}}: propose it with its legal basis, and a second person must approve it', ko: '{{source}}의 새 버전은 목적 {{purposes}}을(를) 추가합니다. 법적 근거와 함께 제안하고 다른 사람의 승인을 받아야 합니다' },
  'privacy.sourceNotWidening': { en: 'the new version of {{source}} adds no purpose: register it directly', ko: '{{source}}의 새 버전은 목적을 추가하지 않습니다. 바로 등록하십시오' },
  'privacy.sourceWideningBasis': { en: 'widening a source needs the legal basis that allows it', ko: '출처의 사용 목적을 넓히려면 이를 허용하는 법적 근거가 필요합니다' },
  'privacy.sourceProposalNotFound': { en: 'no source proposal {{id}}', ko: '출처 변경 제안 {{id}}이(가) 없습니다' },
  'privacy.sourceProposalDecided': { en: 'source proposal {{id}} was already decided ({{status}})', ko: '출처 변경 제안 {{id}}은(는) 이미 결정되었습니다 ({{status}})' },
  'privacy.accessLogFailed': { en: 'this read could not be recorded in the access log, so nothing was sent', ko: '이 조회를 접근 기록에 남길 수 없어 아무것도 보내지 않았습니다' },
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

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
  'accounts.wrongPassword': { en: 'wrong username or password', ko: '사용자 이름 또는 비밀번호가 올바르지 않습니다' },
  'accounts.locked': { en: 'too many failed sign-ins for this account: it is locked until {{until}} (about {{minutes}} min)', ko: '로그인 실패가 너무 많아 이 계정은 {{until}}까지 잠겨 있습니다(약 {{minutes}}분)' },
  'accounts.tooManyFromAddress': { en: 'too many sign-in attempts from your address: try again in {{seconds}} s', ko: '이 주소에서 로그인 시도가 너무 많습니다. {{seconds}}초 후에 다시 시도하세요' },
  'accounts.busy': { en: 'the account is being changed by another request: try again', ko: '다른 요청이 이 계정을 변경하는 중입니다. 다시 시도하세요' },
  'accounts.invalidUser': { en: 'invalid account details', ko: '계정 정보가 올바르지 않습니다' },
  'accounts.invalidChange': { en: 'invalid account change', ko: '계정 변경 내용이 올바르지 않습니다' },
  'accounts.weakPassword': { en: 'the password is too short or too easy to guess', ko: '비밀번호가 너무 짧거나 추측하기 쉽습니다' },
  'accounts.wrongCurrentPassword': { en: 'the current password is wrong', ko: '현재 비밀번호가 올바르지 않습니다' },
  'accounts.exists': { en: 'the username {{username}} is already taken', ko: '사용자 이름 {{username}}은(는) 이미 사용 중입니다' },
  'accounts.noUser': { en: 'no account {{id}}', ko: '{{id}} 계정이 없습니다' },
  'accounts.noKey': { en: 'no active API key {{id}}', ko: '사용 중인 API 키 {{id}}이(가) 없습니다' },
  'accounts.lastAdmin': { en: 'this would leave no active administrator: enable or appoint another administrator first', ko: '활성 관리자가 한 명도 남지 않게 됩니다. 먼저 다른 관리자를 활성화하거나 지정하세요' },
  'accounts.keyRoles': { en: 'API keys may hold only machine roles ({{roles}}): approvals, decisions, audits, resumptions and redactions need a named person', ko: 'API 키에는 기계용 역할({{roles}})만 부여할 수 있습니다. 승인, 결정, 감사, 재개, 가림 처리는 실명 사용자만 할 수 있습니다' },
  'accounts.needsPerson': { en: 'only a named person signed in can do this, never an API key', ko: '이 작업은 로그인한 실명 사용자만 할 수 있으며 API 키로는 할 수 없습니다' },

  // --- server: request limits, rate limits, cookies ---

  // --- imports ---

  // --- review: alerts, unit scoping, pseudonyms, idempotency ---

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

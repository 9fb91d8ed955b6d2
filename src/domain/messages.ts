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
  'server.tooDeep': { en: 'the JSON body is nested more than {{max}} levels deep', ko: 'JSON 본문의 중첩 깊이가 {{max}}단계를 넘습니다' },
  'server.rateLimited': { en: 'too many requests from your address; try again in {{seconds}} seconds', ko: '같은 주소에서 요청이 너무 많습니다. {{seconds}}초 후에 다시 시도하세요' },
  'server.badTrustProxy': {
    en: 'trust-proxy setting "{{value}}" is not true, false, or a list of proxy addresses/CIDRs',
    ko: 'trust-proxy 설정 "{{value}}"이(가) true, false 또는 프록시 주소/CIDR 목록이 아닙니다',
  },
  'server.badNumber': { en: '{{field}} must be a whole number from {{min}} to {{max}}, got "{{value}}"', ko: '{{field}} 값은 {{min}}부터 {{max}}까지의 정수여야 합니다. 입력값: "{{value}}"' },
  'server.commentCap': {
    en: 'this system has received its {{cap}} public comments for today (UTC); comments open again at {{reopensAt}}',
    ko: '이 시스템은 오늘(UTC) 받을 수 있는 공개 의견 {{cap}}건을 모두 받았습니다. {{reopensAt}}부터 다시 의견을 남길 수 있습니다',
  },

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
  'privacy.epsilonNotNumber': { en: 'ε must be a finite number (got {{got}})', ko: 'ε는 유한한 숫자여야 합니다(입력값: {{got}})' },
  'privacy.epsilonTooSmall': { en: 'ε per table must be at least {{min}} (got {{got}}): smaller values give noise so wide the counts mean nothing', ko: '표당 ε는 {{min}} 이상이어야 합니다(입력값: {{got}}). 이보다 작으면 잡음이 너무 커서 수치가 의미를 잃습니다' },
  'privacy.epsilonTooLarge': { en: 'ε per table may be at most {{max}} in one release (got {{got}}): larger values publish nearly exact counts', ko: '한 번의 공표에서 표당 ε는 최대 {{max}}입니다(입력값: {{got}}). 이보다 크면 사실상 정확한 수치가 공개됩니다' },
  'privacy.epsilonPrecision': { en: 'ε may have at most 6 decimal places (got {{got}})', ko: 'ε는 소수점 아래 6자리까지만 쓸 수 있습니다(입력값: {{got}})' },
  'privacy.suppressBelowTooLow': { en: 'small cells must be suppressed: suppressBelow must be a whole number from {{floor}} to 1000 (got {{got}})', ko: '작은 셀은 반드시 비공개 처리해야 합니다. suppressBelow는 {{floor}}부터 1000 사이의 정수여야 합니다(입력값: {{got}})' },
  'privacy.badPeriod': { en: 'the data period must be months written YYYY-MM, with from no later than to (got {{got}})', ko: '자료 기간은 YYYY-MM 형식의 월이어야 하며 시작이 끝보다 늦을 수 없습니다(입력값: {{got}})' },
  'privacy.unknownTable': { en: 'no statistics table named {{got}}; the tables are {{tables}}', ko: '{{got}}(이)라는 통계표는 없습니다. 가능한 표: {{tables}}' },
  'privacy.budgetSpent': { en: 'the privacy budget of table {{table}} for {{period}} would be exceeded: {{spent}} of {{budget}} already spent, this release needs {{needed}}', ko: '{{period}} 기간 {{table}} 표의 프라이버시 예산을 초과합니다. {{budget}} 중 {{spent}}을(를) 이미 사용했으며 이번 공표에는 {{needed}}이(가) 필요합니다' },
  'privacy.badPolicy': { en: 'the privacy policy file {{file}} is not valid', ko: '프라이버시 정책 파일 {{file}}이(가) 올바르지 않습니다' },
  'privacy.degenerateEpsilon': { en: 'ε/sensitivity must be between 0.000001 and 50 (got {{got}}): outside that range the noise is degenerate', ko: 'ε/민감도는 0.000001에서 50 사이여야 합니다(입력값: {{got}}). 이 범위를 벗어나면 잡음이 제 역할을 하지 못합니다' },

  // --- fairness figures ---
  'fairness.yatesNot2x2': { en: "Yates's continuity correction applies only to a 2×2 table; this one is {{rows}}×{{columns}}", ko: 'Yates 연속성 보정은 2×2 표에만 적용됩니다. 이 표는 {{rows}}×{{columns}}입니다' },

  // --- log keys ---
  'logKeys.missing': {
    en: 'this database holds a transparency log ({{size}} entries) but its signing key is not at {{path}}; set CW_KEYS_DIR (or --keys-dir) to the directory that holds it. A new key is made only for an empty log',
    ko: '이 데이터베이스에는 투명성 로그({{size}}개 항목)가 있지만 서명 키가 {{path}}에 없습니다. 키가 들어 있는 디렉터리를 CW_KEYS_DIR(또는 --keys-dir)로 지정하세요. 새 키는 로그가 비어 있을 때만 만들어집니다',
  },
  'logKeys.mismatch': {
    en: 'the signing keys in {{dir}} ({{keys}}) did not sign this database\'s latest checkpoint (size {{size}}, signed by {{signedBy}}); refusing to sign the existing log with a different key',
    ko: '{{dir}}의 서명 키({{keys}})는 이 데이터베이스의 최신 체크포인트(크기 {{size}}, 서명: {{signedBy}})에 서명한 키가 아닙니다. 기존 로그에 다른 키로 서명할 수 없습니다',
  },
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

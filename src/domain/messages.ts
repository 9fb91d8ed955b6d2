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
  'audits.ownerCannotRun': { en: 'whoever owns system {{systemId}} cannot run a bias audit of it (separation of duties)', ko: '시스템 {{systemId}}의 소유자는 그 시스템의 편향 감사를 실행할 수 없습니다 (직무 분리)' },
  'audits.ownerCannotPublish': { en: 'whoever owns system {{systemId}} cannot publish a bias audit of it (separation of duties)', ko: '시스템 {{systemId}}의 소유자는 그 시스템의 편향 감사를 공개할 수 없습니다 (직무 분리)' },
  'audits.ownerCannotRegisterDataset': { en: 'whoever owns system {{systemId}} cannot register the data its bias audit reads (separation of duties)', ko: '시스템 {{systemId}}의 소유자는 그 시스템의 편향 감사에 쓰일 데이터를 등록할 수 없습니다 (직무 분리)' },
  'audits.ownerCannotAuthoriseFeed': { en: 'whoever owns system {{systemId}} cannot authorise who reports its outcomes (separation of duties)', ko: '시스템 {{systemId}}의 소유자는 그 시스템의 결과 데이터 제출자를 승인할 수 없습니다 (직무 분리)' },
  'audits.alreadyPublished': { en: 'audit {{auditId}} is already published', ko: '감사 {{auditId}}은(는) 이미 공개되었습니다' },
  'audits.notFound': { en: 'no audit {{auditId}}', ko: '감사 {{auditId}}이(가) 없습니다' },
  'audits.datasetNotFound': { en: 'no audit dataset {{datasetId}} registered for system {{systemId}} version {{version}}', ko: '시스템 {{systemId}} 버전 {{version}}에 등록된 감사 데이터셋 {{datasetId}}이(가) 없습니다' },
  'audits.datasetHashMismatch': { en: 'the uploaded file is not the registered dataset {{datasetId}}: its SHA-256 is {{got}}, the register says {{expected}}', ko: '업로드한 파일이 등록된 데이터셋 {{datasetId}}과(와) 다릅니다: SHA-256이 {{got}}이지만 등록부에는 {{expected}}입니다' },
  'audits.datasetInvalid': { en: 'invalid audit dataset', ko: '감사 데이터셋 정보가 올바르지 않습니다' },
  'audits.policyInvalid': { en: '{{file}} is not a valid audit policy', ko: '{{file}}은(는) 올바른 감사 정책 파일이 아닙니다' },
  'audits.gateNoAudit': { en: 'a bias audit is required at this level: none of version {{version}} is published, run on a registered dataset and judged against audit policy {{policy}}', ko: '이 영향 등급에는 편향 감사가 필요합니다: 버전 {{version}}에 대해 등록된 데이터셋으로 수행되고 감사 정책 {{policy}}에 따라 판정되어 공개된 감사가 없습니다' },
  'audits.gateFailed': { en: 'the bias audit {{auditId}} that counts for the gate failed', ko: '승인 요건으로 인정되는 편향 감사 {{auditId}}이(가) 불합격입니다' },
  'audits.gateStale': { en: 'the bias audit {{auditId}} is older than {{days}} days', ko: '편향 감사 {{auditId}}이(가) {{days}}일보다 오래되었습니다' },
  'monitor.outcomesNotAuthorised': { en: 'outcomes for system {{systemId}} are accepted only from the sources its monitoring plan names, each through the API key oversight authorised for it', ko: '시스템 {{systemId}}의 결과 데이터는 모니터링 계획에 명시된 출처에서, 감독기구가 승인한 API 키로만 받습니다' },
  'monitor.sourceNotInPlan': { en: 'source {{sourceId}} is not named in the monitoring plan (outcomeSources) of system {{systemId}}', ko: '출처 {{sourceId}}은(는) 시스템 {{systemId}}의 모니터링 계획(outcomeSources)에 없습니다' },
  'monitor.vendorKeyNotInPlan': { en: 'the vendor\'s own key may report outcomes for source {{sourceId}} only if the monitoring plan says so (vendorKey: true)', ko: '공급업체 자체 키는 모니터링 계획이 허용할 때(vendorKey: true)만 출처 {{sourceId}}의 결과를 제출할 수 있습니다' },
  'monitor.keyNotFound': { en: 'no active API key {{keyId}}', ko: '유효한 API 키 {{keyId}}이(가) 없습니다' },
  'monitor.duplicateRecordInBatch': { en: 'record id {{recordId}} appears more than once in this batch', ko: '이 묶음에 레코드 ID {{recordId}}이(가) 두 번 이상 있습니다' },
  'monitor.pausedDecision': { en: 'system {{systemId}} is {{state}}: its alerts can only be closed as not acted', ko: '시스템 {{systemId}}이(가) {{state}} 상태입니다: 이 경보는 조치하지 않음으로만 종결할 수 있습니다' },
  'monitor.remedyRequired': { en: 'resuming after an automatic pause needs a record of what was done about the breach', ko: '자동 일시정지 후 재개하려면 위반에 대해 취한 조치를 기록해야 합니다' },

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

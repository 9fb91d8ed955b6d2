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
  'auth.badCsrf': {
    en: 'missing or wrong x-csrf-token header for this session',
    ko: '이 세션의 x-csrf-token 헤더가 없거나 올바르지 않습니다',
  },
  'server.internal': {
    en: 'something went wrong on our side; it has been logged as request {{requestId}}',
    ko: '서버 내부 오류가 발생했습니다. 요청 {{requestId}}(으)로 기록되었습니다',
  },
  'server.noEndpoint': {
    en: 'no such endpoint: {{method}} {{path}}',
    ko: '해당 엔드포인트가 없습니다: {{method}} {{path}}',
  },
  'server.tooLarge': {
    en: 'request body is larger than this endpoint accepts',
    ko: '요청 본문이 이 엔드포인트의 허용 크기보다 큽니다',
  },
  'server.invalid': { en: 'invalid {{part}}', ko: '{{part}} 값이 올바르지 않습니다' },

  // --- accounts: sign-in, throttling, passwords, account lifecycle, API keys ---
  'accounts.wrongPassword': { en: 'wrong username or password', ko: '사용자 이름 또는 비밀번호가 올바르지 않습니다' },
  'accounts.locked': {
    en: 'too many failed sign-ins for this account: it is locked until {{until}} (about {{minutes}} min)',
    ko: '로그인 실패가 너무 많아 이 계정은 {{until}}까지 잠겨 있습니다(약 {{minutes}}분)',
  },
  'accounts.tooManyFromAddress': {
    en: 'too many sign-in attempts from your address: try again in {{seconds}} s',
    ko: '이 주소에서 로그인 시도가 너무 많습니다. {{seconds}}초 후에 다시 시도하세요',
  },
  'accounts.busy': {
    en: 'the account is being changed by another request: try again',
    ko: '다른 요청이 이 계정을 변경하는 중입니다. 다시 시도하세요',
  },
  'accounts.invalidUser': { en: 'invalid account details', ko: '계정 정보가 올바르지 않습니다' },
  'accounts.invalidChange': { en: 'invalid account change', ko: '계정 변경 내용이 올바르지 않습니다' },
  'accounts.weakPassword': {
    en: 'the password is too short or too easy to guess',
    ko: '비밀번호가 너무 짧거나 추측하기 쉽습니다',
  },
  'accounts.wrongCurrentPassword': { en: 'the current password is wrong', ko: '현재 비밀번호가 올바르지 않습니다' },
  'accounts.exists': {
    en: 'the username {{username}} is already taken',
    ko: '사용자 이름 {{username}}은(는) 이미 사용 중입니다',
  },
  'accounts.noUser': { en: 'no account {{id}}', ko: '{{id}} 계정이 없습니다' },
  'accounts.noKey': { en: 'no active API key {{id}}', ko: '사용 중인 API 키 {{id}}이(가) 없습니다' },
  'accounts.lastAdmin': {
    en: 'this would leave no active administrator: enable or appoint another administrator first',
    ko: '활성 관리자가 한 명도 남지 않게 됩니다. 먼저 다른 관리자를 활성화하거나 지정하세요',
  },
  'accounts.keyRoles': {
    en: 'API keys may hold only machine roles ({{roles}}): approvals, decisions, audits, resumptions and redactions need a named person',
    ko: 'API 키에는 기계용 역할({{roles}})만 부여할 수 있습니다. 승인, 결정, 감사, 재개, 가림 처리는 실명 사용자만 할 수 있습니다',
  },
  'accounts.needsPerson': {
    en: 'only a named person signed in can do this, never an API key',
    ko: '이 작업은 로그인한 실명 사용자만 할 수 있으며 API 키로는 할 수 없습니다',
  },

  // --- server: request limits, rate limits, cookies ---
  'server.tooDeep': {
    en: 'the JSON body is nested more than {{max}} levels deep',
    ko: 'JSON 본문의 중첩 깊이가 {{max}}단계를 넘습니다',
  },
  'server.rateLimited': {
    en: 'too many requests from your address; try again in {{seconds}} seconds',
    ko: '같은 주소에서 요청이 너무 많습니다. {{seconds}}초 후에 다시 시도하세요',
  },
  'server.badTrustProxy': {
    en: 'trust-proxy setting "{{value}}" is not true, false, or a list of proxy addresses/CIDRs',
    ko: 'trust-proxy 설정 "{{value}}"이(가) true, false 또는 프록시 주소/CIDR 목록이 아닙니다',
  },
  'server.badNumber': {
    en: '{{field}} must be a whole number from {{min}} to {{max}}, got "{{value}}"',
    ko: '{{field}} 값은 {{min}}부터 {{max}}까지의 정수여야 합니다. 입력값: "{{value}}"',
  },
  'server.commentCap': {
    en: 'this system has received its {{cap}} public comments for today (UTC); comments open again at {{reopensAt}}',
    ko: '이 시스템은 오늘(UTC) 받을 수 있는 공개 의견 {{cap}}건을 모두 받았습니다. {{reopensAt}}부터 다시 의견을 남길 수 있습니다',
  },

  // --- imports ---
  'imports.uploadTooLarge': {
    en: 'the uploaded file is larger than {{limit}} bytes, the most an import accepts',
    ko: '업로드한 파일이 가져오기 허용 크기({{limit}}바이트)보다 큽니다',
  },
  'imports.uploadCutShort': {
    en: 'the upload ended before the whole file arrived (after {{bytes}} bytes); nothing was imported',
    ko: '파일 전체가 도착하기 전에 업로드가 끊겼습니다({{bytes}}바이트 수신). 아무것도 가져오지 않았습니다',
  },
  'imports.badFileName': {
    en: 'the uploaded file name "{{name}}" is not a plain file name',
    ko: '업로드한 파일 이름 "{{name}}"은(는) 경로가 없는 단순한 파일 이름이어야 합니다',
  },
  'imports.jobNotFound': {
    en: 'no import {{id}} of yours is known to this server (finished imports are kept for 10 minutes)',
    ko: '이 서버에 {{id}}(으)로 진행한 가져오기 작업이 없습니다 (끝난 작업은 10분 동안만 보관됩니다)',
  },
  'imports.jobIdTaken': {
    en: 'the import id {{id}} is already in use; choose a new one',
    ko: '가져오기 ID {{id}}은(는) 이미 사용 중입니다. 새 ID를 정하세요',
  },

  // --- Korean files, area tables and joins, the Seoul demo (h-korea) ---
  'encoding.unknown': {
    en: 'unknown text encoding "{{value}}": use one of {{known}}',
    ko: '알 수 없는 문자 인코딩 "{{value}}"입니다. 다음 중 하나를 쓰세요: {{known}}',
  },
  'table.cannotRead': {
    en: 'cannot read the table {{file}}: {{reason}}',
    ko: '표 파일 {{file}}을(를) 읽을 수 없습니다: {{reason}}',
  },
  'table.missingColumns': { en: '{{file}} lacks the columns {{columns}}', ko: '{{file}}에 {{columns}} 열이 없습니다' },
  'table.badValues': {
    en: '{{file}}: {{count}} bad value(s); nothing was imported',
    ko: '{{file}}: 잘못된 값이 {{count}}개 있어 아무것도 가져오지 않았습니다',
  },
  'table.badMapping': {
    en: 'the table mapping {{file}} is not valid',
    ko: '표 매핑 파일 {{file}}이(가) 올바르지 않습니다',
  },
  'join.unmatched': {
    en: 'joining {{file}} onto the layer: {{count}} key(s) match nothing; nothing was joined',
    ko: '{{file}}을(를) 경계 레이어에 결합하는 중 {{count}}개의 키가 일치하지 않아 아무것도 결합하지 않았습니다',
  },
  'legal.invalid': {
    en: 'the legal duties file {{file}} is not valid',
    ko: '법적 의무 파일 {{file}}이(가) 올바르지 않습니다',
  },
  'legal.badExample': {
    en: 'the example register entry {{file}} is not valid or does not classify as it says',
    ko: '등록 예시 {{file}}이(가) 올바르지 않거나 적힌 대로 분류되지 않습니다',
  },
  'demo.unknown': {
    en: 'unknown demo "{{name}}": use one of {{known}}',
    ko: '알 수 없는 데모 "{{name}}"입니다. 다음 중 하나를 쓰세요: {{known}}',
  },
  'demo.accountsHeading': {
    en: 'Demo organisation (made-up people, marked [Demo]). Sign in as any of them; the passwords are shown now, once, and stored only as hashes:',
    ko: '데모 기관 (가상의 사람들, [데모] 표시). 아래 계정으로 로그인하세요. 비밀번호는 지금 한 번만 보여 주며 해시로만 저장됩니다:',
  },
  'demo.accountLine': {
    en: '  {{username}}  ({{roles}})  password: {{password}}',
    ko: '  {{username}}  ({{roles}})  비밀번호: {{password}}',
  },
  'demo.vendorKeyLine': {
    en: "  API key of the vendor's live CCTV system (integration, for POST /api/systems/{{systemId}}/alerts): {{key}}",
    ko: '  운영 중인 업체 CCTV 시스템의 API 키 (integration, POST /api/systems/{{systemId}}/alerts 용): {{key}}',
  },
  'demo.stepFailed': {
    en: 'the demo organisation could not be loaded: "{{step}}" was refused ({{status}}): {{detail}}',
    ko: '데모 기관을 불러오지 못했습니다: "{{step}}" 단계가 거부되었습니다 ({{status}}): {{detail}}',
  },

  // --- review: alerts, unit scoping, pseudonyms, idempotency ---
  'review.alertNotFound': {
    en: 'no alert {{alertId}} that you may read (it does not exist, or belongs to another unit or a later shift)',
    ko: '열람할 수 있는 알림 {{alertId}}이(가) 없습니다 (존재하지 않거나 다른 부서 또는 이후 근무조의 알림입니다)',
  },
  'review.missionNotFound': {
    en: 'no mission {{missionId}} that you may read (it does not exist, or belongs to another unit or a later shift)',
    ko: '열람할 수 있는 임무 {{missionId}}이(가) 없습니다 (존재하지 않거나 다른 부서 또는 이후 근무조의 임무입니다)',
  },
  'review.otherUnitMissions': {
    en: 'you read the missions of your own unit ({{own}}), not of {{unit}}',
    ko: '소속 부서({{own}})의 임무만 볼 수 있습니다. {{unit}}의 임무는 볼 수 없습니다',
  },
  'review.idempotencyConflict': {
    en: 'idempotency key {{key}} was already used for a different alert ({{alertId}}): send the same body to retry it, or a new key for a new alert',
    ko: '멱등성 키 {{key}}은(는) 이미 다른 알림({{alertId}})에 사용되었습니다. 재시도하려면 같은 본문을 보내고, 새 알림에는 새 키를 사용하십시오',
  },
  'review.idempotencyInFlight': {
    en: 'the alert with idempotency key {{key}} is still being recorded: retry in a moment',
    ko: '멱등성 키 {{key}}의 알림을 아직 기록하는 중입니다. 잠시 후 다시 시도하십시오',
  },
  'review.occurredInFuture': {
    en: "occurredAt {{occurredAt}} is in the future: more than {{minutes}} minutes after the server's clock ({{now}})",
    ko: 'occurredAt {{occurredAt}}이(가) 미래 시각입니다. 서버 시각({{now}})보다 {{minutes}}분 넘게 앞설 수 없습니다',
  },
  'review.purposeNeeded': {
    en: "reading another unit's records needs a stated purpose (x-purpose header), which the access log records",
    ko: '다른 부서의 기록을 열람하려면 목적을 밝혀야 합니다(x-purpose 헤더). 목적은 접근 기록에 남습니다',
  },

  // --- urgent alerts: urgency policy, push, acknowledgement, escalation, protective and coercive actions (issue 24) ---
  'urgent.badPolicy': {
    en: '{{file}} is not a valid urgency policy',
    ko: '{{file}}은(는) 올바른 긴급도 정책 파일이 아닙니다',
  },
  'urgent.webhookSecretMissing': {
    en: 'the dispatch webhook has a URL but no signing secret: set the environment variable {{env}}',
    ko: '출동 지령 웹훅에 URL은 있지만 서명 비밀값이 없습니다. 환경 변수 {{env}}을(를) 설정하십시오',
  },
  'urgent.personOnly': {
    en: 'only a signed-in person acknowledges or acts on an alert',
    ko: '알림 확인이나 조치는 로그인한 사람만 할 수 있습니다',
  },
  'urgent.nothingToAcknowledge': {
    en: 'alert {{alertId}} is {{urgency}}: it has no response-time target to acknowledge',
    ko: '알림 {{alertId}}은(는) 긴급도가 {{urgency}}이므로 확인할 응답 시간 목표가 없습니다',
  },
  'urgent.alreadyAcknowledged': {
    en: 'alert {{alertId}} was already acknowledged by {{by}} at {{at}}',
    ko: '알림 {{alertId}}은(는) 이미 {{at}}에 {{by}}이(가) 확인했습니다',
  },
  'urgent.ackRace': {
    en: 'alert {{alertId}} was acknowledged or escalated a moment ago: reload it',
    ko: '알림 {{alertId}}이(가) 방금 다른 사람에 의해 확인되었거나 상위 보고되었습니다. 다시 불러오십시오',
  },
  'urgent.coerciveNeedsCorroboration': {
    en: 'an AI alert alone is never grounds for a stop, search, arrest or warrant: enter the corroborating evidence you have (protective actions need none)',
    ko: 'AI 알림만으로는 불심검문, 수색, 체포, 영장 신청의 근거가 될 수 없습니다. 직접 확보한 보강 증거를 입력하십시오 (보호 조치에는 필요하지 않습니다)',
  },
  'urgent.coerciveNotPending': {
    en: 'alert {{alertId}} is {{status}}: a coercive action is recorded only on a pending alert',
    ko: '알림 {{alertId}}의 상태가 {{status}}입니다. 강제 조치는 처리 대기 중인 알림에만 기록할 수 있습니다',
  },
  'urgent.coerciveNeedsTraining': {
    en: 'you hold no current training for system {{systemId}}: a coercive action needs it (protective actions do not)',
    ko: '시스템 {{systemId}}에 대한 유효한 교육 이수 기록이 없습니다. 강제 조치에는 교육 이수가 필요합니다 (보호 조치는 필요 없음)',
  },
  'urgent.acceptEventStream': {
    en: 'this is a server-sent event stream: ask for it with Accept: text/event-stream (as EventSource does)',
    ko: '이 주소는 서버 전송 이벤트 스트림입니다. Accept: text/event-stream 헤더로 요청하십시오 (EventSource가 그렇게 합니다)',
  },
  'urgent.badLastEventId': {
    en: 'Last-Event-ID must be a log index (a whole number)',
    ko: 'Last-Event-ID는 로그 인덱스(정수)여야 합니다',
  },
  'urgent.responseBreachTitle': {
    en: '{{system}}: {{kind}} alerts missed their response-time target too often',
    ko: '{{system}}: {{kind}} 알림이 응답 시간 목표를 너무 자주 놓쳤습니다',
  },
  'urgent.responseBreachBody': {
    en: 'Only {{met}} of {{judged}} {{kind}} alerts ({{share}}%) were acknowledged within {{target}} s; the monitor asks for at least {{min}}%. {{consequence}} Log entry #{{logIndex}}.',
    ko: '{{kind}} 알림 {{judged}}건 중 {{met}}건({{share}}%)만 {{target}}초 안에 확인되었습니다. 모니터 기준은 최소 {{min}}%입니다. {{consequence}} 로그 항목 #{{logIndex}}.',
  },
  'urgent.notPausedLifeSafety': {
    en: 'This is a life-safety kind, so the system is not paused (missing these alerts is not fixed by switching them off): the breach is published and oversight notified.',
    ko: '생명·안전에 관한 알림 유형이므로 시스템을 일시정지하지 않습니다 (이런 알림을 놓치는 문제는 끄는 것으로 해결되지 않습니다). 위반 사실을 공개하고 감독기구에 통지했습니다.',
  },
  'urgent.pausedForResponse': {
    en: 'The system is paused until oversight records a reason to resume.',
    ko: '감독기구가 재개 사유를 기록할 때까지 시스템을 일시정지합니다.',
  },

  // --- disclosure packets ---
  'disclosure.noAlert': { en: 'no alert {{alertId}}', ko: '경보 {{alertId}}이(가) 없습니다' },
  'disclosure.selfCheck': {
    en: "the disclosure packet built for alert {{alertId}} does not verify against this log's own key, so it is not handed out: {{problems}}",
    ko: '경보 {{alertId}}에 대해 만든 공개 패킷이 이 로그의 자체 키로 검증되지 않아 제공하지 않습니다: {{problems}}',
  },
  'disclosure.notJson': {
    en: '{{file}} is not a JSON disclosure packet: {{reason}}',
    ko: '{{file}}은(는) JSON 공개 패킷이 아닙니다: {{reason}}',
  },
  'disclosure.format': {
    en: 'this packet is of format {{got}}; this verifier reads only {{want}} packets, in which every field shown is re-derived from the log (older packets showed fields nobody checked): ask for a new packet',
    ko: '이 패킷의 형식은 {{got}}입니다. 이 검증기는 표시되는 모든 항목을 로그에서 다시 도출하는 {{want}} 패킷만 읽습니다(이전 패킷에는 검증되지 않은 항목이 있었습니다). 새 패킷을 요청하십시오',
  },
  'disclosure.notObject': { en: '{{path}} must be a JSON object', ko: '{{path}}은(는) JSON 객체여야 합니다' },
  'disclosure.unexpectedField': {
    en: 'unexpected field {{path}}: a packet holds only committed payloads and their receipts',
    ko: '예상하지 못한 항목 {{path}}: 패킷에는 로그에 기록된 페이로드와 그 영수증만 들어 있어야 합니다',
  },
  'disclosure.missingField': { en: 'missing field {{path}}', ko: '{{path}} 항목이 없습니다' },
  'disclosure.expect.origin': {
    en: "{{path}} must be the log's origin, as text",
    ko: '{{path}}은(는) 로그 출처(origin)를 나타내는 텍스트여야 합니다',
  },
  'disclosure.expect.alertId': {
    en: '{{path}} must be the alert id, as text',
    ko: '{{path}}은(는) 경보 식별자 텍스트여야 합니다',
  },
  'disclosure.expect.entries': {
    en: '{{path}} must be a list of 1 to 64 log entries',
    ko: '{{path}}은(는) 로그 항목 1~64개의 목록이어야 합니다',
  },
  'disclosure.expect.role': {
    en: '{{path}} must be one of: {{roles}}',
    ko: '{{path}}은(는) 다음 중 하나여야 합니다: {{roles}}',
  },
  'disclosure.expect.index': {
    en: '{{path}} must be a log index (a whole number, 0 or more)',
    ko: '{{path}}은(는) 로그 색인(0 이상의 정수)이어야 합니다',
  },
  'disclosure.expect.payload': {
    en: '{{path}} must be the committed payload as canonical JSON text, or null when erased',
    ko: '{{path}}은(는) 기록된 페이로드의 정규화 JSON 텍스트이거나, 삭제된 경우 null이어야 합니다',
  },
  'disclosure.expect.salt': {
    en: '{{path}} must be 64 lowercase hex digits, or null when the payload is erased',
    ko: '{{path}}은(는) 소문자 16진수 64자리이거나, 페이로드가 삭제된 경우 null이어야 합니다',
  },
  'disclosure.expect.receipt': {
    en: '{{path}} must be a c2sp.org/tlog-proof receipt, as text',
    ko: '{{path}}은(는) c2sp.org/tlog-proof 영수증 텍스트여야 합니다',
  },
  'disclosure.expect.tombstoneNull': {
    en: '{{path}} must be null: a tombstone commits to no payload',
    ko: '{{path}}은(는) null이어야 합니다. 삭제 표지는 페이로드를 기록하지 않습니다',
  },
  'disclosure.expect.erasedSaltNull': {
    en: '{{path}} must be null when the payload is erased',
    ko: '페이로드가 삭제된 경우 {{path}}은(는) null이어야 합니다',
  },
  'disclosure.badKey': {
    en: 'the verifier key given is not usable: {{reason}}',
    ko: '지정한 검증 키를 사용할 수 없습니다: {{reason}}',
  },
  'disclosure.originMismatch': {
    en: 'the packet names the log {{got}}, but the log is {{want}}',
    ko: '패킷에 적힌 로그는 {{got}}이지만 실제 로그는 {{want}}입니다',
  },
  'disclosure.receiptInvalid': {
    en: 'the receipt does not prove that this entry is in a log signed with the trusted key: {{reason}}',
    ko: '이 영수증으로는 해당 항목이 신뢰하는 키로 서명된 로그에 포함되어 있음을 증명할 수 없습니다: {{reason}}',
  },
  'disclosure.included': {
    en: 'entry {{index}} ({{type}}) is in the log {{origin}} of size {{size}}, signed with the trusted key',
    ko: '항목 {{index}}({{type}})은(는) 신뢰하는 키로 서명된 로그 {{origin}}(크기 {{size}})에 포함되어 있습니다',
  },
  'disclosure.indexMismatch': {
    en: 'the packet says entry {{got}}, but the receipt proves entry {{want}}',
    ko: '패킷에는 항목 {{got}}(으)로 적혀 있지만 영수증이 증명하는 것은 항목 {{want}}입니다',
  },
  'disclosure.roleMismatch': {
    en: 'the entry is labelled {{got}}, but the log entry is of type {{type}}',
    ko: '이 항목은 {{got}}(으)로 표시되어 있지만 로그 항목의 유형은 {{type}}입니다',
  },
  'disclosure.payloadMismatch': {
    en: 'the payload and salt do not re-compute the commitment in log entry {{index}}: the payload (or the salt) was edited',
    ko: '페이로드와 솔트로 로그 항목 {{index}}의 커밋 값을 다시 계산할 수 없습니다. 페이로드(또는 솔트)가 변경되었습니다',
  },
  'disclosure.payloadWithoutSalt': {
    en: 'a payload is given for entry {{index}} without its salt, so it cannot be checked against the commitment (an erased payload is null, with its salt)',
    ko: '항목 {{index}}의 페이로드가 솔트 없이 제공되어 커밋 값과 대조할 수 없습니다(삭제된 페이로드는 솔트와 함께 null이어야 합니다)',
  },
  'disclosure.payloadMatches': {
    en: 'the payload re-computes the commitment in log entry {{index}}',
    ko: '페이로드로 로그 항목 {{index}}의 커밋 값이 다시 계산됩니다',
  },
  'disclosure.duplicateRole': {
    en: 'a second {{role}} entry: a packet holds one',
    ko: '{{role}} 항목이 두 번 있습니다. 패킷에는 하나만 있어야 합니다',
  },
  'disclosure.strayTombstone': {
    en: 'tombstone {{index}} erases entry {{erases}}, which is not an erased entry of this packet',
    ko: '삭제 표지 {{index}}은(는) 항목 {{erases}}을(를) 삭제한다고 하지만, 그 항목은 이 패킷에서 삭제된 항목이 아닙니다',
  },
  'disclosure.erasedNoTombstone': {
    en: 'entry {{index}} has no payload, and no tombstone in this packet records that it was erased',
    ko: '항목 {{index}}에 페이로드가 없는데, 삭제되었음을 기록한 삭제 표지가 이 패킷에 없습니다',
  },
  'disclosure.noAlertEntry': { en: 'the packet has no alert entry', ko: '패킷에 경보 항목이 없습니다' },
  'disclosure.alertMismatch': {
    en: 'the packet is said to be about alert {{got}}, but its alert entry {{index}} is about another alert',
    ko: '패킷은 경보 {{got}}에 관한 것이라고 하지만, 경보 항목 {{index}}은(는) 다른 경보에 관한 것입니다',
  },
  'disclosure.link.alert': {
    en: 'this {{role}} entry ({{index}}) is not about alert {{alertId}} (log entry {{alertIndex}})',
    ko: '이 {{role}} 항목({{index}})은(는) 경보 {{alertId}}(로그 항목 {{alertIndex}})에 관한 것이 아닙니다',
  },
  'disclosure.link.reviewer': {
    en: 'this {{role}} entry ({{index}}) names a reviewer other than the one who logged it ({{actor}})',
    ko: '이 {{role}} 항목({{index}})에 적힌 검토자가 이 항목을 기록한 사람({{actor}})과 다릅니다',
  },
  'disclosure.link.order': {
    en: 'this {{role}} entry ({{index}}) was logged before the alert it decides (log entry {{alertIndex}})',
    ko: '이 {{role}} 항목({{index}})은(는) 결정 대상 경보(로그 항목 {{alertIndex}})보다 먼저 기록되었습니다',
  },
  'disclosure.link.version': {
    en: 'this {{role}} entry ({{index}}) is not of system {{systemId}} version {{version}} logged before the alert (log entry {{alertIndex}})',
    ko: '이 {{role}} 항목({{index}})은(는) 경보(로그 항목 {{alertIndex}}) 이전에 기록된 시스템 {{systemId}} 버전 {{version}}의 항목이 아닙니다',
  },
  'disclosure.link.erasedAlert': {
    en: "this {{role}} entry ({{index}}) cannot be tied to alert {{alertId}}: the alert's payload, which names its system version ({{systemId}}, version {{version}}), is erased",
    ko: '이 {{role}} 항목({{index}})은(는) 경보 {{alertId}}와(과) 연결할 수 없습니다. 시스템 버전({{systemId}}, 버전 {{version}})을 담은 경보 페이로드가 삭제되었습니다',
  },
  'disclosure.link.system': {
    en: 'this {{role}} entry ({{index}}) is not of system {{systemId}} logged before the alert (log entry {{alertIndex}})',
    ko: '이 {{role}} 항목({{index}})은(는) 경보(로그 항목 {{alertIndex}}) 이전에 기록된 시스템 {{systemId}}의 항목이 아닙니다',
  },
  'disclosure.linked': {
    en: '{{role}} entry {{index}} belongs to alert {{alertId}}',
    ko: '{{role}} 항목 {{index}}은(는) 경보 {{alertId}}에 속합니다',
  },
  'disclosure.verified': {
    en: 'VERIFIED: every field below was re-derived from log entries signed with the trusted key',
    ko: '검증 완료: 아래의 모든 항목은 신뢰하는 키로 서명된 로그 항목에서 다시 도출되었습니다',
  },
  'disclosure.completeness': {
    en: 'A packet proves what it contains, not that nothing was left out: a log entry missing from it (a decision, a later model card) shows as "none in this packet". To be sure, audit the whole log (counterweight verify log) and look for the entries about alert:{{alertId}}.',
    ko: '패킷은 포함된 내용을 증명할 뿐, 빠진 것이 없음을 증명하지는 않습니다. 패킷에 없는 로그 항목(결정, 이후의 모델 카드 등)은 "이 패킷에 없음"으로 표시됩니다. 확인하려면 전체 로그를 감사하고(counterweight verify log) alert:{{alertId}}에 관한 항목을 찾으십시오.',
  },
  'disclosure.failed': {
    en: 'NOT VERIFIED: {{count}} problem(s); nothing of this packet is shown',
    ko: '검증 실패: 문제 {{count}}건. 이 패킷의 내용은 표시하지 않습니다',
  },
  'disclosure.pdfWritten': {
    en: 'wrote {{file}} from the verified packet',
    ko: '검증된 패킷으로 {{file}}을(를) 작성했습니다',
  },
  'disclosure.written': {
    en: "wrote {{out}}: {{entries}} log entries with receipts, checked against this log's key",
    ko: '{{out}}을(를) 작성했습니다: 영수증이 있는 로그 항목 {{entries}}개, 이 로그의 키로 확인됨',
  },
  'disclosure.view.title': { en: 'Disclosure packet (verified)', ko: '공개 패킷(검증됨)' },
  'disclosure.view.notice': {
    en: 'AI output is advisory and is never the sole basis for a stop, search or arrest. Everything below was re-derived from transparency-log entries; verify the JSON packet yourself with: counterweight verify disclosure FILE --key <the log verifier key obtained independently>.',
    ko: 'AI 출력은 참고용이며 검문, 수색, 체포의 유일한 근거가 될 수 없습니다. 아래 내용은 모두 투명성 로그 항목에서 다시 도출한 것입니다. JSON 패킷은 직접 검증하십시오: counterweight verify disclosure FILE --key <별도로 받은 로그 검증 키>',
  },
  'disclosure.view.none': { en: 'none in this packet', ko: '이 패킷에 없음' },
  'disclosure.view.erased': {
    en: 'payload of log entry {{index}} erased ({{reason}})',
    ko: '로그 항목 {{index}}의 페이로드가 삭제됨({{reason}})',
  },
  'disclosure.view.erasedBy': { en: 'erased, tombstone {{tombstone}}', ko: '삭제됨, 삭제 표지 {{tombstone}}' },
  'disclosure.view.alert': { en: 'Alert', ko: '경보' },
  'disclosure.view.decision': { en: 'Decision', ko: '결정' },
  'disclosure.view.responsibility': { en: 'Who is responsible', ko: '책임자' },
  'disclosure.view.reviewer': { en: 'Reviewer', ko: '검토자' },
  'disclosure.view.supervisorOnDuty': { en: 'Supervisor on duty', ko: '당직 감독자' },
  'disclosure.view.assessmentApprover': { en: 'Assessment decided by', ko: '영향평가 결정자' },
  'disclosure.view.systemOwner': { en: 'System registered by', ko: '시스템 등록자' },
  'disclosure.view.system': { en: 'System', ko: '시스템' },
  'disclosure.view.assessment': { en: 'Impact assessment in force', ko: '적용 중인 영향평가' },
  'disclosure.view.modelCard': { en: 'Model card in force', ko: '적용 중인 모델 카드' },
  'disclosure.view.entries': {
    en: 'Transparency-log entries (log {{origin}}, size {{size}})',
    ko: '투명성 로그 항목(로그 {{origin}}, 크기 {{size}})',
  },
  'disclosure.field.id': { en: 'Id', ko: '식별자' },
  'disclosure.field.system': { en: 'System', ko: '시스템' },
  'disclosure.field.version': { en: 'Version', ko: '버전' },
  'disclosure.field.kind': { en: 'Kind', ko: '유형' },
  'disclosure.field.modelVersion': { en: 'Model version', ko: '모델 버전' },
  'disclosure.field.occurredAt': { en: 'Occurred at', ko: '발생 시각' },
  'disclosure.field.receivedAt': { en: 'Received at', ko: '수신 시각' },
  'disclosure.field.unit': { en: 'Unit', ko: '부서' },
  'disclosure.field.place': { en: 'Place', ko: '장소' },
  'disclosure.field.subjectRef': { en: 'Subject (pseudonymous)', ko: '대상자(가명)' },
  'disclosure.field.output': { en: 'Output', ko: '출력' },
  'disclosure.field.confidence': { en: 'Confidence', ko: '신뢰도' },
  'disclosure.field.explanation': { en: 'Explanation given by the system', ko: '시스템이 제시한 설명' },
  'disclosure.field.inputRefs': { en: 'Inputs', ko: '입력 자료' },
  'disclosure.field.outcome': { en: 'Outcome', ko: '결과' },
  'disclosure.field.reasonCode': { en: 'Reason', ko: '사유' },
  'disclosure.field.reasonText': { en: 'Reason in words', ko: '사유 설명' },
  'disclosure.field.enforcementAction': { en: 'Enforcement action', ko: '강제 조치' },
  'disclosure.field.corroboration': { en: 'Corroborating evidence', ko: '보강 증거' },
  'disclosure.field.decidedAt': { en: 'Decided at', ko: '결정 시각' },
  'disclosure.field.reviewer': { en: 'Reviewer', ko: '검토자' },
  'disclosure.field.supervisor': { en: 'Supervisor on duty', ko: '당직 감독자' },
  'disclosure.field.expiredAt': { en: 'Expired unreviewed at', ko: '미검토 만료 시각' },
  'disclosure.field.logIndex': { en: 'Log entry', ko: '로그 항목' },
  'disclosure.field.loggedAt': { en: 'Logged at', ko: '로그 기록 시각' },
  'disclosure.field.alertLogIndex': { en: 'Alert log entry', ko: '경보 로그 항목' },
  'disclosure.field.idempotencyKey': { en: "Sender's alert key", ko: '발신 시스템의 경보 키' },
  'disclosure.field.ttlMinutes': { en: 'Time to review (minutes)', ko: '검토 기한(분)' },
  'disclosure.field.name': { en: 'Name', ko: '이름' },
  'disclosure.field.record': { en: 'Register record', ko: '등록 기록' },
  'disclosure.field.recordLogIndex': { en: 'Record log entry', ko: '등록 기록 로그 항목' },
  'disclosure.field.assessmentId': { en: 'Assessment', ko: '영향평가' },
  'disclosure.field.decision': { en: 'Decision', ko: '결정' },
  'disclosure.field.level': { en: 'Impact level', ko: '영향 등급' },
  'disclosure.field.reason': { en: 'Reason', ko: '사유' },
  'disclosure.field.card': { en: 'Card', ko: '카드' },
  'disclosure.field.by': { en: 'Recorded by', ko: '기록자' },

  // --- audits and monitors: the audit gate, outcomes, pause and resume ---
  'audits.ownerCannotRun': {
    en: 'whoever owns system {{systemId}} cannot run a bias audit of it (separation of duties)',
    ko: '시스템 {{systemId}}의 소유자는 그 시스템의 편향 감사를 실행할 수 없습니다 (직무 분리)',
  },
  'audits.ownerCannotPublish': {
    en: 'whoever owns system {{systemId}} cannot publish a bias audit of it (separation of duties)',
    ko: '시스템 {{systemId}}의 소유자는 그 시스템의 편향 감사를 공개할 수 없습니다 (직무 분리)',
  },
  'audits.ownerCannotRegisterDataset': {
    en: 'whoever owns system {{systemId}} cannot register the data its bias audit reads (separation of duties)',
    ko: '시스템 {{systemId}}의 소유자는 그 시스템의 편향 감사에 쓰일 데이터를 등록할 수 없습니다 (직무 분리)',
  },
  'audits.ownerCannotAuthoriseFeed': {
    en: 'whoever owns system {{systemId}} cannot authorise who reports its outcomes (separation of duties)',
    ko: '시스템 {{systemId}}의 소유자는 그 시스템의 결과 데이터 제출자를 승인할 수 없습니다 (직무 분리)',
  },
  'audits.alreadyPublished': {
    en: 'audit {{auditId}} is already published',
    ko: '감사 {{auditId}}은(는) 이미 공개되었습니다',
  },
  'audits.notFound': { en: 'no audit {{auditId}}', ko: '감사 {{auditId}}이(가) 없습니다' },
  'audits.datasetNotFound': {
    en: 'no audit dataset {{datasetId}} registered for system {{systemId}} version {{version}}',
    ko: '시스템 {{systemId}} 버전 {{version}}에 등록된 감사 데이터셋 {{datasetId}}이(가) 없습니다',
  },
  'audits.datasetHashMismatch': {
    en: 'the uploaded file is not the registered dataset {{datasetId}}: its SHA-256 is {{got}}, the register says {{expected}}',
    ko: '업로드한 파일이 등록된 데이터셋 {{datasetId}}과(와) 다릅니다: SHA-256이 {{got}}이지만 등록부에는 {{expected}}입니다',
  },
  'audits.datasetInvalid': { en: 'invalid audit dataset', ko: '감사 데이터셋 정보가 올바르지 않습니다' },
  'audits.policyInvalid': {
    en: '{{file}} is not a valid audit policy',
    ko: '{{file}}은(는) 올바른 감사 정책 파일이 아닙니다',
  },
  'audits.gateNoAudit': {
    en: 'a bias audit is required at this level: none of version {{version}} is published, run on a registered dataset and judged against audit policy {{policy}}',
    ko: '이 영향 등급에는 편향 감사가 필요합니다: 버전 {{version}}에 대해 등록된 데이터셋으로 수행되고 감사 정책 {{policy}}에 따라 판정되어 공개된 감사가 없습니다',
  },
  'audits.gateFailed': {
    en: 'the bias audit {{auditId}} that counts for the gate failed',
    ko: '승인 요건으로 인정되는 편향 감사 {{auditId}}이(가) 불합격입니다',
  },
  'audits.gateStale': {
    en: 'the bias audit {{auditId}} is older than {{days}} days',
    ko: '편향 감사 {{auditId}}이(가) {{days}}일보다 오래되었습니다',
  },
  'monitor.csvQuotes': {
    en: '{{file}} is not valid CSV (a quote is not closed)',
    ko: '{{file}}은(는) 올바른 CSV가 아닙니다(닫히지 않은 따옴표가 있습니다)',
  },
  'monitor.csvEmpty': { en: '{{file}} is empty', ko: '{{file}}이(가) 비어 있습니다' },
  'monitor.csvNoColumn': {
    en: '{{file}} has no column "{{column}}"',
    ko: '{{file}}에 "{{column}}" 열이 없습니다',
  },
  'monitor.csvBadRows': {
    en: '{{file}}: {{count}} malformed row(s)',
    ko: '{{file}}: 형식이 잘못된 행 {{count}}개',
  },
  'monitor.proxyTooFewRows': {
    en: '{{file}} has {{rows}} rows: a proxy audit needs at least 20 to estimate associations',
    ko: '{{file}}에 행이 {{rows}}개뿐입니다. 대리변수 감사는 연관성을 추정하려면 최소 20개가 필요합니다',
  },
  'monitor.csvNoRows': { en: '{{file}} has no data rows', ko: '{{file}}에 데이터 행이 없습니다' },
  'monitor.invalid': {
    en: 'invalid monitor: see the fields named below',
    ko: '모니터 설정이 올바르지 않습니다. 아래에 적힌 항목을 확인하세요',
  },
  'monitor.outcomesNotAuthorised': {
    en: 'outcomes for system {{systemId}} are accepted only from the sources its monitoring plan names, each through the API key oversight authorised for it',
    ko: '시스템 {{systemId}}의 결과 데이터는 모니터링 계획에 명시된 출처에서, 감독기구가 승인한 API 키로만 받습니다',
  },
  'monitor.sourceNotInPlan': {
    en: 'source {{sourceId}} is not named in the monitoring plan (outcomeSources) of system {{systemId}}',
    ko: '출처 {{sourceId}}은(는) 시스템 {{systemId}}의 모니터링 계획(outcomeSources)에 없습니다',
  },
  'monitor.vendorKeyNotInPlan': {
    en: "the vendor's own key may report outcomes for source {{sourceId}} only if the monitoring plan says so (vendorKey: true)",
    ko: '공급업체 자체 키는 모니터링 계획이 허용할 때(vendorKey: true)만 출처 {{sourceId}}의 결과를 제출할 수 있습니다',
  },
  'monitor.keyNotFound': { en: 'no active API key {{keyId}}', ko: '유효한 API 키 {{keyId}}이(가) 없습니다' },
  'monitor.duplicateRecordInBatch': {
    en: 'record id {{recordId}} appears more than once in this batch',
    ko: '이 묶음에 레코드 ID {{recordId}}이(가) 두 번 이상 있습니다',
  },
  'monitor.pausedDecision': {
    en: 'system {{systemId}} is {{state}}: its alerts can only be closed as not acted',
    ko: '시스템 {{systemId}}이(가) {{state}} 상태입니다: 이 경보는 조치하지 않음으로만 종결할 수 있습니다',
  },
  'monitor.remedyRequired': {
    en: 'resuming after an automatic pause needs a record of what was done about the breach',
    ko: '자동 일시정지 후 재개하려면 위반에 대해 취한 조치를 기록해야 합니다',
  },

  // --- register: consultation, redactions, classification ---
  // --- oversight page (issue 17.3): pausing and resuming from the browser ---
  'register.onlyOversightResumes': {
    en: 'only oversight resumes a paused system ({{systemId}})',
    ko: '일시 중지된 시스템({{systemId}})은 감독관만 재개할 수 있습니다',
  },
  'register.ownerCannotResume': {
    en: 'whoever owns system {{systemId}} cannot resume it (separation of duties)',
    ko: '시스템 {{systemId}}의 소유자는 그 시스템을 재개할 수 없습니다(직무 분리)',
  },
  'register.reasonRequired': {
    en: 'a reason is required for every lifecycle change',
    ko: '모든 상태 변경에는 사유가 필요합니다',
  },

  'register.consultationOpen': {
    en: 'the public consultation is open until {{endsAt}}; a version cannot be approved before it closes',
    ko: '공개 의견수렴이 {{endsAt}}까지 진행 중입니다. 의견수렴이 끝나기 전에는 승인할 수 없습니다',
  },
  'register.consultationTooShort': {
    en: 'the consultation ran {{days}} day(s); impact level {{level}} needs at least {{minimum}} day(s) by policy — reopen it for longer',
    ko: '의견수렴 기간이 {{days}}일이었습니다. 정책상 영향 등급 {{level}}은(는) 최소 {{minimum}}일이 필요합니다. 더 긴 기간으로 다시 진행하십시오',
  },
  'register.consultationDaysBelowMinimum': {
    en: 'a consultation of {{days}} day(s) is shorter than policy allows',
    ko: '{{days}}일의 의견수렴 기간은 정책이 허용하는 기간보다 짧습니다',
  },
  'register.consultationDaysExpected': {
    en: 'at least {{minimum}} day(s) for impact level {{level}}',
    ko: '영향 등급 {{level}}은(는) 최소 {{minimum}}일',
  },
  'register.commentsUnanswered': {
    en: '{{count}} consultation comment(s) have not been answered or acknowledged yet',
    ko: '아직 답변하거나 접수 확인하지 않은 의견이 {{count}}건 있습니다',
  },
  'register.commentNotFound': {
    en: 'no comment {{commentId}} on {{systemId}}',
    ko: '{{systemId}}에 {{commentId}}번 의견이 없습니다',
  },
  'register.onlyOwnerOrOversightAnswers': {
    en: "only the system's owner or oversight may answer a consultation comment",
    ko: '의견에 대한 답변은 시스템 소유자 또는 감독 기관만 할 수 있습니다',
  },
  'register.responseRequired': {
    en: 'the answer or acknowledgement, published with the comment',
    ko: '의견과 함께 공개되는 답변 또는 접수 확인 내용',
  },
  'register.responseMissing': { en: 'a response is required', ko: '답변 내용이 필요합니다' },
  'register.notPublic': {
    en: 'no AI system {{systemId}} (version {{version}}) in the public register',
    ko: '공개 등록부에 AI 시스템 {{systemId}}(버전 {{version}})이(가) 없습니다',
  },
  'register.classification.notAnswered': {
    en: 'the classification questions for this version have not been answered',
    ko: '이 버전의 법적 분류 질문에 아직 답하지 않았습니다',
  },
  'register.classification.unanswered': {
    en: '{{count}} classification question(s) for the declared output kinds are unanswered',
    ko: '선언한 출력 유형에 대한 법적 분류 질문 {{count}}개에 답하지 않았습니다',
  },
  'register.classification.expectedYesNo': { en: 'true or false: {{question}}', ko: 'true 또는 false: {{question}}' },
  'register.classification.unknownQuestion': {
    en: 'a question asked for one of the declared output kinds ({{kinds}})',
    ko: '선언한 출력 유형({{kinds}})에 대해 묻는 질문',
  },
  'register.classification.ownerCannotConfirm': {
    en: 'the owner of a system cannot confirm its legal classification (separation of duties)',
    ko: '시스템 소유자는 자신의 시스템의 법적 분류를 확정할 수 없습니다(직무 분리)',
  },
  'register.classification.onlyOwnerAnswers': {
    en: "only the system's owner answers its classification questions",
    ko: '법적 분류 질문에는 시스템 소유자만 답할 수 있습니다',
  },
  'register.classification.notConfirmed': {
    en: 'the legal classification of this version has not been confirmed by oversight',
    ko: '이 버전의 법적 분류가 감독 기관의 확정을 받지 않았습니다',
  },
  'register.classification.stale': {
    en: 'the record changed after its classification was answered; answer the classification questions again',
    ko: '분류 질문에 답한 뒤 기록이 바뀌었습니다. 분류 질문에 다시 답하십시오',
  },
  'register.classification.frozen': {
    en: 'version {{version}} is {{state}}; its classification can no longer change',
    ko: '{{version}} 버전은 {{state}} 상태이므로 법적 분류를 더 이상 바꿀 수 없습니다',
  },
  'register.classification.alreadyConfirmed': {
    en: 'this classification was already confirmed',
    ko: '이 법적 분류는 이미 확정되었습니다',
  },
  'register.classification.q.cctvAnalysesPeople': {
    en: "Does it analyse people's faces, gait, body movements or behaviour?",
    ko: '사람의 얼굴, 걸음걸이, 몸의 움직임이나 행동을 분석합니까?',
  },
  'register.classification.q.cctvIdentifiesPeople': {
    en: 'Does it identify who a person is (matching a face, gait or other body trait against a list or database)?',
    ko: '얼굴, 걸음걸이 등 신체 특징을 명단이나 데이터베이스와 대조해 그 사람이 누구인지 식별합니까?',
  },
  'register.classification.q.cctvRealTime': {
    en: 'Does it work in real time (live or near-live video, not footage reviewed later)?',
    ko: '실시간으로 작동합니까(나중에 보는 녹화 영상이 아니라 실시간 또는 거의 실시간 영상)?',
  },
  'register.classification.q.cctvPublicSpaces': {
    en: 'Does it watch publicly accessible spaces (streets, squares, stations, shops)?',
    ko: '거리, 광장, 역, 상점처럼 누구나 드나드는 공간을 촬영합니까?',
  },
  'register.classification.q.cctvInfersEmotionOrIntent': {
    en: 'Does it flag people as aggressive, suspicious or abnormal, or otherwise infer what they feel or intend from how they look or move?',
    ko: '사람을 공격적이거나 수상하거나 이상하다고 표시하는 등, 겉모습이나 움직임으로 감정이나 의도를 추론합니까?',
  },
  'register.classification.q.cctvInfersSensitiveAttributes': {
    en: 'Does it sort people by race, religion, political opinion, trade-union membership, sex life or sexual orientation inferred from their images?',
    ko: '영상으로 추론한 인종, 종교, 정치적 견해, 노동조합 가입, 성생활이나 성적 지향에 따라 사람을 분류합니까?',
  },
  'register.classification.q.crowdSinglesOutPeople': {
    en: 'Does it single out or follow individual people, rather than only estimating how many there are?',
    ko: '사람 수만 추정하는 것이 아니라 특정 개인을 골라내거나 추적합니까?',
  },
  'register.classification.q.crowdUsesBiometrics': {
    en: 'Does it use faces, gait or other body features of the people it counts?',
    ko: '집계하는 사람들의 얼굴, 걸음걸이 등 신체 특징을 사용합니까?',
  },
  'register.classification.q.stalkingAssessesVictimRisk': {
    en: 'Does it estimate the risk that the protected person will be harmed?',
    ko: '보호 대상자가 피해를 입을 위험을 추정합니까?',
  },
  'register.classification.q.riskScoresIndividuals': {
    en: 'Does it score the risk that an individual person offends or re-offends?',
    ko: '개인이 범죄를 저지르거나 재범할 위험을 점수로 매깁니까?',
  },
  'register.classification.q.riskSolelyProfiling': {
    en: 'Is that score based solely on profiling or personality traits, without verifiable facts directly linked to a criminal activity?',
    ko: '그 점수가 범죄 행위와 직접 관련된 검증 가능한 사실 없이 프로파일링이나 성격 특성만으로 산출됩니까?',
  },
  'register.classification.q.riskProfilesInInvestigation': {
    en: 'Is it used to profile people while detecting, investigating or prosecuting crime?',
    ko: '범죄의 적발, 수사 또는 기소 과정에서 사람을 프로파일링하는 데 쓰입니까?',
  },
  'register.classification.q.patrolNamesIndividuals': {
    en: 'Does it name, score or track individual people, rather than only places and times?',
    ko: '장소와 시간만이 아니라 특정 개인을 지목하거나 점수를 매기거나 추적합니까?',
  },
  'register.classification.q.otherUsesBiometrics': {
    en: 'Does it analyse biometric data (face, fingerprint, iris, voice, gait) of people?',
    ko: '사람의 생체정보(얼굴, 지문, 홍채, 목소리, 걸음걸이)를 분석합니까?',
  },
  'register.classification.q.otherJudgesIndividuals': {
    en: 'Does it make or support judgments about individual people that significantly affect their rights or duties?',
    ko: '개인의 권리나 의무에 중대한 영향을 미치는 판단을 하거나 그 판단을 돕습니까?',
  },
  'register.classification.reason.euProfilingOnly': {
    en: 'predicts the risk that a person commits an offence based solely on profiling or personality traits',
    ko: '프로파일링이나 성격 특성만으로 개인의 범죄 위험을 예측합니다',
  },
  'register.classification.reason.euFaceScraping': {
    en: 'builds facial-recognition databases by untargeted scraping of images',
    ko: '이미지를 무차별 수집해 얼굴인식 데이터베이스를 구축합니다',
  },
  'register.classification.reason.euSensitiveCategorisation': {
    en: 'categorises people by biometric data to infer sensitive attributes such as race or beliefs',
    ko: '생체정보로 사람을 분류해 인종이나 신념 같은 민감한 속성을 추론합니다',
  },
  'register.classification.reason.euRealTimeRbi': {
    en: 'real-time remote biometric identification in public spaces for law enforcement: prohibited unless strictly necessary for listed objectives and authorised in advance',
    ko: '법 집행을 위한 공개 장소의 실시간 원격 생체 식별: 열거된 목적에 꼭 필요하고 사전 승인을 받은 경우 외에는 금지됩니다',
  },
  'register.classification.reason.euRemoteBiometricId': {
    en: 'remote biometric identification',
    ko: '원격 생체 식별을 합니다',
  },
  'register.classification.reason.euEmotionRecognition': {
    en: "emotion recognition: infers people's emotions or intentions from their biometric (bodily or behavioural) data",
    ko: '감정 인식: 신체적·행동적 생체정보로 사람의 감정이나 의도를 추론합니다',
  },
  'register.classification.reason.euVictimRisk': {
    en: 'assesses the risk of a person becoming a victim of crime',
    ko: '개인이 범죄 피해자가 될 위험을 평가합니다',
  },
  'register.classification.reason.euEvidenceReliability': {
    en: 'evaluates the reliability of evidence',
    ko: '증거의 신빙성을 평가합니다',
  },
  'register.classification.reason.euOffendingRisk': {
    en: 'assesses the risk of a person offending or re-offending, not solely on profiling',
    ko: '프로파일링만이 아닌 근거로 개인의 범죄 또는 재범 위험을 평가합니다',
  },
  'register.classification.reason.euProfilingInInvestigation': {
    en: 'profiles people in the detection, investigation or prosecution of crime',
    ko: '범죄의 적발, 수사 또는 기소 과정에서 사람을 프로파일링합니다',
  },
  'register.classification.reason.euBehaviourProfiling': {
    en: "analyses individual people's faces, gait or behaviour from video to flag them to police: profiling in the detection of crime",
    ko: '영상에서 개인의 얼굴, 걸음걸이나 행동을 분석해 경찰에 알립니다: 범죄 적발 과정의 프로파일링입니다',
  },
  'register.classification.reason.euPlaceBased': {
    en: 'place-based crime forecasting about areas, not people, is not listed in Annex III; Counterweight still applies its impact-level controls',
    ko: '사람이 아닌 지역에 대한 장소 기반 범죄 예측은 부속서 III에 없습니다. 그래도 Counterweight는 영향 등급별 통제를 적용합니다',
  },
  'register.classification.reason.euNothingListed': {
    en: 'no prohibited practice or Annex III use follows from the answers and the record',
    ko: '답변과 기록에서 금지된 관행이나 부속서 III의 용도가 나타나지 않습니다',
  },
  'register.classification.reason.krBiometric': {
    en: 'analyses biometric information (physical, physiological or behavioural features) in criminal investigation or arrest',
    ko: '범죄 수사나 체포 업무를 위해 생체인식정보(신체적·생리적·행동적 특징)를 분석·활용합니다',
  },
  'register.classification.reason.krJudgesIndividuals': {
    en: 'a judgment or evaluation about individuals that significantly affects their rights and duties',
    ko: '개인의 권리·의무 관계에 중대한 영향을 미치는 판단 또는 평가를 합니다',
  },
  'register.classification.reason.krPatrolByPolicy': {
    en: 'patrol guidance directs police presence, which can affect fundamental rights of residents; treated as high-impact by policy until the Enforcement Decree says otherwise',
    ko: '순찰 안내는 경찰력 배치를 좌우해 주민의 기본권에 영향을 줄 수 있으므로, 시행령이 달리 정할 때까지 정책상 고영향으로 취급합니다',
  },
  'register.classification.reason.krNothingListed': {
    en: 'no listed high-impact area follows from the answers and the record',
    ko: '답변과 기록에서 법이 정한 고영향 영역이 나타나지 않습니다',
  },

  // --- privacy: differential privacy budget ---
  'privacy.epsilonNotNumber': {
    en: 'ε must be a finite number (got {{got}})',
    ko: 'ε는 유한한 숫자여야 합니다(입력값: {{got}})',
  },
  'privacy.epsilonTooSmall': {
    en: 'ε per table must be at least {{min}} (got {{got}}): smaller values give noise so wide the counts mean nothing',
    ko: '표당 ε는 {{min}} 이상이어야 합니다(입력값: {{got}}). 이보다 작으면 잡음이 너무 커서 수치가 의미를 잃습니다',
  },
  'privacy.epsilonTooLarge': {
    en: 'ε per table may be at most {{max}} in one release (got {{got}}): larger values publish nearly exact counts',
    ko: '한 번의 공표에서 표당 ε는 최대 {{max}}입니다(입력값: {{got}}). 이보다 크면 사실상 정확한 수치가 공개됩니다',
  },
  'privacy.epsilonPrecision': {
    en: 'ε may have at most 6 decimal places (got {{got}})',
    ko: 'ε는 소수점 아래 6자리까지만 쓸 수 있습니다(입력값: {{got}})',
  },
  'privacy.suppressBelowTooLow': {
    en: 'small cells must be suppressed: suppressBelow must be a whole number from {{floor}} to 1000 (got {{got}})',
    ko: '작은 셀은 반드시 비공개 처리해야 합니다. suppressBelow는 {{floor}}부터 1000 사이의 정수여야 합니다(입력값: {{got}})',
  },
  'privacy.badPeriod': {
    en: 'the data period must be months written YYYY-MM, with from no later than to (got {{got}})',
    ko: '자료 기간은 YYYY-MM 형식의 월이어야 하며 시작이 끝보다 늦을 수 없습니다(입력값: {{got}})',
  },
  'privacy.unknownTable': {
    en: 'no statistics table named {{got}}; the tables are {{tables}}',
    ko: '{{got}}(이)라는 통계표는 없습니다. 가능한 표: {{tables}}',
  },
  'privacy.budgetSpent': {
    en: 'the privacy budget of table {{table}} for {{period}} would be exceeded: {{spent}} of {{budget}} already spent, this release needs {{needed}}',
    ko: '{{period}} 기간 {{table}} 표의 프라이버시 예산을 초과합니다. {{budget}} 중 {{spent}}을(를) 이미 사용했으며 이번 공표에는 {{needed}}이(가) 필요합니다',
  },
  'privacy.badPolicy': {
    en: 'the privacy policy file {{file}} is not valid',
    ko: '프라이버시 정책 파일 {{file}}이(가) 올바르지 않습니다',
  },
  'privacy.degenerateEpsilon': {
    en: 'ε/sensitivity must be between 0.000001 and 50 (got {{got}}): outside that range the noise is degenerate',
    ko: 'ε/민감도는 0.000001에서 50 사이여야 합니다(입력값: {{got}}). 이 범위를 벗어나면 잡음이 제 역할을 하지 못합니다',
  },

  // --- fairness: area demographics declarations, exposure model, fair missions (h-fair) ---
  'demographics.badId': {
    en: '"{{id}}" is not a demographics declaration id',
    ko: '"{{id}}"은(는) 인구 구성 선언 ID가 아닙니다',
  },
  'demographics.notFound': {
    en: 'no demographics declaration at {{file}}',
    ko: '{{file}}에 인구 구성 선언이 없습니다',
  },
  'demographics.notJson': {
    en: '{{file}} is not JSON: {{reason}}',
    ko: '{{file}}은(는) JSON 파일이 아닙니다: {{reason}}',
  },
  'demographics.invalid': {
    en: 'demographics declaration {{file}} is invalid at: {{fields}}',
    ko: '인구 구성 선언 {{file}}의 다음 항목이 올바르지 않습니다: {{fields}}',
  },
  'demographics.badValues': {
    en: 'the area layer does not fit demographics declaration {{id}}: {{count}} missing or bad value(s)',
    ko: '구역 레이어가 인구 구성 선언 {{id}}과(와) 맞지 않습니다. 없거나 잘못된 값이 {{count}}개 있습니다',
  },
  'demographics.noDeclaration': {
    en: 'area layer {{layer}} declares no demographics: import it again with a demographics declaration (--demographics ID)',
    ko: '구역 레이어 {{layer}}에 인구 구성 선언이 없습니다. 인구 구성 선언(--demographics ID)과 함께 다시 가져오세요',
  },
  'fairness.emptyVictimization': {
    en: 'no citizen-reported incidents inside {{layer}} between {{from}} and {{to}}: exposure cannot be compared with victimization over an empty period',
    ko: '{{from}}부터 {{to}}까지 {{layer}} 안에서 시민이 신고한 사건이 없습니다. 빈 기간의 피해와는 노출을 비교할 수 없습니다',
  },
  'fairness.bandUnreachable': {
    en: 'no plan within the budget keeps every group within {{band}}: this is the closest plan (furthest group: {{worst}}); it would fail the place audit',
    ko: '예산 안에서 모든 집단을 {{band}} 범위 안에 두는 계획이 없습니다. 가장 가까운 계획을 보여 줍니다(가장 벗어난 집단: {{worst}}). 이 계획은 장소 기반 감사를 통과하지 못합니다',
  },
  'forecast.afterDataEnds': {
    en: 'the forecast window starts {{asOf}}, {{days}} days after the last citizen-reported incident ({{last}}): the data end before the window, so the forecast would be stale',
    ko: '예측 기간이 {{asOf}}에 시작하는데, 마지막 시민 신고 사건({{last}})보다 {{days}}일 뒤입니다. 데이터가 예측 기간 전에 끝나므로 예측이 낡은 것이 됩니다',
  },
  'demographics.noLayer': { en: 'no areas layer {{layer}}', ko: '구역 레이어 {{layer}}이(가) 없습니다' },
  'stress.areasMismatch': {
    en: "the stress test's city has {{regions}} regions but the exposure model has {{areas}} areas: one region per area",
    ko: '스트레스 테스트의 도시는 {{regions}}개 지역인데 노출 모델은 {{areas}}개 구역입니다. 구역마다 지역이 하나씩 있어야 합니다',
  },
  'stress.noVictimization': {
    en: "the stress test's city needs citizen-reported incidents in at least one area",
    ko: '스트레스 테스트의 도시를 만들려면 적어도 한 구역에 시민이 신고한 사건이 있어야 합니다',
  },
  'stress.trueRatesWithLayer': {
    en: 'trueRates is only for the synthetic strip city: with areas layer {{layer}} crime follows its citizen-reported victimization',
    ko: 'trueRates는 합성 띠 도시에만 씁니다. 구역 레이어 {{layer}}에서는 범죄가 시민 신고 피해를 따릅니다',
  },

  // --- fairness figures ---
  'fairness.yatesNot2x2': {
    en: "Yates's continuity correction applies only to a 2×2 table; this one is {{rows}}×{{columns}}",
    ko: 'Yates 연속성 보정은 2×2 표에만 적용됩니다. 이 표는 {{rows}}×{{columns}}입니다',
  },

  // --- log keys ---
  'logKeys.missing': {
    en: 'this database holds a transparency log ({{size}} entries) but its signing key is not at {{path}}; set CW_KEYS_DIR (or --keys-dir) to the directory that holds it. A new key is made only for an empty log',
    ko: '이 데이터베이스에는 투명성 로그({{size}}개 항목)가 있지만 서명 키가 {{path}}에 없습니다. 키가 들어 있는 디렉터리를 CW_KEYS_DIR(또는 --keys-dir)로 지정하세요. 새 키는 로그가 비어 있을 때만 만들어집니다',
  },
  'logKeys.mismatch': {
    en: "the signing keys in {{dir}} ({{keys}}) did not sign this database's latest checkpoint (size {{size}}, signed by {{signedBy}}); refusing to sign the existing log with a different key",
    ko: '{{dir}}의 서명 키({{keys}})는 이 데이터베이스의 최신 체크포인트(크기 {{size}}, 서명: {{signedBy}})에 서명한 키가 아닙니다. 기존 로그에 다른 키로 서명할 수 없습니다',
  },

  // --- citizen data: legal holds, retention, purposes, the access log ---
  'privacy.holdRefInvalid': {
    en: 'a legal hold names a pseudonymous reference or an alert',
    ko: '법적 보존 조치는 가명 참조 또는 알림을 지정해야 합니다',
  },
  'privacy.holdMatchesNothing': {
    en: 'no record carries {{ref}}: a hold on it would keep nothing',
    ko: '{{ref}}을(를) 가진 기록이 없습니다. 보존 조치를 해도 보존할 것이 없습니다',
  },
  'privacy.holdNotFound': { en: 'no legal hold {{id}}', ko: '법적 보존 조치 {{id}}이(가) 없습니다' },
  'privacy.holdNotPending': {
    en: 'legal hold {{id}} is not awaiting confirmation ({{status}})',
    ko: '법적 보존 조치 {{id}}은(는) 확인 대기 상태가 아닙니다 ({{status}})',
  },
  'privacy.holdNotInForce': {
    en: 'legal hold {{id}} is not in force ({{status}})',
    ko: '법적 보존 조치 {{id}}은(는) 효력 중이 아닙니다 ({{status}})',
  },
  'privacy.holdNoLiftRequest': {
    en: 'nobody has asked to lift legal hold {{id}} ({{status}})',
    ko: '법적 보존 조치 {{id}}의 해제 요청이 없습니다 ({{status}})',
  },
  'privacy.holdSamePerson': {
    en: 'a second person must confirm this: you asked for it yourself',
    ko: '본인이 요청한 건이므로 다른 사람이 확인해야 합니다',
  },
  'privacy.purposeRequired': {
    en: 'say why you need this personal data: a registered purpose this route serves',
    ko: '이 개인정보가 필요한 이유를 밝혀 주십시오. 이 경로가 허용하는 등록된 목적이어야 합니다',
  },
  'privacy.sourceNotForPurpose': {
    en: 'data source {{source}} may not be used for {{purpose}}',
    ko: '데이터 출처 {{source}}은(는) {{purpose}} 목적으로 사용할 수 없습니다',
  },
  'privacy.sourceWidening': {
    en: 'the new version of {{source}} adds the purposes {{purposes}}: propose it with its legal basis, and a second person must approve it',
    ko: '{{source}}의 새 버전은 목적 {{purposes}}을(를) 추가합니다. 법적 근거와 함께 제안하고 다른 사람의 승인을 받아야 합니다',
  },
  'privacy.sourceNotWidening': {
    en: 'the new version of {{source}} adds no purpose: register it directly',
    ko: '{{source}}의 새 버전은 목적을 추가하지 않습니다. 바로 등록하십시오',
  },
  'privacy.sourceWideningBasis': {
    en: 'widening a source needs the legal basis that allows it',
    ko: '출처의 사용 목적을 넓히려면 이를 허용하는 법적 근거가 필요합니다',
  },
  'privacy.sourceProposalNotFound': { en: 'no source proposal {{id}}', ko: '출처 변경 제안 {{id}}이(가) 없습니다' },
  'privacy.sourceProposalDecided': {
    en: 'source proposal {{id}} was already decided ({{status}})',
    ko: '출처 변경 제안 {{id}}은(는) 이미 결정되었습니다 ({{status}})',
  },
  'pseudonyms.missing': {
    en: "this database holds pseudonymised references but the pseudonym secret is not at {{path}}; set CW_KEYS_DIR to the directory that holds it (a new secret would split every person's records)",
    ko: '이 데이터베이스에는 가명 처리된 참조가 있지만 가명 비밀키가 {{path}}에 없습니다. 비밀키가 있는 디렉터리로 CW_KEYS_DIR을 설정하십시오 (새 비밀키는 모든 사람의 기록을 나눕니다)',
  },
  'pseudonyms.mismatch': {
    en: 'the pseudonym secret at {{path}} did not mint the pseudonyms in this database; refusing to start with it',
    ko: '{{path}}의 가명 비밀키는 이 데이터베이스의 가명을 만든 키가 아닙니다. 이 키로는 시작하지 않습니다',
  },
  'sources.unnamed': {
    en: 'data source "{{name}}" names no registered source: give the sourceId of its entry in the data-source register, so its purposes are checked',
    ko: '데이터 출처 "{{name}}"에 등록된 출처가 지정되지 않았습니다. 목적 검사를 위해 데이터 출처 등록부의 sourceId를 지정하십시오',
  },
  'sources.unregistered': {
    en: 'data source {{sourceId}}: not in the data-source register',
    ko: '데이터 출처 {{sourceId}}: 데이터 출처 등록부에 없습니다',
  },
  'sources.notAllowed': {
    en: 'data source {{sourceId}} may not be used for {{purpose}}: {{reason}}',
    ko: '데이터 출처 {{sourceId}}: 사용 목적 "{{purpose}}"이(가) 허용되지 않습니다 ({{reason}})',
  },
  'sources.noUsePurpose': {
    en: 'the record declares no use purpose (usePurpose): name the registered purpose its data sources are used for',
    ko: '기록에 사용 목적(usePurpose)이 없습니다. 데이터 출처를 사용하는 등록된 목적을 지정하십시오',
  },
  'sources.intakeRefused': {
    en: 'system {{systemId}} may no longer use data source {{sourceId}} for {{purpose}}: its alerts are refused until the source allows that use again or the system is changed',
    ko: '시스템 {{systemId}}은(는) 더 이상 데이터 출처 {{sourceId}}을(를) {{purpose}} 목적으로 사용할 수 없습니다. 출처가 다시 그 목적을 허용하거나 시스템이 변경될 때까지 알림을 받지 않습니다',
  },
  'privacy.accessLogFailed': {
    en: 'this read could not be recorded in the access log, so nothing was sent',
    ko: '이 조회를 접근 기록에 남길 수 없어 아무것도 보내지 않았습니다',
  },

  // --- operations: metrics ---
  'metrics.badToken': {
    en: 'the metrics endpoint needs its bearer token (CW_METRICS_TOKEN)',
    ko: '메트릭 엔드포인트에는 전용 Bearer 토큰(CW_METRICS_TOKEN)이 필요합니다',
  },
  'metrics.localOnly': {
    en: 'the metrics endpoint answers only this machine; set CW_METRICS_TOKEN to scrape it from elsewhere',
    ko: '메트릭 엔드포인트는 이 서버 자신에게만 응답합니다. 다른 곳에서 수집하려면 CW_METRICS_TOKEN을 설정하십시오',
  },

  // --- operations: backup and restore ---
  'backup.noPassphrase': {
    en: 'no backup passphrase: give --passphrase-file FILE or set CW_BACKUP_PASSPHRASE (never on the command line)',
    ko: '백업 암호가 없습니다. --passphrase-file FILE을 지정하거나 CW_BACKUP_PASSPHRASE를 설정하십시오 (명령줄에는 절대 쓰지 마십시오)',
  },
  'backup.shortPassphrase': {
    en: 'the backup passphrase must be at least 12 characters',
    ko: '백업 암호는 12자 이상이어야 합니다',
  },
  'backup.noKeys': {
    en: 'no log signing key in {{path}}: a backup without the keys could not be restored; set CW_KEYS_DIR to the directory that holds them',
    ko: '{{path}}에 로그 서명 키가 없습니다. 키 없는 백업은 복원할 수 없으니 키가 있는 디렉터리로 CW_KEYS_DIR을 설정하십시오',
  },
  'backup.toolMissing': {
    en: '{{tool}} could not be run ({{cause}}): install the PostgreSQL client tools or set CW_PG_BIN to their directory',
    ko: '{{tool}}을(를) 실행할 수 없습니다({{cause}}). PostgreSQL 클라이언트 도구를 설치하거나 CW_PG_BIN을 그 디렉터리로 설정하십시오',
  },
  'backup.toolFailed': {
    en: '{{tool}} failed (exit code {{code}}): {{cause}}',
    ko: '{{tool}} 실행에 실패했습니다(종료 코드 {{code}}): {{cause}}',
  },
  'backup.notFound': { en: 'no backup file {{file}}', ko: '백업 파일 {{file}}이(가) 없습니다' },
  'backup.notBackup': {
    en: '{{file}} is not a Counterweight backup',
    ko: '{{file}}은(는) Counterweight 백업 파일이 아닙니다',
  },
  'backup.wrongPassphrase': {
    en: 'wrong passphrase for backup {{file}}: nothing was restored',
    ko: '백업 {{file}}의 암호가 틀렸습니다. 아무것도 복원하지 않았습니다',
  },
  'backup.tampered': {
    en: 'backup {{file}} has been altered or damaged (it does not authenticate): nothing was restored',
    ko: '백업 {{file}}이(가) 변경되었거나 손상되었습니다(인증 실패). 아무것도 복원하지 않았습니다',
  },
  'backup.newerSchema': {
    en: 'backup {{file}} comes from a newer version of Counterweight (migrations {{migrations}} are unknown here): restore it with that version or newer',
    ko: '백업 {{file}}은(는) 더 새로운 버전의 Counterweight에서 만들어졌습니다(여기서 모르는 마이그레이션: {{migrations}}). 그 버전 이상으로 복원하십시오',
  },
  'backup.needsDatabaseUrl': {
    en: 'backup {{file}} holds a PostgreSQL database: set DATABASE_URL to an empty database to restore it into',
    ko: '백업 {{file}}에는 PostgreSQL 데이터베이스가 들어 있습니다. 복원할 빈 데이터베이스를 DATABASE_URL로 지정하십시오',
  },
  'backup.needsSqlite': {
    en: 'backup {{file}} holds an SQLite database: unset DATABASE_URL and give the target file (CW_SQLITE_FILE or --sqlite-file)',
    ko: '백업 {{file}}에는 SQLite 데이터베이스가 들어 있습니다. DATABASE_URL을 해제하고 대상 파일(CW_SQLITE_FILE 또는 --sqlite-file)을 지정하십시오',
  },
  'backup.targetNotEmpty': {
    en: 'restore only writes onto an empty target, and {{target}} already holds data: nothing was restored',
    ko: '복원은 비어 있는 대상에만 씁니다. {{target}}에는 이미 데이터가 있어 아무것도 복원하지 않았습니다',
  },
  'backup.logMismatch': {
    en: 'the restored log does not extend the checkpoint of size {{size}} recorded at backup time ({{cause}})',
    ko: '복원된 로그가 백업 시점에 기록된 크기 {{size}}의 체크포인트를 이어 가지 않습니다({{cause}})',
  },
  // --- web: agency display settings and the screens of the web app ---
  'forecast.notForecaster': {
    en: 'system {{systemId}} does not declare patrol-mission alerts, so it cannot be the patrol forecaster',
    ko: '{{systemId}} 시스템은 patrol-mission 알림을 선언하지 않아 순찰 예측 시스템이 될 수 없습니다',
  },
  'agency.badTimeZone': {
    en: '{{zone}} is not a time zone this server knows: use an IANA name such as UTC or Asia/Seoul',
    ko: '{{zone}}은(는) 서버가 알지 못하는 시간대입니다. UTC나 Asia/Seoul 같은 IANA 이름을 사용하십시오',
  },
  // --- maps: incident clusters (issue 17 item 7) ---
  'maps.badBbox': {
    en: 'bbox must be west,south,east,north in degrees, with west ≤ east and south ≤ north',
    ko: 'bbox는 서,남,동,북 순서의 경도·위도(도)여야 하며 서 ≤ 동, 남 ≤ 북이어야 합니다',
  },
  'maps.badZoom': {
    en: 'zoom must be a map zoom from 0 to {{max}}',
    ko: 'zoom은 0부터 {{max}}까지의 지도 확대 수준이어야 합니다',
  },

  // --- forecast: why a cell was flagged (src/forecast/explanations.ts builds the same English sentence) ---
  'forecast.explain.backgroundOnly': {
    en: 'Flagged by {{model}} for its long-run rate alone ({{historyPct}}% of past incidents here); no single recent incident raised it.',
    ko: '{{model}} 모델이 이 셀의 장기 발생률만으로 선정했습니다 (과거 사건의 {{historyPct}}%가 여기서 발생). 최근의 특정 사건이 위험을 높인 것은 아닙니다.',
  },
  'forecast.explain.incidents': {
    en: 'Flagged by {{model}}: {{incidents}} past incident(s) raised its risk; the largest is {{topType}} {{topId}} on {{topDate}}, {{topDistance}} {{unit}} from the cell centre ({{topPct}}% of the risk).',
    ko: '{{model}} 모델이 선정했습니다: 과거 사건 {{incidents}}건이 위험을 높였으며, 가장 큰 것은 {{topDate}}의 {{topType}} {{topId}}(셀 중심에서 {{topDistance}} {{unit}}, 위험의 {{topPct}}%)입니다.',
  },
  'forecast.explain.backgroundAndIncidents': {
    en: 'Flagged by {{model}}: {{incidents}} past incident(s) raised its risk on top of a long-run background that makes up {{backgroundPct}}% of it; the largest is {{topType}} {{topId}} on {{topDate}}, {{topDistance}} {{unit}} from the cell centre ({{topPct}}% of the risk).',
    ko: '{{model}} 모델이 선정했습니다: 위험의 {{backgroundPct}}%를 차지하는 장기 기본 발생률 위에 과거 사건 {{incidents}}건이 위험을 더했으며, 가장 큰 것은 {{topDate}}의 {{topType}} {{topId}}(셀 중심에서 {{topDistance}} {{unit}}, 위험의 {{topPct}}%)입니다.',
  },
  // --- forecast: a released patrol mission's alert in words (src/forecast-service/missions.ts; h-walks) ---
  'mission.summary': {
    en: 'Patrol {{cells}} cells where {{model}} forecasts the most citizen-reported {{window}} risk as of {{asOf}}; approved by a supervisor ({{reason}}).',
    ko: '{{model}} 모델이 {{asOf}} 기준 시민 신고 {{window}} 위험을 가장 높게 예측한 셀 {{cells}}개를 순찰합니다. 감독자가 승인했습니다({{reason}}).',
  },
  'mission.alreadyDecided': {
    en: 'mission {{id}} was already {{status}}: it can be decided once',
    ko: '임무 {{id}}은(는) 이미 처리되었습니다({{status}}). 한 번만 결정할 수 있습니다',
  },
  'mission.proposerCannotDecide': {
    en: 'separation of duties: whoever proposed a mission cannot approve or reject it',
    ko: '직무 분리: 임무를 제안한 사람은 그 임무를 승인하거나 반려할 수 없습니다',
  },
  'mission.reasonRequired': {
    en: 'a reason is required to approve or send back a mission',
    ko: '임무를 승인하거나 반려하려면 사유가 필요합니다',
  },
  'mission.nextHighest': {
    en: 'next-highest risk after the hotspots',
    ko: '핫스팟 다음으로 위험이 높은 셀입니다',
  },
  // --- forecast: learned models, cell geometry and flagged area chosen by backtest ---
  'forecast.learned.badParam': {
    en: 'model {{model}}: bad {{field}} (expected {{expected}})',
    ko: '모델 {{model}}: {{field}} 값이 올바르지 않습니다 (필요한 값: {{expected}})',
  },
  'forecast.learned.noOrigins': {
    en: 'model {{model}}: no training origins; recentOrigins + seasons must be at least 1',
    ko: '모델 {{model}}: 학습 기준 시점이 없습니다. recentOrigins와 seasons의 합이 1 이상이어야 합니다',
  },
  'forecast.geometry.noExactCell': {
    en: 'no cell size divides the flagged area of {{area}} sq mi within the NIJ cell bounds (62,500–360,000 sq ft)',
    ko: '플래그 지역 {{area}}제곱마일을 NIJ 셀 면적 범위(62,500–360,000제곱피트) 안에서 정확히 나누는 셀 크기가 없습니다',
  },
  // --- register: the activation gate as a checklist (workspace; English text is the gate's problem text) ---
  'gate.recordIncomplete': {
    en: 'the record is incomplete: {{fields}}',
    ko: '등록 정보가 완전하지 않습니다: {{fields}}',
  },
  'gate.classificationUnconfirmed': {
    en: 'the legal classification has not been confirmed by oversight for this record',
    ko: '이 등록 정보에 대한 법적 분류를 감독관이 아직 확인하지 않았습니다',
  },
  'gate.prohibited': { en: 'prohibited: {{reasons}}', ko: '금지된 시스템입니다: {{reasons}}' },
  'gate.biometricAuthorisation': {
    en: 'real-time remote biometric identification needs a current authorisation (who authorised, scope, expiry)',
    ko: '실시간 원격 생체인식에는 유효한 허가(허가자, 범위, 만료일)가 필요합니다',
  },
  'gate.noAssessment': { en: 'no impact assessment has been submitted', ko: '제출된 영향평가가 없습니다' },
  'gate.assessmentNotApproved': {
    en: 'the impact assessment is {{status}}, not approved by oversight',
    ko: '영향평가가 감독관의 승인을 받지 않았습니다 (상태: {{status}})',
  },
  'gate.selfApproved': {
    en: 'the assessment was approved by the system owner (separation of duties)',
    ko: '영향평가를 시스템 소유자가 승인했습니다 (직무 분리 위반)',
  },
  'gate.sourceRefused': { en: '{{reason}}', ko: '데이터 출처를 사용할 수 없습니다: {{reason}}' },
  'gate.noModelCard': { en: 'there is no model card', ko: '모델 카드가 없습니다' },
  'gate.controlsWithoutEvidence': {
    en: 'required controls without evidence: {{controls}}',
    ko: '증빙이 없는 필수 통제: {{controls}}',
  },
  // --- administration in the browser: incident imports' row-level findings, data sources (h-admin) ---
  'imports.rejected': {
    en: '{{file}}: {{bad}} bad row(s) of {{rows}}; nothing was imported',
    ko: '{{file}}: 전체 {{rows}}행 중 {{bad}}행이 올바르지 않아 아무것도 가져오지 않았습니다',
  },
  'imports.rejectedUnknownTypes': {
    en: '{{file}}: {{bad}} bad row(s) of {{rows}}; nothing was imported (unknown types: {{types}})',
    ko: '{{file}}: 전체 {{rows}}행 중 {{bad}}행이 올바르지 않아 아무것도 가져오지 않았습니다 (분류에 없는 유형: {{types}})',
  },
  'imports.expected.nonEmpty': { en: 'a non-empty value', ko: '비어 있지 않은 값' },
  'imports.expected.text': {
    en: 'text of at most {{max}} printable characters',
    ko: '제어 문자가 없는 {{max}}자 이하의 글자',
  },
  'imports.expected.number': { en: 'a finite number', ko: '유효한 숫자' },
  'imports.expected.time': { en: '{{format}}', ko: '날짜와 시간 (형식: {{format}})' },
  'imports.expected.fieldCount': {
    en: '{{count}} fields like the header',
    ko: '머리글과 같은 {{count}}개 필드',
  },
  'imports.expected.column': { en: 'a column named "{{column}}"', ko: '"{{column}}" 열' },
  'imports.expected.columnOnce': { en: 'each column once', ko: '각 열은 한 번만' },
  'imports.expected.knownType': {
    en: 'a type listed in the taxonomy (add it to the taxonomy file with its origin)',
    ko: '분류 체계에 있는 유형 (분류 파일에 출처와 함께 추가하십시오)',
  },
  'imports.expected.coordinates': {
    en: 'coordinates in {{crs}} that fall inside {{extent}} (is the file in another CRS?)',
    ko: '{{extent}} 안에 드는 {{crs}} 좌표 (파일이 다른 좌표계로 되어 있지 않습니까?)',
  },
  'privacy.sourceNotRegistered': {
    en: 'data source "{{source}}" is not registered: register it first (Administration → Data sources, or counterweight source add FILE.json)',
    ko: '데이터 출처 "{{source}}"이(가) 등록되어 있지 않습니다. 먼저 등록하십시오 (관리 → 데이터 출처, 또는 counterweight source add FILE.json)',
  },
  // --- model card: the owner's card checked on the server (PUT …/model-card); labels as in the web form ---
  'modelCard.invalid.card': {
    en: 'the model card was not saved: send its fields as one group (a JSON object) (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: 항목들을 하나의 묶음(JSON 객체)으로 보내십시오 (문제 {{count}}건)',
  },
  'modelCard.unknownField': {
    en: 'the model card was not saved: it has no field “{{name}}” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “{{name}}” 항목은 모델 카드에 없습니다 (문제 {{count}}건)',
  },
  'modelCard.invalid.model': {
    en: 'the model card was not saved: check “Model” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “모델” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.model.name': {
    en: 'the model card was not saved: check “Model name” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “모델 이름” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.model.version': {
    en: 'the model card was not saved: check “Model version” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “모델 버전” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.model.method': {
    en: 'the model card was not saved: check “Method” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “방법” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.intendedUse': {
    en: 'the model card was not saved: check “Intended use” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “의도된 용도” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.outOfScopeUses': {
    en: 'the model card was not saved: check “Uses it is not made for” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “용도 밖의 사용” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.data': {
    en: 'the model card was not saved: check “Data” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “데이터” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.data.description': {
    en: 'the model card was not saved: check “What data it learned from” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “학습에 쓴 데이터” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.metrics': {
    en: 'the model card was not saved: check “Measured performance” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “측정된 성능” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.limitations': {
    en: 'the model card was not saved: check “Known limitations” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “알려진 한계” 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.outOfScopeUses.item': {
    en: 'the model card was not saved: check entry {{item}} of “Uses it is not made for” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “용도 밖의 사용”의 {{item}}번째 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.metrics.item': {
    en: 'the model card was not saved: check entry {{item}} of “Measured performance” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “측정된 성능”의 {{item}}번째 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.limitations.item': {
    en: 'the model card was not saved: check entry {{item}} of “Known limitations” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “알려진 한계”의 {{item}}번째 항목을 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.metrics.name': {
    en: 'the model card was not saved: check “Measure” in entry {{item}} of “Measured performance” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “측정된 성능” {{item}}번째 항목의 “지표”을(를) 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.metrics.value': {
    en: 'the model card was not saved: check “Value” in entry {{item}} of “Measured performance” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “측정된 성능” {{item}}번째 항목의 “값”을(를) 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.metrics.interval': {
    en: 'the model card was not saved: check “Interval (lower, upper)” in entry {{item}} of “Measured performance” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “측정된 성능” {{item}}번째 항목의 “신뢰구간 (하한, 상한)”을(를) 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.metrics.level': {
    en: 'the model card was not saved: check “Confidence level” in entry {{item}} of “Measured performance” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “측정된 성능” {{item}}번째 항목의 “신뢰수준”을(를) 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.metrics.dataset': {
    en: 'the model card was not saved: check “Measured on (data)” in entry {{item}} of “Measured performance” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “측정된 성능” {{item}}번째 항목의 “측정에 쓴 데이터”을(를) 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.invalid.metrics.baseline': {
    en: 'the model card was not saved: check “Baseline value” in entry {{item}} of “Measured performance” (problems: {{count}})',
    ko: '모델 카드를 저장하지 않았습니다: “측정된 성능” {{item}}번째 항목의 “비교 기준값”을(를) 확인하십시오 (문제 {{count}}건)',
  },
  'modelCard.expected.required': {
    en: 'a value (this field is required)',
    ko: '값 (필수 항목)',
  },
  'modelCard.expected.text': {
    en: 'text of at most {{max}} characters',
    ko: '{{max}}자 이하의 글',
  },
  'modelCard.expected.number': {
    en: 'a number',
    ko: '숫자',
  },
  'modelCard.expected.list': {
    en: 'a list of {{min}} to {{max}} entries',
    ko: '{{min}}개 이상 {{max}}개 이하의 항목 목록',
  },
  'modelCard.expected.noSuchField': {
    en: 'no such field: remove it (the card has only the fields of its form)',
    ko: '없는 항목입니다. 지우십시오 (모델 카드에는 양식에 있는 항목만 있습니다)',
  },
  'modelCard.expected.object': {
    en: 'a group of fields (a JSON object)',
    ko: '항목 묶음 (JSON 객체)',
  },
  'modelCard.expected.interval': {
    en: 'two numbers, the lower bound first',
    ko: '두 숫자 (하한을 먼저)',
  },
  'modelCard.expected.level': {
    en: 'a number between 0 and 1, e.g. 0.95',
    ko: '0과 1 사이의 숫자 (예: 0.95)',
  },
  // --- questionnaires: SurveyJS import checked and imported from the browser (issue 17 item 2) ---
  'server.badJson': {
    en: 'the request body is not valid JSON',
    ko: '요청 본문이 올바른 JSON이 아닙니다',
  },
  'questionnaires.notSurvey': {
    en: 'not a SurveyJS survey: expected a JSON object with pages',
    ko: 'SurveyJS 설문이 아닙니다: 페이지(pages)가 있는 JSON 객체여야 합니다',
  },
  'questionnaires.cannotImport': {
    en: 'the survey cannot be imported: {{count}} element(s) cannot be scored (each is listed with what was expected)',
    ko: '설문을 가져올 수 없습니다: 점수를 매길 수 없는 요소가 {{count}}개 있습니다 (요소마다 기대한 형식을 적었습니다)',
  },
  'questionnaires.idTaken': {
    en: 'a different questionnaire is already imported as “{{id}}”: choose another id',
    ko: '“{{id}}”(으)로 다른 설문이 이미 가져와져 있습니다. 다른 ID를 고르십시오',
  },
  'questionnaires.builtIn': {
    en: '“{{id}}” is a built-in questionnaire: choose another id',
    ko: '“{{id}}”은(는) 기본 제공 설문입니다. 다른 ID를 고르십시오',
  },
  // --- long runs (forecast, backtest) followed by a progress bar (issue 17 item 8) ---
  'jobs.notFound': {
    en: 'no run {{id}} of yours is known to this server (finished runs are kept for 10 minutes)',
    ko: '이 서버에 {{id}}(으)로 진행한 실행 작업이 없습니다 (끝난 작업은 10분 동안만 보관됩니다)',
  },
  'jobs.idTaken': {
    en: 'the run id {{id}} is already in use; choose a new one',
    ko: '실행 ID {{id}}은(는) 이미 사용 중입니다. 새 ID를 정하세요',
  },
  'jobs.tooManyOfYours': {
    en: 'you already have {{count}} imports, audits or forecasts running or waiting on this server; wait for one to finish, then try again',
    ko: '이 서버에서 이미 {{count}}건의 가져오기, 감사 또는 예측이 실행 중이거나 대기 중입니다. 하나가 끝난 뒤 다시 시도하세요',
  },
  'jobs.serverBusy': {
    en: 'the server is busy with other imports, audits and forecasts; try again in {{seconds}} seconds',
    ko: '서버가 다른 가져오기, 감사와 예측을 처리하고 있습니다. {{seconds}}초 후에 다시 시도하세요',
  },
  'jobs.failedUnexpectedly': {
    en: 'the run stopped on an unexpected error; it has been logged for the administrator',
    ko: '예기치 못한 오류로 실행이 멈췄습니다. 관리자를 위해 기록되었습니다',
  },
  // --- issue 17 item 5: coded server messages ---
  'review.noOutputSchema': {
    en: "the system's register record declares no outputSchema, so its alerts cannot be validated",
    ko: '이 시스템의 등록 기록에 outputSchema가 선언되어 있지 않아 경보를 검증할 수 없습니다',
  },
  'review.outputMismatch': {
    en: 'the alert does not match the output schema the system registered',
    ko: '경보가 시스템이 등록한 출력 스키마와 일치하지 않습니다',
  },
  'review.wrongSystemKey': {
    en: 'alerts are accepted only with the API key issued to this system',
    ko: '경보는 이 시스템에 발급된 API 키로만 받습니다',
  },
  'review.systemNotActive': {
    en: 'system {{systemId}} is {{state}}: its alerts are refused until oversight resumes it',
    ko: '시스템 {{systemId}}의 상태가 {{state}}입니다. 감독 기관이 재개할 때까지 경보를 받지 않습니다',
  },
  'review.systemNoActiveVersion': {
    en: 'system {{systemId}} has no approved, active version: its alerts are refused',
    ko: '시스템 {{systemId}}에 승인된 활성 버전이 없어 경보를 받지 않습니다',
  },
  'review.laterShift': {
    en: 'alert {{alertId}} (occurred {{occurredAt}}) is for a later shift than yours, which ends {{endsAt}}',
    ko: '경보 {{alertId}}(발생 {{occurredAt}})는 {{endsAt}}에 끝나는 귀하의 근무보다 이후 근무에 해당합니다',
  },
  'review.noTraining': {
    en: 'you hold no current training for system {{systemId}}: the queue lets only trained reviewers decide',
    ko: '시스템 {{systemId}}에 대한 유효한 교육 이수 기록이 없습니다. 교육을 이수한 검토자만 결정할 수 있습니다',
  },
  'review.alreadyDecided': {
    en: 'alert {{alertId}} is already {{status}}',
    ko: '경보 {{alertId}}는 이미 {{status}} 상태입니다',
  },
  'review.withdrawn': {
    en: 'alert {{alertId}} was withdrawn at {{at}}: its system was paused',
    ko: '경보 {{alertId}}는 {{at}}에 철회되었습니다. 해당 시스템이 일시 중지되었습니다',
  },
  'review.expired': {
    en: 'alert {{alertId}} expired at {{at}} unreviewed; that is recorded',
    ko: '경보 {{alertId}}는 검토되지 않은 채 {{at}}에 만료되었으며, 그 사실이 기록되었습니다',
  },
  'review.actionNeedsActed': {
    en: 'an enforcement action is recorded only with outcome "acted"',
    ko: '집행 조치는 결과가 "acted"(조치함)일 때만 기록됩니다',
  },
  'review.needsCorroboration': {
    en: 'an AI alert alone is never grounds for a stop, search, arrest or warrant: enter the corroborating evidence you have',
    ko: 'AI 경보만으로는 불심검문, 수색, 체포 또는 영장의 근거가 될 수 없습니다. 확보한 보강 증거를 입력하세요',
  },
  'review.decidedByOther': {
    en: 'alert {{alertId}} was decided by someone else a moment ago',
    ko: '경보 {{alertId}}는 방금 다른 사람이 결정했습니다',
  },
  'review.noAlert': { en: 'no alert {{alertId}}', ko: '경보 {{alertId}}이(가) 없습니다' },
  'review.shiftEndsBeforeStart': {
    en: 'a shift must end after it starts',
    ko: '근무는 시작 시각 이후에 끝나야 합니다',
  },
  'review.shiftTooLong': { en: 'a shift may span at most {{days}} days', ko: '근무 기간은 최대 {{days}}일입니다' },
  'review.rosterOwnUnit': {
    en: 'you roster shifts for your own unit ({{own}}), not {{unit}}',
    ko: '근무는 소속 부서({{own}})에 대해서만 편성할 수 있으며 {{unit}}에는 편성할 수 없습니다',
  },
  'review.noSuchUser': { en: 'no such user', ko: '해당 사용자가 없습니다' },
  'review.userOtherUnit': {
    en: 'that user belongs to unit {{userUnit}}, not {{unit}}',
    ko: '이 사용자는 {{unit}}이(가) 아니라 {{userUnit}} 부서 소속입니다',
  },
  'review.noUnit': {
    en: 'your account has no unit: ask an administrator to set one',
    ko: '계정에 소속 부서가 없습니다. 관리자에게 설정을 요청하세요',
  },
  'review.personOnly': {
    en: 'only a signed-in person reviews alerts',
    ko: '경보는 로그인한 사람만 검토할 수 있습니다',
  },
  'review.notOnShift': {
    en: 'you are not on shift in unit {{unit}} now ({{now}}): the queue opens to rostered reviewers; a supervisor rosters shifts',
    ko: '지금({{now}}) {{unit}} 부서 근무 중이 아닙니다. 검토 대기열은 근무 편성된 검토자에게만 열리며, 근무 편성은 감독자가 합니다',
  },
  'privacy.badSensitivity': { en: 'sensitivity must be a positive integer', ko: '민감도는 양의 정수여야 합니다' },
  'privacy.badCellCount': { en: 'cell count must be a non-negative integer', ko: '셀 건수는 0 이상의 정수여야 합니다' },
  'privacy.notPseudonym': { en: 'not a pseudonymous reference', ko: '가명 참조가 아닙니다' },
  'privacy.invalidSource': { en: 'invalid data-source record', ko: '데이터 출처 기록이 올바르지 않습니다' },
  'privacy.noSource': { en: 'no data source {{sourceId}}', ko: '데이터 출처 {{sourceId}}이(가) 없습니다' },
  'privacy.neverWithheld': {
    en: '{{field}} is never withheld: the public must see what a source may be used for',
    ko: '{{field}} 항목은 비공개로 할 수 없습니다. 데이터 출처를 어디에 쓸 수 있는지 시민이 알 수 있어야 합니다',
  },
  'privacy.purposeLimitation': { en: 'purpose limitation: {{reason}}', ko: '목적 제한: {{reason}}' },
  'patrol.pingsNeedUnit': {
    en: 'pings are uploaded by an officer assigned to a unit',
    ko: '위치 기록은 부서에 배치된 경찰관만 올릴 수 있습니다',
  },
  'patrol.duplicatePing': {
    en: 'two pings of one device at the same time',
    ko: '한 기기의 위치 기록 두 건이 같은 시각입니다',
  },
  'patrol.notMission': {
    en: 'alert {{alertId}} is a {{kind}}, not a patrol mission',
    ko: '경보 {{alertId}}는 순찰 임무가 아니라 {{kind}}입니다',
  },
  'patrol.cellsPurged': {
    en: 'alert {{alertId}} no longer holds its mission cells (purged after retention)',
    ko: '경보 {{alertId}}에는 더 이상 임무 구역이 없습니다(보존 기간 후 삭제됨)',
  },
  'patrol.outcomeOutsideShift': {
    en: "the outcome is outside the mission's shift",
    ko: '결과가 임무 근무 시간 밖에 있습니다',
  },
  'patrol.outcomeOutsideCells': {
    en: 'the outcome is not inside any mission cell',
    ko: '결과 위치가 어느 임무 구역에도 속하지 않습니다',
  },
  'log.empty': { en: 'the log is empty', ko: '투명성 로그가 비어 있습니다' },
  'log.foreignCheckpoint': { en: 'not a checkpoint this log issued', ko: '이 로그가 발행한 체크포인트가 아닙니다' },
  'log.noNewCosignature': {
    en: 'no new cosignature by a configured witness in this note',
    ko: '이 노트에는 설정된 증인의 새 공동 서명이 없습니다',
  },
  'log.noEntry': { en: 'no log entry {{index}}', ko: '로그 항목 {{index}}이(가) 없습니다' },
  'server.noLayer': { en: 'no layer named {{name}}', ko: '이름이 {{name}}인 레이어가 없습니다' },
  'server.noTile': { en: 'no tile {{path}}', ko: '타일 {{path}}이(가) 없습니다' },
  'server.noSystem': { en: 'no AI system {{systemId}}', ko: 'AI 시스템 {{systemId}}이(가) 없습니다' },
  'server.nameUnit': { en: 'name a unit', ko: '부서를 지정하세요' },
  'server.ownUnitRoster': {
    en: 'you see the roster of your own unit ({{unit}})',
    ko: '소속 부서({{unit}})의 근무표만 볼 수 있습니다',
  },
  'server.noRelease': { en: 'no release {{id}}', ko: '공개본 {{id}}이(가) 없습니다' },
  'monitor.noPublishedAudit': { en: 'no published audit {{id}}', ko: '공개된 감사 {{id}}이(가) 없습니다' },
  'monitor.protectedIsFeature': {
    en: 'the protected attribute cannot be one of the features tested',
    ko: '보호 속성은 검사 대상 특성에 포함될 수 없습니다',
  },
  'monitor.emptyPeriod': { en: 'the period is empty', ko: '기간이 비어 있습니다' },
  'monitor.noReleasedMissions': {
    en: 'no released patrol missions of this system in the period',
    ko: '이 기간에 이 시스템이 검토를 거쳐 내보낸 순찰 임무가 없습니다',
  },
  'server.csvContentType': {
    en: 'send the CSV with Content-Type: text/csv',
    ko: 'CSV는 Content-Type: text/csv로 보내세요',
  },
  'monitor.stressNeedsModel': {
    en: 'the stress test runs one concrete model',
    ko: '스트레스 테스트는 구체적인 모델 하나로만 실행합니다',
  },

  // --- issue 17 item 5 (fairness, ingest, geo): coded server messages ---
  // geo: projections, GeoJSON polygons, grids
  'geo.unknownCrs': { en: 'unknown CRS {{crs}}', ko: '알 수 없는 좌표계 {{crs}}입니다' },
  'geo.outsideUtm': { en: 'point outside UTM coverage', ko: '점이 UTM 좌표계의 적용 범위 밖에 있습니다' },
  'geo.noPoints': { en: 'no points to project', ko: '투영할 점이 없습니다' },
  'geo.badCoordinate': { en: 'bad coordinate at {{field}}', ko: '{{field}}의 좌표가 올바르지 않습니다' },
  'geo.badPolygon': { en: 'bad polygon at {{field}}', ko: '{{field}}의 폴리곤이 올바르지 않습니다' },
  'geo.badRing': { en: 'bad ring at {{field}}', ko: '{{field}}의 선형 링이 올바르지 않습니다' },
  'geo.missingGeometry': { en: 'missing geometry at {{field}}', ko: '{{field}}에 도형(geometry)이 없습니다' },
  'geo.badMultiPolygon': { en: 'bad MultiPolygon at {{field}}', ko: '{{field}}의 MultiPolygon이 올바르지 않습니다' },
  'geo.unsupportedGeometry': {
    en: 'unsupported geometry at {{field}}',
    ko: '{{field}}의 도형 유형은 지원하지 않습니다',
  },
  'geo.notGeoJson': { en: 'not a GeoJSON object', ko: 'GeoJSON 객체가 아닙니다' },
  'geo.noFeatures': {
    en: 'FeatureCollection without features',
    ko: 'FeatureCollection에 features 배열이 없습니다',
  },
  'geo.badCellSize': { en: 'cell size must be a positive number', ko: '격자 크기는 양수여야 합니다' },
  'geo.badCellHeight': { en: 'cell height must be a positive number', ko: '격자 높이는 양수여야 합니다' },
  'geo.badAngle': { en: 'grid angle must be finite', ko: '격자 각도는 유한한 숫자여야 합니다' },
  'geo.emptyJurisdiction': { en: 'empty jurisdiction', ko: '관할 경계가 비어 있습니다' },
  // ingest: incident CSVs, area layers (GeoJSON), import profiles and their mapping files, taxonomies
  'ingest.cannotRead': { en: 'cannot read {{file}}: {{reason}}', ko: '{{file}}을(를) 읽을 수 없습니다: {{reason}}' },
  'ingest.tooLarge': {
    en: '{{file}} is {{size}} bytes, over the {{max}}-byte limit',
    ko: '{{file}}은(는) {{size}}바이트로, 한도인 {{max}}바이트를 넘습니다',
  },
  'ingest.notJson': { en: '{{file}} is not JSON: {{reason}}', ko: '{{file}}은(는) JSON 파일이 아닙니다: {{reason}}' },
  'ingest.notFeatureCollection': {
    en: '{{file}} is not a GeoJSON FeatureCollection',
    ko: '{{file}}은(는) GeoJSON FeatureCollection이 아닙니다',
  },
  'ingest.crsConflict': {
    en: '{{file}} declares {{declared}} but {{given}} was given',
    ko: '{{file}}에는 좌표계가 {{declared}}(으)로 적혀 있는데 {{given}}이(가) 지정되었습니다',
  },
  'ingest.badFeatures': {
    en: '{{file}}: {{count}} feature(s) are not valid areas',
    ko: '{{file}}: 피처 {{count}}개가 올바른 구역이 아닙니다',
  },
  'ingest.noFeatures': { en: '{{file}} has no features', ko: '{{file}}에 피처가 없습니다' },
  'ingest.missingColumns': {
    en: '{{file}} lacks columns the {{profile}} profile needs',
    ko: '{{file}}에 {{profile}} 프로필에 필요한 열이 없습니다',
  },
  'ingest.duplicateColumn': {
    en: '{{file}} has the column "{{column}}" twice',
    ko: '{{file}}에 "{{column}}" 열이 두 번 있습니다',
  },
  'ingest.recordTooLong': {
    en: '{{file}}: a record runs past {{max}} bytes (an unbalanced quote?)',
    ko: '{{file}}: 한 레코드가 {{max}}바이트를 넘습니다 (닫히지 않은 따옴표가 있습니까?)',
  },
  'ingest.notCsv': {
    en: '{{file}} is not valid CSV: {{reason}}',
    ko: '{{file}}은(는) 올바른 CSV 파일이 아닙니다: {{reason}}',
  },
  'ingest.fieldTooLong': {
    en: '{{file}}: a field runs past {{max}} bytes (an unbalanced quote?)',
    ko: '{{file}}: 한 필드가 {{max}}바이트를 넘습니다 (닫히지 않은 따옴표가 있습니까?)',
  },
  'ingest.cannotReadMapping': {
    en: 'cannot read mapping file {{file}}: {{reason}}',
    ko: '열 매핑 파일 {{file}}을(를) 읽을 수 없습니다: {{reason}}',
  },
  'ingest.badMapping': {
    en: 'mapping file {{file}} is not valid',
    ko: '열 매핑 파일 {{file}}이(가) 올바르지 않습니다',
  },
  'ingest.unknownTimeZone': { en: 'unknown time zone {{zone}}', ko: '알 수 없는 시간대 {{zone}}입니다' },
  'ingest.genericNeedsMapping': {
    en: 'the generic profile needs a column mapping file',
    ko: '일반(generic) 프로필에는 열 매핑 파일이 필요합니다',
  },
  'ingest.unknownProfile': { en: 'unknown profile "{{name}}"', ko: '알 수 없는 프로필 "{{name}}"입니다' },
  'ingest.badTaxonomy': {
    en: '{{file}} is not a valid taxonomy',
    ko: '{{file}}은(는) 올바른 분류 체계 파일이 아닙니다',
  },
  'ingest.cannotReadTaxonomy': {
    en: 'cannot read taxonomy {{file}}: {{reason}}',
    ko: '분류 체계 파일 {{file}}을(를) 읽을 수 없습니다: {{reason}}',
  },
  // fairness: bias audits (person and place), proxy detection, exposure model, fair missions, stress test, COMPAS files
  'fairness.lengthMismatch': {
    en: '{{what}}: {{a}} values against {{b}}; expected two lists of the same length',
    ko: '{{what}}: 값 {{a}}개와 {{b}}개를 맞대었습니다. 두 목록의 길이가 같아야 합니다',
  },
  'fairness.cvTooFewRows': {
    en: 'cross-validation needs at least {{k}} rows',
    ko: '교차 검증에는 적어도 {{k}}개 행이 필요합니다',
  },
  'fairness.proxyNoRows': { en: 'proxy detection: no rows', ko: '대리변수 탐지: 행이 없습니다' },
  'fairness.proxyNoProtected': {
    en: 'proxy detection: row {{row}} has no protected attribute',
    ko: '대리변수 탐지: {{row}}행에 보호 속성이 없습니다',
  },
  'fairness.exposureNoAreas': { en: 'exposure model: no areas', ko: '노출 모델: 구역이 없습니다' },
  'fairness.victimizationLength': {
    en: 'victimization and areas differ in length',
    ko: '피해 값과 구역의 개수가 다릅니다',
  },
  'fairness.badPopulation': {
    en: 'area {{area}}: population {{population}}',
    ko: '구역 {{area}}: 인구 {{population}}은(는) 올바른 값이 아닙니다',
  },
  'fairness.badVictimization': {
    en: 'area {{area}}: victimization {{value}}',
    ko: '구역 {{area}}: 피해 건수 {{value}}은(는) 올바른 값이 아닙니다',
  },
  'fairness.badResidents': {
    en: 'area {{area}}: residents of {{group}} {{value}}',
    ko: '구역 {{area}}: {{group}} 거주자 수 {{value}}은(는) 올바른 값이 아닙니다',
  },
  'fairness.bandWithoutOne': {
    en: 'the band [{{low}}, {{high}}] must contain 1',
    ko: '허용 범위 [{{low}}, {{high}}]에는 1이 들어 있어야 합니다',
  },
  'fairness.exposureLength': { en: 'exposure and areas differ in length', ko: '노출 값과 구역의 개수가 다릅니다' },
  'fairness.badExposure': {
    en: 'exposure {{value}} in area {{area}}',
    ko: '구역 {{area}}의 노출 {{value}}은(는) 올바른 값이 아닙니다',
  },
  'fairness.notBit': {
    en: 'row {{row}}: {{field}} must be 0 or 1',
    ko: '{{row}}행: {{field}} 값은 0 또는 1이어야 합니다',
  },
  'fairness.scoreWithoutThreshold': {
    en: 'row {{row}} has a score but no threshold was given',
    ko: '{{row}}행에 점수가 있지만 임계값이 주어지지 않았습니다',
  },
  'fairness.noPrediction': {
    en: 'row {{row}} has neither predicted nor a numeric score',
    ko: '{{row}}행에 예측값(predicted)도 숫자 점수도 없습니다',
  },
  'fairness.scoreNaN': { en: 'score {{row}} is not a number', ko: '{{row}}번째 점수가 숫자가 아닙니다' },
  'fairness.noAttributes': { en: 'no group attributes to audit', ko: '감사할 집단 속성이 없습니다' },
  'fairness.columnLengths': { en: 'audit columns have different lengths', ko: '감사 데이터의 열 길이가 서로 다릅니다' },
  'fairness.noAttributeColumn': { en: 'no attribute column "{{name}}"', ko: '속성 열 "{{name}}"이(가) 없습니다' },
  'fairness.unknownIntersection': {
    en: 'intersection names unknown attribute "{{name}}"',
    ko: '교차 집단에 알 수 없는 속성 "{{name}}"이(가) 있습니다',
  },
  'fairness.tooManyGroups': { en: 'too many group combinations to audit', ko: '감사할 집단 조합이 너무 많습니다' },
  'fairness.bandMustContainOne': { en: 'band must contain 1', ko: '허용 범위에는 1이 들어 있어야 합니다' },
  'fairness.referenceNotAudited': {
    en: 'reference group {{group}} is not among the audited groups',
    ko: '기준 집단 {{group}}이(가) 감사한 집단 가운데 없습니다',
  },
  'fairness.badCount': {
    en: '{{where}}: bad count for {{group}}: {{events}}/{{trials}} (expected whole numbers 0 ≤ events ≤ trials)',
    ko: '{{where}}: {{group}}의 건수 {{events}}/{{trials}}이(가) 올바르지 않습니다 (0 ≤ 사건 수 ≤ 시행 수인 정수여야 합니다)',
  },
  'fairness.notCompas': {
    en: '{{file}} is not a COMPAS two-year file: missing column(s) {{columns}}',
    ko: '{{file}}은(는) COMPAS 2년 추적 파일이 아닙니다. 없는 열: {{columns}}',
  },
  'fairness.compasFieldCount': {
    en: '{{file}} line {{line}}: {{count}} fields, header has {{width}}',
    ko: '{{file}} {{line}}행: 필드가 {{count}}개인데 머리글은 {{width}}개입니다',
  },
  'fairness.compasColumnsDisagree': {
    en: '{{file}} line {{line}}: the two "{{column}}" columns disagree',
    ko: '{{file}} {{line}}행: 두 "{{column}}" 열의 값이 서로 다릅니다',
  },
  'fairness.compasNotInteger': {
    en: '{{file}} line {{line}}: {{column}} is not an integer',
    ko: '{{file}} {{line}}행: {{column}} 값이 정수가 아닙니다',
  },
  'fairness.compasEmpty': { en: '{{file}} is empty', ko: '{{file}}이(가) 비어 있습니다' },
  'fairness.missionsBadInput': {
    en: 'fair missions: {{count}} bad input value(s)',
    ko: '공정한 순찰 임무 계획: 잘못된 입력 값이 {{count}}개 있습니다',
  },
  'fairness.boundBelowOne': { en: 'a fairness bound must be ≥ 1', ko: '공정성 범위 한계는 1 이상이어야 합니다' },
  'fairness.stressRiskCount': {
    en: 'risk model returned {{count}} values for {{regions}} regions',
    ko: '위험 모델이 {{regions}}개 지역에 대해 값을 {{count}}개 돌려주었습니다',
  },
  'fairness.stressBadRisk': {
    en: 'risk model returned {{value}} for region {{region}}',
    ko: '위험 모델이 지역 {{region}}에 대해 {{value}}을(를) 돌려주었습니다',
  },
  'fairness.stressTwoRegions': {
    en: 'a synthetic city needs at least two regions',
    ko: '합성 도시에는 적어도 두 지역이 필요합니다',
  },
  'fairness.stressBadRate': {
    en: 'true rate {{rate}} of region {{region}}',
    ko: '지역 {{region}}의 실제 발생률 {{rate}}은(는) 올바른 값이 아닙니다',
  },
  'fairness.stressReportingProb': {
    en: 'reportingProb must be one probability or one per region',
    ko: 'reportingProb는 확률 하나이거나 지역마다 하나씩이어야 합니다',
  },
  'fairness.placeBadValues': {
    en: 'place audit: {{count}} bad value(s) in the area table',
    ko: '장소 기반 감사: 구역 표에 잘못된 값이 {{count}}개 있습니다',
  },
  'fairness.placeNoAreas': { en: 'place audit: no areas', ko: '장소 기반 감사: 구역이 없습니다' },
  'fairness.placeNoReference': {
    en: 'reference group "{{group}}" has no residents in the area table',
    ko: '기준 집단 "{{group}}"의 거주자가 구역 표에 없습니다',
  },
  'fairness.planDosageLength': {
    en: 'plan {{plan}}: {{cells}} cells but {{dosage}} dosage values',
    ko: '계획 {{plan}}: 격자는 {{cells}}개인데 순찰량 값은 {{dosage}}개입니다',
  },
  'fairness.planCellRange': {
    en: 'plan {{plan}}: cell {{cell}} is out of range',
    ko: '계획 {{plan}}: 격자 {{cell}}이(가) 범위를 벗어났습니다',
  },
  'fairness.planBadDosage': {
    en: 'plan {{plan}}: dosage {{dosage}} is not ≥ 0',
    ko: '계획 {{plan}}: 순찰량 {{dosage}}이(가) 0 이상이 아닙니다',
  },
  'fairness.cellAreaLength': {
    en: 'cell values and cell → area map differ in length',
    ko: '격자 값과 격자→구역 대응표의 길이가 다릅니다',
  },
  // --- issue 17 item 5 (registry, forecast): coded server messages ---
  'register.noSystemVersion': {
    en: 'no AI system {{systemId}} version {{version}}',
    ko: 'AI 시스템 {{systemId}}의 {{version}} 버전이 없습니다',
  },
  'register.onlyOwner': { en: "only the system's owner may do this", ko: '시스템 소유자만 할 수 있습니다' },
  'register.ownerCannotAuthorise': {
    en: 'the owner of a system cannot authorise it (separation of duties)',
    ko: '시스템 소유자는 자신의 시스템에 대한 허가를 등록할 수 없습니다(직무 분리)',
  },
  'register.ownerCannotApprove': {
    en: 'the owner of a system cannot approve it (separation of duties)',
    ko: '시스템 소유자는 자신의 시스템을 승인할 수 없습니다(직무 분리)',
  },
  'register.ownerCannotApproveAssessment': {
    en: 'the owner of a system cannot approve the assessment of it (separation of duties)',
    ko: '시스템 소유자는 자신의 시스템에 대한 영향평가를 승인할 수 없습니다(직무 분리)',
  },
  'register.badName': { en: 'invalid system name', ko: '시스템 이름이 올바르지 않습니다' },
  'register.notDraft': {
    en: 'version {{version}} is {{state}}; only drafts can be edited — create a new version',
    ko: '{{version}} 버전은 {{state}} 상태입니다. 초안만 고칠 수 있으니 새 버전을 만드십시오',
  },
  'register.notInConsultation': {
    en: 'version {{version}} is not under public consultation (it is {{state}})',
    ko: '{{version}} 버전은 공개 의견수렴 중이 아닙니다(현재 상태: {{state}})',
  },
  'register.commentPeriodEnded': {
    en: 'the comment period ended at {{endsAt}}',
    ko: '의견 제출 기간이 {{endsAt}}에 끝났습니다',
  },
  'register.badTransition': {
    en: 'a {{state}} version cannot become {{to}} (allowed: {{allowed}})',
    ko: '{{state}} 상태의 버전은 {{to}} 상태가 될 수 없습니다(가능한 상태: {{allowed}})',
  },
  'register.badTransitionFinal': {
    en: 'a {{state}} version cannot become {{to}} (allowed: none)',
    ko: '{{state}} 상태의 버전은 {{to}} 상태가 될 수 없습니다(더 바꿀 수 있는 상태가 없습니다)',
  },
  'register.onlyOwnerOpensConsultation': {
    en: 'only the owner opens the public consultation',
    ko: '공개 의견수렴은 시스템 소유자만 시작할 수 있습니다',
  },
  'register.onlyOversightApproves': {
    en: 'only oversight approves a system',
    ko: '시스템 승인은 감독 기관만 할 수 있습니다',
  },
  'register.assessmentNotApproved': {
    en: 'the impact assessment has not been approved by oversight',
    ko: '영향평가가 감독 기관의 승인을 받지 않았습니다',
  },
  'register.stressTestMissing': {
    en: 'a place-based forecaster needs a feedback-loop stress test of this version before approval (POST …/stress-test)',
    ko: '장소 기반 예측 시스템은 승인 전에 이 버전의 피드백 루프 스트레스 테스트를 거쳐야 합니다(POST …/stress-test)',
  },
  'register.stressTestFailed': {
    en: 'the latest feedback-loop stress test of this version failed: {{reasons}}',
    ko: '이 버전의 최근 피드백 루프 스트레스 테스트를 통과하지 못했습니다: {{reasons}}',
  },
  'register.stressTestFailedSeeAudit': {
    en: 'the latest feedback-loop stress test of this version failed: see the audit',
    ko: '이 버전의 최근 피드백 루프 스트레스 테스트를 통과하지 못했습니다. 감사 결과를 확인하십시오',
  },
  'register.onlyOwnerOrOversightActivates': {
    en: 'only the owner or oversight activates a system',
    ko: '시스템 운영 시작은 소유자 또는 감독 기관만 할 수 있습니다',
  },
  'register.gateRefused': {
    en: 'this version cannot go live: {{problems}}',
    ko: '이 버전은 운영을 시작할 수 없습니다: {{problems}}',
  },
  'register.onlyOwnerOrOversight': {
    en: 'only the owner or oversight may do this',
    ko: '시스템 소유자 또는 감독 기관만 할 수 있습니다',
  },
  'register.noAssessment': { en: 'no assessment {{assessmentId}}', ko: '영향평가 {{assessmentId}}이(가) 없습니다' },
  'register.assessmentAlreadyDecided': {
    en: 'assessment {{assessmentId}} was already {{status}}',
    ko: '영향평가 {{assessmentId}}은(는) 이미 {{status}} 상태입니다',
  },
  'register.reasonMissing': { en: 'a reason is required', ko: '사유가 필요합니다' },
  'register.submitBeforeApproval': {
    en: 'assessments are submitted before approval; version {{version}} is {{state}}',
    ko: '영향평가는 승인 전에 제출해야 합니다. {{version}} 버전은 {{state}} 상태입니다',
  },
  'register.invalidRecord': { en: 'the system record is not valid', ko: '시스템 등록 정보가 올바르지 않습니다' },
  'register.badControlsFile': {
    en: '{{file}} is not a valid controls file',
    ko: '{{file}}은(는) 올바른 통제 항목 파일이 아닙니다',
  },
  'register.badConsultationPolicy': {
    en: '{{file}} is not a valid consultation policy',
    ko: '{{file}}은(는) 올바른 의견수렴 정책 파일이 아닙니다',
  },
  'register.badClassificationPolicy': {
    en: '{{file}} is not a valid classification policy',
    ko: '{{file}}은(는) 올바른 법적 분류 정책 파일이 아닙니다',
  },
  'modelCard.notValid': { en: 'the model card is not valid', ko: '모델 카드가 올바르지 않습니다' },
  'modelCard.backtestNoModels': {
    en: 'a backtest summary names its models',
    ko: '백테스트 요약에는 모델 이름이 있어야 합니다',
  },
  'modelCard.backtestNoMetrics': {
    en: 'no metrics for the chosen model {{model}}',
    ko: '선택한 모델 {{model}}의 지표가 없습니다',
  },
  'assessment.unknownQuestionnaire': {
    en: 'unknown questionnaire {{id}}',
    ko: '알 수 없는 설문입니다: {{id}}',
  },
  'assessment.unanswered': {
    en: '{{count}} question(s) shown for these answers are unanswered',
    ko: '이 응답에 따라 표시되는 질문 중 {{count}}개에 답하지 않았습니다',
  },
  'assessment.invalidQuestionnaire': { en: 'the questionnaire is not valid', ko: '설문이 올바르지 않습니다' },
  'assessment.badCondition': {
    en: 'bad condition in questionnaire',
    ko: '설문의 표시 조건이 올바르지 않습니다',
  },
  'assessment.answerNotText': {
    en: 'answer to {{id}} must be text',
    ko: '{{id}} 질문의 응답은 글이어야 합니다',
  },
  'assessment.answerNotList': {
    en: 'answer to {{id}} must be a list',
    ko: '{{id}} 질문의 응답은 목록이어야 합니다',
  },
  'assessment.oneAnswer': {
    en: 'question {{id}} takes one answer',
    ko: '{{id}} 질문에는 응답을 하나만 고를 수 있습니다',
  },
  'assessment.notAnOption': {
    en: '{{value}} is not an answer to {{id}}',
    ko: '{{value}}은(는) {{id}} 질문의 선택지가 아닙니다',
  },
  'assessment.answersNotObject': {
    en: 'answers must be an object',
    ko: '응답은 질문 ID와 응답을 짝지은 객체(JSON object)여야 합니다',
  },
  'forecast.whichJurisdiction': {
    en: 'say which jurisdiction to forecast for',
    ko: '어느 관할 구역을 예측할지 지정하십시오',
  },
  'forecast.noJurisdictionLayer': {
    en: 'no jurisdiction layer "{{name}}"',
    ko: '관할 구역 레이어 "{{name}}"이(가) 없습니다',
  },
  'forecast.noIncidentsBefore': {
    en: 'no incidents before {{asOf}} to learn from',
    ko: '{{asOf}} 이전에 학습할 사건이 없습니다',
  },
  'forecast.notFound': { en: 'no forecast {{id}}', ko: '예측 {{id}}이(가) 없습니다' },
  'forecast.noExplanation': {
    en: 'forecast {{id}} has no explanation {{explanationId}} (only hotspots are explained)',
    ko: '예측 {{id}}에는 설명 {{explanationId}}이(가) 없습니다(설명은 핫스팟 격자에만 있습니다)',
  },
  'forecast.backtest.toBeforeFrom': {
    en: 'the last origin is before the first',
    ko: '마지막 기준점이 첫 기준점보다 앞섭니다',
  },
  'forecast.backtest.tooManyOrigins': {
    en: 'too many origins for one request',
    ko: '한 번의 요청에 기준점이 너무 많습니다',
  },
  'forecast.backtest.noIncidents': { en: 'no incidents to backtest on', ko: '백테스트할 사건이 없습니다' },
  'forecast.backtest.concreteModels': {
    en: 'a backtest compares concrete models',
    ko: '백테스트는 구체적인 모델끼리만 비교합니다',
  },
  'forecast.backtest.noWindowInData': {
    en: 'no window ends inside the data',
    ko: '데이터 기간 안에서 끝나는 예측 기간이 없습니다',
  },
  'forecast.backtest.notFound': { en: 'no backtest {{id}}', ko: '백테스트 {{id}}이(가) 없습니다' },
  'mission.badTime': { en: 'bad {{field}}', ko: '{{field}} 값이 올바르지 않습니다' },
  'mission.badShift': {
    en: 'a shift lasts more than 0 and at most 24 hours',
    ko: '근무 시간은 0시간보다 길고 24시간 이하여야 합니다',
  },
  'mission.fairnessNeedsCells': {
    en: 'a fairness bound needs a budget in cells',
    ko: '공정성 범위 한계를 쓰려면 예산을 격자 수로 정해야 합니다',
  },
  'mission.noCellFits': {
    en: 'no cell fits this budget and dosage cap',
    ko: '이 예산과 순찰량 상한에 맞는 격자가 없습니다',
  },
  'mission.forecasterNotRegistered': {
    en: "Counterweight's forecaster is not registered as an AI system: register it and set it (PUT /api/forecast/system) before missions can be released",
    ko: 'Counterweight 예측 시스템이 AI 시스템으로 등록되어 있지 않습니다. 임무를 배포하려면 먼저 등록하고 지정하십시오(PUT /api/forecast/system)',
  },
  'forecast.badValue': {
    en: 'bad {{field}} "{{value}}"',
    ko: '{{field}} 값 "{{value}}"이(가) 올바르지 않습니다',
  },
  'forecast.badModel': { en: 'bad model "{{model}}"', ko: '모델 "{{model}}"이(가) 올바르지 않습니다' },
  'forecast.unknownModel': { en: 'unknown model "{{model}}"', ko: '알 수 없는 모델 "{{model}}"입니다' },
  'forecast.unknownModelParams': { en: 'unknown model {{model}}', ko: '알 수 없는 모델 {{model}}입니다' },
  'forecast.notPositive': {
    en: 'model {{model}}: {{field}} must be a positive number',
    ko: '모델 {{model}}: {{field}} 값은 양수여야 합니다',
  },
  'forecast.kdeKernel': {
    en: 'kde kernel must be gaussian or quartic',
    ko: 'kde 커널은 gaussian 또는 quartic이어야 합니다',
  },
  'forecast.seppNeedsTimes': {
    en: 'the continuous SEPP needs event times to the hour or finer; {{count}} training incident(s) have dates only (e.g. {{examples}}). Use grid ETAS, KDE or hotspotting for date-only data.',
    ko: '연속 SEPP 모델에는 시 단위 이상으로 정밀한 사건 시각이 필요한데, 학습 사건 {{count}}건에는 날짜만 있습니다(예: {{examples}}). 날짜만 있는 데이터에는 격자 ETAS, KDE 또는 핫스팟 분석을 쓰십시오.',
  },
  'forecast.badWindow': {
    en: 'bad window "{{window}}": expected 7d, 14d, 1mo, 2mo or 3mo',
    ko: '예측 기간 "{{window}}"이(가) 올바르지 않습니다. 7d, 14d, 1mo, 2mo 또는 3mo여야 합니다',
  },
  'forecast.duplicateLabels': {
    en: 'two candidate models have the same label',
    ko: '후보 모델 두 개의 레이블이 같습니다',
  },
  'forecast.badHitRateShare': {
    en: 'hit-rate shares must be in (0, 1]',
    ko: '적중률 면적 비율은 (0, 1] 범위에 있어야 합니다',
  },
  'forecast.autoNeedsCandidates': {
    en: 'auto needs at least one candidate model',
    ko: 'auto에는 후보 모델이 하나 이상 필요합니다',
  },
  'forecast.policyOfficerInitiated': {
    en: 'data policy must say whether officer-initiated records are included',
    ko: '데이터 정책에 경찰 주도 기록을 포함하는지 밝혀야 합니다',
  },
  'forecast.badIncident': {
    en: 'incident {{index}} ({{id}}): bad {{field}}',
    ko: '사건 {{index}}({{id}})의 {{field}} 값이 올바르지 않습니다',
  },
  'forecast.riskLength': { en: 'risk has the wrong length', ko: '위험도 값의 개수가 격자 수와 맞지 않습니다' },
  'forecast.badAreaBounds': {
    en: 'hotspot area bounds must satisfy 0 < min ≤ max',
    ko: '핫스팟 면적 범위는 0 < 최소 ≤ 최대를 만족해야 합니다',
  },
  'forecast.plan.badMaxTimes': {
    en: 'dosage maxTimes must be a whole number ≥ 1',
    ko: '순찰량 maxTimes는 1 이상의 정수여야 합니다',
  },
  'forecast.plan.badWindow': {
    en: 'dosage window must be a whole number of shifts ≥ 1',
    ko: '순찰량 기간은 1 이상의 정수(근무조 수)여야 합니다',
  },
  'forecast.plan.badCells': {
    en: 'cell budget must be a whole number ≥ 0',
    ko: '격자 예산은 0 이상의 정수여야 합니다',
  },
  'forecast.plan.badMinutes': { en: 'minute budget must be ≥ 0', ko: '분 단위 예산은 0 이상이어야 합니다' },
  'forecast.badAsOf': { en: 'bad as-of date {{asOf}}', ko: '기준일 {{asOf}}이(가) 올바르지 않습니다' },
  'forecast.dataMismatch': {
    en: 'these incidents are not the data the run was made from',
    ko: '이 사건 데이터는 이 실행에 쓰인 데이터와 다릅니다',
  },
  'forecast.noPrj': {
    en: 'no .prj text known for {{crs}}',
    ko: '{{crs}}에 대한 .prj 좌표계 정의를 알 수 없습니다',
  },
  'forecast.shapefile.badFieldName': {
    en: 'bad dBASE field name {{name}}',
    ko: 'dBASE 필드 이름 {{name}}이(가) 올바르지 않습니다',
  },
  'forecast.shapefile.badFieldLength': {
    en: 'bad dBASE field length for {{name}}',
    ko: 'dBASE 필드 {{name}}의 길이가 올바르지 않습니다',
  },
  'forecast.shapefile.notFinite': {
    en: 'field {{name}} row {{row}} is not a finite number',
    ko: '필드 {{name}}의 {{row}}행 값이 유한한 숫자가 아닙니다',
  },
  'forecast.shapefile.valueTooLong': {
    en: 'value does not fit field {{name}}',
    ko: '값이 필드 {{name}}의 길이를 넘습니다',
  },
  // --- the command line: errors a person reads in the terminal (issue 17 item 5) ---
  'cli.badOption': {
    en: 'bad {{option}} "{{value}}": expected {{expected}}',
    ko: '{{option}} 값 "{{value}}"이(가) 올바르지 않습니다: {{expected}} 중 하나여야 합니다',
  },
  'cli.cannotReadBoundary': {
    en: 'cannot read boundary {{file}}: {{reason}}',
    ko: '관할 경계 파일 {{file}}을(를) 읽을 수 없습니다: {{reason}}',
  },
  'cli.cannotReadRunRecord': {
    en: 'cannot read run record {{file}}: {{reason}}',
    ko: '실행 기록 {{file}}을(를) 읽을 수 없습니다: {{reason}}',
  },
  'cli.notRunRecord': {
    en: '{{file}} is not a forecast run record',
    ko: '{{file}}은(는) 예측 실행 기록이 아닙니다',
  },
  'cli.noIncidentsAfterPolicy': {
    en: 'no incidents left after the data policy',
    ko: '데이터 정책을 적용하고 나니 남은 사건이 없습니다',
  },
  'cli.httpFailed': {
    en: '{{what}}: HTTP {{status}}',
    ko: '{{what}}: HTTP {{status}} 응답으로 실패했습니다',
  },
  'cli.exportDirNotEmpty': {
    en: 'export directory {{dir}} is not empty: give a new or empty directory',
    ko: '내보낼 디렉터리 {{dir}}이(가) 비어 있지 않습니다: 새 디렉터리나 빈 디렉터리를 지정하십시오',
  },
  'cli.tileMissing': {
    en: 'tile {{tile}} missing from the database',
    ko: '데이터베이스에 타일 {{tile}}이(가) 없습니다',
  },
  'cli.unitOrNone': {
    en: 'give --unit UNIT or --none',
    ko: '--unit 단위 또는 --none을 지정하십시오',
  },
  'cli.moreProblems': {
    en: '… and {{count}} more (use --report FILE for all)',
    ko: '… 외 {{count}}건 더 있습니다(전체는 --report 파일로 받으십시오)',
  },
  'cli.badRows': {
    en: '{{file}}: {{count}} bad rows; fix them or pass --skip-invalid (counterweight import --report shows all)',
    ko: '{{file}}: 잘못된 행이 {{count}}개 있습니다. 고치거나 --skip-invalid를 주십시오(전체 목록은 counterweight import --report)',
  },
  'cli.skippedRows': {
    en: '{{file}}: skipped {{count}} bad rows (--skip-invalid)',
    ko: '{{file}}: 잘못된 행 {{count}}개를 건너뛰었습니다(--skip-invalid)',
  },
  'cli.audit.ok': {
    en: 'OK: log {{origin}} of size {{size}} verified: {{entries}} entries re-hashed, {{tiles}} tiles checked, root {{root}}',
    ko: '확인: 크기 {{size}}인 로그 {{origin}}을(를) 검증했습니다. 항목 {{entries}}개를 다시 해시하고 타일 {{tiles}}개를 확인했습니다. 루트 {{root}}',
  },
  'cli.audit.okPrevious': {
    en: ', consistent with {{count}} kept checkpoint(s)',
    ko: ', 보관한 체크포인트 {{count}}개와 일관됩니다',
  },
  'cli.audit.okCosigned': { en: ', cosigned by {{names}}', ko: ', 공동 서명: {{names}}' },
  'cli.audit.failed': {
    en: 'FAILED: {{count}} problem(s) in log {{origin}} of size {{size}}',
    ko: '실패: 크기 {{size}}인 로그 {{origin}}에서 문제 {{count}}건을 찾았습니다',
  },
  'cli.audit.entry': { en: '(entry {{index}})', ko: '(항목 {{index}})' },
  'cli.where.row': { en: 'row {{row}}', ko: '{{row}}행' },
  'cli.where.field': { en: 'field "{{field}}"', ko: '필드 "{{field}}"' },
  'cli.where.expected': { en: 'expected {{expected}}', ko: '기대한 값: {{expected}}' },
  'cli.where.got': { en: 'got {{got}}', ko: '받은 값: {{got}}' },
  'cli.error': { en: 'error: {{text}}', ko: '오류: {{text}}' },
  'store.erasureNotFlushed': {
    en: 'erased data could not be cut from the database write-ahead log within {{seconds}} s: another connection held it; the purge is recorded, run retention again',
    ko: '다른 연결이 데이터베이스 미리 쓰기 로그(WAL)를 사용 중이어서 {{seconds}}초 안에 삭제된 데이터를 WAL에서 지우지 못했습니다. 삭제 자체는 기록되었으니 보존 기한 정리를 다시 실행하십시오',
  },
  'store.badLayerName': {
    en: 'bad layer name "{{name}}"',
    ko: '레이어 이름 "{{name}}"이(가) 올바르지 않습니다',
  },
  'store.badSourceName': {
    en: 'bad source name "{{source}}"',
    ko: '데이터 출처 이름 "{{source}}"이(가) 올바르지 않습니다',
  },
  // --- forecasting models by name and parameters (src/forecast/model-text.ts; issue 17 item 5) ---
  'model.countsAll': { en: 'all-history counts', ko: '전체 기간 건수' },
  'model.countsDays': { en: 'counts over the last {{days}} days', ko: '최근 {{days}}일 건수' },
  'model.kdeGaussian': {
    en: 'time-weighted KDE (gaussian {{bandwidth}}, half-life {{halfLife}} d)',
    ko: '시간 가중 커널 밀도 추정(가우스 커널 {{bandwidth}}, 반감기 {{halfLife}}일)',
  },
  'model.kdeQuartic': {
    en: 'time-weighted KDE (quartic {{bandwidth}}, half-life {{halfLife}} d)',
    ko: '시간 가중 커널 밀도 추정(4차 커널 {{bandwidth}}, 반감기 {{halfLife}}일)',
  },
  'model.prospective': {
    en: 'prospective hotspotting (radius {{radius}}, {{weeks}} weeks)',
    ko: '전향적 핫스팟 분석(반경 {{radius}}, {{weeks}}주)',
  },
  'model.retrospective': {
    en: 'retrospective hotspotting (radius {{radius}}, {{weeks}} weeks)',
    ko: '후향적 핫스팟 분석(반경 {{radius}}, {{weeks}}주)',
  },
  'model.sepp': {
    en: 'space-time SEPP (stochastic declustering, {{iterations}} iterations)',
    ko: '시공간 자기흥분 점과정(SEPP, 확률적 군집 분리, 반복 {{iterations}}회)',
  },
  'model.etas': {
    en: 'grid ETAS (EM, {{iterations}} iterations)',
    ko: '격자 ETAS(EM, 반복 {{iterations}}회)',
  },
  'model.etasRecent': {
    en: 'grid ETAS (EM, {{iterations}} iterations, last {{days}} d)',
    ko: '격자 ETAS(EM, 반복 {{iterations}}회, 최근 {{days}}일)',
  },
  'model.ensemble': {
    en: 'ensemble of short- and long-memory maps (weights learned on backtests)',
    ko: '단기·장기 기억 지도의 앙상블(가중치는 백테스트로 학습)',
  },
  'model.learned': {
    en: 'learned Poisson model ({{rff}} position features, {{recent}} recent + {{seasons}} same-season origins)',
    ko: '학습된 포아송 모델(위치 특징 {{rff}}개, 최근 기준점 {{recent}}개 + 같은 계절 기준점 {{seasons}}개)',
  },
  'model.learnedTarget': {
    en: 'learned Poisson model ({{rff}} position features, {{recent}} recent + {{seasons}} same-season origins, target {{target}})',
    ko: '학습된 포아송 모델(위치 특징 {{rff}}개, 최근 기준점 {{recent}}개 + 같은 계절 기준점 {{seasons}}개, 대상 {{target}})',
  },
  // --- the transparency log's own errors (src/ledger, LedgerError: `ledger.<code>[.<variant>]`; issue 17 item 5) ---
  'ledger.proof-index.negative': {
    en: 'index must be a non-negative integer, got {{got}}',
    ko: '인덱스는 0 이상의 정수여야 합니다. 받은 값: {{got}}',
  },
  'ledger.proof-checkpoint.newline': {
    en: 'checkpoint must be a signed note ending in a newline',
    ko: '체크포인트는 줄바꿈으로 끝나는 서명된 노트여야 합니다',
  },
  'ledger.proof-hash.length': {
    en: 'proof hash {{i}} is {{bytes}} bytes',
    ko: '증명 해시 {{i}}의 길이가 {{bytes}}바이트입니다',
  },
  'ledger.proof-header': {
    en: 'not a c2sp.org/tlog-proof@v1 proof (line {{line}})',
    ko: 'c2sp.org/tlog-proof@v1 증명이 아닙니다 ({{line}}행)',
  },
  'ledger.proof-extra': {
    en: 'extra data is not canonical base64 (line {{line}})',
    ko: 'extra 데이터가 정규 base64가 아닙니다 ({{line}}행)',
  },
  'ledger.proof-index.line': {
    en: 'expected the index line (line {{line}})',
    ko: 'index 줄이 있어야 합니다 ({{line}}행)',
  },
  'ledger.proof-index.tooLarge': { en: 'index is too large (line {{line}})', ko: '인덱스가 너무 큽니다 ({{line}}행)' },
  'ledger.proof-hash.line': {
    en: 'inclusion proof line is not a base64 {{bytes}}-byte hash (line {{line}})',
    ko: '포함 증명 줄이 base64로 된 {{bytes}}바이트 해시가 아닙니다 ({{line}}행)',
  },
  'ledger.proof-checkpoint.noBlank': {
    en: 'missing the empty line before the checkpoint (line {{line}})',
    ko: '체크포인트 앞에 빈 줄이 없습니다 ({{line}}행)',
  },
  'ledger.proof-checkpoint.missing': {
    en: 'missing checkpoint after the empty line (line {{line}})',
    ko: '빈 줄 뒤에 체크포인트가 없습니다 ({{line}}행)',
  },
  'ledger.proof-no-entry.receipt': { en: 'the receipt carries no entry', ko: '영수증에 항목이 담겨 있지 않습니다' },
  'ledger.proof-entry-mismatch': {
    en: 'the entry given differs from the entry carried in the proof',
    ko: '주어진 항목이 증명에 담긴 항목과 다릅니다',
  },
  'ledger.proof-no-entry': {
    en: 'nothing to verify: no entry or leaf hash given and no extra data in the proof',
    ko: '검증할 대상이 없습니다: 항목이나 리프 해시가 주어지지 않았고 증명에 extra 데이터도 없습니다',
  },
  'ledger.index-out-of-range.checkpoint': {
    en: 'entry index {{index}} is not in the checkpointed tree of size {{size}}',
    ko: '항목 인덱스 {{index}}은(는) 체크포인트가 서명한 크기 {{size}}의 트리에 없습니다',
  },
  'ledger.checkpoint-origin.format': {
    en: 'origin must be a non-empty single line',
    ko: '출처(origin)는 비어 있지 않은 한 줄이어야 합니다',
  },
  'ledger.checkpoint-size.format': {
    en: 'tree size must be a non-negative integer, got {{got}}',
    ko: '트리 크기는 0 이상의 정수여야 합니다. 받은 값: {{got}}',
  },
  'ledger.checkpoint-root.format': {
    en: 'root hash must be {{bytes}} bytes, got {{got}}',
    ko: '루트 해시는 {{bytes}}바이트여야 합니다. 받은 길이: {{got}}',
  },
  'ledger.checkpoint-extension.format': {
    en: 'extension line {{i}} must be non-empty and single-line',
    ko: '확장 줄 {{i}}은(는) 비어 있지 않은 한 줄이어야 합니다',
  },
  'ledger.checkpoint-malformed.newline': {
    en: 'checkpoint text must end with a newline',
    ko: '체크포인트 본문은 줄바꿈으로 끝나야 합니다',
  },
  'ledger.checkpoint-malformed.lines': {
    en: 'checkpoint has {{lines}} lines, needs at least 3 (origin, size, root hash) (line {{line}})',
    ko: '체크포인트가 {{lines}}줄입니다. 최소 3줄(출처, 크기, 루트 해시)이 필요합니다 ({{line}}행)',
  },
  'ledger.checkpoint-origin.empty': {
    en: 'origin line is empty (line {{line}})',
    ko: '출처(origin) 줄이 비어 있습니다 ({{line}}행)',
  },
  'ledger.checkpoint-size.decimal': {
    en: 'tree size is not a decimal number without leading zeros (line {{line}})',
    ko: '트리 크기가 앞자리 0 없는 십진수가 아닙니다 ({{line}}행)',
  },
  'ledger.checkpoint-size.tooLarge': {
    en: 'tree size is too large (line {{line}})',
    ko: '트리 크기가 너무 큽니다 ({{line}}행)',
  },
  'ledger.checkpoint-root.base64': {
    en: 'root hash is not canonical base64 (line {{line}})',
    ko: '루트 해시가 정규 base64가 아닙니다 ({{line}}행)',
  },
  'ledger.checkpoint-root.length': {
    en: 'root hash is {{got}} bytes, expected {{bytes}} (line {{line}})',
    ko: '루트 해시가 {{got}}바이트입니다. {{bytes}}바이트여야 합니다 ({{line}}행)',
  },
  'ledger.checkpoint-extension.empty': {
    en: 'extension lines must be non-empty (line {{line}})',
    ko: '확장 줄은 비어 있으면 안 됩니다 ({{line}}행)',
  },
  'ledger.checkpoint-origin-mismatch': {
    en: 'checkpoint is for origin {{got}}, expected {{want}} (line {{line}})',
    ko: '체크포인트의 출처가 {{got}}입니다. 기대한 출처는 {{want}}입니다 ({{line}}행)',
  },
  'ledger.bad-key-type.notCosigner': {
    en: '{{name}} is not a cosignature/v1 (type 0x04) key',
    ko: '{{name}}은(는) cosignature/v1(유형 0x04) 키가 아닙니다',
  },
  'ledger.cosignature-quorum.none': {
    en: 'no valid cosignature by a trusted witness (need {{quorum}})',
    ko: '신뢰하는 증인의 유효한 공동 서명이 없습니다({{quorum}}개 필요)',
  },
  'ledger.cosignature-future': {
    en: 'cosignature by {{name}} is dated {{time}}, in the future (line {{line}})',
    ko: '{{name}}의 공동 서명 시각 {{time}}이(가) 미래입니다 ({{line}}행)',
  },
  'ledger.cosignature-quorum.short': {
    en: '{{count}} valid witness cosignature(s), need {{quorum}}',
    ko: '유효한 증인 공동 서명이 {{count}}개입니다. {{quorum}}개가 필요합니다',
  },
  'ledger.note-not-utf8': { en: 'note is not valid UTF-8', ko: '노트가 올바른 UTF-8이 아닙니다' },
  'ledger.note-text': {
    en: 'note text must be non-empty and end with a newline',
    ko: '노트 본문은 비어 있지 않고 줄바꿈으로 끝나야 합니다',
  },
  'ledger.note-control-char': {
    en: 'note contains a control character (line {{line}})',
    ko: '노트에 제어 문자가 있습니다 ({{line}}행)',
  },
  'ledger.note-not-utf8.unicode': {
    en: 'note text is not valid Unicode',
    ko: '노트 본문이 올바른 유니코드가 아닙니다',
  },
  'ledger.note-malformed.newline': {
    en: 'signed note must end with a newline',
    ko: '서명된 노트는 줄바꿈으로 끝나야 합니다',
  },
  'ledger.note-malformed.noBlank': {
    en: 'signed note has no blank line before its signatures',
    ko: '서명된 노트에 서명 앞의 빈 줄이 없습니다',
  },
  'ledger.note-no-signatures': { en: 'signed note has no signature lines', ko: '서명된 노트에 서명 줄이 없습니다' },
  'ledger.note-too-many-signatures': {
    en: 'signed note has {{count}} signatures, more than {{max}}',
    ko: '서명된 노트의 서명이 {{count}}개로, 최대 {{max}}개를 넘습니다',
  },
  'ledger.note-bad-signature-line.dash': {
    en: 'signature line must start with an em dash and a space (line {{line}})',
    ko: '서명 줄은 엠 대시(—)와 공백으로 시작해야 합니다 ({{line}}행)',
  },
  'ledger.note-bad-signature-line.space': {
    en: 'signature line has no space between key name and signature (line {{line}})',
    ko: '서명 줄에 키 이름과 서명 사이의 공백이 없습니다 ({{line}}행)',
  },
  'ledger.note-bad-key-name': {
    en: 'invalid key name {{name}} in signature line (line {{line}})',
    ko: '서명 줄의 키 이름 {{name}}이(가) 올바르지 않습니다 ({{line}}행)',
  },
  'ledger.note-bad-base64': {
    en: 'signature is not canonical base64 (line {{line}})',
    ko: '서명이 정규 base64가 아닙니다 ({{line}}행)',
  },
  'ledger.note-short-signature': {
    en: 'signature is {{bytes}} bytes; needs a 4-byte key ID and a signature (line {{line}})',
    ko: '서명이 {{bytes}}바이트입니다. 4바이트 키 ID와 서명이 필요합니다 ({{line}}행)',
  },
  'ledger.note-no-signers': { en: 'at least one signer is needed', ko: '서명자가 최소 한 명 필요합니다' },
  'ledger.note-bad-signature': {
    en: 'signature by {{name}} (key {{key}}) does not verify (line {{line}})',
    ko: '{{name}}(키 {{key}})의 서명이 검증되지 않습니다 ({{line}}행)',
  },
  'ledger.note-no-trusted-signature': {
    en: 'no signature by a trusted key (signed by: {{names}}; trusted: {{trusted}})',
    ko: '신뢰하는 키의 서명이 없습니다(서명한 키: {{names}}, 신뢰하는 키: {{trusted}})',
  },
  'ledger.note-no-trusted-signature.noneTrusted': {
    en: 'no signature by a trusted key (signed by: {{names}}; trusted: none)',
    ko: '신뢰하는 키의 서명이 없습니다(서명한 키: {{names}}, 신뢰하는 키: 없음)',
  },
  'ledger.bad-key.seed': {
    en: 'Ed25519 seed must be 32 bytes, got {{got}}',
    ko: 'Ed25519 시드는 32바이트여야 합니다. 받은 길이: {{got}}',
  },
  'ledger.bad-key.public': {
    en: 'Ed25519 public key must be 32 bytes, got {{got}}',
    ko: 'Ed25519 공개 키는 32바이트여야 합니다. 받은 길이: {{got}}',
  },
  'ledger.bad-key-name': { en: 'invalid key name {{name}}', ko: '키 이름 {{name}}이(가) 올바르지 않습니다' },
  'ledger.bad-key.base64': { en: '{{what}}: not canonical base64', ko: '{{what}}: 정규 base64가 아닙니다' },
  'ledger.bad-key-type.unsupported': {
    en: '{{what}}: unsupported signature type 0x{{type}}',
    ko: '{{what}}: 지원하지 않는 서명 유형 0x{{type}}입니다',
  },
  'ledger.bad-key.verifierShape': {
    en: 'verifier key must be name+keyid+key',
    ko: '검증 키는 이름+키ID+키 형식이어야 합니다',
  },
  'ledger.bad-key.verifierId': {
    en: 'verifier key ID "{{id}}" is not 8 lowercase hex digits',
    ko: '검증 키 ID "{{id}}"이(가) 소문자 16진수 8자리가 아닙니다',
  },
  'ledger.bad-key.verifierLength': {
    en: 'verifier key material is {{got}} bytes, expected 33',
    ko: '검증 키 값이 {{got}}바이트입니다. 33바이트여야 합니다',
  },
  'ledger.bad-key.verifierIdMismatch': {
    en: 'verifier key ID {{id}} does not match its name and key ({{want}})',
    ko: '검증 키 ID {{id}}이(가) 이름과 키에 맞지 않습니다({{want}})',
  },
  'ledger.bad-key.signerShape': {
    en: 'signer key must be PRIVATE+KEY+name+keyid+key',
    ko: '서명 키는 PRIVATE+KEY+이름+키ID+키 형식이어야 합니다',
  },
  'ledger.bad-key.signerLength': {
    en: 'signer key material is {{got}} bytes, expected 33',
    ko: '서명 키 값이 {{got}}바이트입니다. 33바이트여야 합니다',
  },
  'ledger.bad-key.signerIdMismatch': {
    en: 'signer key ID {{id}} does not match its name and key ({{want}})',
    ko: '서명 키 ID {{id}}이(가) 이름과 키에 맞지 않습니다({{want}})',
  },
  'ledger.bad-tile-index': {
    en: 'tile index must be a non-negative integer, got {{got}}',
    ko: '타일 인덱스는 0 이상의 정수여야 합니다. 받은 값: {{got}}',
  },
  'ledger.bad-tile-level': {
    en: 'tile level must be 0\u202663, got {{got}}',
    ko: '타일 레벨은 0…63이어야 합니다. 받은 값: {{got}}',
  },
  'ledger.bad-tile-width': {
    en: 'tile width must be 1\u2026256, got {{got}}',
    ko: '타일 너비는 1…256이어야 합니다. 받은 값: {{got}}',
  },
  'ledger.bad-tile-path.shape': {
    en: 'not a tile path: expected tile/<L>/<N>',
    ko: '타일 경로가 아닙니다: tile/<L>/<N> 형식이어야 합니다',
  },
  'ledger.bad-tile-path.level': {
    en: 'not a tile path: level "{{level}}" is not 0\u202663 or "entries"',
    ko: '타일 경로가 아닙니다: 레벨 "{{level}}"이(가) 0…63이나 "entries"가 아닙니다',
  },
  'ledger.bad-tile-path.width': {
    en: 'not a tile path: partial width "{{width}}" is not 1\u2026255',
    ko: '타일 경로가 아닙니다: 부분 타일 너비 "{{width}}"이(가) 1…255가 아닙니다',
  },
  'ledger.bad-tile-path.lastElement': {
    en: 'not a tile path: index element "{{element}}" must be three digits',
    ko: '타일 경로가 아닙니다: 인덱스 요소 "{{element}}"은(는) 숫자 세 자리여야 합니다',
  },
  'ledger.bad-tile-path.element': {
    en: 'not a tile path: index element "{{element}}" must be x and three digits',
    ko: '타일 경로가 아닙니다: 인덱스 요소 "{{element}}"은(는) x와 숫자 세 자리여야 합니다',
  },
  'ledger.bad-tile-path.leadingZero': {
    en: 'not a tile path: leading x000 element',
    ko: '타일 경로가 아닙니다: 맨 앞에 x000 요소가 있습니다',
  },
  'ledger.bad-tile-path.indexTooLarge': {
    en: 'not a tile path: index too large',
    ko: '타일 경로가 아닙니다: 인덱스가 너무 큽니다',
  },
  'ledger.entry-too-large.bundle': {
    en: 'entry {{i}} is {{bytes}} bytes; entry bundles carry at most {{max}}',
    ko: '항목 {{i}}이(가) {{bytes}}바이트입니다. 항목 묶음에는 최대 {{max}}바이트까지 담을 수 있습니다',
  },
  'ledger.bundle-truncated.prefix': {
    en: '{{where}}: truncated length prefix of entry {{i}} at byte {{at}}',
    ko: '{{where}}: 항목 {{i}}의 길이 접두사가 {{at}}바이트 위치에서 잘렸습니다',
  },
  'ledger.bundle-truncated.entry': {
    en: '{{where}}: entry {{i}} claims {{bytes}} bytes but only {{left}} remain',
    ko: '{{where}}: 항목 {{i}}은(는) {{bytes}}바이트라고 하지만 남은 것은 {{left}}바이트뿐입니다',
  },
  'ledger.bundle-count': {
    en: '{{where}}: has {{count}} entries, expected {{expected}}',
    ko: '{{where}}: 항목이 {{count}}개입니다. {{expected}}개여야 합니다',
  },
  'ledger.tile-size': {
    en: '{{tile}} is {{bytes}} bytes, expected {{expected}}',
    ko: '{{tile}}이(가) {{bytes}}바이트입니다. {{expected}}바이트여야 합니다',
  },
  'ledger.tree-shrink': {
    en: 'tree cannot shrink from {{from}} to {{to}}',
    ko: '트리는 {{from}}에서 {{to}}(으)로 줄어들 수 없습니다',
  },
  'ledger.bad-tile-level.entries': {
    en: 'entry bundles are not made of hashes',
    ko: '항목 묶음은 해시로 이루어져 있지 않습니다',
  },
  'ledger.frontier-size': {
    en: 'frontier is for size {{got}}, not {{want}}',
    ko: '프런티어가 크기 {{want}}이(가) 아니라 {{got}}에 대한 것입니다',
  },
  'ledger.leaf-hashes': {
    en: '{{hashes}} leaf hashes for {{count}} entries',
    ko: '항목 {{count}}개에 리프 해시가 {{hashes}}개입니다',
  },
  'ledger.entry-too-large': {
    en: 'entry {{i}} is {{bytes}} bytes; at most {{max}}',
    ko: '항목 {{i}}이(가) {{bytes}}바이트입니다. 최대 {{max}}바이트입니다',
  },
  'ledger.tile-missing': { en: 'missing {{tile}}', ko: '{{tile}}이(가) 없습니다' },
  'ledger.node-not-in-tree': {
    en: 'node (level {{level}}, index {{index}}) is not a complete subtree of a tree of size {{size}}',
    ko: '노드(레벨 {{level}}, 인덱스 {{index}})는 크기 {{size}}인 트리의 완전한 부분 트리가 아닙니다',
  },
  'ledger.bad-size': {
    en: '{{what}} must be a non-negative safe integer, got {{got}}',
    ko: '{{what}}은(는) 0 이상의 안전한 정수여야 합니다. 받은 값: {{got}}',
  },
  'ledger.bad-hash-length': {
    en: '{{what}} must be a {{bytes}}-byte hash, got {{got}} bytes',
    ko: '{{what}}은(는) {{bytes}}바이트 해시여야 합니다. 받은 길이: {{got}}바이트',
  },
  'ledger.bad-hash-length.none': {
    en: '{{what}} must be a {{bytes}}-byte hash, got none bytes',
    ko: '{{what}}은(는) {{bytes}}바이트 해시여야 합니다. 해시가 없습니다',
  },
  'ledger.index-out-of-range': {
    en: 'index {{index}} is not below tree size {{size}}',
    ko: '인덱스 {{index}}이(가) 트리 크기 {{size}}보다 작지 않습니다',
  },
  'ledger.bad-consistency-sizes': {
    en: 'no consistency proof from size {{m}} to size {{n}}',
    ko: '크기 {{m}}에서 크기 {{n}}(으)로의 일관성 증명은 없습니다',
  },
  'ledger.reader-short': {
    en: 'hash reader returned {{hashes}} hashes for {{nodes}} nodes',
    ko: '해시 읽기가 노드 {{nodes}}개에 대해 해시 {{hashes}}개를 돌려주었습니다',
  },
  'ledger.index-out-of-range.leaf': {
    en: 'leaf index {{index}} is not below tree size {{size}}',
    ko: '리프 인덱스 {{index}}이(가) 트리 크기 {{size}}보다 작지 않습니다',
  },
  'ledger.inclusion-proof-too-long': {
    en: 'inclusion proof has {{hashes}} hashes, more than the path for index {{index}} in size {{size}}',
    ko: '포함 증명의 해시가 {{hashes}}개로, 크기 {{size}}에서 인덱스 {{index}}의 경로보다 많습니다',
  },
  'ledger.inclusion-proof-too-short': {
    en: 'inclusion proof has {{hashes}} hashes, fewer than the path for index {{index}} in size {{size}} needs',
    ko: '포함 증명의 해시가 {{hashes}}개로, 크기 {{size}}에서 인덱스 {{index}}의 경로에 필요한 수보다 적습니다',
  },
  'ledger.inclusion-root-mismatch': {
    en: 'inclusion proof for index {{index}} does not lead to the root of size {{size}}',
    ko: '인덱스 {{index}}의 포함 증명이 크기 {{size}}의 루트로 이어지지 않습니다',
  },
  'ledger.consistency-shrink': {
    en: 'tree shrank from {{size1}} to {{size2}}',
    ko: '트리가 {{size1}}에서 {{size2}}(으)로 줄었습니다',
  },
  'ledger.consistency-from-empty': {
    en: 'a consistency proof from the empty tree proves nothing',
    ko: '빈 트리에서 시작하는 일관성 증명은 아무것도 증명하지 않습니다',
  },
  'ledger.consistency-proof-not-empty': {
    en: 'sizes are equal ({{size1}}) but the proof has {{hashes}} hashes',
    ko: '두 크기가 같은데({{size1}}) 증명에 해시가 {{hashes}}개 있습니다',
  },
  'ledger.consistency-fork': {
    en: 'two different roots for the same size {{size1}}',
    ko: '같은 크기 {{size1}}에 서로 다른 루트가 두 개 있습니다',
  },
  'ledger.consistency-proof-empty': {
    en: 'empty consistency proof from {{size1}} to {{size2}}',
    ko: '{{size1}}에서 {{size2}}(으)로의 일관성 증명이 비어 있습니다',
  },
  'ledger.consistency-proof-too-long': {
    en: 'consistency proof from {{size1}} to {{size2}} has too many hashes ({{hashes}})',
    ko: '{{size1}}에서 {{size2}}(으)로의 일관성 증명에 해시가 너무 많습니다({{hashes}}개)',
  },
  'ledger.consistency-proof-too-short': {
    en: 'consistency proof from {{size1}} to {{size2}} has too few hashes ({{hashes}})',
    ko: '{{size1}}에서 {{size2}}(으)로의 일관성 증명에 해시가 너무 적습니다({{hashes}}개)',
  },
  'ledger.consistency-root1-mismatch': {
    en: 'consistency proof does not lead to the old root (size {{size1}})',
    ko: '일관성 증명이 이전 루트(크기 {{size1}})로 이어지지 않습니다',
  },
  'ledger.consistency-root2-mismatch': {
    en: 'consistency proof does not lead to the new root (size {{size2}})',
    ko: '일관성 증명이 새 루트(크기 {{size2}})로 이어지지 않습니다',
  },
  'ledger.bad-frontier': {
    en: 'a frontier of size {{size}} has {{want}} hashes, got {{got}}',
    ko: '크기 {{size}}의 프런티어는 해시가 {{want}}개여야 하는데 {{got}}개입니다',
  },
  'ledger.frontier-unaligned': {
    en: 'cannot append a level-{{level}} subtree at size {{size}}',
    ko: '크기 {{size}}에는 레벨 {{level}} 부분 트리를 덧붙일 수 없습니다',
  },
  'ledger.leaf-invalid.canonicalReason': {
    en: 'value cannot be canonicalised: {{reason}}',
    ko: '값을 정규 JSON으로 만들 수 없습니다: {{reason}}',
  },
  'ledger.leaf-invalid.canonical': { en: 'value cannot be canonicalised', ko: '값을 정규 JSON으로 만들 수 없습니다' },
  'ledger.leaf-invalid.refKind': {
    en: 'ref kind {{kind}} is not a lowercase slug',
    ko: '참조 종류 {{kind}}이(가) 소문자 슬러그가 아닙니다',
  },
  'ledger.leaf-invalid.pseudonymKey': {
    en: 'pseudonym key must be at least 16 bytes',
    ko: '가명 키는 최소 16바이트여야 합니다',
  },
  'ledger.leaf-invalid.time': {
    en: '{{field}} must be UTC ISO 8601 with milliseconds',
    ko: '{{field}}은(는) 밀리초까지 쓴 UTC ISO 8601 시각이어야 합니다',
  },
  'ledger.leaf-invalid.ref': {
    en: '{{field}} is not a pseudonymous reference',
    ko: '{{field}}이(가) 가명 참조가 아닙니다',
  },
  'ledger.leaf-invalid.notObject': { en: 'leaf must be a JSON object', ko: '리프는 JSON 객체여야 합니다' },
  'ledger.leaf-invalid.version': {
    en: 'unsupported leaf version {{version}}',
    ko: '지원하지 않는 리프 버전 {{version}}입니다',
  },
  'ledger.leaf-invalid.type': {
    en: 'type must be a lowercase slug such as "ai.output"',
    ko: '유형은 "ai.output"과 같은 소문자 슬러그여야 합니다',
  },
  'ledger.leaf-invalid.unexpectedField': {
    en: 'unexpected field "{{field}}" (leaves hold no free data)',
    ko: '예상하지 못한 필드 "{{field}}"입니다(리프에는 자유 데이터를 담지 않습니다)',
  },
  'ledger.leaf-invalid.missingField': { en: 'missing field "{{field}}"', ko: '필드 "{{field}}"이(가) 없습니다' },
  'ledger.leaf-invalid.erases': { en: 'erases must be a leaf index', ko: 'erases는 리프 인덱스여야 합니다' },
  'ledger.leaf-invalid.reason': { en: 'unknown erasure reason', ko: '알 수 없는 삭제 사유입니다' },
  'ledger.leaf-invalid.subjects': {
    en: 'subjects must be an array of at most {{max}} refs',
    ko: 'subjects는 참조 최대 {{max}}개의 배열이어야 합니다',
  },
  'ledger.leaf-invalid.subjectsRepeat': {
    en: 'subjects must not repeat',
    ko: 'subjects에 같은 참조가 반복되면 안 됩니다',
  },
  'ledger.leaf-invalid.payloadHash': {
    en: 'payloadHash must be 64 lowercase hex digits',
    ko: 'payloadHash는 소문자 16진수 64자리여야 합니다',
  },
  'ledger.leaf-invalid.tooLarge': {
    en: 'leaf is {{bytes}} bytes, more than {{max}}',
    ko: '리프가 {{bytes}}바이트로, 최대 {{max}}바이트를 넘습니다',
  },
  'ledger.leaf-invalid.salt': { en: 'salt must be 32 bytes', ko: '솔트는 32바이트여야 합니다' },
  'ledger.leaf-invalid.date': { en: 'time is not a valid date', ko: '시각이 올바른 날짜가 아닙니다' },
  'ledger.leaf-invalid.tombstoneBuild': {
    en: 'use buildTombstone for tombstones',
    ko: '삭제 표시(tombstone)는 buildTombstone으로 만드십시오',
  },
  'ledger.leaf-not-json': { en: 'leaf is not UTF-8 JSON', ko: '리프가 UTF-8 JSON이 아닙니다' },
  'ledger.leaf-not-canonical': {
    en: 'leaf bytes are not RFC 8785 canonical JSON',
    ko: '리프 바이트가 RFC 8785 정규 JSON이 아닙니다',
  },
  'ledger.payload-tombstone': {
    en: 'a tombstone commits to no payload',
    ko: '삭제 표시(tombstone)는 어떤 페이로드도 확약하지 않습니다',
  },
  'ledger.payload-mismatch': {
    en: 'payload and salt do not match the leaf payloadHash',
    ko: '페이로드와 솔트가 리프의 payloadHash와 맞지 않습니다',
  },
  'ledger.tombstone-order': {
    en: 'tombstone at {{index}} erases later index {{erases}}',
    ko: '{{index}}의 삭제 표시가 그보다 뒤의 인덱스 {{erases}}을(를) 지웁니다',
  },
  'ledger.tombstone-target': {
    en: 'index {{index}} is itself a tombstone',
    ko: '인덱스 {{index}}은(는) 그 자체가 삭제 표시입니다',
  },
  'ledger.tombstone-target.entry': { en: 'entry {{index}} is a tombstone', ko: '항목 {{index}}은(는) 삭제 표시입니다' },
  'ledger.index-range': {
    en: 'index {{index}} is not in a tree of size {{size}}',
    ko: '인덱스 {{index}}은(는) 크기 {{size}}인 트리에 없습니다',
  },
  'ledger.size-range': {
    en: 'need 0 < old size \u2264 new size, got {{m}} and {{n}}',
    ko: '0 < 이전 크기 ≤ 새 크기여야 합니다. 받은 값: {{m}}, {{n}}',
  },
  'ledger.tile-missing.stored': { en: 'stored tile {{tile}} missing', ko: '저장된 타일 {{tile}}이(가) 없습니다' },
  'ledger.side-table': { en: 'the log does not write table {{name}}', ko: '로그는 {{name}} 테이블에 쓰지 않습니다' },
  'ledger.side-column': { en: 'bad column name {{name}}', ko: '열 이름 {{name}}이(가) 올바르지 않습니다' },
  // --- a whole-log audit's findings (src/ledger/audit.ts; `verify log`, `log audit`) ---
  'audit.checkpointRejected': { en: 'checkpoint rejected: {{reason}}', ko: '체크포인트를 거부했습니다: {{reason}}' },
  'audit.cosignatures': { en: 'cosignatures: {{reason}}', ko: '공동 서명: {{reason}}' },
  'audit.previousRejected': {
    en: 'kept checkpoint {{i}} rejected: {{reason}}',
    ko: '보관한 체크포인트 {{i}}을(를) 거부했습니다: {{reason}}',
  },
  'audit.previousOrigin': {
    en: 'kept checkpoint {{i}} is for origin {{origin}}',
    ko: '보관한 체크포인트 {{i}}의 출처는 {{origin}}입니다',
  },
  'audit.rollback': {
    en: 'the log shrank: kept checkpoint has size {{old}}, audited one {{size}}',
    ko: '로그가 줄어들었습니다: 보관한 체크포인트의 크기는 {{old}}, 감사한 체크포인트의 크기는 {{size}}입니다',
  },
  'audit.forked': {
    en: 'two kept checkpoints of size {{size}} with different roots: the log forked',
    ko: '크기 {{size}}인 보관 체크포인트 두 개의 루트가 다릅니다: 로그가 갈라졌습니다',
  },
  'audit.tileUnreadable': { en: 'cannot read {{path}}: {{reason}}', ko: '{{path}}을(를) 읽을 수 없습니다: {{reason}}' },
  'audit.tileSize': {
    en: '{{path}} is {{bytes}} bytes, expected {{expected}}',
    ko: '{{path}}이(가) {{bytes}}바이트입니다. {{expected}}바이트여야 합니다',
  },
  'audit.tileHash': {
    en: '{{path}} hash {{position}} differs from the hash recomputed from the entries',
    ko: '{{path}}의 해시 {{position}}이(가) 항목에서 다시 계산한 해시와 다릅니다',
  },
  'audit.bundleFormat': { en: '{{path}} {{reason}}', ko: '{{path}}의 형식이 올바르지 않습니다: {{reason}}' },
  'audit.entryInvalid': { en: 'entry {{index}}: {{reason}}', ko: '항목 {{index}}: {{reason}}' },
  'audit.leafMismatch': {
    en: 'entry {{index}} does not hash to position {{position}} of {{path}}',
    ko: '항목 {{index}}의 해시가 {{path}}의 위치 {{position}}과(와) 맞지 않습니다',
  },
  'audit.stuck': {
    en: 'cannot continue past {{path}}: neither the entries nor the tile are usable',
    ko: '{{path}} 이후로 진행할 수 없습니다: 항목도 타일도 쓸 수 없습니다',
  },
  'audit.historyRewritten': {
    en: 'the root at size {{size}} recomputed from the served entries differs from the kept checkpoint of size {{size}}: history was rewritten',
    ko: '제공된 항목에서 다시 계산한 크기 {{size}}의 루트가 보관한 크기 {{size}}의 체크포인트와 다릅니다: 기록이 다시 쓰였습니다',
  },
  'audit.rootMismatch': {
    en: 'the root recomputed from the {{size}} entries ({{computed}}) differs from the signed root ({{root}})',
    ko: '항목 {{size}}개에서 다시 계산한 루트({{computed}})가 서명된 루트({{root}})와 다릅니다',
  },
  'audit.tileCorrupt': {
    en: '{{path}} position {{position}} is corrupt: entry {{index}} matches the signed root but not the tile',
    ko: '{{path}}의 위치 {{position}}이(가) 손상되었습니다: 항목 {{index}}은(는) 서명된 루트와 맞지만 타일과는 맞지 않습니다',
  },
  // --- a witness's refusals (src/ledger/cosignature.ts `witness`; `counterweight witness run`) ---
  'witness.unknownOrigin': {
    en: 'checkpoint origin {{got}} is not the followed log {{want}}',
    ko: '체크포인트의 출처 {{got}}은(는) 따라가는 로그 {{want}}이(가) 아닙니다',
  },
  'witness.stateOrigin': {
    en: 'witness state is for {{got}}, not {{want}}',
    ko: '증인 상태는 {{want}}이(가) 아니라 {{got}}에 대한 것입니다',
  },
  'witness.oldSize': {
    en: 'log says the witness last saw size {{claimed}}, but it saw {{seen}}',
    ko: '로그는 증인이 마지막으로 본 크기가 {{claimed}}라고 하지만 실제로 본 크기는 {{seen}}입니다',
  },
  'witness.rollback': {
    en: 'checkpoint size {{size}} is smaller than the size {{seen}} already cosigned',
    ko: '체크포인트 크기 {{size}}이(가) 이미 공동 서명한 크기 {{seen}}보다 작습니다',
  },
  'witness.proofNotEmpty': {
    en: 'no consistency proof is needed from size {{seen}} to {{size}}, got {{hashes}} hashes',
    ko: '크기 {{seen}}에서 {{size}}(으)로는 일관성 증명이 필요 없는데 해시 {{hashes}}개를 받았습니다',
  },
  'witness.fork': {
    en: 'two different roots for size {{size}}: the log has forked (seen {{seenRoot}}, now {{root}})',
    ko: '크기 {{size}}에 서로 다른 루트가 두 개 있습니다: 로그가 갈라졌습니다(이전 {{seenRoot}}, 현재 {{root}})',
  },
  'witness.inconsistent': {
    en: 'checkpoint {{size}} is not consistent with cosigned size {{seen}}: {{reason}}',
    ko: '체크포인트 {{size}}이(가) 공동 서명한 크기 {{seen}}과(와) 일관되지 않습니다: {{reason}}',
  },
  'cli.witness.refused': { en: 'REFUSED [{{code}}]: {{text}}', ko: '거부 [{{code}}]: {{text}}' },
  // --- the feedback-loop stress test's reasons (src/fairness/forecaster-stress.ts, src/monitor/stress-test.ts) ---
  'stress.withinReported': {
    en: 'trained on citizen-reported incidents only: allocation within {{distance}} (total variation, worst of {{seeds}} seeds) of the true crime share; tolerance {{tolerance}}',
    ko: '시민 신고 사건만으로 학습: 배치가 실제 범죄 비율과 {{distance}} 이내로 떨어져 있습니다(총변동거리, 시드 {{seeds}}개 중 최악). 허용 오차 {{tolerance}}',
  },
  'stress.withinDiscovered': {
    en: 'trained on reported and discovered incidents: allocation within {{distance}} (total variation, worst of {{seeds}} seeds) of the true crime share; tolerance {{tolerance}}',
    ko: '신고 사건과 순찰 중 발견한 사건으로 학습: 배치가 실제 범죄 비율과 {{distance}} 이내로 떨어져 있습니다(총변동거리, 시드 {{seeds}}개 중 최악). 허용 오차 {{tolerance}}',
  },
  'stress.runaway': {
    en: 'learning from discovered incidents drifts to {{distance}} from the truth: the model feeds on its own patrols',
    ko: '순찰 중 발견한 사건으로 학습하면 실제와의 차이가 {{distance}}까지 벌어집니다. 모델이 자기 순찰 결과로 스스로를 강화합니다',
  },
  'stress.discoveredWithin': {
    en: 'learning from discovered incidents stays within tolerance ({{distance}})',
    ko: '순찰 중 발견한 사건으로 학습해도 허용 오차 이내에 머뭅니다({{distance}})',
  },
  'stress.groupsWithin': {
    en: "trained on citizen reports, every estimable group's exposure share stays within [{{lo}}, {{hi}}] of its share of citizen-reported victimization",
    ko: '시민 신고로 학습하면 추정할 수 있는 모든 집단의 노출 비율이 시민 신고 피해 비율 대비 [{{lo}}, {{hi}}] 범위 안에 있습니다',
  },
  'stress.groupsOutside': {
    en: 'trained on citizen reports, groups outside [{{lo}}, {{hi}}]: {{groups}}',
    ko: '시민 신고로 학습하면 [{{lo}}, {{hi}}] 범위를 벗어나는 집단: {{groups}}',
  },
  'stress.discoveredGroupsOutside': {
    en: 'learning from discovered incidents puts groups outside the band: {{groups}}',
    ko: '순찰 중 발견한 사건으로 학습하면 범위를 벗어나는 집단: {{groups}}',
  },
  'stress.smallGroupRule': {
    en: 'small-group rule: at least {{residents}} residents and {{reports}} attributed citizen reports',
    ko: '소집단 규칙: 주민 {{residents}}명 이상, 집단에 귀속된 시민 신고 {{reports}}건 이상',
  },
  'stress.smallGroupRuleNoVerdict': {
    en: 'small-group rule: at least {{residents}} residents and {{reports}} attributed citizen reports; no verdict for {{groups}}',
    ko: '소집단 규칙: 주민 {{residents}}명 이상, 집단에 귀속된 시민 신고 {{reports}}건 이상. 판정하지 않은 집단: {{groups}}',
  },
  'stress.noLayer': {
    en: 'no areas layer: no resident group was assessed (import an areas layer with a demographics declaration)',
    ko: '구역 레이어가 없어 어떤 주민 집단도 평가하지 않았습니다(인구 구성 선언이 있는 구역 레이어를 가져오십시오)',
  },
  // A text with no translation (stored by an older version before it was coded, or a library's own words): shown as written, marked as such in Korean.
  'stored.text': { en: '{{text}}', ko: '{{text}}(원문)' },
  // A family that describes itself in a plain string: shown as written, marked as such in Korean.
  'model.other': { en: '{{name}}', ko: '{{name}}(원문)' },
} as const satisfies Record<string, { en: string; ko: string }>;

export type MessageCode = keyof typeof MESSAGES;
export type Lang = 'en' | 'ko';
/** A parameter is a value, or a list of messages rendered in the reader's language and joined by '; '. */
export type MessageParams = Record<string, string | number | readonly Message[]>;
export const LANGS: readonly Lang[] = ['en', 'ko'];

/** A message to show a person: a stable code and its parameters. */
export interface Message {
  code: MessageCode;
  params?: MessageParams;
}

/** A message; its `code` keeps its literal type, so a caller may require codes of one area (e.g. `ledger.*`). */
export function msg<C extends MessageCode>(code: C, params?: MessageParams): Message & { code: C } {
  return { code, params };
}

export function isMessage(x: unknown): x is Message {
  return (
    typeof x === 'object' && x !== null && typeof (x as Message).code === 'string' && (x as Message).code in MESSAGES
  );
}

/**
 * A message read back from storage: stored as code and parameters, or, by an older version, as an English
 * sentence (shown as written through `stored.text`). Reads both shapes, so old records still display.
 */
export function storedMessage(r: unknown): Message {
  return isMessage(r) ? r : msg('stored.text', { text: typeof r === 'string' ? r : JSON.stringify(r) });
}

/** The message in `lang`, placeholders filled (a missing parameter stays visible as `{{name}}`). */
export function render(m: Message, lang: Lang = 'en'): string {
  const text: string = MESSAGES[m.code][lang];
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    if (!m.params || !(name in m.params)) return whole;
    const v = m.params[name];
    return Array.isArray(v) ? v.map((x: Message) => render(x, lang)).join('; ') : String(v);
  });
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

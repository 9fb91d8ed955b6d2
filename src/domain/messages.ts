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
  return (
    typeof x === 'object' && x !== null && typeof (x as Message).code === 'string' && (x as Message).code in MESSAGES
  );
}

/** The message in `lang`, placeholders filled (a missing parameter stays visible as `{{name}}`). */
export function render(m: Message, lang: Lang = 'en'): string {
  const text: string = MESSAGES[m.code][lang];
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    m.params && name in m.params ? String(m.params[name]) : whole,
  );
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

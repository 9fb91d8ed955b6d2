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
  'register.responseRequired': { en: 'the answer or acknowledgement, published with the comment', ko: '의견과 함께 공개되는 답변 또는 접수 확인 내용' },
  'register.responseMissing': { en: 'a response is required', ko: '답변 내용이 필요합니다' },
  'register.notPublic': { en: 'no AI system {{systemId}} (version {{version}}) in the public register', ko: '공개 등록부에 AI 시스템 {{systemId}}(버전 {{version}})이(가) 없습니다' },
  'register.classification.notAnswered': { en: 'the classification questions for this version have not been answered', ko: '이 버전의 법적 분류 질문에 아직 답하지 않았습니다' },
  'register.classification.unanswered': { en: '{{count}} classification question(s) for the declared output kinds are unanswered', ko: '선언한 출력 유형에 대한 법적 분류 질문 {{count}}개에 답하지 않았습니다' },
  'register.classification.expectedYesNo': { en: 'true or false: {{question}}', ko: 'true 또는 false: {{question}}' },
  'register.classification.unknownQuestion': { en: 'a question asked for one of the declared output kinds ({{kinds}})', ko: '선언한 출력 유형({{kinds}})에 대해 묻는 질문' },
  'register.classification.ownerCannotConfirm': { en: 'the owner of a system cannot confirm its legal classification (separation of duties)', ko: '시스템 소유자는 자신의 시스템의 법적 분류를 확정할 수 없습니다(직무 분리)' },
  'register.classification.onlyOwnerAnswers': { en: 'only the system\'s owner answers its classification questions', ko: '법적 분류 질문에는 시스템 소유자만 답할 수 있습니다' },
  'register.classification.notConfirmed': { en: 'the legal classification of this version has not been confirmed by oversight', ko: '이 버전의 법적 분류가 감독 기관의 확정을 받지 않았습니다' },
  'register.classification.stale': { en: 'the record changed after its classification was answered; answer the classification questions again', ko: '분류 질문에 답한 뒤 기록이 바뀌었습니다. 분류 질문에 다시 답하십시오' },
  'register.classification.frozen': { en: 'version {{version}} is {{state}}; its classification can no longer change', ko: '{{version}} 버전은 {{state}} 상태이므로 법적 분류를 더 이상 바꿀 수 없습니다' },
  'register.classification.alreadyConfirmed': { en: 'this classification was already confirmed', ko: '이 법적 분류는 이미 확정되었습니다' },
  'register.classification.q.cctvAnalysesPeople': { en: 'Does it analyse people\'s faces, gait, body movements or behaviour?', ko: '사람의 얼굴, 걸음걸이, 몸의 움직임이나 행동을 분석합니까?' },
  'register.classification.q.cctvIdentifiesPeople': { en: 'Does it identify who a person is (matching a face, gait or other body trait against a list or database)?', ko: '얼굴, 걸음걸이 등 신체 특징을 명단이나 데이터베이스와 대조해 그 사람이 누구인지 식별합니까?' },
  'register.classification.q.cctvRealTime': { en: 'Does it work in real time (live or near-live video, not footage reviewed later)?', ko: '실시간으로 작동합니까(나중에 보는 녹화 영상이 아니라 실시간 또는 거의 실시간 영상)?' },
  'register.classification.q.cctvPublicSpaces': { en: 'Does it watch publicly accessible spaces (streets, squares, stations, shops)?', ko: '거리, 광장, 역, 상점처럼 누구나 드나드는 공간을 촬영합니까?' },
  'register.classification.q.cctvInfersEmotionOrIntent': { en: 'Does it flag people as aggressive, suspicious or abnormal, or otherwise infer what they feel or intend from how they look or move?', ko: '사람을 공격적이거나 수상하거나 이상하다고 표시하는 등, 겉모습이나 움직임으로 감정이나 의도를 추론합니까?' },
  'register.classification.q.cctvInfersSensitiveAttributes': { en: 'Does it sort people by race, religion, political opinion, trade-union membership, sex life or sexual orientation inferred from their images?', ko: '영상으로 추론한 인종, 종교, 정치적 견해, 노동조합 가입, 성생활이나 성적 지향에 따라 사람을 분류합니까?' },
  'register.classification.q.crowdSinglesOutPeople': { en: 'Does it single out or follow individual people, rather than only estimating how many there are?', ko: '사람 수만 추정하는 것이 아니라 특정 개인을 골라내거나 추적합니까?' },
  'register.classification.q.crowdUsesBiometrics': { en: 'Does it use faces, gait or other body features of the people it counts?', ko: '집계하는 사람들의 얼굴, 걸음걸이 등 신체 특징을 사용합니까?' },
  'register.classification.q.stalkingAssessesVictimRisk': { en: 'Does it estimate the risk that the protected person will be harmed?', ko: '보호 대상자가 피해를 입을 위험을 추정합니까?' },
  'register.classification.q.riskScoresIndividuals': { en: 'Does it score the risk that an individual person offends or re-offends?', ko: '개인이 범죄를 저지르거나 재범할 위험을 점수로 매깁니까?' },
  'register.classification.q.riskSolelyProfiling': { en: 'Is that score based solely on profiling or personality traits, without verifiable facts directly linked to a criminal activity?', ko: '그 점수가 범죄 행위와 직접 관련된 검증 가능한 사실 없이 프로파일링이나 성격 특성만으로 산출됩니까?' },
  'register.classification.q.riskProfilesInInvestigation': { en: 'Is it used to profile people while detecting, investigating or prosecuting crime?', ko: '범죄의 적발, 수사 또는 기소 과정에서 사람을 프로파일링하는 데 쓰입니까?' },
  'register.classification.q.patrolNamesIndividuals': { en: 'Does it name, score or track individual people, rather than only places and times?', ko: '장소와 시간만이 아니라 특정 개인을 지목하거나 점수를 매기거나 추적합니까?' },
  'register.classification.q.otherUsesBiometrics': { en: 'Does it analyse biometric data (face, fingerprint, iris, voice, gait) of people?', ko: '사람의 생체정보(얼굴, 지문, 홍채, 목소리, 걸음걸이)를 분석합니까?' },
  'register.classification.q.otherJudgesIndividuals': { en: 'Does it make or support judgments about individual people that significantly affect their rights or duties?', ko: '개인의 권리나 의무에 중대한 영향을 미치는 판단을 하거나 그 판단을 돕습니까?' },
  'register.classification.reason.euProfilingOnly': { en: 'predicts the risk that a person commits an offence based solely on profiling or personality traits', ko: '프로파일링이나 성격 특성만으로 개인의 범죄 위험을 예측합니다' },
  'register.classification.reason.euFaceScraping': { en: 'builds facial-recognition databases by untargeted scraping of images', ko: '이미지를 무차별 수집해 얼굴인식 데이터베이스를 구축합니다' },
  'register.classification.reason.euSensitiveCategorisation': { en: 'categorises people by biometric data to infer sensitive attributes such as race or beliefs', ko: '생체정보로 사람을 분류해 인종이나 신념 같은 민감한 속성을 추론합니다' },
  'register.classification.reason.euRealTimeRbi': { en: 'real-time remote biometric identification in public spaces for law enforcement: prohibited unless strictly necessary for listed objectives and authorised in advance', ko: '법 집행을 위한 공개 장소의 실시간 원격 생체 식별: 열거된 목적에 꼭 필요하고 사전 승인을 받은 경우 외에는 금지됩니다' },
  'register.classification.reason.euRemoteBiometricId': { en: 'remote biometric identification', ko: '원격 생체 식별을 합니다' },
  'register.classification.reason.euEmotionRecognition': { en: 'emotion recognition: infers people\'s emotions or intentions from their biometric (bodily or behavioural) data', ko: '감정 인식: 신체적·행동적 생체정보로 사람의 감정이나 의도를 추론합니다' },
  'register.classification.reason.euVictimRisk': { en: 'assesses the risk of a person becoming a victim of crime', ko: '개인이 범죄 피해자가 될 위험을 평가합니다' },
  'register.classification.reason.euEvidenceReliability': { en: 'evaluates the reliability of evidence', ko: '증거의 신빙성을 평가합니다' },
  'register.classification.reason.euOffendingRisk': { en: 'assesses the risk of a person offending or re-offending, not solely on profiling', ko: '프로파일링만이 아닌 근거로 개인의 범죄 또는 재범 위험을 평가합니다' },
  'register.classification.reason.euProfilingInInvestigation': { en: 'profiles people in the detection, investigation or prosecution of crime', ko: '범죄의 적발, 수사 또는 기소 과정에서 사람을 프로파일링합니다' },
  'register.classification.reason.euBehaviourProfiling': { en: 'analyses individual people\'s faces, gait or behaviour from video to flag them to police: profiling in the detection of crime', ko: '영상에서 개인의 얼굴, 걸음걸이나 행동을 분석해 경찰에 알립니다: 범죄 적발 과정의 프로파일링입니다' },
  'register.classification.reason.euPlaceBased': { en: 'place-based crime forecasting about areas, not people, is not listed in Annex III; Counterweight still applies its impact-level controls', ko: '사람이 아닌 지역에 대한 장소 기반 범죄 예측은 부속서 III에 없습니다. 그래도 Counterweight는 영향 등급별 통제를 적용합니다' },
  'register.classification.reason.euNothingListed': { en: 'no prohibited practice or Annex III use follows from the answers and the record', ko: '답변과 기록에서 금지된 관행이나 부속서 III의 용도가 나타나지 않습니다' },
  'register.classification.reason.krBiometric': { en: 'analyses biometric information (physical, physiological or behavioural features) in criminal investigation or arrest', ko: '범죄 수사나 체포 업무를 위해 생체인식정보(신체적·생리적·행동적 특징)를 분석·활용합니다' },
  'register.classification.reason.krJudgesIndividuals': { en: 'a judgment or evaluation about individuals that significantly affects their rights and duties', ko: '개인의 권리·의무 관계에 중대한 영향을 미치는 판단 또는 평가를 합니다' },
  'register.classification.reason.krPatrolByPolicy': { en: 'patrol guidance directs police presence, which can affect fundamental rights of residents; treated as high-impact by policy until the Enforcement Decree says otherwise', ko: '순찰 안내는 경찰력 배치를 좌우해 주민의 기본권에 영향을 줄 수 있으므로, 시행령이 달리 정할 때까지 정책상 고영향으로 취급합니다' },
  'register.classification.reason.krNothingListed': { en: 'no listed high-impact area follows from the answers and the record', ko: '답변과 기록에서 법이 정한 고영향 영역이 나타나지 않습니다' },

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

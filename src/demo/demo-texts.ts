/**
 * What the demo organisations say: people, systems, records, assessments, alerts and releases, in English
 * for the Chicago demo and in Korean for the Seoul demo. Everything is marked "[Demo]" / "[데모]"; the
 * vendor is fictional. Assessment answers are the owner's answers to config/questionnaires/human-rights-v1.json
 * (the server scores them): the two live systems come out at level I, so policy allows them to go live
 * without a comment period (config/consultation.json); the loitering detector scores level II and is
 * under a 30-day consultation.
 */
import type { Role } from '../domain/roles';

export interface DemoSystem {
  name: string;
  record: Record<string, unknown>;
  /** Classification question ids answered yes (the rest no). */
  classificationYes: string[];
  assessment: Record<string, unknown>;
  consultationReason: string;
  classificationReason: string;
  approvalReason: string;
  goLiveReason: string;
  modelCard: Record<string, unknown>;
}

export interface DemoOrganisation {
  unit: string;
  people: { username: string; displayName: string; roles: Role[]; inUnit: boolean }[];
  cctvSource: Record<string, unknown>;
  forecaster: DemoSystem;
  vendorLive: DemoSystem;
  vendorKeyName: string;
  consultation: DemoSystem;
  trainingCourse: string;
  alerts: {
    place: { lon: number; lat: number };
    output: Record<string, string | number>;
    confidence: number;
    explanation: { summary: string; factors: { name: string; weight?: number; detail?: string }[] };
  }[];
  /** Patrol guidance on the demo's incidents (none for a demo without incident points). */
  forecast?: {
    asOf: string;
    cell: string;
    hotspotArea: string;
    maxArea: string;
    model: string;
    cells: number;
    shifts: [string, string][];
    auditPeriod: [string, string];
    approvalReason: string;
  };
  releases: { epsilonPerTable: number; tables: string[]; period?: { from: string; to: string } }[];
}

/** Answers: every mitigation in place (yes), impacts as listed; the rest no / the lightest option. */
function answers(impacts: Record<string, unknown>, withoutMitigation: string[] = []): Record<string, unknown> {
  const mitigations = [
    'privacy-minimisation',
    'privacy-access-log',
    'equality-audit',
    'equality-auto-pause',
    'due-corroboration',
    'due-contest',
    'due-explanation',
    'assembly-exclusion',
    'vulnerable-consulted',
    'reversibility-human',
    'reversibility-redress',
    'scale-public-register',
  ];
  const noImpact: Record<string, unknown> = {
    'privacy-non-suspects': 'no',
    'privacy-biometric': 'no',
    'privacy-linkage': 'no',
    'equality-enforcement-data': 'no',
    'equality-proxies': 'no',
    'equality-feedback': 'no',
    'due-subject': 'places',
    'due-enforcement': 'no',
    'assembly-crowds': 'no',
    'assembly-chilling': 'no',
    'vulnerable-affected': [],
    'reversibility-effect': 'reversible',
    'scale-people': 'few',
    'scale-automation': 'advice',
  };
  return {
    ...noImpact,
    ...Object.fromEntries(mitigations.map((m) => [m, withoutMitigation.includes(m) ? 'no' : 'yes'])),
    ...impacts,
  };
}

// The forecaster: places not people, citizen-reported data only, advisory; the honest impacts are location as a
// proxy, the feedback loop, city-wide scale and people in poverty living where patrols go.
const FORECASTER_ANSWERS = answers({
  'equality-proxies': 'yes',
  'equality-feedback': 'yes',
  'vulnerable-affected': ['poverty'],
  'scale-people': 'city',
});
// Intrusion detection at closed municipal sites after hours: people who are not suspects are filmed; a person is flagged for triage.
const INTRUSION_ANSWERS = answers({
  'privacy-non-suspects': 'yes',
  'due-subject': 'people',
  'scale-automation': 'triage',
});
// Loitering detection in public squares: people, public space, chilling effect, people sleeping rough; not yet consulted.
const LOITERING_ANSWERS = answers(
  {
    'privacy-non-suspects': 'yes',
    'equality-proxies': 'yes',
    'due-subject': 'people',
    'assembly-crowds': 'yes',
    'assembly-chilling': 'yes',
    'vulnerable-affected': ['poverty', 'children'],
    'scale-people': 'many',
    'scale-automation': 'triage',
  },
  ['vulnerable-consulted'],
);

const MISSION_OUTPUT = {
  kinds: ['patrol-mission'],
  fields: { missionId: 'string', forecastRunId: 'string', shift: 'object', cells: 'array', tactics: 'array' },
  required: ['missionId', 'cells'],
};
const CCTV_OUTPUT = {
  kinds: ['cctv-detection'],
  fields: { camera: 'string', zone: 'string', detection: 'string', score: 'number' },
  required: ['camera', 'detection'],
};

const chicago: DemoOrganisation = {
  unit: 'demo-district-11',
  people: [
    { username: 'demo-admin', displayName: '[Demo] Administrator', roles: ['admin'], inUnit: false },
    { username: 'demo-analyst', displayName: '[Demo] Crime analyst', roles: ['analyst'], inUnit: true },
    { username: 'demo-supervisor', displayName: '[Demo] Patrol sergeant', roles: ['supervisor'], inUnit: true },
    { username: 'demo-officer', displayName: '[Demo] Patrol officer', roles: ['officer'], inUnit: true },
    { username: 'demo-owner', displayName: '[Demo] System owner', roles: ['system-owner'], inUnit: false },
    { username: 'demo-oversight', displayName: '[Demo] Oversight officer', roles: ['oversight'], inUnit: false },
    {
      username: 'demo-oversight-2',
      displayName: '[Demo] Second oversight officer',
      roles: ['oversight'],
      inUnit: false,
    },
    { username: 'demo-auditor', displayName: '[Demo] External auditor', roles: ['auditor'], inUnit: false },
  ],
  cctvSource: {
    id: 'demo-city-cctv',
    name: '[Demo] City camera network (fictional)',
    provenance:
      "Fixed cameras of the city's public buildings and squares, analysed by the vendor's software on the city's servers (fictional, for the demo)",
    collectingBody: '[Demo] City facilities department',
    legalBasis: 'Municipal video surveillance ordinance (fictional, for the demo)',
    consentStatus: 'not applicable: public task, signs at every camera',
    personalDataCategories: ['video of people in view', 'vendor track references'],
    purposes: ['crime-analysis', 'alert-review'],
    retentionDays: 30,
    sharingAgreements: [],
  },
  forecaster: {
    name: '[Demo] Patrol forecaster (Counterweight)',
    record: {
      purpose:
        'Forecast where citizen-reported crime is likely in the next week and propose patrol missions for the district',
      intendedUse: 'Advisory patrol missions: a supervisor approves every plan and an officer reviews every mission',
      prohibitedUses: ['Sole basis for a stop, search or arrest', 'Targeting individuals or groups of people'],
      legalBasis: [
        {
          title: '[Demo] Police department general order on patrol deployment (fictional)',
          url: 'https://example.org/demo/patrol-order',
        },
      ],
      deployingUnit: '[Demo] District 11 patrol',
      provider: { name: 'Counterweight (in-house, open source)', procurementRoute: 'open source, no procurement' },
      supervisorId: 'demo-supervisor',
      dataSources: [
        {
          name: 'City of Chicago reported crimes',
          provenance: 'City of Chicago data portal sample, 2017–2019 (demo/chicago/ORIGIN.md)',
          legalBasis: 'Public records (open data)',
          consent: 'not applicable (public task)',
          sourceId: 'chicago-data-portal',
        },
      ],
      usePurpose: 'patrol-forecasting',
      personalData: { categories: ['incident locations (block level)'], retentionDays: 730 },
      model: {
        method:
          'Quartic kernel density of citizen-reported incidents (1,000 ft bandwidth, 60-day half-life) on a 500 ft grid',
        trainingData: 'Citizen-reported incidents before the forecast date (officer-initiated records excluded)',
        evaluation: 'Rolling-origin backtests: hit rate, PAI and PEI with bootstrap intervals',
        limitations: ['Reported crime is not all crime', 'Sample data: 25,000 incidents of 2017–2019'],
      },
      humanOversight: 'A supervisor approves every mission plan; the officer records what was done and why',
      notificationAndContest: 'Public register, published audits and a complaint form',
      externalSharing: ['none'],
      training: { course: '[Demo] Advisory AI in patrol', validityDays: 365 },
      monitoringPlan: 'Place audits of released missions; disparity and drift monitors with automatic pause',
      outputSchema: MISSION_OUTPUT,
      placeBasedForecasting: true,
    },
    classificationYes: [],
    assessment: FORECASTER_ANSWERS,
    consultationReason: 'Publish the record (impact level I: no comment period required)',
    classificationReason: 'Place-based forecast about areas; checked against the record and the model card',
    approvalReason: 'Level I; stress test passed; purpose and sources checked',
    goLiveReason: 'Live for the demo district after approval',
    modelCard: {
      model: {
        name: '[Demo] Patrol forecaster',
        version: '1',
        method: 'Quartic kernel density estimate of citizen-reported incidents',
      },
      intendedUse: 'Weekly patrol guidance, advisory only',
      outOfScopeUses: ['Grounds for a stop, search or arrest', 'Predictions about individual people'],
      data: {
        description:
          'City of Chicago reported crimes sample 2017–2019 (25,000 incidents); officer-initiated records excluded',
      },
      metrics: [
        {
          name: '[Demo] PAI, 7-day window (illustrative, not measured)',
          value: 2,
          dataset: 'none: run a backtest on the Forecast page for measured figures',
        },
      ],
      limitations: ['Reported crime is not all crime', 'Forecasts places, never people', 'Sample data for the demo'],
    },
  },
  vendorLive: {
    name: '[Demo] CCTV intrusion detector (Example Vision, fictional vendor)',
    record: {
      purpose: 'Flag a person entering a closed municipal site (schools, depots) after hours so an officer can check',
      intendedUse: 'Prompt alerts to the officer on shift, who looks at the footage and decides',
      prohibitedUses: [
        'Identifying who a person is',
        'Sole basis for a stop, search or arrest',
        'Use in public streets or squares',
      ],
      legalBasis: [
        {
          title: '[Demo] Municipal video surveillance ordinance (fictional)',
          url: 'https://example.org/demo/cctv-ordinance',
        },
      ],
      deployingUnit: '[Demo] District 11 patrol',
      provider: { name: 'Example Vision Ltd. (fictional vendor)', procurementRoute: '[Demo] open tender (fictional)' },
      supervisorId: 'demo-supervisor',
      dataSources: [
        {
          name: '[Demo] City camera network',
          provenance: 'Fixed cameras at closed municipal sites',
          legalBasis: 'Municipal video surveillance ordinance',
          consent: 'not applicable (public task), signs at every camera',
          sourceId: 'demo-city-cctv',
        },
      ],
      usePurpose: 'crime-analysis',
      personalData: { categories: ['video of people in view', 'vendor track references'], retentionDays: 30 },
      model: {
        method: 'Vendor person detector on video frames within a drawn site boundary',
        trainingData: "Vendor's proprietary footage (not disclosed)",
        evaluation: "Vendor's site acceptance test; false alarms counted from officers' decisions",
        limitations: ['Rain and night reduce accuracy', 'Animals may trigger alerts'],
      },
      humanOversight: 'Every alert is reviewed by the officer on shift, who records the decision and why',
      notificationAndContest: 'Signs at every camera; public register; complaint form',
      externalSharing: ['none'],
      training: { course: '[Demo] Reviewing CCTV alerts', validityDays: 365 },
      monitoringPlan: 'Override rate and response-time monitors with automatic pause',
      outputSchema: CCTV_OUTPUT,
    },
    classificationYes: ['cctv-detection.analysesPeople', 'cctv-detection.realTime'],
    assessment: INTRUSION_ANSWERS,
    consultationReason: 'Publish the record (impact level I: no comment period required)',
    classificationReason: "Detects a person's presence at closed sites only; no identification, no public spaces",
    approvalReason: 'Level I; closed sites only; every alert reviewed by a person',
    goLiveReason: "Live at the demo district's closed sites",
    modelCard: {
      model: {
        name: '[Demo] Example Vision intrusion detector (fictional)',
        version: '1',
        method: 'Vendor person detector (proprietary)',
      },
      intendedUse: 'After-hours intrusion alerts at closed municipal sites',
      data: { description: "Vendor's proprietary footage (not disclosed; fictional vendor)" },
      metrics: [
        {
          name: '[Demo] alerts confirmed by officers (fictional figure)',
          value: 0.7,
          dataset: 'fictional site acceptance test',
        },
      ],
      limitations: ['Rain and night reduce accuracy', 'Animals may trigger alerts'],
    },
  },
  vendorKeyName: 'demo Example Vision intrusion detector',
  consultation: {
    name: '[Demo] CCTV loitering detector (Example Vision, fictional vendor)',
    record: {
      purpose: 'Flag people who stay in a public square or station entrance for longer than a set time',
      intendedUse: 'Prompt alerts to the officer on shift, who decides whether anything needs doing',
      prohibitedUses: [
        'Identifying who a person is',
        'Moving on people who are sleeping rough',
        'Monitoring gatherings or protests',
      ],
      legalBasis: [
        {
          title: '[Demo] Municipal video surveillance ordinance (fictional)',
          url: 'https://example.org/demo/cctv-ordinance',
        },
      ],
      deployingUnit: '[Demo] District 11 patrol',
      provider: { name: 'Example Vision Ltd. (fictional vendor)', procurementRoute: '[Demo] open tender (fictional)' },
      supervisorId: 'demo-supervisor',
      dataSources: [
        {
          name: '[Demo] City camera network',
          provenance: 'Fixed cameras in public squares and station entrances',
          legalBasis: 'Municipal video surveillance ordinance',
          consent: 'not applicable (public task), signs at every camera',
          sourceId: 'demo-city-cctv',
        },
      ],
      usePurpose: 'crime-analysis',
      personalData: {
        categories: ['video of people in view', 'vendor track references', 'time spent in view'],
        retentionDays: 30,
      },
      model: {
        method: 'Vendor person tracker with a dwell-time rule',
        trainingData: "Vendor's proprietary footage (not disclosed)",
        evaluation: 'To be shown in the consultation: false alarms by place and time of day',
        limitations: ['Cannot tell waiting from loitering', 'May fall hardest on people without a home'],
      },
      humanOversight: 'Every alert is reviewed by the officer on shift',
      notificationAndContest: 'Signs at every camera; public register; complaint form',
      externalSharing: ['none'],
      training: { course: '[Demo] Reviewing CCTV alerts', validityDays: 365 },
      monitoringPlan: 'Disparity by place and override-rate monitors with automatic pause',
      outputSchema: CCTV_OUTPUT,
    },
    classificationYes: [
      'cctv-detection.analysesPeople',
      'cctv-detection.realTime',
      'cctv-detection.publicSpaces',
      'cctv-detection.infersEmotionOrIntent',
    ],
    assessment: LOITERING_ANSWERS,
    consultationReason: 'Open for public comment before any decision: public spaces, people who are not suspects',
    classificationReason: '',
    approvalReason: '',
    goLiveReason: '',
    modelCard: {},
  },
  trainingCourse: '[Demo] Advisory AI and reviewing alerts',
  alerts: [
    {
      place: { lon: -87.7205, lat: 41.8741 },
      output: {
        camera: 'CAM-0412',
        zone: 'School yard (closed)',
        detection: 'person in closed area after hours',
        score: 0.91,
      },
      confidence: 0.91,
      explanation: {
        summary: 'A person was detected inside the school yard boundary after closing time.',
        factors: [
          { name: 'person detector', weight: 0.91, detail: '14 consecutive frames' },
          { name: 'site schedule', detail: 'closed 18:00–07:00' },
        ],
      },
    },
    {
      place: { lon: -87.7311, lat: 41.8812 },
      output: {
        camera: 'CAM-0377',
        zone: 'Bus depot yard (closed)',
        detection: 'person in closed area after hours',
        score: 0.74,
      },
      confidence: 0.74,
      explanation: {
        summary: 'A person was detected near the parked buses after the depot closed.',
        factors: [{ name: 'person detector', weight: 0.74, detail: '6 consecutive frames, low light' }],
      },
    },
    {
      place: { lon: -87.7102, lat: 41.869 },
      output: {
        camera: 'CAM-0405',
        zone: 'Park district storage (closed)',
        detection: 'person at the fence line',
        score: 0.58,
      },
      confidence: 0.58,
      explanation: {
        summary: 'A figure was detected at the storage fence; it may be a passer-by outside the boundary.',
        factors: [{ name: 'person detector', weight: 0.58, detail: 'partly outside the drawn boundary' }],
      },
    },
  ],
  forecast: {
    asOf: '2019-09-16',
    cell: '500ft',
    hotspotArea: '0.25sqmi',
    maxArea: '0.75sqmi',
    model: 'kde:quartic:1000ft:60',
    cells: 10,
    shifts: [
      ['2019-09-16T13:00:00Z', '2019-09-16T21:00:00Z'],
      ['2019-09-17T13:00:00Z', '2019-09-17T21:00:00Z'],
    ],
    auditPeriod: ['2019-09-16', '2019-09-23'],
    approvalReason: "Cells checked against the week's events; visible presence only",
  },
  releases: [
    { epsilonPerTable: 0.5, tables: ['incidents-by-area-month-origin'], period: { from: '2019-01', to: '2019-09' } },
    { epsilonPerTable: 0.5, tables: ['incidents-by-area-month-origin'], period: { from: '2018-01', to: '2018-12' } },
  ],
};

const seoul: DemoOrganisation = {
  unit: 'demo-jongno',
  people: [
    { username: 'demo-admin', displayName: '[데모] 시스템 관리자', roles: ['admin'], inUnit: false },
    { username: 'demo-analyst', displayName: '[데모] 범죄분석관', roles: ['analyst'], inUnit: true },
    { username: 'demo-supervisor', displayName: '[데모] 순찰팀장', roles: ['supervisor'], inUnit: true },
    { username: 'demo-officer', displayName: '[데모] 순찰 경찰관', roles: ['officer'], inUnit: true },
    { username: 'demo-owner', displayName: '[데모] 시스템 책임자', roles: ['system-owner'], inUnit: false },
    { username: 'demo-oversight', displayName: '[데모] 감독관', roles: ['oversight'], inUnit: false },
    { username: 'demo-oversight-2', displayName: '[데모] 제2 감독관', roles: ['oversight'], inUnit: false },
    { username: 'demo-auditor', displayName: '[데모] 외부 감사인', roles: ['auditor'], inUnit: false },
  ],
  cctvSource: {
    id: 'demo-city-cctv',
    name: '[데모] 구청 CCTV 관제망 (가상)',
    provenance: '공공시설과 광장의 고정 CCTV 영상을 업체 소프트웨어가 구청 서버에서 분석 (데모용 가상 자료)',
    collectingBody: '[데모] 구청 안전관제센터',
    legalBasis: '개인정보 보호법 제25조 (공개된 장소의 영상정보처리기기 설치·운영) — 데모용 가상 설치 근거',
    consentStatus: '해당 없음: 공공 업무, 카메라마다 안내판 설치',
    personalDataCategories: ['촬영된 사람의 영상', '업체 추적 식별자'],
    purposes: ['crime-analysis', 'alert-review'],
    retentionDays: 30,
    sharingAgreements: [],
  },
  forecaster: {
    name: '[데모] 순찰 예측 (Counterweight)',
    record: {
      purpose: '다음 주에 시민 신고 범죄가 일어날 가능성이 높은 곳을 예측하고 순찰 임무를 제안',
      intendedUse: '권고용 순찰 임무: 팀장이 모든 계획을 승인하고 경찰관이 모든 임무를 검토',
      prohibitedUses: ['불심검문·수색·체포의 유일한 근거로 사용', '특정 개인이나 집단을 겨냥'],
      legalBasis: [
        { title: '경찰관 직무집행법 제2조 (직무의 범위)', url: 'https://www.law.go.kr/법령/경찰관직무집행법' },
      ],
      deployingUnit: '[데모] 종로 순찰팀',
      provider: { name: 'Counterweight (자체 개발, 오픈 소스)', procurementRoute: '오픈 소스, 조달 없음' },
      supervisorId: 'demo-supervisor',
      dataSources: [
        {
          name: '서울 열린데이터광장 자치구 인구·CCTV, 통계청 경계',
          provenance: 'demo/seoul/ORIGIN.md',
          legalBasis: '공공누리 제1유형',
          consent: '해당 없음 (집계 통계)',
          sourceId: 'seoul-open-data',
        },
      ],
      usePurpose: 'patrol-forecasting',
      personalData: { categories: ['없음 (자치구 집계 자료)'], retentionDays: 730 },
      model: {
        method: '시민 신고 사건의 사차 커널 밀도 추정 (UTM-K 격자)',
        trainingData: '예측일 이전의 시민 신고 사건 (경찰 단속 기록 제외)',
        evaluation: '롤링 백테스트: 적중률, PAI, PEI와 부트스트랩 신뢰구간',
        limitations: [
          '서울은 사건 지점 자료를 공개하지 않아, 기관이 112 신고 자료를 가져오기 전에는 예측할 수 없음',
          '신고된 범죄가 모든 범죄는 아님',
        ],
      },
      humanOversight: '팀장이 모든 순찰 계획을 승인하고, 경찰관이 한 일과 이유를 기록',
      notificationAndContest: '공개 등록부, 공개 감사 보고서, 민원 창구',
      externalSharing: ['없음'],
      training: { course: '[데모] 순찰 권고 AI 교육', validityDays: 365 },
      monitoringPlan: '배포된 임무의 장소 감사, 격차·드리프트 모니터와 자동 중지',
      outputSchema: MISSION_OUTPUT,
      placeBasedForecasting: true,
    },
    classificationYes: [],
    assessment: FORECASTER_ANSWERS,
    consultationReason: '기록 공개 (영향 등급 I: 의견 수렴 기간 불요)',
    classificationReason: '사람이 아닌 지역에 대한 예측임을 기록과 모델 카드로 확인',
    approvalReason: '등급 I, 피드백 루프 스트레스 테스트 통과, 목적과 출처 확인',
    goLiveReason: '승인 후 데모 관할에서 운영 시작',
    modelCard: {
      model: { name: '[데모] 순찰 예측기', version: '1', method: '시민 신고 사건의 사차 커널 밀도 추정' },
      intendedUse: '주간 순찰 권고 (권고용)',
      data: { description: '서울 데모에는 사건 지점 자료가 없음 (자치구 집계 자료만 있음)' },
      metrics: [
        {
          name: '[데모] PAI, 7일 (예시 값, 측정하지 않음)',
          value: 2,
          dataset: '없음: 측정값은 예측 화면에서 백테스트를 실행하십시오',
        },
      ],
      limitations: ['신고된 범죄가 모든 범죄는 아님', '사람이 아닌 장소만 예측', '데모용 자료'],
    },
  },
  vendorLive: {
    name: '[데모] CCTV 침입 탐지 (예시비전, 가상 업체)',
    record: {
      purpose: '야간에 문 닫은 공공시설(학교, 차고지)에 사람이 들어오면 알려 경찰관이 확인하게 함',
      intendedUse: '근무 중인 경찰관에게 신속 알림, 경찰관이 영상을 보고 판단',
      prohibitedUses: ['사람의 신원 확인', '불심검문·수색·체포의 유일한 근거로 사용', '도로나 광장에서 사용'],
      legalBasis: [
        {
          title: '개인정보 보호법 제25조 (영상정보처리기기의 설치·운영 제한)',
          url: 'https://www.law.go.kr/법령/개인정보보호법',
        },
      ],
      deployingUnit: '[데모] 종로 순찰팀',
      provider: { name: '예시비전 주식회사 (가상 업체)', procurementRoute: '[데모] 공개 입찰 (가상)' },
      supervisorId: 'demo-supervisor',
      dataSources: [
        {
          name: '[데모] 구청 CCTV 관제망',
          provenance: '문 닫은 공공시설의 고정 CCTV',
          legalBasis: '개인정보 보호법 제25조',
          consent: '해당 없음 (공공 업무), 카메라마다 안내판',
          sourceId: 'demo-city-cctv',
        },
      ],
      usePurpose: 'crime-analysis',
      personalData: { categories: ['촬영된 사람의 영상', '업체 추적 식별자'], retentionDays: 30 },
      model: {
        method: '설정된 시설 경계 안의 영상 프레임에서 업체의 사람 탐지기 사용',
        trainingData: '업체 자체 영상 (비공개)',
        evaluation: '업체 현장 인수 시험, 경찰관 판단으로 집계한 오경보',
        limitations: ['비와 야간에는 정확도가 떨어짐', '동물로 경보가 울릴 수 있음'],
      },
      humanOversight: '근무 중인 경찰관이 모든 알림을 검토하고 판단과 이유를 기록',
      notificationAndContest: '카메라마다 안내판, 공개 등록부, 민원 창구',
      externalSharing: ['없음'],
      training: { course: '[데모] CCTV 알림 검토 교육', validityDays: 365 },
      monitoringPlan: '무시율·응답 시간 모니터와 자동 중지',
      outputSchema: CCTV_OUTPUT,
    },
    classificationYes: ['cctv-detection.analysesPeople', 'cctv-detection.realTime'],
    assessment: INTRUSION_ANSWERS,
    consultationReason: '기록 공개 (영향 등급 I: 의견 수렴 기간 불요)',
    classificationReason: '문 닫은 시설에서 사람의 존재만 탐지하며, 신원 확인과 공공장소 촬영은 하지 않음',
    approvalReason: '등급 I, 문 닫은 시설 한정, 모든 알림을 사람이 검토',
    goLiveReason: '데모 관할의 문 닫은 시설에서 운영 시작',
    modelCard: {
      model: { name: '[데모] 예시비전 침입 탐지기 (가상)', version: '1', method: '업체의 사람 탐지기 (비공개)' },
      intendedUse: '문 닫은 공공시설의 야간 침입 알림',
      data: { description: '업체 자체 영상 (비공개, 가상 업체)' },
      metrics: [{ name: '[데모] 경찰관이 확인한 알림 비율 (가상 수치)', value: 0.7, dataset: '가상 현장 인수 시험' }],
      limitations: ['비와 야간에는 정확도가 떨어짐', '동물로 경보가 울릴 수 있음'],
    },
  },
  vendorKeyName: 'demo Example Vision intrusion detector',
  consultation: {
    name: '[데모] CCTV 배회 탐지 (예시비전, 가상 업체)',
    record: {
      purpose: '광장이나 역 출입구에 정해진 시간보다 오래 머무는 사람을 알림',
      intendedUse: '근무 중인 경찰관에게 신속 알림, 경찰관이 조치 필요 여부를 판단',
      prohibitedUses: ['사람의 신원 확인', '노숙인을 쫓아내는 데 사용', '집회나 시위 감시'],
      legalBasis: [
        {
          title: '개인정보 보호법 제25조 (영상정보처리기기의 설치·운영 제한)',
          url: 'https://www.law.go.kr/법령/개인정보보호법',
        },
      ],
      deployingUnit: '[데모] 종로 순찰팀',
      provider: { name: '예시비전 주식회사 (가상 업체)', procurementRoute: '[데모] 공개 입찰 (가상)' },
      supervisorId: 'demo-supervisor',
      dataSources: [
        {
          name: '[데모] 구청 CCTV 관제망',
          provenance: '광장과 역 출입구의 고정 CCTV',
          legalBasis: '개인정보 보호법 제25조',
          consent: '해당 없음 (공공 업무), 카메라마다 안내판',
          sourceId: 'demo-city-cctv',
        },
      ],
      usePurpose: 'crime-analysis',
      personalData: { categories: ['촬영된 사람의 영상', '업체 추적 식별자', '머문 시간'], retentionDays: 30 },
      model: {
        method: '업체의 사람 추적기와 체류 시간 규칙',
        trainingData: '업체 자체 영상 (비공개)',
        evaluation: '의견 수렴에서 공개 예정: 장소·시간대별 오경보',
        limitations: ['기다리는 사람과 배회하는 사람을 구별하지 못함', '집 없는 사람에게 가장 큰 부담이 될 수 있음'],
      },
      humanOversight: '근무 중인 경찰관이 모든 알림을 검토',
      notificationAndContest: '카메라마다 안내판, 공개 등록부, 민원 창구',
      externalSharing: ['없음'],
      training: { course: '[데모] CCTV 알림 검토 교육', validityDays: 365 },
      monitoringPlan: '장소별 격차·무시율 모니터와 자동 중지',
      outputSchema: CCTV_OUTPUT,
    },
    classificationYes: [
      'cctv-detection.analysesPeople',
      'cctv-detection.realTime',
      'cctv-detection.publicSpaces',
      'cctv-detection.infersEmotionOrIntent',
    ],
    assessment: LOITERING_ANSWERS,
    consultationReason: '결정 전에 시민 의견 수렴: 공공장소, 혐의 없는 사람이 촬영됨',
    classificationReason: '',
    approvalReason: '',
    goLiveReason: '',
    modelCard: {},
  },
  trainingCourse: '[데모] 권고용 AI와 알림 검토 교육',
  alerts: [
    {
      place: { lon: 126.9826, lat: 37.5729 },
      output: {
        camera: 'CAM-0412',
        zone: '학교 운동장 (폐쇄 시간)',
        detection: '폐쇄 시간에 출입 금지 구역 안의 사람',
        score: 0.91,
      },
      confidence: 0.91,
      explanation: {
        summary: '폐쇄 시간 뒤 학교 운동장 경계 안에서 사람이 탐지되었습니다.',
        factors: [
          { name: '사람 탐지기', weight: 0.91, detail: '연속 14프레임' },
          { name: '시설 운영 시간', detail: '18:00–07:00 폐쇄' },
        ],
      },
    },
    {
      place: { lon: 126.9918, lat: 37.5705 },
      output: {
        camera: 'CAM-0377',
        zone: '버스 차고지 (폐쇄 시간)',
        detection: '폐쇄 시간에 출입 금지 구역 안의 사람',
        score: 0.74,
      },
      confidence: 0.74,
      explanation: {
        summary: '차고지가 닫은 뒤 주차된 버스 근처에서 사람이 탐지되었습니다.',
        factors: [{ name: '사람 탐지기', weight: 0.74, detail: '연속 6프레임, 저조도' }],
      },
    },
    {
      place: { lon: 126.977, lat: 37.576 },
      output: { camera: 'CAM-0405', zone: '공원 창고 (폐쇄 시간)', detection: '울타리 선의 사람', score: 0.58 },
      confidence: 0.58,
      explanation: {
        summary: '창고 울타리에서 사람 형체가 탐지되었습니다. 경계 밖을 지나가던 사람일 수 있습니다.',
        factors: [{ name: '사람 탐지기', weight: 0.58, detail: '일부가 설정된 경계 밖' }],
      },
    },
  ],
  // Seoul publishes no incident points: no forecast, no missions; the statistics the platform itself holds are its alerts.
  releases: [{ epsilonPerTable: 0.5, tables: ['alerts-by-unit-month-outcome'] }],
};

export const DEMO_ORGANISATIONS: Record<string, DemoOrganisation> = { chicago, seoul };

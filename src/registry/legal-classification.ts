/**
 * Legal classification of a registered system, with the reasons shown: the EU AI Act (Regulation
 * (EU) 2024/1689: prohibited practices in art. 5, high-risk uses in Annex III points 1 and 6) and
 * Korea's Framework Act on AI (in force 22 January 2026; high-impact AI under art. 2(iv): systems
 * with significant effects on life, safety or fundamental rights in listed areas, among them
 * biometric analysis and judgments by public bodies affecting people's rights). The facts come from
 * the record's flags; a flag not set is a fact the owner has not claimed, shown as such.
 */
export interface LegalFacts {
  profilingOnly?: boolean;
  personLevelRiskScoring?: boolean;
  realTimeRemoteBiometricId?: boolean;
  remoteBiometricId?: boolean;
  biometricCategorisation?: boolean;
  emotionRecognition?: boolean;
  untargetedFaceScraping?: boolean;
  victimRiskAssessment?: boolean;
  evidenceReliability?: boolean;
  profilingInInvestigation?: boolean;
  placeBasedForecasting?: boolean;
}

export interface Basis {
  law: 'EU AI Act' | 'Korea AI Framework Act';
  provision: string;
  reason: string;
}

export interface Classification {
  euAiAct: { category: 'prohibited' | 'prohibited-unless-authorised' | 'high-risk' | 'other'; basis: Basis[] };
  korea: { highImpact: boolean; basis: Basis[] };
}

const eu = (provision: string, reason: string): Basis => ({ law: 'EU AI Act', provision, reason });
const kr = (provision: string, reason: string): Basis => ({ law: 'Korea AI Framework Act', provision, reason });

export function classify(f: LegalFacts): Classification {
  const prohibited: Basis[] = [];
  const authorised: Basis[] = [];
  const high: Basis[] = [];
  if (f.profilingOnly) prohibited.push(eu('art. 5(1)(d)', 'predicts the risk that a person commits an offence based solely on profiling or personality traits'));
  if (f.untargetedFaceScraping) prohibited.push(eu('art. 5(1)(e)', 'builds facial-recognition databases by untargeted scraping of images'));
  if (f.biometricCategorisation) prohibited.push(eu('art. 5(1)(g)', 'categorises people by biometric data to infer sensitive attributes such as race or beliefs'));
  if (f.realTimeRemoteBiometricId) authorised.push(eu('art. 5(1)(h), 5(2)–(3)', 'real-time remote biometric identification in public spaces for law enforcement: prohibited unless strictly necessary for listed objectives and authorised in advance'));
  if (f.remoteBiometricId || f.realTimeRemoteBiometricId) high.push(eu('Annex III 1(a)', 'remote biometric identification'));
  if (f.emotionRecognition) high.push(eu('Annex III 1(c)', 'emotion recognition'));
  if (f.victimRiskAssessment) high.push(eu('Annex III 6(a)', 'assesses the risk of a person becoming a victim of crime'));
  if (f.evidenceReliability) high.push(eu('Annex III 6(c)', 'evaluates the reliability of evidence'));
  if (f.personLevelRiskScoring && !f.profilingOnly) high.push(eu('Annex III 6(d)', 'assesses the risk of a person offending or re-offending, not solely on profiling'));
  if (f.profilingInInvestigation) high.push(eu('Annex III 6(e)', 'profiles people in the detection, investigation or prosecution of crime'));

  const category = prohibited.length ? 'prohibited' : authorised.length ? 'prohibited-unless-authorised' : high.length ? 'high-risk' : 'other';
  const euBasis = [...prohibited, ...authorised, ...high];
  if (category === 'other') {
    euBasis.push(eu('Annex III', f.placeBasedForecasting
      ? 'place-based crime forecasting about areas, not people, is not listed in Annex III; Counterweight still applies its impact-level controls'
      : 'no prohibited practice or Annex III use is claimed in the record'));
  }

  const krBasis: Basis[] = [];
  if (f.remoteBiometricId || f.realTimeRemoteBiometricId || f.biometricCategorisation) krBasis.push(kr('art. 2(iv)', 'analyses biometric information in criminal investigation or arrest'));
  if (f.personLevelRiskScoring || f.profilingOnly || f.profilingInInvestigation || f.victimRiskAssessment) krBasis.push(kr('art. 2(iv)', 'a public body\'s judgment about individuals that significantly affects their rights'));
  if (f.placeBasedForecasting && krBasis.length === 0) {
    krBasis.push(kr('art. 2(iv)', 'patrol guidance directs police presence, which can affect fundamental rights of residents; treated as high-impact by policy until the Enforcement Decree says otherwise'));
  }
  return { euAiAct: { category, basis: euBasis }, korea: { highImpact: krBasis.length > 0, basis: krBasis.length ? krBasis : [kr('art. 2(iv)', 'no listed high-impact area is claimed in the record')] } };
}

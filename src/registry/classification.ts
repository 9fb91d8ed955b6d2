/**
 * Legal classification with the reasons shown, from the record's flags (facts the owner claims).
 *  - EU AI Act (Regulation (EU) 2024/1689): prohibited practices of art. 5 — 5(1)(d) predicting a
 *    person's offending based solely on profiling or personality traits; 5(1)(e) untargeted facial
 *    scraping; 5(1)(g) biometric categorisation inferring sensitive traits; 5(1)(h) real-time remote
 *    biometric identification in publicly accessible spaces for law enforcement, allowed only for the
 *    objectives of 5(1)(h)(i)-(iii) with prior authorisation (art. 5(2)-(3)); high-risk uses of Annex III
 *    point 1 (biometrics) and point 6 (law enforcement); everything else "other".
 *  - Korea's Framework Act on the Development of AI and Establishment of Trust (in force 22 Jan 2026),
 *    art. 2(4): "high-impact AI" is AI that may significantly affect or endanger life, physical safety or
 *    fundamental rights, used in listed areas — among them the analysis and use of biometric information
 *    for criminal investigation or arrest, judgments or evaluations that significantly affect people's
 *    rights and obligations, and decisions of state and public bodies that affect the public.
 * Hard gates (a system with one cannot go active): profiling-only crime prediction is refused outright;
 * real-time remote biometric identification needs a current authorisation record.
 */
import type { RecordFlags } from './record';

export interface Basis { law: 'EU AI Act' | 'Korea AI Framework Act' | 'Counterweight policy'; provision: string; reason: string }

/** Who authorised real-time remote biometric identification, for what, until when. */
export interface Authorisation {
  authorisedBy: string;
  /** Judicial or independent administrative authority (art. 5(3)). */
  authority: string;
  scope: string;
  issuedAt: string;
  expiresAt: string;
}

export interface Classification {
  euAiAct: { category: 'prohibited' | 'high-risk' | 'other'; basis: Basis[] };
  korea: { highImpact: boolean; basis: Basis[] };
  /** Reasons the system may not go active, whatever else is in place. */
  hardGates: { code: 'profiling-only' | 'prohibited-practice' | 'authorisation-missing' | 'authorisation-expired'; message: string }[];
}

const eu = (provision: string, reason: string): Basis => ({ law: 'EU AI Act', provision, reason });
const kr = (reason: string): Basis => ({ law: 'Korea AI Framework Act', provision: 'art. 2(4)', reason });

/** An authorisation is current when issued, not expired, and it names who, which authority and a scope. */
export function currentAuthorisation(auths: readonly Authorisation[], now: string): Authorisation | undefined {
  const t = Date.parse(now);
  return auths.find((a) => a.authorisedBy.trim() && a.authority.trim() && a.scope.trim() && Date.parse(a.issuedAt) <= t && t < Date.parse(a.expiresAt));
}

export function classify(flags: RecordFlags, authorisations: readonly Authorisation[] = [], now: string = new Date(0).toISOString()): Classification {
  const prohibited: Basis[] = [];
  const high: Basis[] = [];
  const hardGates: Classification['hardGates'] = [];
  if (flags.profilingOnly) {
    prohibited.push(eu('art. 5(1)(d)', 'assesses or predicts the risk that a person commits an offence based solely on profiling or on personality traits'));
    hardGates.push({ code: 'profiling-only', message: 'individual crime-risk prediction based solely on profiling or personality traits is refused (EU AI Act art. 5(1)(d))' });
  }
  if (flags.untargetedFacialScraping) prohibited.push(eu('art. 5(1)(e)', 'builds facial-recognition databases by untargeted scraping of images'));
  if (flags.biometricCategorisationSensitive) prohibited.push(eu('art. 5(1)(g)', 'categorises people by biometric data to infer race, political opinions, beliefs or sex life'));
  if (flags.untargetedFacialScraping || flags.biometricCategorisationSensitive) hardGates.push({ code: 'prohibited-practice', message: `a prohibited practice is claimed (${prohibited.filter((b) => b.provision !== 'art. 5(1)(d)').map((b) => `EU AI Act ${b.provision}`).join(', ')})` });
  if (flags.realTimeRemoteBiometricId) {
    const auth = currentAuthorisation(authorisations, now);
    if (!auth) {
      const expired = authorisations.length > 0;
      prohibited.push(eu('art. 5(1)(h)', `real-time remote biometric identification in publicly accessible spaces for law enforcement, without a current authorisation${expired ? ' (the last one has expired or is incomplete)' : ''}`));
      hardGates.push({ code: expired ? 'authorisation-expired' : 'authorisation-missing', message: 'real-time remote biometric identification needs a current authorisation record (who authorised, authority, scope, expiry)' });
    } else {
      high.push(eu('art. 5(1)(h), 5(2)-(3); Annex III 1(a)', `real-time remote biometric identification authorised by ${auth.authorisedBy} (${auth.authority}) for "${auth.scope}" until ${auth.expiresAt}`));
    }
  }
  if (flags.postRemoteBiometricId) high.push(eu('Annex III 1(a)', 'remote biometric identification'));
  if (flags.emotionRecognition) high.push(eu('Annex III 1(c)', 'emotion recognition'));
  if (flags.victimRiskAssessment) high.push(eu('Annex III 6(a)', 'assesses the risk of a person becoming the victim of a criminal offence'));
  if (flags.evidenceReliability) high.push(eu('Annex III 6(c)', 'evaluates the reliability of evidence'));
  if (flags.personLevelRiskScoring && !flags.profilingOnly) high.push(eu('Annex III 6(d)', 'assesses the risk of a person offending or re-offending, not solely on profiling'));
  if (flags.profilingInInvestigation) high.push(eu('Annex III 6(e)', 'profiles people in the detection, investigation or prosecution of criminal offences'));

  const category = prohibited.length ? 'prohibited' : high.length ? 'high-risk' : 'other';
  const euBasis = [...prohibited, ...high];
  if (category === 'other') euBasis.push(eu('Annex III', flags.placeBasedForecasting
    ? 'forecasting places, not people, is not listed in art. 5 or Annex III; Counterweight still applies its impact-level controls'
    : 'no prohibited practice or Annex III use is claimed in the record'));

  const krBasis: Basis[] = [];
  if (flags.realTimeRemoteBiometricId || flags.postRemoteBiometricId || flags.biometricCategorisationSensitive || flags.untargetedFacialScraping || flags.emotionRecognition) krBasis.push(kr('analyses and uses biometric information in criminal investigation or arrest'));
  if (flags.personLevelRiskScoring || flags.profilingOnly || flags.profilingInInvestigation || flags.victimRiskAssessment || flags.evidenceReliability) krBasis.push(kr('a public body\'s judgment or evaluation about individuals that significantly affects their rights and obligations'));
  let highImpact = krBasis.length > 0;
  if (!highImpact && flags.placeBasedForecasting) {
    krBasis.push({ law: 'Counterweight policy', provision: 'art. 2(4) (pending the Enforcement Decree)', reason: 'patrol guidance steers police presence and can affect residents\' fundamental rights; treated as high-impact by policy, not because the Act lists it' });
    highImpact = true;
  }
  if (!krBasis.length) krBasis.push(kr('no listed high-impact area is claimed in the record'));
  return { euAiAct: { category, basis: euBasis }, korea: { highImpact, basis: krBasis }, hardGates };
}

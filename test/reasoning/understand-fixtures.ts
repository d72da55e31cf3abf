// Slot specs shaped like the bundled intake flow and its practice subflows, with the `cues:` this branch suggests
// for the flow YAML, so the understanding tests read utterances the way a call would.
import type { UnderstandingContext } from '../../src/reasoning/interpretation.js';
import type { SlotSpec } from '../../src/reasoning/types.js';

export const SLOTS: SlotSpec[] = [
  { name: 'caller_name', type: 'person_name', confirm: 'when_unsure' },
  { name: 'callback_phone', type: 'phone', confirm: 'when_unsure' },
  { name: 'email', type: 'email', confirm: 'when_unsure' },
  {
    name: 'practice_area', type: 'enum', confirm: 'when_unsure',
    values: [
      { value: 'personal_injury', synonyms: ['personal injury', 'injury', 'injured', 'accident', 'car accident', 'car crash', 'crash', 'slip and fall', 'hurt', 'accidente', 'choque'] },
      { value: 'family', synonyms: ['family', 'family law', 'divorce', 'custody', 'child custody', 'child support', 'separation', 'alimony', 'divorcio', 'custodia'] },
      { value: 'criminal', synonyms: ['criminal', 'criminal defense', 'arrest', 'arrested', 'charged', 'charges', 'dui', 'dwi', 'crime', 'arresto', 'cargos'] },
      { value: 'immigration', synonyms: ['immigration', 'visa', 'green card', 'deportation', 'asylum', 'inmigracion'] },
      { value: 'estate', synonyms: ['estate', 'will', 'wills', 'probate', 'trust', 'inheritance', 'passed away', 'herencia', 'testamento'] },
      { value: 'other', synonyms: ['other', 'something else'] },
    ],
  },
  {
    name: 'opposing_party', type: 'text', confirm: 'when_unsure',
    cues: { en: ['the other driver', 'other driver', 'the other party', 'my ex-husband', 'my ex-wife', 'my ex', 'divorcing', 'my landlord', 'my employer', 'my boss', 'suing', 'sue', 'against'], es: ['el otro conductor', 'mi exesposo', 'mi ex', 'contra', 'demandar a'] },
  },
  { name: 'incident_date', type: 'date', confirm: 'when_unsure', dateRange: 'past', cues: { en: ['it happened', 'was arrested', 'got arrested', 'rear-ended', 'rear ended'] } },
  { name: 'next_court_date', type: 'date', confirm: 'when_unsure', dateRange: 'any' },
  { name: 'description', type: 'text', confirm: 'never' },
  {
    name: 'preferred_contact', type: 'enum', confirm: 'when_unsure', cues: { en: ['prefer', 'best way to reach me'], es: ['prefiero'] },
    values: [
      { value: 'phone', synonyms: ['phone', 'call', 'a call', 'call me', 'phone call'] },
      { value: 'text', synonyms: ['text', 'text message', 'texts', 'sms'] },
      { value: 'email', synonyms: ['email', 'e-mail'] },
    ],
  },
  { name: 'in_custody', type: 'yes_no', confirm: 'when_unsure', cues: { en: ['in custody', 'in jail', 'locked up', 'being held', 'just arrested', 'just got arrested'], es: ['esta detenido', 'esta detenida', 'en la carcel'] } },
  { name: 'police_report', type: 'yes_no', confirm: 'when_unsure', cues: { en: ['police report', 'police came', 'filed a report'], es: ['reporte policial'] } },
  { name: 'charges', type: 'text', confirm: 'when_unsure', cues: { en: ['charged with', 'arrested for', 'a charge of'], es: ['acusado de'] } },
  { name: 'insurance_company', type: 'text', confirm: 'when_unsure', cues: { en: ['his insurance is', 'her insurance is', 'insured by', 'insurance company is'] } },
];

export const NOW = new Date('2026-11-26T15:00:00Z'); // a Thursday

export function ctxFor(asked: string | null, extra: Partial<UnderstandingContext> = {}): UnderstandingContext {
  const names = SLOTS.map((s) => s.name);
  const order = asked ? [asked, ...names.filter((n) => n !== asked)] : names;
  return {
    now: NOW, timezone: 'America/Chicago', defaultRegion: 'US', language: 'en', transcript: [], slots: {},
    slotsInScope: order.map((n) => SLOTS.find((s) => s.name === n)!), faq: [], callerId: '+13125550142',
    ...(asked ? { asked: { slot: asked, purpose: 'answer' as const } } : {}),
    ...extra,
  };
}

export const said = (text: string) => ({ text, alternatives: [], confidence: 1 });

// Firm facts and FAQ: the topics understanding can recognise (built in from `firm:` plus the flow's `faq:` block) and
// the answers the engine speaks. A question outside the FAQ is never ignored: it gets an honest line and is noted for
// the attorney (see engine-listen.ts). Pure functions of the program; no I/O.
import type { Language } from './commands.js';
import type { Program } from './program.js';
import type { FirmT, TextT } from './schema.js';
import { render } from './templates.js';
import { normalise } from './intents.js';
import type { FaqTopic } from '../reasoning/interpretation.js';

type Bi = Record<Language, string>;

const EXAMPLES: Record<string, Record<Language, string[]>> = {
  hours: { en: ['what time do you open', 'what are your hours', 'are you open on saturday', 'when do you close'], es: ['a que hora abren', 'cual es su horario', 'estan abiertos el sabado', 'a que hora cierran'] },
  consultation_fee: { en: ['how much is a consultation', 'do you charge for the consultation', 'is the consultation free', 'how much do you charge'], es: ['cuanto cuesta la consulta', 'cobran por la consulta', 'la consulta es gratis', 'cuanto cobran'] },
  address: { en: ['where are you located', 'what is your address', 'where is your office'], es: ['donde estan ubicados', 'cual es la direccion', 'donde queda la oficina'] },
  payment: { en: ['how do i pay', 'do you take credit cards', 'can i pay by card', 'payment plans'], es: ['como pago', 'aceptan tarjeta', 'puedo pagar con tarjeta', 'planes de pago'] },
  real_person: { en: ['are you a real person', 'am i talking to a robot', 'is this a machine', 'are you a computer'], es: ['es usted una persona real', 'estoy hablando con un robot', 'es una maquina'] },
  practice_areas: { en: ['do you handle evictions', 'do you do divorces', 'what kind of cases do you take', 'do you do bankruptcy'], es: ['llevan casos de desalojo', 'hacen divorcios', 'que tipo de casos llevan'] },
};

const ANSWERS: Record<string, Bi> = {
  hours: { en: 'Our office is open {{firm.hours}}.', es: 'Nuestra oficina abre {{firm.hours}}.' },
  consultation_fee: {
    en: '{{#firm.consultation_fee}}A consultation with an attorney is {{firm.consultation_fee}} dollars, and we text you a secure link to pay it.{{/firm.consultation_fee}}{{^firm.consultation_fee}}The first consultation is free.{{/firm.consultation_fee}}',
    es: '{{#firm.consultation_fee}}La consulta con un abogado cuesta {{firm.consultation_fee}} dólares, y le enviamos un enlace seguro por mensaje de texto para pagarla.{{/firm.consultation_fee}}{{^firm.consultation_fee}}La primera consulta es gratuita.{{/firm.consultation_fee}}',
  },
  address: { en: 'Our office is at {{firm.address}}.', es: 'Nuestra oficina está en {{firm.address}}.' },
  payment: {
    en: 'We take payment through a secure link we send by text message, so please never read card numbers over the phone.',
    es: 'Recibimos los pagos con un enlace seguro que enviamos por mensaje de texto, así que por favor nunca diga números de tarjeta por teléfono.',
  },
  real_person: {
    en: "I'm an AI assistant for {{firm.name}}. I can take your information for an attorney, and you can ask for a person at any time.",
    es: 'Soy un asistente de inteligencia artificial de {{firm.name}}. Puedo tomar sus datos para un abogado, y puede pedir hablar con una persona en cualquier momento.',
  },
  practice_areas: { en: 'We handle {{handled}}.', es: 'Atendemos {{handled}}.' },
};

export const UNKNOWN_QUESTION: Bi = {
  en: "I can't answer that, but I'll note it for the attorney.",
  es: 'No puedo contestar eso, pero lo anotaré para el abogado.',
};

const AREA_NAMES: Record<string, Bi> = {
  personal_injury: { en: 'injuries and accidents', es: 'lesiones y accidentes' },
  family: { en: 'family law', es: 'derecho familiar' },
  criminal: { en: 'criminal defense', es: 'defensa penal' },
  immigration: { en: 'immigration', es: 'inmigración' },
  estate: { en: 'wills and estates', es: 'testamentos y herencias' },
};

const DAY_NAMES: Record<Language, string[]> = {
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  es: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
};
const DAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function clock(hm: string, language: Language): string {
  const [h, m] = hm.split(':').map(Number) as [number, number];
  if (language === 'es') return m ? `${h}:${String(m).padStart(2, '0')}` : `${h}`;
  const h12 = h % 12 || 12;
  return `${h12}${m ? `:${String(m).padStart(2, '0')}` : ''} ${h < 12 ? 'AM' : 'PM'}`;
}

/** Business hours as a caller hears them: "Monday through Friday, 9 AM to 5:30 PM". */
export function hoursText(firm: FirmT, language: Language): string {
  const idx = firm.business_hours.days.map((d) => DAY_KEYS.indexOf(d)).sort((a, b) => a - b);
  if (!idx.length) return language === 'es' ? 'solo con cita' : 'by appointment only';
  const names = DAY_NAMES[language];
  const contiguous = idx.every((d, i) => i === 0 || d === idx[i - 1]! + 1);
  const days = contiguous && idx.length > 2
    ? language === 'es' ? `de ${names[idx[0]!]} a ${names[idx.at(-1)!]}` : `${names[idx[0]!]} through ${names[idx.at(-1)!]}`
    : list(idx.map((d) => names[d]!), language);
  const o = clock(firm.business_hours.open, language);
  const c = clock(firm.business_hours.close, language);
  return language === 'es' ? `${days}, de ${o} a ${c}` : `${days}, ${o} to ${c}`;
}

function list(items: string[], language: Language): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')}${items.length > 2 && language === 'en' ? ',' : ''} ${language === 'es' ? 'y' : 'and'} ${items.at(-1)}`;
}

/** How a value of an enum slot is named to callers (its `label`, a known practice-area name, or the value). */
export function enumLabel(p: Program, slot: string, value: string, language: Language): string {
  const v = p.slots.get(slot)?.values?.find((x) => x.value === value);
  return v?.label?.[language] ?? (slot === 'practice_area' ? AREA_NAMES[value]?.[language] : undefined) ?? value.replace(/_/g, ' ');
}

function handledPhrase(p: Program, language: Language): string {
  const custom = p.faq.practice_areas?.handled?.[language];
  if (custom) return custom;
  const values = (p.slots.get('practice_area')?.values ?? []).map((v) => v.value).filter((v) => v !== 'other');
  return list(values.map((v) => enumLabel(p, 'practice_area', v, language)), language);
}

/** The topics understanding should recognise: built-ins that have an answer, then the flow's own. */
export function faqTopics(p: Program): FaqTopic[] {
  const custom = p.faq.topics ?? {};
  const out: FaqTopic[] = [];
  for (const id of Object.keys(EXAMPLES)) {
    if (id === 'address' && !p.firm.address && !custom.address) continue;
    const extra = custom[id]?.examples ?? {};
    out.push({ id, examples: { en: [...EXAMPLES[id]!.en, ...(extra.en ?? [])], es: [...EXAMPLES[id]!.es, ...(extra.es ?? [])] } });
  }
  for (const [id, t] of Object.entries(custom)) if (!EXAMPLES[id]) out.push({ id, examples: t.examples ?? {} });
  return out;
}

export interface FaqReply {
  text: string;
  /** The caller asked about a matter the firm does not take: the flow's `faq.practice_areas.goto` applies. */
  notHandled?: boolean;
  /** Worth noting for the attorney (outside the FAQ, or a matter the FAQ cannot place). */
  note?: boolean;
}

/** A word or phrase at a word start in normalised text, so plurals and endings still count ("evictions"). */
function mentions(normalisedText: string, word: string): boolean {
  const w = normalise(word).trimEnd();
  return w.trim() !== '' && normalisedText.includes(w);
}

/** The answer to one caller question, rendered in `language` over the firm facts in `view`. */
export function answerQuestion(p: Program, q: { topic: string | null; subject?: string; text: string }, language: Language, view: Record<string, unknown>): FaqReply {
  const firm = { ...(view.firm as Record<string, unknown>), hours: hoursText(p.firm, language), address: p.firm.address ?? '' };
  const say = (t: TextT | Bi) => render(t[language] ?? '', { ...view, firm, handled: handledPhrase(p, language) });
  const custom = q.topic ? p.faq.topics?.[q.topic]?.answer : undefined;
  if (q.topic === 'practice_areas' || (!q.topic && q.subject)) {
    const subject = normalise(q.subject ?? q.text);
    for (const nh of p.faq.practice_areas?.not_handled ?? [])
      if ([...(nh.words.en ?? []), ...(nh.words.es ?? [])].some((w) => mentions(subject, w)))
        return { text: language === 'es' ? `No atendemos ${nh.matter.es ?? nh.matter.en}.` : `We don't handle ${nh.matter.en ?? nh.matter.es}.`, notHandled: true };
    const area = (p.slots.get('practice_area')?.values ?? []).find(
      (v) => v.value !== 'other' && [v.value.replace(/_/g, ' '), ...(v.synonyms ?? [])].some((w) => mentions(subject, w)),
    );
    if (area) {
      const name = enumLabel(p, 'practice_area', area.value, language);
      return { text: language === 'es' ? `Sí, atendemos ${name}.` : `Yes, we handle ${name}.` };
    }
    if (q.topic !== 'practice_areas') return { text: say(UNKNOWN_QUESTION), note: true };
    // A matter the flow cannot place: say what the firm does take, and be honest that the attorney will decide.
    const unsure = q.subject
      ? language === 'es'
        ? `No estoy seguro de si llevamos ${q.subject}, así que anotaré su pregunta para el abogado.`
        : `I'm not sure we take ${q.subject}, so I'll note your question for the attorney.`
      : '';
    return { text: `${say(custom ?? ANSWERS.practice_areas!)} ${unsure}`.trim(), note: !!q.subject };
  }
  if (custom) return { text: say(custom) };
  const builtin = q.topic ? ANSWERS[q.topic] : undefined;
  if (builtin && !(q.topic === 'address' && !p.firm.address)) return { text: say(builtin) };
  return { text: say(p.faq.unknown ?? UNKNOWN_QUESTION), note: true };
}

export const BUILTIN_FAQ_TOPICS = Object.keys(EXAMPLES);

/**
 * The caller *describes* a matter the firm does not take ("my landlord gave me a five-day notice", "quiero declararme
 * en bancarrota") without asking whether the firm does it: the same honest answer as the question would get. Only
 * when nothing in the words names a matter the firm does take ("my landlord's dog bit me" is an injury).
 */
export function describedNotHandled(p: Program, text: string, language: Language): FaqReply | null {
  const said = normalise(text);
  const nh = (p.faq.practice_areas?.not_handled ?? []).find((m) => [...(m.words.en ?? []), ...(m.words.es ?? [])].some((w) => mentions(said, w)));
  if (!nh || !p.faq.practice_areas?.goto) return null;
  const handled = (p.slots.get('practice_area')?.values ?? []).filter((v) => v.value !== 'other');
  if (handled.some((v) => [v.value.replace(/_/g, ' '), ...(v.synonyms ?? [])].some((w) => mentions(said, w)))) return null;
  return { text: language === 'es' ? `No atendemos ${nh.matter.es ?? nh.matter.en}.` : `We don't handle ${nh.matter.en ?? nh.matter.es}.`, notHandled: true };
}

// Spelling a surname back when a person's name was heard unsure: "I have Maria Kowalski, that's K-O-W-A-L-S-K-I. Is
// that right?" The rule, kept small on purpose:
//   - only a person_name value read back because understanding was unsure of it (its confidence below the slot's
//     threshold); a name read back only because the flow says `confirm: always` is read back plainly;
//   - the surname (as the name parser splits it) is spelled, without particles ("de la") and without the parts that
//     are among a short list of very common surnames nobody needs spelled (Smith, García, ...), unless speech
//     recognition's other hypotheses spelled that part differently ("Thompson" / "Thomson");
//   - a name whose surname is all common (or has no surname) is read back as usual.
// The spelling is only ever part of the read-back sentence: the value, its spoken form and the acknowledgement
// ("Thank you, Maria Kowalski.") never carry it.
import type { Language } from './commands.js';
import type { SlotFill } from '../reasoning/interpretation.js';
import { nameParts } from '../reasoning/normalisers/name-parts.js';
import type { Alternative } from '../primitives.js';

const PARTICLE = /^(?:de|del|la|las|los|y|e|van|von|der|den|da|di|dos|das|du|le|st\.?|jr\.?|sr\.?|ii|iii|iv)$/i;

/**
 * Surnames common enough in the US (census top ranks) and among Spanish speakers that a receptionist would not spell
 * them. Names with a frequent other spelling (Lee / Li, Thompson / Thomson, Clark / Clarke, Brown / Browne) are left
 * out on purpose: those are worth spelling.
 */
const COMMON = new Set([
  'smith', 'johnson', 'williams', 'jones', 'miller', 'davis', 'wilson', 'anderson', 'taylor', 'moore', 'jackson', 'martin',
  'white', 'harris', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright', 'scott', 'hill', 'green', 'adams',
  'garcia', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'gonzalez', 'perez', 'sanchez', 'ramirez', 'torres', 'flores',
  'rivera', 'gomez', 'diaz', 'cruz', 'morales', 'reyes', 'ortiz', 'gutierrez', 'ramos', 'vega', 'castillo', 'romero',
  'jimenez', 'ruiz', 'alvarez', 'mendoza', 'moreno', 'herrera', 'medina', 'aguilar', 'vargas', 'castro', 'fernandez',
]);

const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const isCommon = (word: string) => word.split(/[-'’]/).every((p) => COMMON.has(fold(p)));

/** Whether the recognition alternatives after the first have this surname part in other letters. */
function heardOtherwise(word: string, alternatives: Alternative[]): boolean {
  return alternatives.slice(1).some((a) => a.text.trim() !== '' && !fold(a.text).replace(/[^a-z'’\- ]/g, ' ').split(/\s+/).includes(fold(word)));
}

/** The part of the name's surname worth spelling, or null when nothing is (no surname, or only common ones). */
export function spellTarget(name: string, language: Language, alternatives: Alternative[] = []): string | null {
  const last = nameParts(name, language).last;
  if (!last) return null;
  const words = last.split(/\s+/).filter((w) => !PARTICLE.test(w) && /\p{L}{2,}/u.test(w));
  const spell = words.filter((w) => !isCommon(w) || heardOtherwise(w, alternatives));
  return spell.length ? spell.join(' ') : null;
}

/** The target for a person-name fill heard now, when its read-back should spell it (see the rule above). */
export function spellTargetOf(f: SlotFill, threshold: number, language: Language, alternatives: Alternative[]): string | null {
  if (typeof f.value !== 'string' || !(f.confidence < threshold)) return null;
  return spellTarget(f.value, language, alternatives);
}

const MARK: Record<Language, { apostrophe: string; hyphen: string }> = {
  en: { apostrophe: 'apostrophe', hyphen: 'hyphen' },
  es: { apostrophe: 'apóstrofo', hyphen: 'guion' },
};

/** "Kowalski" -> "K-O-W-A-L-S-K-I"; "O'Brien" -> "O, apostrophe, B-R-I-E-N"; several words apart with commas. */
export function spelled(target: string, language: Language): string {
  return target
    .split(/\s+/)
    .map((word) => word.split(/([-'’])/).filter(Boolean).map((seg) => (seg === '-' ? MARK[language].hyphen : /['’]/.test(seg) ? MARK[language].apostrophe : [...seg.toUpperCase()].join('-'))).join(', '))
    .join(', ');
}

/** What the read-back says for the name: "Maria Kowalski, that's K-O-W-A-L-S-K-I" / "María Kowalski, K-O-W-A-L-S-K-I". */
export function spokenWithSpelling(spoken: string, target: string, language: Language): string {
  return language === 'es' ? `${spoken}, ${spelled(target, language)}` : `${spoken}, that's ${spelled(target, language)}`;
}

/**
 * The caller's answer to a spelled read-back: one word ("no, it's K O W A L S K Y") replaces the spelled part only;
 * a longer answer is the whole name. Returns the corrected name and the part to spell next time.
 */
export function respelled(pending: string, target: string, answer: string, language: Language): { value: string; target: string | null } {
  const word = answer.trim();
  if (/\s/.test(word)) return { value: word, target: spellTarget(word, language) };
  const at = pending.lastIndexOf(target);
  if (at < 0) return { value: pending, target };
  // A spelled multi-word part ("Nic Giolla") is replaced whole by the one word said.
  return { value: `${pending.slice(0, at)}${word}${pending.slice(at + target.length)}`, target: word };
}

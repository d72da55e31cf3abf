// The rule path: keyword rules for the decisions a flow asks (emergency? practice area?) and for finding which slot a
// correction targets. Offline this is the whole decision; online it is the fallback when Tree of Thought fails.
import type { Correction, Decision, DecisionSpec, SlotSpec, SlotType } from './types.js';
import { normaliseYesNo } from './normalisers/yes-no.js';
import { normaliseEmail } from './normalisers/email.js';
import { normalisePhone } from './normalisers/phone.js';
import { emergencyEvidence } from './emergency.js';

const fold = (s: string) => s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[’]/g, "'");

export { OLD_HISTORY } from './emergency.js';

/** The caller is the one a crime was done to. */
const VICTIM = /\b(?:victim of|victims of|i was robbed|we were robbed|got robbed|victima de|me robaron|nos robaron)\b/;

/** Criminal keywords that only say someone is held, which immigration detention is too. */
const CUSTODY_WORDS = new Set(['arrested', 'arrest*', 'jail', 'police', 'detenido', 'carcel', 'policia']);

/** Practice areas with the words callers use for them; option names are matched by their canonical key. */
export const PRACTICE_AREAS: Record<string, string[]> = {
  // A trailing * matches any ending ("atropell*" -> atropellaron, atropellado).
  personal_injury: ['into me', 'got hit', 'was hit', 'ran me over', 'run over', 'knocked me', 'on my bike', 'bicycle', 'pedestrian', 'crosswalk', 'broke my', 'fractur*', 'sprain*', 'went down', 'fender bender', 'fender-bender', 'backed into', 'sideswiped', 't-boned', 't boned', 'totaled', 'hit and run', 'slip*', 'tripped', 'a fall', 'concussion', 'stitches', 'nursing home', 'me resbal*', 'me tropec*', 'accident', 'car crash', 'crash', 'rear ended', 'rear-ended', 'injured', 'injury', 'hurt', 'slip and fall', 'slipped', 'fell', 'dog bite', 'dog bit', 'bit me', 'bit my', 'bitten', 'whiplash', 'hit by', 'hit my car', 'hit me', 'ran into', 'smashed into', 'collision', 'malpractice', 'wreck', 'accidente', 'choque', 'chocaron', 'lesion', 'herido', 'me caí', 'me cai', 'atropell*', 'me mordio', 'mordi*', 'mordedura', 'puntadas', 'le pusieron puntos', 'me pusieron puntos', 'surgery', 'surgeon', 'misdiagnos*', 'lastim*'],
  family: ['domestic violence', 'order of protection', 'protective order', 'restraining order', 'guardianship', 'paternity', 'violencia domestica', 'orden de proteccion', 'orden de alejamiento', 'orden de restriccion', 'ex esposo', 'exesposo', 'ex esposa', 'exesposa', 'ex marido', 'mi ex', 'patria potestad', 'divorce', 'custody', 'child support', 'alimony', 'separation', 'adoption', 'visitation', 'parenting time', 'see my kids', 'see my children', 'time with my kids', 'prenup', 'my ex', 'separating', 'separat*', 'divorc*', 'divorcio', 'divorci*', 'custodia', 'manutencion', 'pension alimenticia', 'separacion', 'ver a mis hijos'],
  criminal: ['pulled over', 'possession', 'burglary', 'retail theft', 'domestic battery', 'public defender', 'expunge*', 'seal my record', 'arraignment', 'bail', 'arrested', 'charged', 'dui', 'dwi', 'drunk driving', 'criminal', 'felony', 'misdemeanor', 'police', 'jail', 'probation', 'warrant', 'assault charge', 'suspended license', 'ticket', 'speeding', 'traffic court', 'shoplifting', 'theft', 'robbery', 'arrest*', 'detenido', 'carcel', 'cargos', 'policia', 'delito', 'robo'],
  immigration: ['h-1b', 'h1b', 'uscis', 'notice to appear', 'fiance visa', 'permanent resident', 'deport*', 'migra', 'visa', 'green card', 'citizen', 'citizenship', 'deportation', 'deported', 'asylum', 'immigration', 'ice', 'work permit', 'daca', 'naturalization', 'inmigracion', 'deportacion', 'asilo', 'residencia', 'ciudadania', 'ciudadano', 'permiso de trabajo', 'la migra', 'papeles'],
  estate_planning: ['executor', 'power of attorney', 'living will', 'estate plan*', 'testament*', 'will', 'trust', 'estate', 'probate', 'inheritance', 'power of attorney', 'passed away', 'died', 'fallecio', 'fallecid*', 'murio', 'testamento', 'herencia', 'fideicomiso', 'sucesion'],
  employment: ['fired', 'wrongful termination', 'harassment at work', 'my boss', 'my manager', 'my supervisor', 'hostile work', 'coworker', 'co-worker', 'about my race', 'employer', 'overtime', 'wages', 'discrimination', 'workplace', 'laid off', 'despedido', 'despidieron', 'mi jefe', 'salario', 'horas extra', 'acoso'],
  bankruptcy: ['bankruptcy', 'debt', 'creditors', 'foreclosure', 'chapter 7', 'chapter 13', 'collections', 'bancarrota', 'quiebra', 'deudas', 'embargo'],
  real_estate: ['landlord', 'tenant', 'eviction', 'lease', 'property', 'closing', 'house purchase', 'desalojo', 'casero', 'arrendador', 'propiedad', 'renta'],
};

/** Other names flows give the same practice areas. */
export const AREA_ALIASES: Record<string, string> = {
  injury: 'personal_injury', pi: 'personal_injury', accident: 'personal_injury', family_law: 'family', divorce: 'family',
  criminal_defense: 'criminal', defense: 'criminal', estate: 'estate_planning', estates: 'estate_planning', wills: 'estate_planning',
  probate: 'estate_planning', labor: 'employment', employment_law: 'employment', landlord_tenant: 'real_estate',
};

/** Compiled word patterns by phrase: the practice-area lists are fixed, and decide runs them on every turn. */
const wordPatterns = new Map<string, { literal: string; re: RegExp }>();

function wordHit(text: string, phrase: string): boolean {
  let w = wordPatterns.get(phrase);
  if (!w) {
    const prefix = phrase.endsWith('*');
    const literal = fold(prefix ? phrase.slice(0, -1) : phrase);
    const body = literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Plurals count as the word ("wills", "visas", "evictions").
    w = { literal, re: new RegExp(`(?:^|[^\\p{L}])${body}${prefix ? '' : '(?:s|es)?(?:$|[^\\p{L}])'}`, 'u') };
    if (wordPatterns.size > 2000) wordPatterns.clear();
    wordPatterns.set(phrase, w);
  }
  // The pattern holds the folded phrase literally: a text without it cannot match (a substring search is far cheaper).
  return text.includes(w.literal) && w.re.test(text);
}

/**
 * Everyday senses of practice-area words, taken out before keywords are counted: ice on the ground is weather, not
 * Immigration and Customs Enforcement; "our family", "my family" are people, not family law.
 */
export function withoutHomonyms(t: string): string {
  return t
    .replace(/\b(?:on|in|over|through|of|black|the|some|thin|an|patch of) ice\b(?! (?:agents?|officers?|took|detained|picked|arrested|came|has|have|is holding|custody|detention))|\bice (?:on|patch|storm|cream|rink|skating|machine|maker)\b|\bicy\b/g, ' weather ')
    // "in custody", "police custody" is someone held, not child custody.
    .replace(/\b(?:in|into|out of|police|ice|protective|federal|state) custody\b/g, ' held ')
    .replace(/\b(?:our|my|his|her|their|whole|the|a|for|with) family\b(?! (?:law|court|matter|case|lawyer|attorney))/g, ' relatives ');
}

const YES_OPTIONS = ['yes', 'true', 'emergency', 'urgent', 'si'];
const NO_OPTIONS = ['no', 'false', 'not_emergency', 'non_emergency', 'routine', 'normal'];

export function decideByRules(spec: DecisionSpec, text: string): Decision {
  const t = fold(text);
  const options = spec.options;
  const find = (cands: string[]) => options.find((o) => cands.includes(fold(o)));
  const about = fold(`${spec.name} ${spec.question}`);
  if (/emergenc|urgent|urgen/.test(about)) {
    const e = emergencyEvidence(text);
    const yes = find(YES_OPTIONS);
    const no = find(NO_OPTIONS);
    if (yes && no) {
      // Alarming words without anything happening now ("arrested Friday", "threatening me by text") are a "yes" too
      // unsure to act on: below a flow's threshold the flow asks the caller instead of transferring.
      if (e.level === 'now') return { choice: yes, confidence: 0.9, rationale: e.why.map((w) => `emergency words: "${w}"`) };
      if (e.level === 'maybe') return { choice: yes, confidence: 0.55, rationale: [...e.why.map((w) => `alarming words: "${w}"`), 'but nothing said to be happening now'] };
      return { choice: no, confidence: 0.6, rationale: ['no emergency words'] };
    }
  }
  // Options named after practice areas (or anything else): score by keyword hits. Two matters heard with neither
  // clearly ahead ("a living trust for our family") is no decision: the flow asks its own question instead.
  const heard = withoutHomonyms(t);
  const scored: { option: string; score: number; why: string[] }[] = [];
  for (const o of options) {
    const key = fold(o).replace(/[\s-]+/g, '_');
    const words = [...(PRACTICE_AREAS[AREA_ALIASES[key] ?? key] ?? []), o.replace(/_/g, ' ')];
    const hits = words.filter((w) => wordHit(heard, w));
    const score = hits.reduce((n, h) => n + h.length, 0);
    if (score > 0) scored.push({ option: o, score, why: hits });
  }
  // Someone held by immigration: the custody words are the detention, not a criminal matter.
  const immigration = scored.find((x) => /immigra/.test(fold(x.option)));
  const criminal = scored.find((x) => /crimin|defen/.test(fold(x.option)));
  if (immigration && criminal && criminal.why.every((w) => CUSTODY_WORDS.has(w))) scored.splice(scored.indexOf(criminal), 1);
  // "The police came", "I got a police report": in an accident story the police are a witness, not a charge.
  const injury = scored.find((x) => /injur|accident/.test(fold(x.option)));
  if (injury && criminal && scored.includes(criminal) && criminal.why.every((w) => w === 'police' || w === 'policia')) scored.splice(scored.indexOf(criminal), 1);
  // The victim of a crime ("I was the victim of a robbery ... a U visa") is not the one who needs a defence.
  else if (criminal && scored.length > 1 && VICTIM.test(heard)) scored.splice(scored.indexOf(criminal), 1);
  scored.sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (best) {
    // Two matters heard: only one far ahead is taken; otherwise the flow asks (a wrong matter sends the caller down
    // the wrong questions, and is never read back).
    const clear = !second || best.score >= 2 * second.score;
    const why = best.why.map((w) => `said "${w}"`);
    return { choice: best.option, confidence: clear ? 0.75 : 0.55, rationale: clear ? why : [...why, `but also "${second!.why.join('", "')}"`] };
  }
  // Yes/no questions answered directly.
  const yn = normaliseYesNo(text);
  if (yn.status === 'ok') {
    const choice = yn.value ? find(YES_OPTIONS) : find(NO_OPTIONS);
    if (choice) return { choice, confidence: 0.7, rationale: [`answered ${yn.value ? 'yes' : 'no'}`] };
  }
  const other = find(['other', 'unknown', 'otro']);
  return other
    ? { choice: other, confidence: 0.3, rationale: ['no rule matched'] }
    : { choice: null, confidence: 0, rationale: ['no rule matched'] };
}

const SLOT_WORDS: Record<SlotType, RegExp> = {
  person_name: /\b(?:name|spell(?:ed|s)?|nombre|apellido|llamo)\b/,
  phone: /\b(?:number|phone|cell|mobile|telefono|numero|celular)\b/,
  email: /\b(?:email|e mail|e-mail|correo|address is .*\bat\b)\b/,
  date: /\b(?:date|birthday|born|happened|nacimiento|naci|fecha|cumpleanos)\b/,
  address: /\b(?:address|street|live at|direccion|vivo)\b/,
  yes_no: /$^/, enum: /$^/, number: /\b(?:amount|how many|cantidad)\b/, digits: /\b(?:case number|zip|code|digits|codigo)\b/, text: /$^/,
};
export const CORRECTION_START = /^\s*(?:no\b|nope|actually|sorry|wait|oops|that'?s (?:wrong|not right|incorrect)|correction|i meant|i said|perdon|perdón|no es|esta mal|está mal|me equivoque|me equivoqué)/i;

/** The correction without its opening "no," / "sorry," so it can be extracted like an answer. */
export const correctionText = (text: string): string => text.replace(/^\s*(?:no|nope|actually|sorry|wait|oops|perdón|perdon)\b[,.!]?\s*/i, '').trim();

/** Finds which collected slot a correction like "no, my name is Ann Lee" targets. */
export function correctionByRules(text: string, slots: SlotSpec[], ctx: { defaultRegion: string }): Correction | null {
  if (!CORRECTION_START.test(text)) return null;
  const t = fold(text);
  const named = (s: SlotSpec) => s.name.toLowerCase().split(/[_\s]+/).filter((w) => w.length > 2 && t.includes(w)).length;
  const candidates = slots.filter((s) => SLOT_WORDS[s.type].test(t)).sort((a, b) => named(b) - named(a));
  let target = candidates[0];
  if (!target) {
    // No keyword: recognise the shape of what was said.
    if (normaliseEmail(text).status === 'ok') target = slots.find((s) => s.type === 'email');
    else if (normalisePhone(text, ctx.defaultRegion).status === 'ok') target = slots.find((s) => s.type === 'phone');
  }
  if (!target) return null;
  return { slot: target.name, utterance: correctionText(text) };
}

// Volunteered values: what an utterance gives for slots other than the one asked ("my son was just arrested, I'm
// his grandmother Rosa Diaz" -> practice area, caller name; "the other driver was a guy named Kevin Walsh" -> the
// opposing party). Precision over recall: a value is offered only with a clear signal (an introduction, a cue
// phrase, a phone or email shape), never overwrites a slot already held, and an unsure one asks for a read-back.
import { extractDeterministic } from '../extract.js';
import type { Normalised } from '../normalisers/result.js';
import { normaliseEmail } from '../normalisers/email.js';
import { normaliseEnum } from '../normalisers/enum.js';
import { normalisePhone } from '../normalisers/phone.js';
import { buildExtraction } from '../policy.js';
import { AREA_ALIASES, OLD_HISTORY, PRACTICE_AREAS, withoutHomonyms } from '../rules.js';
import { custodyNow } from '../emergency.js';
import type { SlotSpec, SlotValue } from '../types.js';
import type { SlotFill, UnderstandingContext } from '../interpretation.js';
import { type CueHit, findCues, foldKeep, negatedBefore, soughtBefore } from './cues.js';
import { callerName, partyNames } from './people.js';

type Ctx = Pick<UnderstandingContext, 'now' | 'timezone' | 'defaultRegion' | 'language' | 'slots'>;

/** A fill for `slot` with the read-back the slot's policy wants at this confidence. */
export function makeFill(slot: SlotSpec, n: Normalised, source: string, confidence: number, ctx: Ctx): SlotFill | null {
  if (n.status !== 'ok' || n.value === undefined) return null;
  const ex = buildExtraction(slot, n, confidence, { language: ctx.language, defaultRegion: ctx.defaultRegion });
  if (ex.status !== 'ok' || ex.value === undefined) return null;
  return {
    slot: slot.name, value: ex.value, spoken: ex.spoken ?? String(ex.value), source: source.trim(), confidence, confirm: ex.confirm,
    ...(ex.reason ? { reason: ex.reason } : {}), ...(ex.askToSpell ? { askToSpell: true } : {}),
  };
}

const ok = (value: SlotValue, note?: string): Normalised => ({ status: 'ok', value, ...(note ? { note } : {}) });

/** A text slot that names a party (opposing party, other driver, employer, landlord, insurer): its value is a name. */
export function isPartySlot(slot: SlotSpec): boolean {
  if (slot.party !== undefined) return slot.type === 'text' && slot.party;
  return slot.type === 'text' && /\b(?:party|parties|driver|employer|landlord|company|insurer|insurance|defendant|spouse|other side|opposing|adverse)\b|_party$|^opposing/i.test(`${slot.name.replace(/_/g, ' ')} ${slot.description ?? ''}`);
}

/** A yes/no slot about someone being held right now (jail, police custody, immigration detention). */
function isCustodySlot(slot: SlotSpec): boolean {
  return /custody|jail|detain|held|arrest/i.test(`${slot.name.replace(/_/g, ' ')} ${slot.description ?? ''}`);
}

/** A cue followed by whose it is, when that is not the firm ("a client of State Farm", "cliente de Allstate"). */
const OF_ANOTHER = /^\s+(?:of|at|with|de|con)\s+(?!(?:yours|you|y'all|your (?:firm|office)|the firm|this firm|ustedes|la firma|esta firma|su (?:firma|oficina))\b)\S/i;

/** A slot naming someone who died ("decedent", "the person who passed away"). */
function isDecedentSlot(slot: SlotSpec): boolean {
  return /decedent|deceased|passed away|died|fallec/i.test(`${slot.name.replace(/_/g, ' ')} ${slot.description ?? ''}`);
}
const DEATH_TOLD = /\b(?:passed(?: away| on)?|died|dead|death|deceased|late|funeral|estate|probate|will|murio|fallecio|fallecid[oa]|difunt[oa]|muerte|velorio|testamento|herencia)\b/;

/** The slot that holds the caller's own name. */
function callerNameSlot(slots: SlotSpec[]): SlotSpec | undefined {
  const names = slots.filter((s) => s.type === 'person_name');
  return names.find((s) => /caller|client|your/i.test(s.name)) ?? (names.length === 1 && !names[0]!.cues ? names[0] : undefined);
}

/** Clause boundaries around an offset: the stretch of the sentence a cue belongs to. */
const BOUNDARY = /[.!?;]\s+|,\s+(?=(?:and|but|so|y|pero)\b)|\s+(?:and then|but|because|pero|porque)\s+/gi;
function clauseAround(text: string, at: number): { start: number; end: number } {
  let start = 0;
  let end = text.length;
  for (const m of text.matchAll(BOUNDARY)) {
    if (m.index + m[0].length <= at) start = m.index + m[0].length;
    else if (m.index >= at) { end = m.index; break; }
  }
  return { start, end };
}

const SENTENCE_END = /[.!?;]\s|\s(?:and then|but|because|pero|porque)\s/i;
function toSentenceEnd(s: string): string {
  const m = SENTENCE_END.exec(`${s} `);
  return m ? s.slice(0, m.index) : s;
}

/** Enum slots whose values are practice areas (criminal, family, ...): the opening statement says which. */
function isPracticeSlot(slot: SlotSpec): boolean {
  const keys = (slot.values ?? []).map((v) => v.value.toLowerCase().replace(/[\s-]+/g, '_'));
  return keys.filter((k) => PRACTICE_AREAS[AREA_ALIASES[k] ?? k] !== undefined).length >= 2;
}

/** Built-in keywords that name no matter alone when volunteered ("está detenido": by the police or by ICE?). */
const VAGUE_KEYWORDS = new Set(['detenido', 'detained', 'police', 'policia', 'property', 'ticket', 'hurt', 'fell', 'will', 'trust', 'estate', 'papeles', 'renta', 'died', 'passed away', 'my ex', 'lesion']);
const areaCache = new Map<string, [string, RegExp][]>();
/** One pattern per value: its synonyms and the built-in keywords of the practice area ("atropell*" is a prefix). */
function areaPatterns(slot: SlotSpec): [string, RegExp][] {
  const key = JSON.stringify(slot.values ?? []);
  let list = areaCache.get(key);
  if (!list) {
    list = (slot.values ?? []).map((v) => {
      const k = v.value.toLowerCase().replace(/[\s-]+/g, '_');
      const words = [...v.synonyms, ...(PRACTICE_AREAS[AREA_ALIASES[k] ?? k] ?? []).filter((w) => !VAGUE_KEYWORDS.has(w))];
      const alts = words.map((w) => `${foldKeep(w).replace(/\*$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${w.endsWith('*') ? '' : '(?![\\p{L}])'}`);
      return [v.value, new RegExp(`(?<![\\p{L}])(?:${alts.join('|')})`, 'u')] as [string, RegExp];
    });
    if (areaCache.size > 50) areaCache.clear();
    areaCache.set(key, list);
  }
  return list;
}

/** Practice area in free speech: flow synonyms first, built-in keywords second; "in custody" is not family law. */
function practiceArea(slot: SlotSpec, text: string): { value: string; confidence: number } | null {
  // "Will Turner", "I will call back": "will" means a testament only after an article or possessive ("my mom's will").
  const t = withoutHomonyms(text.toLowerCase().replace(/[’]/g, "'"))
    .replace(/\b(?:in|into|taken into|police|under|ice)\s+custody\b/gi, 'in jail')
    .replace(/\b(\w+(?:'s)?)\s+will\b/gi, (m, w: string) => (/^(?:a|the|my|his|her|their|our|mom's|dad's|father's|mother's|living|last)$/i.test(w) ? m : `${w} `))
    .replace(/^\s*will\b/i, ' ');
  const direct = normaliseEnum(t, slot.values);
  const folded = foldKeep(t);
  const matched = new Set<string>();
  for (const [value, re] of areaPatterns(slot)) if (re.test(folded)) matched.add(value);
  matched.delete('other');
  // Detained by ICE is an immigration matter, not a criminal one.
  const immigration = [...matched].find((v) => /immigra/.test(v));
  if (immigration && matched.size > 1 && /\b(?:ice|immigration|inmigracion|migra|deport\w*)\b/.test(folded)) return { value: immigration, confidence: 0.7 };
  if (direct.status === 'ok' && typeof direct.value === 'string' && direct.value !== 'other') {
    return { value: direct.value, confidence: matched.size > 1 || direct.note ? 0.6 : 0.85 };
  }
  if (matched.size === 1) return { value: [...matched][0]!, confidence: 0.7 };
  return null;
}

/** Words a phone number does not belong to: case, booking, claim and policy numbers are other slots. */
const OTHER_NUMBER = /\b(?:case|booking|claim|policy|account|docket|file|reference|confirmation|license|licence|zip|social|inmate|a number|alien|receipt|expediente|caso)\b/i;

export interface VolunteerOptions {
  /** Slots that already have a value from this utterance or before, or are being asked: nothing volunteered for them. */
  taken: Set<string>;
  /** The name this utterance gave for the asked name slot, kept out of other readings. */
  askedName?: string;
  /** Fills already read from this utterance (the asked slot's): a name given there is not given to another slot. */
  given?: SlotFill[];
  /** The slot asked, if any. */
  asked?: SlotSpec;
}

/** Every volunteered value the utterance gives, at most one per slot. */
export function volunteer(text: string, ctx: UnderstandingContext, opts: VolunteerOptions): SlotFill[] {
  const out: SlotFill[] = [];
  const free = (s: SlotSpec) => !opts.taken.has(s.name) && !out.some((f) => f.slot === s.name);
  const slots = ctx.slotsInScope;

  const me = callerNameSlot(slots);
  if (me && free(me)) {
    const n = callerName(text);
    const f = n && makeFill(me, ok(n.value), n.source, n.confidence, ctx);
    if (f) out.push(f);
  }

  const phone = slots.find((s) => s.type === 'phone' && free(s));
  if (phone && /\d|\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)\b/i.test(text)) {
    for (const piece of text.split(/[.!?;]\s+|\s+(?:and|but|y|pero)\s+/i)) {
      if (OTHER_NUMBER.test(piece)) continue;
      const n = normalisePhone(piece, ctx.defaultRegion);
      const f = n.status === 'ok' ? makeFill(phone, n, piece, 0.85, ctx) : null;
      if (f) { out.push(f); break; }
    }
  }

  const email = slots.find((s) => s.type === 'email' && free(s));
  if (email && (/@/.test(text) || /\b(?:at|arroba)\b[\s\S]*\b(?:dot|punto)\s+(?:com|net|org|edu|gov|us|mx|co)\b/i.test(text))) {
    for (const piece of text.split(/[!?;]\s+|\.\s+(?=\p{Lu})/u)) {
      const n = normaliseEmail(piece);
      const f = n.status === 'ok' ? makeFill(email, n, piece, 0.85, ctx) : null;
      if (f) { out.push(f); break; }
    }
  }

  out.push(...volunteeredDates(text, ctx, slots.filter((s) => s.type === 'date' && free(s))));

  // A cue inside a longer cue of another slot belongs to that slot ("dejó" in "dejó testamento").
  const allHits = new Map(slots.filter((s) => s.type !== 'date').map((s) => [s.name, findCues(text, s, ctx.language)] as const));
  const longer = [...allHits.values()].flat();
  const inside = (h: CueHit) => longer.some((o) => o.slot !== h.slot && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start);
  for (const slot of slots) {
    if (!free(slot)) continue;
    // Only for slots whose value is read from the words after the cue; two yes/no facts may share words.
    const hits = (allHits.get(slot.name) ?? []).filter((h) => slot.type === 'yes_no' || !inside(h));
    let f: SlotFill | null = null;
    if (slot.type === 'enum') {
      const hit = hits[0];
      if (hit) {
        const c = clauseAround(text, hit.start);
        const n = normaliseEnum(text.slice(c.start, c.end), slot.values);
        f = makeFill(slot, n, text.slice(c.start, c.end), n.status === 'ok' && n.note ? 0.6 : 0.8, ctx);
      } else if (isPracticeSlot(slot) && !(opts.asked?.type === 'text' && !isPartySlot(opts.asked))) {
        // A free-text answer ("How can I help you today?") is what the flow's own `decide` step judges for the
        // practice area (Tree of Thought online); understanding places it from other answers.
        // The caller's name is not evidence of a matter ("Will Turner", "Rosa Custodio").
        const named = out.find((x) => x.slot === me?.name);
        const said = named ? text.replace(String(named.value), ' ') : text;
        const a = practiceArea(slot, opts.askedName ? said.replace(opts.askedName, ' ') : said);
        f = a ? makeFill(slot, ok(a.value), text, a.confidence, ctx) : null;
      }
    } else if (slot.type === 'yes_no') {
      // "I need a protective order" says nothing about orders already in place: a cue for something wanted is skipped.
      // "I'm a client of State Farm": a client of someone else, not of the firm.
      const hit = hits.find((h) => !soughtBefore(text, h.start) && !(/client|cliente/.test(h.phrase) && OF_ANOTHER.test(text.slice(h.end))));
      // "I got arrested ... I'm out on bond now": whether someone is held now, the release said last decides; "I was
      // arrested on October 2nd" (the caller is on the phone) leaves it open, for the flow's own question.
      const held = hit && isCustodySlot(slot) ? custodyNow(text) : null;
      const released = hit && isCustodySlot(slot) && (OLD_HISTORY.test(foldKeep(text)) || held === 'released');
      if (hit && held === 'open' && !negatedBefore(text, hit.start)) f = null;
      else if (hit) f = makeFill(slot, ok(!released && !negatedBefore(text, hit.start)), text.slice(clauseAround(text, hit.start).start, clauseAround(text, hit.start).end), released || negatedBefore(text, hit.start) ? 0.7 : 0.85, ctx);
    } else if (slot.type === 'text') {
      f = textFill(slot, text, hits, ctx);
    } else if (slot.type === 'person_name' && slot !== me) {
      // "my father, Harold Lutz, he fell": a kinship cue names a decedent only when a death is told.
      f = isDecedentSlot(slot) && !DEATH_TOLD.test(foldKeep(text)) ? null : nameByCue(slot, text, hits, ctx, [...(opts.given ?? []), ...out]);
    }
    if (f) out.push(f);
  }
  return out;
}

/** Lead words that introduce the value rather than belong to it ("charged with DUI", "status: green card holder"). */
const INTRO_END = /(?:\bwith|\bon|\bfrom|\bthrough|\bby|\bfor|\babout|\bof|\bas|\bis|\bwas|\bare|\bnamed|\bcalled|\bde|\bpor|\bcon|\bes|:)$/i;

function textFill(slot: SlotSpec, text: string, hits: CueHit[], ctx: Ctx): SlotFill | null {
  const hit = hits[0];
  if (!hit) return null;
  const after = toSentenceEnd(text.slice(hit.end));
  if (isPartySlot(slot)) {
    const name = partyNames(after);
    if (!name) return null;
    const source = text.slice(hit.start, hit.end) + after;
    // A capitalised or known name reads as sure; a lower-case guess is read back.
    const sure = /\p{Lu}/u.test(after) || /\b(?:named|called|name is|se llama)\b/i.test(after);
    return makeFill(slot, ok(name), source, sure ? 0.85 : 0.7, ctx);
  }
  const lead = INTRO_END.test(hit.phrase);
  // "charged with possession last month": the date belongs to a date slot, not to the charge.
  const upToTime = after.replace(/,\s+[\s\S]*$|\s+and\s+(?=(?:i|i'm|he|she|they|we|my|it|now|then)\b)[\s\S]*$/i, '').replace(/[\s,]+(?:last|this|next|yesterday|today|tonight|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:a|one|two|three|\d+) (?:days?|weeks?|months?|years?) ago|back in|in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b[\s\S]*$/i, '');
  const value = (lead ? upToTime : text.slice(hit.start, hit.end) + upToTime).replace(/^[\s,:-]+|[\s,.;]+$/g, '');
  if (value.split(/\s+/).length < 1 || value.length < 2) return null;
  // "a domestic thing", "some situation": too vague to store; the flow's own question gets the real answer.
  if (/\b(?:thing|things|stuff|something|situation|issue|problem|cosa|algo)\b/i.test(value) && value.split(/\s+/).length <= 5) return null;
  return makeFill(slot, ok(value), text.slice(hit.start, hit.end) + after, 0.75, ctx);
}

/**
 * A person named by a cue ("my late father, Robert Diaz", "my mom Helen passed away"): the name right after the cue,
 * else one earlier in the same clause. A name already given to another slot in this utterance is not taken again.
 */
function nameByCue(slot: SlotSpec, text: string, hits: CueHit[], ctx: Ctx, others: SlotFill[]): SlotFill | null {
  const used = new Set(others.map((f) => String(f.value)));
  for (const hit of hits) {
    const after = toSentenceEnd(text.slice(hit.end));
    const c = clauseAround(text, hit.start);
    const before = text.slice(c.start, hit.start);
    for (const [words, source, adjacent] of [[after, text.slice(hit.start, hit.end) + after, false], [before, before + text.slice(hit.start, hit.end), true]] as const) {
      const name = partyNames(words.replace(/^\s*(?:,|was|is|named|called|his name was|her name was|his name is|her name is)\s+/i, ''));
      if (!name || name.includes(';') || used.has(name)) continue;
      // Before the cue, the name must be what the cue follows ("my mom Helen Ruiz passed away").
      if (adjacent && !foldKeep(words.replace(/[\s,]+$/, '')).endsWith(foldKeep(name))) continue;
      return makeFill(slot, ok(name), source, /\p{Lu}/u.test(words) ? 0.8 : 0.7, ctx);
    }
  }
  return null;
}

/**
 * Dates placed by their cues: each cue owns the text up to the next date cue ("the accident was last Friday and my
 * court date is next Tuesday"); a date without a cue is not placed on any slot but the asked one.
 */
export function volunteeredDates(text: string, ctx: Ctx, dateSlots: SlotSpec[]): SlotFill[] {
  const hits = dateSlots.flatMap((s) => findCues(text, s, ctx.language)).sort((a, b) => a.start - b.start);
  const out: SlotFill[] = [];
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i]!;
    const slot = dateSlots.find((s) => s.name === hit.slot)!;
    if (out.some((f) => f.slot === slot.name)) continue;
    // Two slots cued by the same words ("a custody hearing": the family hearing and the criminal court date) share
    // the date; a cue of another slot further on ends this one's stretch.
    const next = hits.slice(i + 1).find((h) => h.slot !== hit.slot && h.start >= hit.end);
    // ... and the sentence it is in: "missing a court date on an old charge. I'm Reginald Thompson the third."
    const region = placesNoDate(toSentenceEnd(text.slice(hit.start, next ? next.start : text.length)));
    let n = extractDeterministic(slot, region, ctx);
    let source = region;
    if (n.status !== 'ok') {
      // "last Friday was the accident": the date said before the cue, inside the same clause.
      const c = clauseAround(text, hit.start);
      const prevEnd = hits.slice(0, i).reverse().find((h) => h.slot !== hit.slot)?.end ?? 0;
      source = text.slice(Math.max(c.start, prevEnd), hit.end);
      n = extractDeterministic(slot, placesNoDate(source), ctx);
    }
    const f = n.status === 'ok' ? makeFill(slot, n, source, 0.85, ctx) : null;
    if (f) out.push(f);
  }
  return out;
}

const ORDINAL = String.raw`(?:\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\w+teenth|twentieth|thirtieth|fortieth|fiftieth|(?:twenty|thirty|forty|fifty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))`;
/** Ordinals that name a place or a thing, not a day: "the 19th district station", "the fifth floor", "72nd Street". */
const PLACE_ORDINAL = new RegExp(`\\b${ORDINAL}\\s+(?:district|precinct|street|st|avenue|ave|floor|ward|place|grade|circuit|judicial|division|century|amendment|birthday|anniversary|time|offense|offence|dui|round|try|attempt|child|kid|baby|husband|wife|marriage|job|shift|stop|exit|calle|avenida|piso|distrito)\\b`, 'gi');
/** `text` with place ordinals blanked (same length), so a date reader does not take them for days. */
/** "Reginald Thompson the third", "Henry the 2nd": a generation after a name. */
const NAME_ORDINAL = /(?<=\p{Lu}\p{Ll}+\s+)the\s+(?:second|third|fourth|2nd|3rd|4th)\b/gu;
export function placesNoDate(text: string): string {
  return text.replace(PLACE_ORDINAL, (m) => ' '.repeat(m.length)).replace(NAME_ORDINAL, (m) => ' '.repeat(m.length));
}

/** The stretches of `text` that volunteered dates came from, so the asked date slot does not read them again. */
export function withoutSources(text: string, fills: SlotFill[]): string {
  let t = text;
  for (const f of fills) if (f.source) t = t.replace(f.source, ' ');
  return t.trim();
}

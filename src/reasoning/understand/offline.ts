// Offline understanding: the asked slot through the extract building blocks, values volunteered for any other slot in
// scope (volunteer.ts), corrections of held slots (corrections.ts), requests and questions by phrase, yes/no for
// read-backs, and the language when it is clear. Deterministic, so `hermes chat` and the tests need no LLM.
import { emptyInterpretation, type Interpretation, type SlotFill, type UnderstandingContext } from '../interpretation.js';
import { isPlaceSlot, normalisePlace } from '../normalisers/misc.js';
import { normaliseYesNo } from '../normalisers/yes-no.js';
import { redactCardNumbers } from '../redact.js';
import type { Extraction, SlotSpec, UtteranceInput } from '../types.js';
import { detectQuestions, isOnlyQuestion } from './questions.js';
import { detectRequests } from './requests.js';
import { findCorrections, partialName } from './corrections.js';
import { detectLanguage } from './language.js';
import { affirmedByStatement } from './statements.js';
import { callerName } from './people.js';
import { partyFill } from './parties.js';
import { buildExtraction } from '../policy.js';
import { isPartySlot, placesNoDate, volunteer, withoutSources } from './volunteer.js';

/** Ownership words before a company name ("belonged to", "owned by", "works for", "de la empresa"). */
const OWNED_BY = /\b(?:belonged to|belongs to|owned by|works for|worked for|working for|drives for|driving for|was driving for|de la empresa|de la compa[nñ][ií]a|trabaja para)\s+/gi;

type Extract = (slot: SlotSpec, input: UtteranceInput, ctx: UnderstandingContext) => Promise<Extraction>;

/** A bare "no" ("no", "nope, no one", "no, nadie"): for a party slot, there is none. */
const BARE_NO = /^\s*(?:no+|nope|nah|no,? (?:there isn't|there's not|no one|nobody|nadie|ninguno|ninguna)|no hay)[\s.,!]*$/i;

/** There is none: "he didn't have insurance", "ninguna, no tenía seguro", "nobody else was involved". */
const NONE_EXISTS = /^\s*(?:ninguna|ninguno|nadie|none|nobody|no one|no-one)\b|\b(?:didn'?t|did not|doesn'?t|does not|don'?t|do not|never) (?:have|had|carry|carried) (?:any |no )?(?:insurance|coverage|one)\b|\b(?:no|without) (?:insurance|coverage)\b|\buninsured\b|\b(?:no|sin) (?:ten[ií]a|tiene|tienen|ten[ií]an)? ?seguro\b|\bsin seguro\b|\bnobody else (?:was )?involved\b/i;

/** The caller does not know the other party's name. */
const NAME_UNKNOWN = /\b(?:(?:i )?(?:don'?t|do not|never) (?:know|knew|got|caught|found out|remember)(?: what)? (?:his|her|their|the|its) (?:\w+ )?name|no (?:s[eé]|me acuerdo (?:de|del)) (?:c[oó]mo se llama(?:ba)?|su nombre|el nombre)|never (?:caught|found) (?:him|her|them|out who))\b/i;

const NO_PREFIX = /^\s*(?:no|nope|nah|that's wrong|that is wrong|wrong|incorrect|not quite|no es correcto|incorrecto)\b[,.!]*\s*(?:it's|it is|its|es)?\s*/i;

function fillOf(slot: string, ex: Extraction, source: string): SlotFill | null {
  if (ex.status !== 'ok' || ex.value === undefined) return null;
  return {
    slot, value: ex.value, spoken: ex.spoken ?? String(ex.value), source, confidence: ex.confidence, confirm: ex.confirm,
    ...(ex.reason ? { reason: ex.reason } : {}), ...(ex.askToSpell ? { askToSpell: true } : {}), ...(ex.lateVerdict ? { lateVerdict: ex.lateVerdict } : {}),
  };
}

export async function understandOffline(input: UtteranceInput, ctx: UnderstandingContext, extract: Extract): Promise<Interpretation> {
  const text = redactCardNumbers(input.text).trim();
  const out = emptyInterpretation('offline');
  if (!text) return out;
  const asked = ctx.asked ? ctx.slotsInScope.find((s) => s.name === ctx.asked!.slot) : undefined;
  const phoneSlot = ctx.slotsInScope.find((s) => s.type === 'phone');
  if (asked && ctx.asked?.purpose === 'confirm') {
    const yn = normaliseYesNo(text);
    if (yn.status === 'ok') out.affirm = yn.value === true;
    const rest = out.affirm === false ? text.replace(NO_PREFIX, '').trim() : yn.status === 'ok' ? '' : text;
    const pending = ctx.asked.pendingValue;
    const partial = asked.type === 'person_name' && typeof pending === 'string' ? partialName(text, pending, ctx.language) : null;
    if (partial) {
      // "No, my last name is spelled K O W A L S K I": the held first name stays.
      out.fills.push({ slot: asked.name, value: partial.value, spoken: partial.value, source: text, confidence: 0.85, confirm: true });
    } else if (rest) {
      const ex = await extract(asked, { ...input, text: rest, alternatives: [{ text: rest, confidence: input.confidence }] }, ctx);
      let f = fillOf(asked.name, ex, rest);
      // A party corrected at its read-back ("no, it is my landlord, Ravi Menon") is a party answer like the first:
      // the name (and the relationship beside it), never the caller's phrase.
      const party = f && isPartySlot(asked) ? partyFill(asked, rest.replace(OWNED_BY, ', it was '), ctx) : null;
      if (f && party) f = party;
      if (f && f.value !== pending) out.fills.push({ ...f, confirm: true });
    }
  } else if (asked) {
    // "the 19th district station", "the fifth floor": ordinals that name places are no day for the asked date.
    const dated = asked.type === 'date' ? placesNoDate(text) : text;
    const ex = await extract(asked, dated === text ? input : { ...input, text: dated, alternatives: [{ text: dated, confidence: input.confidence }] }, ctx);
    let f = fillOf(asked.name, ex, text);
    // The other party is a name for the conflict check, not the caller's sentence ("my husband, Arjun Raman"); an
    // unsure reading is read back (parties.ts, which also takes a company named after ownership words).
    const party = f && isPartySlot(asked) ? partyFill(asked, text.replace(OWNED_BY, ', it was '), ctx) : null;
    if (f && party) f = party;
    // "No" to "who is the other party? if there isn't one, say none" is the "none", not a party called No; "the guy
    // who robbed me, I don't know his name" names nobody, and is no sentence to read back as a name.
    else if (f && isPartySlot(asked) && (BARE_NO.test(text) || NONE_EXISTS.test(text) || NAME_UNKNOWN.test(text))) f = null;
    // A party answer in which no name was found is the caller's sentence, not a name for the conflict check: it is
    // read back before it counts.
    else if (f && isPartySlot(asked) && String(f.value).split(/\s+/).length > 4) f = { ...f, confidence: Math.min(f.confidence, 0.6), confirm: asked.confirm !== 'never', reason: 'no name heard in the answer' };
    // A county is a place name, not the caller's sentence ("Cook, it was in Berwyn"); a mind changed on the way
    // ("Will, no wait, ... so DuPage") or a reply that names no place is read back.
    if (f && asked.type === 'text' && isPlaceSlot(asked.name, asked.description)) {
      const place = normalisePlace(text);
      f = place
        ? fillOf(asked.name, buildExtraction(asked, { status: 'ok', value: place.value }, place.corrected ? 0.7 : 0.85, { language: ctx.language, defaultRegion: ctx.defaultRegion }), text) ?? f
        : { ...f, confidence: 0.7, confirm: asked.confirm !== 'never', reason: 'no place name heard' };
    }
    // "my grandson was just arrested, I'm his grandmother Rosa Diaz" at the name prompt: the introduction inside it.
    if (!f && asked.type === 'person_name') {
      const me = callerName(text);
      if (me) f = fillOf(asked.name, buildExtraction(asked, { status: 'ok', value: me.value }, me.confidence, { language: ctx.language, defaultRegion: ctx.defaultRegion }), me.source);
    }
    // "I went to urgent care on Sunday" for "have you seen a doctor?": told rather than said, a yes to read back.
    if (!f && asked.type === 'yes_no' && ex.status === 'none' && ctx.asked?.purpose === 'answer') {
      const sure = affirmedByStatement(text, asked);
      if (sure !== null) f = fillOf(asked.name, buildExtraction(asked, { status: 'ok', value: true, note: 'a statement, not a yes' }, sure, { language: ctx.language, defaultRegion: ctx.defaultRegion }), text);
    }
    if (f) out.fills.push(f);
    else if (ex.status === 'invalid') out.invalid.push({ slot: asked.name, source: text, reason: ex.reason ?? 'not a valid value', ...(ex.askToSpell ? { askToSpell: true } : {}) });
    if (asked.type === 'yes_no' && f) out.affirm = f.value === true;
  }
  if (asked && isPartySlot(asked) && ctx.asked?.purpose === 'answer' && !out.fills.some((f) => f.slot === asked.name)) {
    if (BARE_NO.test(text) || NONE_EXISTS.test(text)) out.requests.push({ kind: 'skip', slot: asked.name });
    else if (NAME_UNKNOWN.test(text)) out.requests.push({ kind: 'unknown', slot: asked.name });
  }
  out.requests.push(...detectRequests(text, ctx, {
    ...(asked ? { asked } : {}), ...(phoneSlot ? { phoneSlot } : {}), ...(ctx.callerId ? { callerId: ctx.callerId } : {}),
    answered: out.fills.some((f) => f.slot === asked?.name && asked.type !== 'text'),
  }).filter((r) => !out.requests.some((q) => q.kind === r.kind)));
  out.questions = detectQuestions(text, ctx.faq, ctx.language);
  // "How much is a consultation?" at the name or description prompt is a question, not the answer to it.
  if (out.questions.length && isOnlyQuestion(text)) out.fills = out.fills.filter((f) => f.slot !== asked?.name || (asked.type !== 'text' && asked.type !== 'person_name'));
  // A skip or "I don't know" is not also a free-text value.
  if (out.requests.some((r) => r.kind === 'skip' || r.kind === 'unknown' || r.kind === 'use_caller_id')) out.fills = out.fills.filter((f) => f.slot !== asked?.name);
  out.corrections = findCorrections(text, ctx, asked);
  // "No, my name is Ann Lee" at another question: the words were the correction, not that question's answer.
  if (out.corrections.length && asked && !['phone', 'email', 'date', 'digits'].includes(asked.type)) {
    out.fills = out.fills.filter((f) => f.slot !== asked.name);
    if (asked.type === 'yes_no') delete out.affirm;
  }
  if (!(out.questions.length && isOnlyQuestion(text))) {
    const held = Object.entries(ctx.slots).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k]) => k);
    const taken = new Set([...held, ...out.fills.map((f) => f.slot), ...out.corrections.map((c) => c.slot), ...(asked ? [asked.name] : [])]);
    const askedName = asked?.type === 'person_name' ? out.fills.find((f) => f.slot === asked.name)?.value : undefined;
    const more = volunteer(text, ctx, { taken, given: out.fills, ...(asked ? { asked } : {}), ...(typeof askedName === 'string' ? { askedName } : {}) });
    // The asked date slot does not read a date the caller placed on another slot ("my court date is next Tuesday").
    const own = asked?.type === 'date' ? out.fills.find((f) => f.slot === asked.name) : undefined;
    const otherDates = more.filter((f) => ctx.slotsInScope.find((s) => s.name === f.slot)?.type === 'date');
    if (asked && own && otherDates.length && ctx.asked?.purpose === 'answer') {
      const rest = withoutSources(text, otherDates);
      const ex = rest ? await extract(asked, { ...input, text: rest, alternatives: [{ text: rest, confidence: input.confidence }] }, ctx) : null;
      const f = ex ? fillOf(asked.name, ex, rest) : null;
      out.fills = out.fills.filter((x) => x !== own);
      if (f) out.fills.unshift(f);
    }
    out.fills.push(...more);
  }
  const language = detectLanguage(text);
  if (language) out.language = language;
  out.nothingUsable = out.fills.length + out.corrections.length + out.invalid.length + out.requests.length + out.questions.length === 0 && out.affirm === undefined;
  return out;
}

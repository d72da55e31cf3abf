// Offline understanding (first cut): the asked slot through the existing extract building blocks, requests by
// phrase, yes/no for read-backs. Fills for volunteered slots, FAQ questions and corrections come next (see README).
import { emptyInterpretation, type Interpretation, type SlotFill, type UnderstandingContext } from '../interpretation.js';
import { normaliseYesNo } from '../normalisers/yes-no.js';
import { redactCardNumbers } from '../redact.js';
import type { Extraction, SlotSpec, UtteranceInput } from '../types.js';
import { detectQuestions, isOnlyQuestion } from './questions.js';
import { detectRequests } from './requests.js';

type Extract = (slot: SlotSpec, input: UtteranceInput, ctx: UnderstandingContext) => Promise<Extraction>;

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
    if (rest) {
      const ex = await extract(asked, { ...input, text: rest, alternatives: [{ text: rest, confidence: input.confidence }] }, ctx);
      const f = fillOf(asked.name, ex, rest);
      if (f && f.value !== ctx.asked.pendingValue) out.fills.push({ ...f, confirm: true });
    }
  } else if (asked) {
    const ex = await extract(asked, input, ctx);
    const f = fillOf(asked.name, ex, text);
    if (f) out.fills.push(f);
    else if (ex.status === 'invalid') out.invalid.push({ slot: asked.name, source: text, reason: ex.reason ?? 'not a valid value', ...(ex.askToSpell ? { askToSpell: true } : {}) });
    if (asked.type === 'yes_no' && f) out.affirm = f.value === true;
  }
  out.requests = detectRequests(text, ctx, {
    ...(asked ? { asked } : {}), ...(phoneSlot ? { phoneSlot } : {}), ...(ctx.callerId ? { callerId: ctx.callerId } : {}),
    answered: out.fills.some((f) => f.slot === asked?.name && asked.type !== 'text'),
  });
  out.questions = detectQuestions(text, ctx.faq, ctx.language);
  // "How much is a consultation?" at the name or description prompt is a question, not the answer to it.
  if (out.questions.length && isOnlyQuestion(text)) out.fills = out.fills.filter((f) => f.slot !== asked?.name || (asked.type !== 'text' && asked.type !== 'person_name'));
  // A skip or "I don't know" is not also a free-text value.
  if (out.requests.some((r) => r.kind === 'skip' || r.kind === 'unknown' || r.kind === 'use_caller_id')) out.fills = out.fills.filter((f) => f.slot !== asked?.name);
  out.nothingUsable = out.fills.length + out.corrections.length + out.invalid.length + out.requests.length + out.questions.length === 0 && out.affirm === undefined;
  return out;
}

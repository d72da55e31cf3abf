// A scripted Reasoner for engine unit tests: answers are decided by the test, so engine behaviour (read-backs,
// spelling, late verdicts, corrections) can be driven exactly. Scenario tests use the real offline reasoner.
import type { Interpretation, SlotFill, UnderstandingContext } from '../../src/reasoning/interpretation.js';
import type { Correction, Extraction, Reasoner, SlotSpec } from '../../src/reasoning/types.js';
import { understandOffline } from '../../src/reasoning/understand/offline.js';

export type Rule = (slot: SlotSpec, text: string) => Partial<Extraction> | undefined;

/** A test-given interpretation for an utterance (merged over what the scripted extract rules understand). */
export type Interpret = (text: string) => Partial<Interpretation> | undefined;

export function scriptedReasoner(rule: Rule = () => undefined, correction?: (text: string) => Correction | null, interpret?: Interpret): Reasoner {
  const r: Reasoner = {
    mode: 'offline',
    async understand(input, ctx) {
      const given = interpret?.(input.text.trim());
      const base = await understandOffline(input, ctx, (slot, inp, c) => r.extract(slot, inp, c));
      const fix = correction?.(input.text.trim());
      if (fix) {
        const spec = ctx.slotsInScope.find((x) => x.name === fix.slot);
        const ex = spec ? await r.extract(spec, { ...input, text: fix.utterance }, ctx) : undefined;
        if (ex?.status === 'ok' && ex.value !== undefined)
          return { ...base, fills: base.fills.filter((f) => f.slot !== fix.slot && f.slot !== ctx.asked?.slot), corrections: [{ slot: fix.slot, value: ex.value, spoken: ex.spoken ?? String(ex.value), source: fix.utterance, confidence: 1, confirm: false }], nothingUsable: false };
      }
      return given ? { ...base, ...given, nothingUsable: false } : base;
    },
    async extract(slot, input) {
      const text = input.text.trim();
      const custom = rule(slot, text);
      if (custom) return { status: 'ok', confidence: 1, confirm: false, ...custom };
      if (slot.type === 'yes_no') {
        if (/^(yes|yeah|s[ií])\b/i.test(text)) return { status: 'ok', value: true, confidence: 1, confirm: false };
        if (/^no\b/i.test(text)) return { status: 'ok', value: false, confidence: 1, confirm: false };
        return { status: 'none', confidence: 0, confirm: false };
      }
      if (slot.type === 'enum') {
        const hit = slot.values?.find((v) => v.value === text || v.synonyms.includes(text));
        return hit ? { status: 'ok', value: hit.value, confidence: 1, confirm: false } : { status: 'invalid', confidence: 0, confirm: false };
      }
      if (/don't know|^$/.test(text)) return { status: 'none', confidence: 0, confirm: false };
      return { status: 'ok', value: text, confidence: 1, confirm: false };
    },
    async decide() {
      return { choice: null, confidence: 0, rationale: [] };
    },
    async correction(input) {
      return correction ? correction(input.text) : null;
    },
  };
  return r;
}

/**
 * The real offline reasoner with test-given interpretations laid over it: `interpret` returns what understanding
 * should report for an utterance (fills for volunteered slots, corrections, requests); fields it gives replace the
 * offline ones, the rest (requests, questions, yes/no) stay as the offline understanding found them. Lets engine tests
 * drive the bundled flow with what good understanding will produce, independent of how good it is today.
 */
export function overlayReasoner(base: Reasoner, interpret: (text: string, ctx: UnderstandingContext) => Partial<Interpretation> | undefined): Reasoner & { decisions: string[] } {
  const decisions: string[] = [];
  return {
    mode: base.mode,
    decisions,
    async understand(input, ctx) {
      const found = await base.understand(input, ctx);
      const given = interpret(input.text.trim(), ctx);
      if (!given) return found;
      const merged = { ...found, ...given };
      merged.nothingUsable = merged.fills.length + merged.corrections.length + merged.requests.length + merged.questions.length + merged.invalid.length === 0 && merged.affirm === undefined;
      return merged;
    },
    extract: (slot, input, ctx) => base.extract(slot, input, ctx),
    async decide(spec, input, ctx) {
      decisions.push(`${spec.name}: ${input.text}`);
      return base.decide(spec, input, ctx);
    },
    correction: (input, slots, ctx) => base.correction(input, slots, ctx),
  };
}

/** A fill as understanding reports it (sure unless `confirm` is given). */
export function fill(slot: string, value: SlotFill['value'], spoken = String(value), extra: Partial<SlotFill> = {}): SlotFill {
  return { slot, value, spoken, source: spoken, confidence: extra.confirm ? 0.6 : 0.95, confirm: false, ...extra };
}

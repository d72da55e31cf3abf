// A scripted Reasoner for engine unit tests: answers are decided by the test, so engine behaviour (read-backs,
// spelling, late verdicts, corrections) can be driven exactly. Scenario tests use the real offline reasoner.
import { understandOffline } from '../../src/reasoning/understand/offline.js';
import type { Correction, Extraction, Reasoner, SlotSpec } from '../../src/reasoning/types.js';

export type Rule = (slot: SlotSpec, text: string) => Partial<Extraction> | undefined;

export function scriptedReasoner(rule: Rule = () => undefined, correction?: (text: string) => Correction | null): Reasoner {
  const reasoner: Reasoner = {
    mode: 'offline',
    // Understanding runs the real offline step over this double's scripted extract, so the test decides the values.
    understand: (input, ctx) => understandOffline(input, ctx, (slot, i) => reasoner.extract(slot, i, ctx)),
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
  return reasoner;
}

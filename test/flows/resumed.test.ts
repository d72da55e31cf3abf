// The `resumed` event: a conversation restored from its snapshot on a new stream tells the caller the line dropped
// and what they were doing, then puts the pending question again; "repeat that" afterwards repeats the question only.
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { createConversation, loadFlow, restoreConversation, type CallFacts } from '../../src/flows/index.js';
import { cutOffLine } from '../../src/flows/phrases.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import type { Command } from '../../src/flows/commands.js';

const facts: CallFacts = { callSid: 'CAresumed', from: '+13125550123', to: '+13125550100', startedAt: new Date('2026-03-02T15:00:00Z'), channel: 'phone' };
const says = (cmds: Command[]) => cmds.flatMap((c) => (c.type === 'say' ? [c.text] : []));
const utterance = (text: string) => ({ type: 'utterance' as const, text, alternatives: [{ text, confidence: 0.95 }], confidence: 0.95, final: true });

it('a restored conversation says the line dropped and what the caller was telling, then asks the pending question', async () => {
  const flow = await loadFlow(resolve('test/nginx/fixtures/resume-flow.yaml'));
  const deps = { reasoner: createOfflineReasoner() };
  const first = createConversation(flow, facts, deps);
  expect(says(await first.start())).toEqual(['Hi. Your name?']);
  expect(says(await first.handle(utterance('Maria Lopez')))).toContain('Your number?');
  const snap = JSON.parse(JSON.stringify(first.snapshot())) as unknown;

  const again = restoreConversation(flow, facts, deps, snap);
  const out = await again.handle({ type: 'resumed' });
  expect(says(out)).toEqual(['Sorry, we got cut off. You were telling me your phone number.', 'Your number?']);
  expect(out.at(-1)).toMatchObject({ type: 'listen', expect: { slot: 'callback_phone' } });
  expect(out[0]).toMatchObject({ type: 'say', promptId: 'hermes.cut_off.phone.tell.en' });
  expect(again.slots()).toEqual({ caller_name: 'Maria Lopez' });
  // Dropped twice: one line about the drop, never two stacked.
  expect(says(await again.handle({ type: 'resumed' }))).toEqual(['Sorry, we got cut off. You were telling me your phone number.', 'Your number?']);
  expect(says(await again.handle(utterance('repeat that')))).toEqual(['Your number?']);
});

it('says it in the caller\'s language, and plainly when the pending question has no topic', () => {
  expect(cutOffLine('es', 'phone', false).text).toBe('Perdón, se cortó la llamada. Me estaba diciendo su número de teléfono.');
  expect(cutOffLine('es', 'person_name', true).text).toBe('Perdón, se cortó la llamada. Estábamos confirmando su nombre.');
  expect(cutOffLine('en', 'enum', false).text).toBe("Sorry, we got cut off. Let's pick up where we left off.");
  expect(cutOffLine('en', undefined, false).promptId).toBe('hermes.cut_off.any.en');
});

// One call through the bundled intake flow for the listening tests: utterances in, what the caller hears out, effects
// answered like the in-memory integrations.
import { expect } from 'vitest';
import type { Command, SlotCommand } from '../../src/flows/commands.js';
import { createConversation, type CallFacts, type ConversationCore, type LoadedFlow } from '../../src/flows/index.js';
import type { Reasoner } from '../../src/reasoning/types.js';
import { MemoryEffects } from '../../src/simulate/effects.js';

export const OFFICE_HOURS = new Date('2026-11-24T10:00:00-05:00'); // a Tuesday

/** One call: utterances in, what the caller hears out; effects answered like the in-memory integrations. */
export class Call {
  readonly heard: string[] = [];
  readonly log: string[] = [];
  readonly effects = new MemoryEffects();
  /** Every slot command the core returned, in order (what a channel hands the intake recorder). */
  readonly slotCommands: SlotCommand[] = [];
  private core: ConversationCore;
  last: Command[] = [];

  constructor(flow: LoadedFlow, readonly reasoner: Reasoner, facts: Partial<CallFacts> = {}) {
    this.core = createConversation(flow, { callSid: 'CA-listen', from: '+13125551234', to: '+13125550100', startedAt: OFFICE_HOURS, channel: 'simulate', ...facts }, { reasoner, now: () => OFFICE_HOURS });
  }
  async start(): Promise<string[]> {
    return this.run(await this.core.start());
  }
  /** `confidence`: what speech recognition reported for the words (a clear line is 0.95). */
  async say(text: string, confidence = 0.95): Promise<string[]> {
    this.log.push(`CALLER: ${text}`);
    return this.run(await this.core.handle({ type: 'utterance', text, alternatives: [{ text, confidence }], confidence, final: true }));
  }
  private async run(cmds: Command[]): Promise<string[]> {
    const turn: string[] = [];
    for (let guard = 0; guard < 20; guard++) {
      const next: Command[] = [];
      for (const c of cmds) {
        if (c.type === 'say') turn.push(c.text);
        if (c.type === 'slot') this.slotCommands.push(c);
        if (c.type === 'transfer') turn.push(`[transfer to ${c.to}]`);
        if (c.type === 'effect') {
          const r = this.effects.run(c);
          next.push(...(await this.core.handle({ type: 'effectResult', id: c.id, ok: r.ok, ...(r.data ? { data: r.data } : {}) })));
        }
      }
      this.last = cmds;
      if (!next.length) break;
      cmds = next;
    }
    this.heard.push(...turn);
    this.log.push(...turn.map((t) => `HERMES: ${t}`));
    return turn;
  }
  get slots(): Record<string, unknown> {
    return this.core.slots();
  }
  get asked(): string | undefined {
    const l = [...this.last].reverse().find((c) => c.type === 'listen');
    return l && l.type === 'listen' ? l.expect.slot : undefined;
  }
  get transcript(): string {
    return this.log.join('\n');
  }
}

/** The caller never hears the same sentence twice in a call. */
export function noRepeats(call: Call): void {
  if (process.env.LISTEN_DEBUG) console.log(`${call.transcript}\n----`);
  const seen = new Set<string>();
  for (const line of call.heard) {
    for (const sentence of line.split(/(?<=[.?!])\s+/)) {
      expect(seen.has(sentence), `"${sentence}" said twice:\n${call.transcript}`).toBe(false);
      seen.add(sentence);
    }
  }
}


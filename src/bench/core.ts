// The benchmark's conversation: a greeting, then a short reply to every caller turn, forever. Fixed replies come from
// the prompt cache; every `dynamicEvery`-th reply carries caller text, so it is synthesized live through the TTS
// stream and its provider delay counts. Minimal on purpose: the benchmark measures the call path, not the flow.
import type { Command } from '../flows/commands.js';
import type { ConversationEvent } from '../flows/events.js';
import type { CallFacts, ConversationCore, FixedPrompt, LoadedFlow } from '../flows/core.js';

const GREETING = "Thank you for calling Rivera and Associates. I'm an AI assistant, and this call may be recorded.";
const REPLIES = ['Thank you. Please go on.', 'I see. Could you tell me a little more?', 'Got it. What happened next?'];

export function benchFlow(): LoadedFlow {
  const prompts: FixedPrompt[] = [GREETING, ...REPLIES].map((text, i) => ({ promptId: `bench.${i}`, text, language: 'en' }));
  return {
    id: 'bench',
    version: '1',
    file: '(built in)',
    fixedPrompts: () => prompts,
    keyterms: () => [],
    voice: () => null,
    timing: () => ({ silenceRepromptMs: 60_000, silenceEndMs: 120_000 }),
  };
}

export class BenchCore implements ConversationCore {
  done = false;
  outcome: ConversationCore['outcome'] = null;
  private turn = 0;
  private n = 0;

  constructor(
    private readonly facts: CallFacts,
    private readonly dynamicEvery: number,
  ) {}

  async start(): Promise<Command[]> {
    return [this.say(GREETING, 'bench.0'), this.listen()];
  }

  async handle(e: ConversationEvent): Promise<Command[]> {
    if (e.type === 'hangup') {
      this.done = true;
      this.outcome = 'abandoned';
      return [];
    }
    if (e.type === 'providerFailure') {
      // As a real flow would: apologise and end. The load generator counts the call as failed.
      this.done = true;
      this.outcome = 'abandoned';
      return [this.say("I'm sorry, I'm having trouble on my end right now.", 'system.apology'), { type: 'end', reason: `${e.provider} failed`, outcome: 'abandoned' }];
    }
    if (e.type !== 'utterance' && e.type !== 'dtmf') return [];
    this.turn++;
    if (this.dynamicEvery > 0 && this.turn % this.dynamicEvery === 0) {
      const heard = e.type === 'utterance' ? e.text : `key ${e.digit}`;
      return [this.say(`You said ${heard}, turn ${this.turn}.`), this.listen()];
    }
    const i = this.turn % REPLIES.length;
    return [this.say(REPLIES[i]!, `bench.${i + 1}`), this.listen()];
  }

  slots(): Record<string, unknown> {
    return { turns: this.turn, callSid: this.facts.callSid };
  }

  snapshot(): unknown {
    return { turn: this.turn };
  }

  private say(text: string, promptId?: string): Command {
    return { type: 'say', id: `b${++this.n}`, text, ...(promptId ? { promptId } : {}), interruptible: true, language: 'en' };
  }

  private listen(): Command {
    return { type: 'listen', expect: { keyterms: [], dtmf: true }, timeoutMs: 0 };
  }
}

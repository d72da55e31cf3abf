// `hermes chat [flow]`: talk to a flow in the terminal, typed lines in, printed lines out. Same engine and reasoning as
// a phone call (offline without an LLM key); effects run in memory. Works with piped stdin, so it can be scripted.
// Typed commands: /dtmf <keys>, /silence [ms], /hangup, /quit.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { Command as FlowCommand } from '../flows/commands.js';
import type { ConversationEvent } from '../flows/events.js';
import { ConfigError, loadConfig } from '../config.js';
import { createConversation, FlowLoadError, loadFlow } from '../flows/index.js';
import { createLogger } from '../observability/logger.js';
import { createReasoner } from '../reasoning/index.js';
import { MemoryEffects } from '../simulate/effects.js';

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('Talk to a call flow in the terminal (typed lines stand in for speech); shows the intake at the end')
    .argument('[flow]', 'flow file (default: DEFAULT_FLOW)')
    .option('--from <number>', 'caller number', '+15555550123')
    .option('--at <iso>', 'pretend the call starts at this time (ISO 8601), e.g. to try after-hours behaviour')
    .option('--language <lang>', 'start in en or es')
    .action(async (flowArg: string | undefined, opts: { from: string; at?: string; language?: string }) => {
      let config;
      try {
        config = loadConfig(process.env);
      } catch (err) {
        if (err instanceof ConfigError) {
          console.error(err.message);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      const file = flowArg ?? config.defaultFlow;
      let flow;
      try {
        flow = await loadFlow(file);
      } catch (err) {
        if (err instanceof FlowLoadError) {
          console.error(err.message);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      const at = opts.at ? new Date(opts.at) : new Date();
      if (Number.isNaN(at.getTime())) {
        console.error(`--at "${opts.at}" is not an ISO 8601 time`);
        process.exitCode = 2;
        return;
      }
      const language = opts.language === 'es' || opts.language === 'en' ? opts.language : undefined;
      // Logs go to stderr so the conversation on stdout stays readable (and pipeable).
      const reasoner = createReasoner(config, createLogger('warn', process.stderr));
      const core = createConversation(
        flow,
        { callSid: `CHAT${Date.now()}`, from: opts.from, to: '', startedAt: at, channel: 'chat', ...(language ? { language } : {}) },
        { reasoner, ...(opts.at ? { now: () => at } : {}) },
      );
      const effects = new MemoryEffects();
      const interactive = process.stdin.isTTY === true;
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
      const print = (speaker: string, text: string) => console.log(`${speaker}: ${text}`);

      const perform = async (cmds: FlowCommand[]): Promise<void> => {
        let queue = cmds;
        while (queue.length) {
          const next: ConversationEvent[] = [];
          for (const c of queue) {
            if (c.type === 'say') print('hermes', c.text);
            else if (c.type === 'generate') print('hermes', c.fallbackText);
            else if (c.type === 'transfer') print('hermes', `[transferring the call to ${c.to}]`);
            else if (c.type === 'effect') {
              const r = effects.run(c);
              print('effect', `${c.action} ${JSON.stringify(c.args)}`);
              next.push({ type: 'effectResult', id: c.id, ok: r.ok, ...(r.data ? { data: r.data } : {}) });
            }
          }
          queue = [];
          for (const ev of next) queue.push(...(await core.handle(ev)));
        }
      };

      await perform(await core.start());
      if (interactive) rl.setPrompt('you> ');
      if (interactive && !core.done) rl.prompt();
      for await (const raw of rl) {
        const line = raw.trim();
        if (!interactive && line) print('you', line);
        let ev: ConversationEvent;
        if (line === '/quit' || line === '/hangup') ev = { type: 'hangup' };
        else if (line.startsWith('/dtmf')) {
          for (const digit of line.slice(5).trim()) await perform(await core.handle({ type: 'dtmf', digit }));
          if (core.done) break;
          if (interactive) rl.prompt();
          continue;
        } else if (line.startsWith('/silence')) ev = { type: 'silence', ms: Number(line.slice(8).trim()) || flow.timing().silenceRepromptMs };
        else ev = { type: 'utterance', text: line, alternatives: [{ text: line, confidence: 0.9 }], confidence: 0.9, final: true };
        await perform(await core.handle(ev));
        if (core.done) break;
        if (interactive) rl.prompt();
      }
      if (!core.done) await perform(await core.handle({ type: 'hangup' }));
      rl.close();
      console.log(`\n--- outcome: ${core.outcome ?? 'abandoned'}`);
      console.log(`--- intake:\n${JSON.stringify(core.slots(), null, 2)}`);
      if (effects.recorded.length) console.log(`--- effects: ${effects.recorded.map((e) => e.action).join(', ')}`);
    });
}

// The reasoner `serve` gives the call path, with its module loaded on first use or when `serve` asks for it after
// listening. The offline reasoner's NLP packages (compromise builds its lexicon at import, chrono-node, franc) and
// the online one's SDK were about a third of serve's start-up CPU; nothing needs them before the first utterance.
// `mode` is known from the settings alone (online exactly when OPENAI_API_KEY is set, as createReasoner decides), so
// the call path sees the same Reasoner shape, streamReply included, before the module has loaded.
import type { Reasoner } from './reasoning/types.js';

export interface LazyReasoner extends Reasoner {
  /** Loads the real reasoner (once) and resolves when it is ready. */
  load(): Promise<Reasoner>;
}

export function lazyReasoner(mode: Reasoner['mode'], create: () => Promise<Reasoner>): LazyReasoner {
  let loading: Promise<Reasoner> | null = null;
  const load = () => (loading ??= create());
  const lazy: LazyReasoner = {
    mode,
    load,
    understand: async (...a) => (await load()).understand(...a),
    extract: async (...a) => (await load()).extract(...a),
    decide: async (...a) => (await load()).decide(...a),
    correction: async (...a) => (await load()).correction(...a),
  };
  if (mode === 'online') {
    lazy.streamReply = async function* (instruction, context, opts) {
      const real = await load();
      // A reasoner without streamReply is offline: the caller then speaks the command's fallback text.
      if (!real.streamReply) throw new Error('the reasoner has no LLM replies (offline)');
      yield* real.streamReply(instruction, context, opts);
    };
  }
  return lazy;
}

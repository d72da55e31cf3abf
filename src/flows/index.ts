// Public face of the flow engine: load a flow, start or resume a conversation. Channels import only from here.
import type { CallFacts, ConversationCore, LoadedFlow } from './core.js';
import { Conversation, type EngineDeps } from './engine.js';
import { CompiledFlow } from './loaded.js';
import { loadProgram } from './load.js';

export { FlowLoadError, formatIssue, type FlowIssue } from './errors.js';
export type { EngineDeps } from './engine.js';
export type { CallFacts, ConversationCore, LoadedFlow, FixedPrompt } from './core.js';
export { CompiledFlow } from './loaded.js';

export async function loadFlow(path: string): Promise<LoadedFlow> {
  return new CompiledFlow(await loadProgram(path));
}

function compiled(flow: LoadedFlow): CompiledFlow {
  if (!(flow instanceof CompiledFlow)) throw new Error('createConversation needs a flow returned by loadFlow()');
  return flow;
}

export function createConversation(flow: LoadedFlow, facts: CallFacts, deps: EngineDeps): ConversationCore {
  return new Conversation(compiled(flow), facts, deps);
}

/** Resumes a conversation from snapshot(); pending late verdicts are not part of it (they are re-validated or lost). */
export function restoreConversation(flow: LoadedFlow, facts: CallFacts, deps: EngineDeps, snapshot: unknown): ConversationCore {
  return new Conversation(compiled(flow), facts, deps, snapshot);
}

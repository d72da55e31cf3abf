// The reasoning room's front door. The flow engine imports from here (and types.ts) only.
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { LlmClient } from './llm-client.js';
import { createOfflineReasoner } from './offline.js';
import { createOnlineReasoner, type OnlineReasonerOptions } from './online.js';
import type { Reasoner } from './types.js';

export { createOfflineReasoner } from './offline.js';
export { createOnlineReasoner, type OnlineReasonerOptions, type OnlineUnderstandingSettings, type UnderstandingReport } from './online.js';
export { LlmClient, type LlmClientOptions } from './llm-client.js';
export { streamReply } from './stream-reply.js';
export { redactCardNumbers, luhnValid, CARD_PLACEHOLDER } from './redact.js';
export { extractDeterministic, normaliseSlot } from './extract.js';
export { spokenValue } from './readback.js';
export { DEFAULT_THRESHOLD, needsConfirmation } from './policy.js';
export { monteCarloValidate, laplaceConsistency, MonteCarloParameterError, MONTE_CARLO_DEFAULTS } from './monte-carlo.js';
export { treeOfThought, TREE_OF_THOUGHT_DEFAULTS } from './tree-of-thought.js';
export { looksLikeAdvice, checkSentence } from './safety.js';
export type * from './types.js';

/** LLM request settings for a live call: short timeouts, one retry; the validators' deadlines bound the rest. */
export const LLM_CALL_DEFAULTS = { timeoutMs: 5000, maxRetries: 1, maxConcurrency: 4 } as const;

let announced = false;

export interface CreateReasonerExtras {
  metrics?: Metrics;
  online?: Partial<Omit<OnlineReasonerOptions, 'client' | 'log'>>;
}

/** Online (LLM) reasoning when an OpenAI-compatible key is configured, offline otherwise; the mode is logged once. */
export function createReasoner(config: Config, log: Logger, extras: CreateReasonerExtras = {}): Reasoner {
  if (!config.openaiApiKey) {
    if (!announced) log.info({ reasoning: 'offline' }, 'OPENAI_API_KEY is not set: reasoning runs offline (deterministic extractors and rules)');
    announced = true;
    return createOfflineReasoner();
  }
  if (!announced) log.info({ reasoning: 'online', model: config.openaiModel }, 'reasoning online');
  announced = true;
  const client = new LlmClient({ apiKey: config.openaiApiKey, baseURL: config.openaiBaseUrl, model: config.openaiModel, ...LLM_CALL_DEFAULTS });
  const m = extras.metrics;
  return createOnlineReasoner({
    client,
    log,
    ...extras.online,
    onValidation: (info) => {
      m?.reasoningLatency.observe({ kind: 'validator' }, info.verdict.latencyMs);
      extras.online?.onValidation?.(info);
    },
    onDecision: (info) => {
      m?.reasoningLatency.observe({ kind: 'decision' }, info.latencyMs);
      extras.online?.onDecision?.(info);
    },
    onUnderstanding: (info) => {
      m?.reasoningLatency.observe({ kind: info.by === 'offline' ? 'understanding_fallback' : 'understanding' }, info.latencyMs);
      extras.online?.onUnderstanding?.(info);
    },
  });
}

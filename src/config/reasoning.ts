// Settings of the OpenAI-compatible language model behind the conversation (absent: offline reasoning).
import { optionalText, optionalUrl, type SettingsOf, text } from './setting.js';

export interface ReasoningConfig {
  openaiApiKey: string | null;
  openaiBaseUrl: string | null;
  openaiModel: string;
}

export const REASONING_SETTINGS = [
  { env: 'OPENAI_API_KEY', key: 'openaiApiKey', doc: 'Key for the OpenAI-compatible LLM; absent means offline reasoning', default: null, parse: optionalText },
  { env: 'OPENAI_BASE_URL', key: 'openaiBaseUrl', doc: 'OpenAI-compatible base URL (vLLM, Ollama, tests)', default: null, parse: optionalUrl },
  { env: 'OPENAI_MODEL', key: 'openaiModel', doc: 'Chat model name', default: 'gpt-4o-mini', parse: text },
] as const satisfies SettingsOf<ReasoningConfig>;

// One apology, never two back to back: when the session has already played the cached system apology, the engine's
// own apology phrase (flows/phrases.ts `trouble`, promptId hermes.trouble.<language>) in its answer to the failure is
// left out, whether it would have played from the cache or been spoken by Twilio's voice at the transfer.
import type { Command } from '../flows/commands.js';

const ENGINE_APOLOGY_PREFIX = 'hermes.trouble.';

export function withoutApology(cmds: Command[]): Command[] {
  const i = cmds.findIndex((c) => c.type === 'say' && c.promptId?.startsWith(ENGINE_APOLOGY_PREFIX) === true);
  return i < 0 ? cmds : [...cmds.slice(0, i), ...cmds.slice(i + 1)];
}

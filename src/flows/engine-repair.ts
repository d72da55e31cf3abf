// The wording of a question each time it is put: the flow's prompt the first time; after a caller question or other
// information "So, <prompt>"; after a failed try an explanation with an example (the step's `help:`/`reprompt:` or a
// built-in one per slot type); after that the keypad, a person or "skip" is offered. No sentence is said word for word
// twice in a row. Pure: returns what to say, the Runner says it.
import type { Language } from './commands.js';
import type { EngineState } from './engine-state.js';
import { enumLabel } from './faq.js';
import { LEAD_IN, leadIn, PHRASES, TYPE_HELP } from './phrases.js';
import type { Program } from './program.js';
import type { AskStepT, TextT } from './schema.js';

export type AskMode = 'first' | 'again' | 'retry';

/** One sentence to say: a flow text (cacheable, `field` names it) or a built string. */
export type Line = { flow: TextT; field: 'prompt' | 'reprompt' | 'help' | 'caller_id_prompt' } | { text: string; promptId?: string };

const said = (s: EngineState, text: string): boolean => s.transcript.slice(-12).some((t) => t.speaker === 'agent' && t.text === text);

function builtInHelp(p: Program, step: AskStepT, language: Language, prompt: string): string {
  const slot = p.slots.get(step.ask);
  const type = slot?.type ?? 'text';
  if (type === 'enum' && slot?.values?.length) {
    const names = slot.values.slice(0, 4).map((v) => enumLabel(p, step.ask, v.value, language));
    return `${LEAD_IN.for_example[language]} ${names.join(', ')}.`;
  }
  const help = TYPE_HELP[type]?.[language];
  if (!help) return leadIn(LEAD_IN.brief[language], prompt);
  const yesNoKeys = step.dtmf?.['1'] === 'yes' && step.dtmf?.['2'] === 'no';
  if (type === 'yes_no' && yesNoKeys) return `${help} ${language === 'es' ? 'O oprima 1 para sí y 2 para no.' : 'Or press 1 for yes and 2 for no.'}`;
  return help;
}

function offerLine(p: Program, step: AskStepT, language: Language): string {
  const parts: string[] = [];
  if (step.dtmf) parts.push(PHRASES.offer_keypad[language]);
  const key = p.globals.human?.goto && !step.ignore_global?.includes('human') ? p.globals.human.dtmf : undefined;
  if (key)
    parts.push(language === 'es' ? `Puede oprimir ${key} para hablar con una persona, o decir omitir para seguir sin eso.` : `You can press ${key} to reach a person, or say skip to go on without it.`);
  else parts.push(PHRASES.offer_skip[language]);
  return parts.join(' ');
}

/**
 * The lines for putting `step`'s question now. `tries` is how many times it has been put before (0 = never).
 * `render` fills templates of flow texts (prompts may read slots).
 */
/**
 * The question itself, for putting it again: the first sentence that asks something, after any preamble before a
 * colon, without a leading "And" ("So we can check ...: what is the name ...? If there isn't one, say none." ->
 * "what is the name ...?"). The examples and instructions around it were heard the first time.
 */
export function coreQuestion(prompt: string): string {
  const sentences = prompt.match(/[^.?!]+[.?!]+/g)?.map((x) => x.trim()) ?? [prompt];
  let q = sentences.find((x) => x.endsWith('?')) ?? prompt;
  const colon = q.lastIndexOf(':');
  const after = colon >= 0 ? q.slice(colon + 1).trim() : '';
  if (/^¿?(?:what|which|who|when|where|how|is|are|do|does|cu[aá]l|qu[eé]|qui[eé]n|cu[aá]ndo|d[oó]nde|c[oó]mo)\b/i.test(after)) q = after;
  return q.replace(/^(¿?)(?:and|y)\s+/i, '$1');
}

export function questionLines(p: Program, s: EngineState, step: AskStepT, mode: AskMode, render: (t: TextT) => string): Line[] {
  const language = s.language;
  const prompt = render(step.prompt);
  // A prompt the caller heard moments ago (a read-back or a detour came in between) is put in other words.
  if (mode === 'first' && said(s, prompt)) mode = 'again';
  if (mode === 'first') return [{ flow: step.prompt, field: 'prompt' }];
  const again = leadIn(LEAD_IN.again[language], coreQuestion(prompt));
  if (mode === 'again') return [{ text: said(s, again) ? leadIn(LEAD_IN.once_more[language], coreQuestion(prompt)) : again }];
  // A failed try: the second explains with an example, the third offers another way, later ones vary the lead-in.
  if (s.tries <= 1) {
    const own = step.help ?? step.reprompt;
    if (own && !said(s, render(own))) return [{ flow: own, field: step.help ? 'help' : 'reprompt' }];
    const help = builtInHelp(p, step, language, prompt);
    return [{ text: said(s, help) ? again : help }];
  }
  const offer = offerLine(p, step, language);
  const ask = said(s, again) ? leadIn(LEAD_IN.once_more[language], coreQuestion(prompt)) : again;
  return said(s, offer) ? [{ text: ask }] : [{ text: offer }, { text: ask }];
}

// Yes/no in English and Spanish, including hedged and negated forms ("that's not right", "no, that's correct" is
// treated by its first clear signal). Returns none when the caller said neither, so the flow can ask again.
import type { Normalised } from './result.js';

// Checked in order; negated phrases first so "not correct" never reads as "correct".
// "I don't know" is neither yes nor no.
const UNSURE = /\b(?:i )?(?:don'?t|do not) know\b|\bnot sure\b|\bno idea\b|\bno s[eé](?!\p{L})|\bmaybe\b|\btal vez\b|\bquiz[aá]s?(?!\p{L})/u;
const NO = [
  /\b(?:that'?s|that is|it'?s|it is)\s+(?:not|wrong|incorrect)\b/, /\bnot\s+(?:correct|right|really|quite|exactly|at all)\b/,
  /\b(?:i|we)\s+(?:don'?t|do not|didn'?t|did not|haven'?t|have not|wasn'?t|was not|am not|'m not|can'?t|won'?t)\b/,
  /\b(?:no|nope|nah|negative|incorrect|wrong|never|no way|absolutely not|definitely not|of course not)\b/,
  /\b(?:para nada|incorrecto|tampoco|nunca|jamás|jamas|de ninguna manera|claro que no|no es correcto)\b/,
  /\bnot\b/,
];
const YES = [
  /\b(?:yes|yeah|yea|yep|yup|ya|sure|correct|right|absolutely|definitely|exactly|affirmative|certainly|indeed|ok|okay|alright|all right|of course|uh[\s-]?huh|mm[\s-]?hmm|that'?s it|you got it|please do|go ahead|sounds good|perfect|true)\b/,
  // Short answers count only as the whole reply ("I do."), not inside a story ("I was in an accident").
  /^\s*(?:(?:yes|yeah|well|um|uh)[\s,]*)?(?:i do|i am|i did|i have|i was|we do|we are|we did|it is|it was|that is|i think so)\s*$/,
  /(?:^|\s)(?:sí|si|claro|correcto|exacto|por supuesto|así es|asi es|vale|de acuerdo|eso es|afirmativo|cierto|efectivamente|okey|ajá|aja|está bien|esta bien|perfecto|sí señor|si señora)(?=$|[\s,.!])/,
];

export function normaliseYesNo(text: string): Normalised {
  const t = ` ${text.toLowerCase().replace(/[’]/g, "'").replace(/[.,!?¿¡]/g, ' ')} `;
  const firstIndex = (res: RegExp[]) => {
    let best = Infinity;
    for (const re of res) {
      const m = re.exec(t);
      if (m && m.index < best) best = m.index;
    }
    return best;
  };
  // Spanish "no" reads as English "no"; "sí" lacks a word boundary in \b terms, hence the second YES pattern.
  if (UNSURE.test(t) && !/\b(?:yes|yeah|no)\b/.test(t.replace(/\bno (?:idea|s[eé](?!\p{L}))/u, ''))) return { status: 'none' };
  // "Yeah, no": a no, said politely. "Yes and no", "sort of", "más o menos": neither, so it is not stored as a yes.
  if (/^\s*(?:yeah|yes|yea|yep|ya)\s+(?:no|nope|nah)\b/.test(t)) return { status: 'ok', value: false };
  if (/\b(?:yes and no|sort of|kind of|more or less|m[aá]s o menos|s[ií] y no)(?!\p{L})/u.test(t)) return { status: 'none' };
  const no = firstIndex(NO);
  const yes = firstIndex(YES);
  if (no === Infinity && yes === Infinity) return { status: 'none' };
  // A correction marker flips to what follows it: "yes... actually no".
  const turn = /\b(?:actually|wait|sorry|i mean|no wait|bueno no|perdón|perdon)\b/.exec(t);
  if (turn) {
    const after = t.slice(turn.index + turn[0].length);
    const res = normaliseYesNoNoTurn(after);
    if (res !== null) return { status: 'ok', value: res };
  }
  return { status: 'ok', value: yes < no };
}

function normaliseYesNoNoTurn(t: string): boolean | null {
  const padded = ` ${t} `;
  let no = Infinity;
  let yes = Infinity;
  for (const re of NO) { const m = re.exec(padded); if (m && m.index < no) no = m.index; }
  for (const re of YES) { const m = re.exec(padded); if (m && m.index < yes) yes = m.index; }
  if (no === Infinity && yes === Infinity) return null;
  return yes < no;
}

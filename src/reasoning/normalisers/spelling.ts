// Letters said one by one ("m a r i a", "s as in Sam", "double l") and how a spelled run relates to the word said
// before it ("Sean, s h a w n" -> shawn). Shared by the name and email normalisers.

const LETTER_NAMES: Record<string, string> = {
  ay: 'a', bee: 'b', be: 'b', see: 'c', cee: 'c', sea: 'c', dee: 'd', ee: 'e', ef: 'f', eff: 'f', gee: 'g', aitch: 'h',
  eye: 'i', jay: 'j', kay: 'k', el: 'l', ell: 'l', em: 'm', en: 'n', pee: 'p', cue: 'q', queue: 'q', ar: 'r', are: 'r',
  ess: 's', tee: 't', tea: 't', vee: 'v', ex: 'x', why: 'y', zee: 'z', zed: 'z',
};

export const isSingleLetter = (t: string): boolean => /^\p{L}$/u.test(t);

/** Maps a token to a letter when it is one (directly, or a letter name next to other spelled letters). */
function letterOf(tokens: string[], i: number): string | null {
  const t = tokens[i]!;
  if (isSingleLetter(t)) return t;
  const name = LETTER_NAMES[t];
  if (!name) return null;
  const near = [tokens[i - 1], tokens[i + 1]].some((n) => n !== undefined && (isSingleLetter(n) || n in LETTER_NAMES));
  return near ? name : null;
}

export type Piece = { kind: 'word'; text: string } | { kind: 'spelled'; text: string } | { kind: 'sep'; text: string };

/**
 * Groups tokens into words and spelled runs. "s as in Sam", "m de mamá", "capital m" and "double l" are understood;
 * "with an i" style hints are left to the caller (names only).
 */
export function pieces(tokens: string[]): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t === ',') { out.push({ kind: 'sep', text: ',' }); i += 1; continue; }
    if (t === 'capital' || t === 'uppercase' || t === 'lowercase' || t === 'mayúscula' || t === 'minúscula') { i += 1; continue; }
    if ((t === 'double' || t === 'doble') && tokens[i + 1] !== undefined && letterOf(tokens, i + 1) && !/^\d$/.test(tokens[i + 1]!)) {
      const l = letterOf(tokens, i + 1) ?? tokens[i + 1]!;
      appendLetter(out, l + l);
      i += 2;
      continue;
    }
    const letter = letterOf(tokens, i);
    const runAround = letter !== null && (isSingleLetter(t) || LETTER_NAMES[t] !== undefined);
    if (runAround && letter !== null) {
      // "a" and "i" alone are words, not letters, unless they sit in a spelled run.
      const spelledNeighbour = (j: number) => tokens[j] !== undefined && (letterOf(tokens, j) !== null || tokens[j] === 'double' || isExample(tokens, j));
      if ((t === 'a' || t === 'i' || t === 'y' || t === 'o' || t === 'e') && !spelledNeighbour(i - 1) && !spelledNeighbour(i + 1) && !isExample(tokens, i + 1)) {
        out.push({ kind: 'word', text: t });
        i += 1;
        continue;
      }
      appendLetter(out, letter);
      i += 1;
      // "s as in Sam" / "s for Sam" / "s de Sara": the example word is not part of the spelling.
      if (isExample(tokens, i)) i += tokens[i] === 'as' ? 3 : 2;
      continue;
    }
    out.push({ kind: 'word', text: t });
    i += 1;
  }
  return out;
}

function isExample(tokens: string[], i: number): boolean {
  const t = tokens[i];
  if (t === 'as' && tokens[i + 1] === 'in' && tokens[i + 2] !== undefined) return true;
  if ((t === 'for' || t === 'de' || t === 'como') && tokens[i + 1] !== undefined && tokens[i + 1]!.length > 2 && /^\p{L}+$/u.test(tokens[i + 1]!)) {
    // Only an example when it starts with the letter just spelled: "s for Sam", "m de mamá".
    const prev = tokens[i - 1];
    const letter = prev !== undefined ? (isSingleLetter(prev) ? prev : LETTER_NAMES[prev]) : undefined;
    return letter !== undefined && tokens[i + 1]!.startsWith(letter);
  }
  return false;
}

function appendLetter(out: Piece[], l: string): void {
  const last = out[out.length - 1];
  if (last && last.kind === 'spelled') last.text += l;
  else out.push({ kind: 'spelled', text: l });
}

export const strip = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Resolves "word, then its spelling" pairs: a spelled run right after a word replaces it when they plausibly name the
 * same thing (same first letter or mostly the same letters); otherwise both stay.
 */
export function mergeSpelled(ps: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of ps) {
    let j = out.length - 1;
    while (j >= 0 && out[j]!.kind === 'sep') j -= 1;
    const prev = out[j];
    if (p.kind === 'spelled' && p.text.length >= 2 && prev && prev.kind === 'word' && sameName(prev.text, p.text)) {
      // The spelling confirms the word: keep the word when only accents differ (Pérez / p e r e z).
      out.splice(j, out.length - j, strip(prev.text) === strip(p.text) ? prev : p);
      continue;
    }
    if (p.kind === 'spelled' && prev && prev.kind === 'spelled' && prev.text === p.text && j < out.length - 1) {
      out.splice(j + 1); // the same spelling said twice after a pause
      continue;
    }
    out.push(p);
  }
  return out.filter((p) => p.kind !== 'sep');
}

function sameName(word: string, spelled: string): boolean {
  const a = strip(word);
  const b = strip(spelled);
  if (a === b) return true;
  if (a[0] === b[0]) return true;
  // Sounds-alike starts: Catherine/Katherine, Philip/Filip, Sean/Shawn (first letter kept), Jeff/Geoff.
  const pairs = ['ck', 'kc', 'fp', 'pf', 'gj', 'jg', 'sc', 'cs', 'ie', 'ei', 'yi', 'iy'];
  return pairs.includes(`${a[0]}${b[0]}`) && Math.abs(a.length - b.length) <= 2;
}

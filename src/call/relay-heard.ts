// What the caller heard of HERMES's lines when they barged in on ConversationRelay. Twilio reports only the text
// spoken so far (`interrupt.utteranceUntilInterrupt`), not which line it belongs to, so the heard words are matched
// against the lines sent since the caller last spoke, in order. Pure: no I/O, no clock.

export interface SentLine {
  id: string;
  text: string;
}

export interface HeardLine {
  id: string;
  /** The words of the line the caller heard (its own spelling and punctuation), '' when none. */
  heard: string;
  /** True for the line the interruption cut and every line after it. */
  cut: boolean;
}

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);
const bare = (w: string): string => w.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');

/**
 * Splits `heard` over `lines`. Twilio's docs do not say whether the text covers every talk cycle queued since the
 * caller last spoke or only the one playing (GUESS): both readings are tried, the first line the heard words start
 * with wins, and the lines before it count as heard in full.
 */
export function splitHeard(lines: SentLine[], heard: string): HeardLine[] {
  const said = words(heard).map(bare).filter(Boolean);
  const lineWords = lines.map((l) => words(l.text));
  let start = 0;
  if (said.length > 0) {
    const first = lineWords.findIndex((w) => w.length > 0 && bare(w[0]!) === said[0]);
    if (first > 0) start = first;
  }
  const out: HeardLine[] = [];
  let k = 0; // next heard word to match
  let cutAt = -1;
  for (let i = 0; i < lines.length; i++) {
    const w = lineWords[i]!;
    if (i < start) {
      out.push({ id: lines[i]!.id, heard: lines[i]!.text, cut: false });
      continue;
    }
    if (cutAt >= 0) {
      out.push({ id: lines[i]!.id, heard: '', cut: true });
      continue;
    }
    let n = 0;
    while (n < w.length && k < said.length && bare(w[n]!) === said[k]) {
      n++;
      k++;
    }
    if (n === w.length && w.length > 0) {
      out.push({ id: lines[i]!.id, heard: lines[i]!.text, cut: false });
      continue;
    }
    // The interruption fell in this line (or the heard text stopped matching: what matched so far is what was heard).
    cutAt = i;
    out.push({ id: lines[i]!.id, heard: w.slice(0, n).join(' '), cut: true });
  }
  return out;
}

// Streaming LLM tokens -> whole sentences, so the first sentence goes to TTS while the model is still writing the
// rest. A period ends a sentence only when it is not an abbreviation (Mr., Dr., e.g.), not an initial (J.), not
// inside a number (3.5), and the next word starts like a sentence (capital, digit, quote). `!`, `?` and line breaks
// end a sentence at once. Pure: no I/O, no timers.

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'sr', 'sra', 'srta', 'jr', 'st', 'mt', 'ave', 'blvd', 'rd', 'no', 'nos', 'vs',
  'inc', 'ltd', 'co', 'corp', 'dept', 'est', 'fig', 'gen', 'gov', 'hon', 'rep', 'sen', 'esq', 'atty', 'lic', 'ud', 'uds',
  'dra', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'approx', 'tel', 'ext',
  'e.g', 'i.e', 'a.m', 'p.m', 'u.s', 'u.k', 'p.o', 'cf', 'al', 'ph.d',
]);

const CLOSERS = new Set(['"', "'", ')', ']', '\u201d', '\u2019', '»']);

export interface SentenceSplitterOptions {
  /** A sentence longer than this is cut at its last comma (or space) so TTS is not kept waiting. */
  maxChars: number;
}

export class SentenceSplitter {
  private buf = '';
  private readonly maxChars: number;

  constructor(opts: Partial<SentenceSplitterOptions> = {}) {
    this.maxChars = opts.maxChars ?? 300;
  }

  /** Adds a token; returns the sentences it completed (trimmed, in order). */
  push(token: string): string[] {
    this.buf += token;
    const out: string[] = [];
    for (;;) {
      const cut = this.findBoundary();
      if (cut < 0) break;
      const sentence = this.buf.slice(0, cut).trim();
      this.buf = this.buf.slice(cut).replace(/^\s+/, '');
      if (sentence) out.push(sentence);
    }
    if (this.buf.length > this.maxChars) {
      const head = this.buf.slice(0, this.maxChars);
      let at = head.lastIndexOf(', ');
      if (at < this.maxChars / 3) at = head.lastIndexOf(' ');
      if (at > 0) {
        out.push(this.buf.slice(0, at + 1).trim());
        this.buf = this.buf.slice(at + 1).replace(/^\s+/, '');
      }
    }
    return out;
  }

  /** The text left when the stream ends (the last sentence may lack its period); null when nothing is left. */
  flush(): string | null {
    const rest = this.buf.trim();
    this.buf = '';
    return rest === '' ? null : rest;
  }

  /** Drops what is buffered (barge-in cancelled the reply). */
  reset(): void {
    this.buf = '';
  }

  /** Index just after the first complete sentence in the buffer, or -1 when none is certain yet. */
  private findBoundary(): number {
    const b = this.buf;
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c === '\n') {
        if (b.slice(0, i).trim() !== '') return i + 1;
        continue;
      }
      if (c !== '.' && c !== '!' && c !== '?' && c !== '\u2026') continue;
      // Swallow repeated marks and closing quotes/brackets: `?!`, `...`, `."`.
      let j = i + 1;
      while (j < b.length && (b[j] === '.' || b[j] === '!' || b[j] === '?' || CLOSERS.has(b[j]!))) j++;
      if (j >= b.length) return -1; // need to see what follows
      if (!/\s/.test(b[j]!)) {
        i = j - 1; // "3.5", "e.g.x", "U.S.": not a boundary
        continue;
      }
      if (c === '!' || c === '?') return j;
      // A period (or ellipsis): look at the word before it and the word after it.
      const before = b.slice(0, i).match(/(\S+)$/)?.[1] ?? '';
      const word = before.replace(/^[("'\u201c\u2018]+/, '').toLowerCase();
      let k = j;
      while (k < b.length && /\s/.test(b[k]!)) k++;
      if (k >= b.length) return -1;
      const next = b[k]!;
      if (ABBREVIATIONS.has(word)) continue;
      if (/^\p{L}$/u.test(word) && /\p{Lu}/u.test(before)) continue; // an initial: "J. Smith"
      if (/[\p{Lu}\p{N}"'(\u201c\u2018\u00bf\u00a1]/u.test(next)) return j;
    }
    return -1;
  }
}

/** Convenience for whole texts: splits into sentences the same way the streaming splitter does. */
export function splitSentences(text: string): string[] {
  const s = new SentenceSplitter();
  const out = s.push(text);
  const rest = s.flush();
  if (rest) out.push(rest);
  return out;
}

// Text helpers shared by the understanding modules: one folding of caller text (accent-free lower case, whole words)
// so every phrase list is matched the same way.

/** Accent-free lower case with single spaces and a space at both ends, so `includes(' word ')` matches whole words. */
export function fold(text: string): string {
  return ` ${text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    // Recognisers often drop the apostrophe ("there isnt one", "i dont know", "im calling"): the same words.
    .replace(/\b(is|are|was|were|do|does|did|have|has|had|could|would|should)nt\b/g, "$1n't")
    .replace(/\bcant\b/g, "can't").replace(/\bwont\b/g, "won't").replace(/\bim\b/g, "i'm").replace(/\btheres\b/g, "there's")
    .trim()} `;
}

/** True when the folded text contains one of the phrases as whole words. */
export function hasPhrase(folded: string, phrases: readonly string[]): boolean {
  return phrases.some((p) => folded.includes(fold(p)));
}

/** Number of words in a text. */
export function wordCount(text: string): number {
  return fold(text).trim().split(' ').filter(Boolean).length;
}

/** Splits an utterance into clauses at sentence ends, semicolons and clause-joining words, keeping offsets. */
export function clauses(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  const re = /[.!?;]+\s+|\s+(?:and then|but|because|so|y|pero|porque)\s+/gi;
  let pos = 0;
  for (const m of text.matchAll(re)) {
    out.push({ text: text.slice(pos, m.index), start: pos });
    pos = m.index + m[0].length;
  }
  out.push({ text: text.slice(pos), start: pos });
  return out.filter((c) => c.text.trim() !== '');
}

// Prompt templates: mustache (logic-less) over slots, firm facts and call facts. Speech is not HTML, so no escaping.
import Mustache from 'mustache';

const names = (tokens: unknown[]): string[] => {
  const out: string[] = [];
  for (const t of tokens as [string, string, number, number, unknown[]?][]) {
    if (t[0] === 'name' || t[0] === '&' || t[0] === '#' || t[0] === '^') out.push(t[1]);
    if (t[4]) out.push(...names(t[4]));
  }
  return out;
};

/** Variable names a template reads; throws on a malformed template. */
export function templateNames(text: string): string[] {
  return names(Mustache.parse(text));
}

/** True when the text reads no caller data (only firm facts or nothing), so it can be synthesized ahead of calls. */
export function isFixed(text: string): boolean {
  return templateNames(text).every((n) => n.startsWith('firm.'));
}

export function render(text: string, view: Record<string, unknown>): string {
  return Mustache.render(text, view, undefined, { escape: (s: string) => s }).replace(/\s+/g, ' ').trim();
}

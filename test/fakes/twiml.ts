// The TwiML the fake Twilio callers read: a small parser for what HERMES answers (elements, attributes, text,
// self-closing tags, entities). Shared by the voice (Media Streams, <Dial>) and <Gather> fakes.

export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  children: TwimlNode[];
  text: string;
}

/** Enough of XML for TwiML: elements, attributes, text, self-closing tags, the five entities and numeric ones. */
export function parseTwiml(xml: string): TwimlNode {
  const root: TwimlNode = { name: '#doc', attrs: {}, children: [], text: '' };
  const stack: TwimlNode[] = [root];
  const re = /<\?[^>]*\?>|<(\/?)([A-Za-z]+)((?:\s+[A-Za-z:]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (const m of xml.matchAll(re)) {
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([A-Za-z:]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    const node: TwimlNode = { name: m[2], attrs, children: [], text: '' };
    top.children.push(node);
    if (!m[4]) stack.push(node);
  }
  const response = root.children.find((c) => c.name === 'Response');
  if (!response) throw new Error(`not TwiML: ${xml.slice(0, 80)}`);
  return response;
}

function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

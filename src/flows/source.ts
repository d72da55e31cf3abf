// One parsed YAML file that remembers where everything came from, so any path into the data maps back to line:col.
import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { FlowIssue } from './errors.js';

export type Path = readonly (string | number)[];

export class SourceFile {
  readonly file: string;
  readonly data: unknown;
  readonly parseIssues: FlowIssue[] = [];
  private readonly doc: Document;
  private readonly lines: LineCounter;

  constructor(file: string, text: string) {
    this.file = file;
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, keepSourceTokens: true });
    for (const e of [...this.doc.errors]) {
      const p = this.lines.linePos(e.pos[0]);
      this.parseIssues.push({ file, line: p.line, col: p.col, message: `this is not valid YAML: ${e.message.split('\n')[0]}` });
    }
    this.data = this.parseIssues.length ? null : this.doc.toJS();
  }

  /** Reads `abs`; issues name the file as `display` (the path the user typed). */
  static async read(abs: string, display = abs): Promise<SourceFile> {
    return new SourceFile(display, await readFile(abs, 'utf8'));
  }

  /** Issue at the node for `path`; `key: true` points at the key of the last segment instead of its value. */
  issue(path: Path, message: string, opts: { key?: boolean } = {}): FlowIssue {
    const { line, col } = this.position(path, opts.key ?? false);
    return { file: this.file, line, col, message };
  }

  /**
   * Issue at character `offset` inside the string value at `path` (an expression's error column), when that value is
   * written on one line (plain or quoted); a block scalar or an escape sequence before the offset falls back to the
   * start of the value.
   */
  issueInValue(path: Path, offset: number, message: string): FlowIssue {
    const node = this.node(path);
    const start = node?.range?.[0];
    if (node && isScalar(node) && start !== undefined && typeof node.value === 'string') {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      // The value as written in the file (quotes included), to see that nothing before the offset was an escape.
      const raw = node.srcToken && 'source' in node.srcToken ? node.srcToken.source : '';
      const written = quoted ? raw.slice(1, 1 + offset) : raw.slice(0, offset);
      if ((node.type === 'PLAIN' || quoted) && !raw.includes('\n') && written === node.value.slice(0, offset)) {
        const { line, col } = this.lines.linePos(start + (quoted ? 1 : 0) + offset);
        return { file: this.file, line, col, message };
      }
    }
    return this.issue(path, message);
  }

  private node(path: Path): Node | null {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return null;
        node = pair.value;
      } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
        node = (node as { items: unknown[] }).items[Number(seg)];
      } else return null;
    }
    return (node as Node | undefined) ?? null;
  }

  position(path: Path, atKey: boolean): { line: number; col: number } {
    // Walk as deep as the document goes; a missing tail falls back to its nearest existing parent.
    let node: unknown = this.doc.contents;
    let keyNode: Node | null = null;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value ?? pair.key;
      } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
        const item = (node as { items: unknown[] }).items[Number(seg)];
        if (item === undefined) break;
        keyNode = null;
        node = item;
      } else break;
    }
    const target = (atKey && keyNode ? keyNode : node) as Node | null;
    const offset = target?.range?.[0] ?? 0;
    return this.lines.linePos(offset);
  }
}

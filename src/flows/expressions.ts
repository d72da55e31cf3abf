// Branch conditions and `set` expressions, compiled once at load with filtrex (a safe expression language, no eval of
// flow text). Variables are slots plus built-ins (firm.*, after_hours, language, ...); unknown names read as null.
import { compileExpression } from 'filtrex';

export type Vars = Record<string, unknown>;
export type Helpers = Record<string, (...args: never[]) => unknown>;
export type Compiled = (vars: Vars) => unknown;

/** Names an expression may use besides slots. */
export const BUILTIN_VARS = ['after_hours', 'language', 'channel', 'caller.from', 'caller.to', 'hour', 'weekday', 'today'];
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'if', 'then', 'else', 'true', 'false', 'null', 'mod', 'of']);

/** Identifiers an expression reads (function names and keywords excluded), for load-time checks. */
export function expressionNames(expr: string): string[] {
  const stripped = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/'(?:[^'\\]|\\.)*'/g, "''");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_][\w.]*(\s*\()?/g)) {
    if (m[1]) continue; // a function call
    if (!KEYWORDS.has(m[0])) names.add(m[0]);
  }
  return [...names];
}

export function compileCondition(expr: string, helpers: Helpers): Compiled {
  const fn = compileExpression(expr, {
    extraFunctions: helpers,
    constants: { true: true, false: false, null: null },
    // An unknown value (null) compared with a number must be false, not JavaScript's null < 90 === true.
    operators: {
      '==': (a: unknown, b: unknown) => a === b,
      '!=': (a: unknown, b: unknown) => a !== b,
      '<': (a: unknown, b: unknown) => a != null && b != null && (a as number) < (b as number),
      '<=': (a: unknown, b: unknown) => a != null && b != null && (a as number) <= (b as number),
      '>': (a: unknown, b: unknown) => a != null && b != null && (a as number) > (b as number),
      '>=': (a: unknown, b: unknown) => a != null && b != null && (a as number) >= (b as number),
    },
    customProp: (name: string, _get: unknown, obj: Vars) => (Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : null),
  });
  return (vars) => {
    const v = fn(vars);
    // filtrex reports runtime problems as returned Error values; a condition that cannot be evaluated is false.
    return v instanceof Error ? null : v;
  };
}

/** Why an expression cannot be read, and where: `offset` is the 0-based position inside the expression. */
export interface ExpressionProblem {
  message: string;
  offset: number;
}

/** The problem with an expression, or null when it is well-formed. */
export function expressionProblem(expr: string, helpers: Helpers): ExpressionProblem | null {
  try {
    compileCondition(expr, helpers);
    return null;
  } catch (err) {
    return describeFiltrexError(expr, (err as Error).message);
  }
}

/**
 * filtrex (a Jison parser) reports "Parse error on line 1:\n<up to 20 characters before>^<up to 20 after>\n---^\n
 * Expecting 'a', 'b', got 'c'" or "Lexical error on line 1. Unrecognized text.\n<excerpt>\n---^". The excerpt is cut
 * with "..." and loses newlines, so the position is found by locating the excerpt in the expression; the expected
 * tokens are put in words a flow author knows.
 */
function describeFiltrexError(expr: string, raw: string): ExpressionProblem {
  const lines = raw.split('\n');
  const caretLine = lines.findIndex((l) => /^-*\^$/.test(l));
  let offset = 0;
  if (caretLine > 0) {
    let excerpt = lines[caretLine - 1]!;
    let caret = lines[caretLine]!.length - 1;
    if (excerpt.startsWith('...')) {
      excerpt = excerpt.slice(3);
      caret -= 3;
    }
    if (excerpt.endsWith('...')) excerpt = excerpt.slice(0, -3);
    const flat = expr.replace(/\n/g, '');
    const at = flat.indexOf(excerpt);
    const flatOffset = (at >= 0 ? at : 0) + Math.max(0, caret);
    // Map back over the newlines the excerpt dropped.
    let seen = 0;
    offset = expr.length;
    for (let i = 0; i < expr.length; i++) {
      if (expr[i] === '\n') continue;
      if (seen === flatOffset) {
        offset = i;
        break;
      }
      seen++;
    }
  }
  const got = /got '([^']+)'/.exec(raw)?.[1];
  const expecting = /Expecting (.*), got/.exec(raw)?.[1]?.split(', ').map((t) => t.replace(/^'|'$/g, ''));
  const found = got === 'EndOfExpression' ? 'the expression ends' : got ? `"${TOKEN_WORDS[got] ?? got}" comes` : '';
  let message: string;
  const ch = expr.slice(offset, offset + 1);
  const lexical = raw.startsWith('Lexical error');
  if (lexical && (ch === '"' || ch === "'")) message = `the text that starts here with ${ch} is never closed with another ${ch}`;
  else if (lexical) message = `"${ch}" is not part of the expression language (compare with ==, join with and / or, quote text with "...")`;
  else if (expecting && expecting.every((t) => VALUE_TOKENS.has(t))) message = `a value (a name, a number, "text", not, -, or a parenthesis) is needed here, but ${found}`;
  else if (expecting && got === 'EndOfExpression') message = `the expression ends too early: ${expectedList(expecting)} should come next`;
  else if (expecting) message = `${found} where ${expectedList(expecting)} should be`;
  else message = lines[lines.length - 1] ?? 'cannot be read';
  // The expression again with a caret under the column, as a compiler shows it (single-line expressions only).
  const shown = expr.includes('\n') ? '' : `\n    ${expr}\n    ${' '.repeat(offset)}^`;
  return { message: `${message} (column ${offset + 1} of the expression)${shown}`, offset };
}

const VALUE_TOKENS = new Set(['-', 'not', 'if', '(', 'Number', 'Symbol', 'String']);
const TOKEN_WORDS: Record<string, string> = { Symbol: 'a name', Number: 'a number', String: 'a quoted text' };
function expectedList(tokens: string[]): string {
  const words = [...new Set(tokens.map((t) => (t === ')' ? 'a closing )' : t === ',' ? 'a comma' : TOKEN_WORDS[t] ?? t)))];
  return words.length > 6 ? `an operator (${words.filter((w) => /^[=!<>~]/.test(w)).join(' ')}, and, or, ...) or ${words.includes('a closing )') ? 'a closing )' : 'the end'}` : words.join(' or ');
}

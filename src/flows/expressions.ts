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

/** Returns a parse error message, or null when the expression is well-formed. */
export function expressionError(expr: string, helpers: Helpers): string | null {
  try {
    compileCondition(expr, helpers);
    return null;
  } catch (err) {
    return (err as Error).message.split('\n').slice(-1)[0] ?? 'cannot be read';
  }
}

// The caller-script format of `hermes simulate` (documented in README "Call flows"), its schema, and how a script's
// expectations are compared with what happened. Scripts are YAML; errors point at file:line:col like flow errors.
import { Type, type Static } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { FlowLoadError, type FlowIssue } from '../flows/errors.js';
import { SourceFile } from '../flows/source.js';

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
/** One answer, or several said in turn each time the flow asks for that slot (the last one repeats). */
const Answer = Type.Union([Scalar, Type.Array(Scalar, { minItems: 1 })]);
const ScriptEvent = Type.Union([
  Type.Object({ at: Type.String(), dtmf: Type.String({ pattern: '^[0-9*#]+$' }) }, { additionalProperties: false }),
  Type.Object({ at: Type.String(), silence_ms: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ at: Type.String(), hangup: Type.Literal(true) }, { additionalProperties: false }),
]);

export const CallerScript = Type.Object(
  {
    description: Type.Optional(Type.String()),
    caller: Type.Object(
      {
        from: Type.String(),
        to: Type.Optional(Type.String()),
        at: Type.String({ description: 'Call time, ISO 8601 with offset' }),
        language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es')])),
      },
      { additionalProperties: false },
    ),
    opening: Type.Optional(Type.String()),
    answers: Type.Optional(Type.Record(Type.String(), Answer)),
    default: Type.Optional(Type.String()),
    corrections: Type.Optional(Type.Record(Type.String(), Type.String())),
    events: Type.Optional(Type.Array(ScriptEvent)),
    // Extensions (documented): what the in-memory effect runner answers.
    conflicts: Type.Optional(Type.Array(Type.String(), { description: 'Names the conflict check reports as conflicts' })),
    fail_effects: Type.Optional(Type.Array(Type.String(), { description: 'Effect actions that fail' })),
    transfer_unanswered: Type.Optional(Type.Boolean({ description: 'Nobody picks up transfers' })),
    expect: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type CallerScriptT = Static<typeof CallerScript>;

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(JSON.stringify(CallerScript)));

export async function readScript(file: string): Promise<CallerScriptT> {
  let src: SourceFile;
  try {
    src = await SourceFile.read(file);
  } catch (err) {
    throw new FlowLoadError([{ file, line: 1, col: 1, message: `cannot read the script: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  if (src.parseIssues.length) throw new FlowLoadError(src.parseIssues);
  if (!validate(src.data)) {
    const issues: FlowIssue[] = (validate.errors ?? [])
      .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'const')
      .slice(0, 5)
      .map((e) => {
        const path = e.instancePath.split('/').filter(Boolean);
        const extra = e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty) : null;
        const at = extra ? [...path, extra] : path;
        return src.issue(at, `${at.join('.') || 'script'}: ${extra ? `unknown setting "${extra}"` : e.message}`, { key: !!extra });
      });
    throw new FlowLoadError(issues);
  }
  const script = src.data as CallerScriptT;
  if (Number.isNaN(Date.parse(script.caller.at)))
    throw new FlowLoadError([src.issue(['caller', 'at'], `caller.at "${script.caller.at}" is not an ISO 8601 time like 2026-11-24T10:00:00-05:00`)]);
  return script;
}

/** Slot expectations: `expect.slots`, `expect.intake`, or slot names directly under expect. */
export function expectedSlots(script: CallerScriptT): Record<string, unknown> {
  const e = script.expect ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (k !== 'outcome' && k !== 'slots' && k !== 'intake') out[k] = v;
  for (const k of ['slots', 'intake'] as const) if (e[k] && typeof e[k] === 'object') Object.assign(out, e[k]);
  return out;
}

const norm = (v: unknown): unknown => {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.!]+$/, '');
    if (['yes', 'true', 'si', 'sí'].includes(s)) return true;
    if (['no', 'false'].includes(s)) return false;
    return s;
  }
  return v;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Loose equality for expectations: case, spacing and yes/true spellings do not matter. Two matchers for values a
 * lawyer accepts in more than one spelling: `{ any_of: [a, b] }` (any of these, null = empty) and
 * `{ contains: [words] }` (free text that mentions every one of these words, case-insensitive).
 */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (isRecord(expected) && Array.isArray(expected.any_of)) return expected.any_of.some((e) => sameValue(actual, e));
  if (isRecord(expected) && Array.isArray(expected.contains)) {
    if (typeof actual !== 'string') return false;
    const text = String(norm(actual));
    return expected.contains.every((w) => text.includes(String(norm(String(w)))));
  }
  if (expected === null) return actual === undefined || actual === null;
  const a = norm(actual);
  const e = norm(expected);
  if (typeof a === 'number' || typeof e === 'number') return Number(a) === Number(e);
  return a === e;
}

export function checkExpect(script: CallerScriptT, outcome: string, intake: Record<string, unknown>): string[] {
  const failures: string[] = [];
  const want = script.expect?.outcome;
  if (want !== undefined && want !== outcome) failures.push(`outcome: expected ${String(want)}, got ${outcome}`);
  for (const [slot, v] of Object.entries(expectedSlots(script)))
    if (!sameValue(intake[slot], v)) failures.push(`${slot}: expected ${JSON.stringify(v)}, got ${JSON.stringify(intake[slot] ?? null)}`);
  return failures;
}

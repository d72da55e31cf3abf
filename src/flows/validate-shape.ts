// Checks a flow file against the JSON Schema (ajv) and rewrites ajv's errors into sentences a flow author can act on.
// Steps are a union of kinds; instead of ajv's pile of "must match one of" errors we pick the kind from the step's
// keys and report that kind's first real problem.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Flow, STEP_KINDS } from './schema.js';
import type { FlowIssue } from './errors.js';
import type { SourceFile } from './source.js';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateFlow = ajv.compile(JSON.parse(JSON.stringify(Flow)));
const validateStep = new Map<string, ValidateFunction>(
  STEP_KINDS.map(([kind, schema]) => [kind, ajv.compile(JSON.parse(JSON.stringify(schema)))]),
);
const KIND_NAMES = STEP_KINDS.map(([k]) => k).join(', ');

const toPath = (pointer: string): string[] =>
  pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

function where(path: string[]): string {
  if (path[0] === 'steps' && path[1]) return `step "${path[1]}"${path.length > 2 ? ` (${path.slice(2).join('.')})` : ''}`;
  return path.length ? `"${path.join('.')}"` : 'the flow';
}

/** Sentences for one group of ajv errors at the same place. */
function describe(errors: ErrorObject[], path: string[]): { message: string; key: boolean }[] {
  const consts = errors.flatMap((e) =>
    e.keyword === 'const' ? [String((e.params as { allowedValue: unknown }).allowedValue)]
    : e.keyword === 'enum' ? (e.params as { allowedValues: unknown[] }).allowedValues.map(String) : []);
  if (consts.length) {
    const name = path[path.length - 1] ?? 'value';
    return [{ message: `${where(path)}: "${name}" must be one of ${consts.join(', ')}`, key: false }];
  }
  const out: { message: string; key: boolean }[] = [];
  for (const e of errors) {
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        out.push({ message: `${where(path)} is missing "${String(p.missingProperty)}"`, key: false });
        break;
      case 'additionalProperties':
        out.push({ message: `${where(path)} has an unknown setting "${String(p.additionalProperty)}" (check the spelling)`, key: false });
        break;
      case 'type':
        out.push({ message: `${where(path)} should be ${p.type === 'object' ? 'a block of settings' : p.type === 'array' ? 'a list' : `a ${String(p.type)}`}`, key: false });
        break;
      case 'pattern':
        out.push({ message: `${where(path)} has the wrong format (expected ${e.parentSchema?.description ?? `to match ${String(p.pattern)}`})`, key: false });
        break;
      case 'propertyNames':
        break; // reported by the nested pattern error
      case 'if':
        break; // a step kind's schema failed (if/then on the kind key): its own errors say how
      case 'anyOf':
        if (!errors.some((x) => x !== e)) out.push({ message: `${where(path)} is not one of the allowed forms`, key: false });
        break;
      default:
        out.push({ message: `${where(path)} ${e.message ?? 'is invalid'}`, key: false });
    }
  }
  return out;
}

function report(src: SourceFile, errors: ErrorObject[], prefix: string[]): FlowIssue[] {
  const groups = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    // additionalProperties points at the parent; move it to the offending key for an exact position.
    const extra = e.keyword === 'additionalProperties' ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}` : '';
    const k = e.instancePath + extra;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const issues: FlowIssue[] = [];
  for (const [pointer, errs] of groups) {
    const path = [...prefix, ...toPath(pointer)];
    const extra = errs.some((e) => e.keyword === 'additionalProperties');
    const describePath = extra ? path.slice(0, -1) : path;
    for (const d of describe(errs, describePath)) issues.push(src.issue(path, d.message, { key: extra }));
  }
  return issues;
}

export function validateShape(src: SourceFile): FlowIssue[] {
  if (validateFlow(src.data)) return [];
  const errors = validateFlow.errors ?? [];
  const outside = errors.filter((e) => !/^\/steps\/[^/]+/.test(e.instancePath));
  const issues = report(src, outside, []);
  const steps = (src.data as { steps?: Record<string, unknown> }).steps ?? {};
  const badSteps = new Set(errors.map((e) => /^\/steps\/([^/]+)/.exec(e.instancePath)?.[1]).filter((s): s is string => !!s));
  for (const raw of badSteps) {
    const name = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = steps[name];
    if (!step || typeof step !== 'object' || Array.isArray(step)) {
      issues.push(src.issue(['steps', name], `step "${name}" should be a block of settings with one of: ${KIND_NAMES}`));
      continue;
    }
    const kind = STEP_KINDS.find(([k]) => k in step)?.[0];
    if (!kind) {
      issues.push(src.issue(['steps', name], `step "${name}" does nothing: give it one of ${KIND_NAMES}`, { key: true }));
      continue;
    }
    const v = validateStep.get(kind)!;
    if (!v(step)) issues.push(...report(src, v.errors ?? [], ['steps', name]));
  }
  return issues;
}

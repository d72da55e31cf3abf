// Reads a flow file and the subflows it calls, checks shape (schema) then meaning (compile.ts), and returns the
// Program the engine runs. Any problem throws a FlowLoadError listing every issue at once with file:line:col.
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Language } from './commands.js';
import { compileChecks } from './compile-cascade.js';
import { FlowLoadError, type FlowIssue } from './errors.js';
import { compileCondition, type Compiled } from './expressions.js';
import { EXPRESSION_HELPERS } from './helpers.js';
import type { FlowUnit, Program } from './program.js';
import type { FlowT, SlotT } from './schema.js';
import { SourceFile } from './source.js';
import { validateShape } from './validate-shape.js';

/** Stand-in firm for checking a subflow file on its own; the calling flow supplies the real one at run time. */
const CALLER_FIRM = {
  name: 'the calling flow firm',
  timezone: 'UTC',
  business_hours: { days: [], open: '00:00', close: '00:00' },
  on_call: ['+10000000000'],
  main_number: '+10000000000',
} as const;

/**
 * Loads and checks a flow. With `allowSubflow`, a file without a firm block is checked as a subflow (its `return`
 * steps allowed, firm facts supplied by whichever flow calls it); that is how `hermes flows validate` treats them.
 */
export async function loadProgram(file: string, opts: { allowSubflow?: boolean } = {}): Promise<Program> {
  const issues: FlowIssue[] = [];
  const units = new Map<string, FlowUnit>();
  const byFile = new Map<string, FlowUnit>();

  const visit = async (abs: string, display: string, isRoot: boolean, chain: string[]): Promise<FlowUnit | null> => {
    const seen = byFile.get(abs);
    if (seen) return seen;
    let src: SourceFile;
    try {
      src = await SourceFile.read(abs, display);
    } catch (err) {
      issues.push({ file: display, line: 1, col: 1, message: `cannot read this flow file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return null;
    }
    if (src.parseIssues.length) {
      issues.push(...src.parseIssues);
      return null;
    }
    const shape = validateShape(src);
    if (shape.length) {
      issues.push(...shape);
      return null;
    }
    const def = src.data as FlowT;
    if (units.has(def.id)) {
      issues.push(src.issue(['id'], `flow id "${def.id}" is already used by ${units.get(def.id)!.file}; give each flow its own id`));
      return null;
    }
    const unit: FlowUnit = { id: def.id, file: display, src, def, isRoot, calls: new Map() };
    units.set(def.id, unit);
    byFile.set(abs, unit);
    for (const [name, step] of Object.entries(def.steps)) {
      if (!('subflow' in step)) continue;
      const childAbs = path.resolve(path.dirname(abs), step.subflow);
      if (chain.includes(childAbs)) {
        issues.push(src.issue(['steps', name, 'subflow'], `subflow "${step.subflow}" calls back into a flow that is already running; subflows cannot call themselves`));
        continue;
      }
      const childDisplay = path.join(path.dirname(display), step.subflow);
      if (!byFile.has(childAbs) && !(await exists(childAbs))) {
        issues.push(src.issue(['steps', name, 'subflow'], `step "${name}" calls subflow "${step.subflow}", but there is no file ${childDisplay}`));
        continue;
      }
      const child = await visit(childAbs, childDisplay, false, [...chain, abs]);
      if (child) unit.calls.set(name, child.id);
      else if (!issues.some((i) => i.file === childDisplay))
        issues.push(src.issue(['steps', name, 'subflow'], `subflow "${step.subflow}" could not be loaded`));
    }
    return unit;
  };

  const root = await visit(path.resolve(file), file, true, []);
  if (!root || issues.length) throw new FlowLoadError(issues.length ? issues : [{ file, line: 1, col: 1, message: 'flow could not be loaded' }]);

  const standaloneSubflow = !root.def.firm && opts.allowSubflow === true;
  if (!root.def.firm && !standaloneSubflow)
    throw new FlowLoadError([root.src.issue([], 'the main flow needs a firm block (name, timezone, business_hours); a file without one can only be called as a subflow')]);
  if (standaloneSubflow) root.isRoot = false;
  const languages = (root.def.languages ?? ['en']) as Language[];
  const slots = new Map<string, SlotT>();
  for (const u of units.values()) {
    const langs = u.def.languages ?? languages;
    for (const l of languages)
      if (!langs.includes(l)) issues.push(u.src.issue(['languages'], `this flow does not list "${l}", which the main flow speaks; add it and its translations`));
    for (const [name, spec] of Object.entries(u.def.slots ?? {})) {
      const prev = slots.get(name);
      if (prev && prev.type !== spec.type)
        issues.push(u.src.issue(['slots', name, 'type'], `slot "${name}" is a ${spec.type} here but a ${prev.type} in another flow; one name, one type`));
      else slots.set(name, prev ? mergeSlot(prev, spec) : spec);
    }
  }
  const program: Program = {
    root,
    units,
    slots,
    languages,
    firm: root.def.firm ?? { ...CALLER_FIRM, business_hours: { ...CALLER_FIRM.business_hours, days: [] }, on_call: [...CALLER_FIRM.on_call] },
    globals: root.def.globals ?? {},
    faq: root.def.faq ?? {},
    askable: new Set([...units.values()].flatMap((u) => Object.values(u.def.steps).flatMap((st) => ('ask' in st ? [st.ask] : [])))),
    expressions: new Map(),
  };
  issues.push(...compileChecks(program));
  if (issues.length) throw new FlowLoadError(dedupe(issues));

  for (const u of units.values())
    for (const [name, step] of Object.entries(u.def.steps)) {
      const put = (k: string, expr: string) => program.expressions.set(`${u.id}#${name}#${k}`, compileCondition(expr, EXPRESSION_HELPERS) as Compiled);
      if ('branch' in step) step.branch.forEach((c, i) => put(String(i), c.if));
      if ('set' in step) for (const [slot, e] of Object.entries(step.set)) put(slot, e);
    }
  return program;
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

function dedupe(issues: FlowIssue[]): FlowIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.file}:${i.line}:${i.col}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * One slot declared in several flows (incident_date in the main flow and a practice flow): the later declaration's
 * settings apply as before, but the cues and the description of both are kept, so understanding still recognises
 * the value whichever flow is running.
 */
function mergeSlot(prev: SlotT, next: SlotT): SlotT {
  const merged: SlotT = { ...prev, ...next };
  const description = next.description ?? prev.description;
  if (description !== undefined) merged.description = description;
  if (prev.cues || next.cues) {
    const cues: NonNullable<SlotT['cues']> = {};
    for (const l of ['en', 'es'] as const) {
      const all = [...new Set([...(prev.cues?.[l] ?? []), ...(next.cues?.[l] ?? [])])];
      if (all.length) cues[l] = all;
    }
    merged.cues = cues;
  }
  return merged;
}

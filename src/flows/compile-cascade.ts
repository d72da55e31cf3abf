// One typo, one error. A step name misspelt in `next:` used to bring every step behind it as "can never be reached"
// (23 lines for one wrong letter), and a misspelt slot as "reads slot ... before any step can have asked for it".
// For each issue whose message proposes a correction ("did you mean"), the checks run again with that correction
// applied: whatever disappears was caused by the typo, and is folded into it as "and N more caused by it".
// Issues no correction explains stay as they are, so nothing real is hidden.
import { runChecks, type ProposedFix } from './compile.js';
import type { FlowIssue } from './errors.js';
import type { FlowUnit, Program } from './program.js';

/** Corrections tried per load: each reruns the checks, and more typos than this are rare in one edit. */
const MAX_FIXES_TRIED = 10;

const key = (i: FlowIssue) => `${i.file}:${i.line}:${i.col}:${i.message}`;

/** The meaning problems of a program, knock-on problems of a typo folded into the typo's own issue. */
export function compileChecks(p: Program): FlowIssue[] {
  const { issues, fixes } = runChecks(p);
  if (!fixes.length) return issues;
  const roots = new Set(fixes.map((f) => f.issue));
  const left = new Set(issues);
  const out = new Map<FlowIssue, FlowIssue>();
  for (const fix of fixes.slice(0, MAX_FIXES_TRIED)) {
    const after = new Set(runChecks(withFix(p, fix)).issues.map(key));
    const caused = issues.filter((i) => !roots.has(i) && left.has(i) && !after.has(key(i)));
    for (const i of caused) left.delete(i);
    if (caused.length)
      out.set(fix.issue, { ...fix.issue, message: `${fix.issue.message}; and ${caused.length} more ${caused.length === 1 ? 'problem' : 'problems'} caused by it (fix this one first)` });
  }
  return issues.filter((i) => left.has(i)).map((i) => out.get(i) ?? i);
}

/** The program with one correction applied to a copy of its unit's definition (the sources and positions stay). */
function withFix(p: Program, fix: ProposedFix): Program {
  const def = structuredClone(fix.unit.def);
  let node = def as unknown as Record<string | number, unknown>;
  for (const seg of fix.defPath.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[fix.defPath[fix.defPath.length - 1]!] = fix.value;
  const unit: FlowUnit = { ...fix.unit, def };
  const units = new Map([...p.units].map(([id, u]) => [id, u === fix.unit ? unit : u]));
  const askable = new Set([...units.values()].flatMap((u) => Object.values(u.def.steps).flatMap((st) => ('ask' in st ? [st.ask] : []))));
  return { ...p, units, root: p.root === fix.unit ? unit : p.root, askable };
}

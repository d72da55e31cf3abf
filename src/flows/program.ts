// The in-memory form of a loaded flow and its subflows, shared by the compiler and the engine.
import type { Language } from './commands.js';
import type { Compiled } from './expressions.js';
import type { FirmT, FlowT, GlobalsT, SlotT, StepT } from './schema.js';
import type { SourceFile } from './source.js';

export interface FlowUnit {
  /** Flow id; step addresses are `<id>#<step>`. */
  id: string;
  file: string;
  src: SourceFile;
  def: FlowT;
  isRoot: boolean; // false for subflows (and for a subflow file checked on its own)
  /** Subflow step name -> id of the unit it calls. */
  calls: Map<string, string>;
}

export interface Program {
  root: FlowUnit;
  units: Map<string, FlowUnit>;
  slots: Map<string, SlotT>;
  languages: Language[];
  firm: FirmT;
  globals: GlobalsT;
  /** Compiled expressions keyed by `<unit>#<step>#<index or slot>`. */
  expressions: Map<string, Compiled>;
}

export const RETURN = 'return';

/** Where a step may go next, with the edge label (used by reachability checks and the graph). */
export function edges(step: StepT): { to: string; label: string }[] {
  const s = step as Record<string, unknown>;
  const out: { to: string; label: string }[] = [];
  const add = (to: unknown, label: string) => {
    if (typeof to === 'string') out.push({ to, label });
  };
  if ('branch' in s) {
    for (const c of s.branch as { if: string; goto: string }[]) add(c.goto, c.if);
    add(s.else, 'else');
    return out;
  }
  if ('effect' in s) {
    add(s.on_success, 'ok');
    add(s.on_failure, 'failed');
    return out;
  }
  if ('transfer' in s) {
    add(s.on_no_answer, 'no answer');
    return out;
  }
  add(s.next, '');
  add(s.on_max_attempts, 'no answer');
  return out;
}

// The in-memory form of a loaded flow and its subflows, shared by the compiler and the engine.
import type { Language } from './commands.js';
import type { Compiled } from './expressions.js';
import type { FaqT, FirmT, FlowT, GlobalsT, SlotT, StepT } from './schema.js';
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
  /** The main flow's FAQ block (built-in topics are added from firm facts, see faq.ts). */
  faq: FaqT;
  /** Slots some ask step asks for: what understanding may fill from anything the caller says. */
  askable: Set<string>;
  /** Compiled expressions keyed by `<unit>#<step>#<index or slot>`. */
  expressions: Map<string, Compiled>;
}

export const RETURN = 'return';

/** Where a step may go next, with the edge label (used by reachability checks and the graph). */
export interface Edge {
  to: string;
  label: string;
  /** Where the target is written inside the step, for error positions. */
  field: (string | number)[];
}

export function edges(step: StepT): Edge[] {
  const s = step as Record<string, unknown>;
  const out: Edge[] = [];
  const add = (to: unknown, label: string, field: (string | number)[]) => {
    if (typeof to === 'string') out.push({ to, label, field });
  };
  if ('branch' in s) {
    (s.branch as { if: string; goto: string }[]).forEach((c, i) => add(c.goto, c.if, ['branch', i, 'goto']));
    add(s.else, 'else', ['else']);
    return out;
  }
  if ('effect' in s) {
    add(s.on_success, 'ok', ['on_success']);
    add(s.on_failure, 'failed', ['on_failure']);
    return out;
  }
  if ('transfer' in s) {
    add(s.on_no_answer, 'no answer', ['on_no_answer']);
    return out;
  }
  add(s.next, '', ['next']);
  add(s.on_max_attempts, 'no answer', ['on_max_attempts']);
  return out;
}

// Load-time meaning checks over a flow and its subflows: references, reachability, loops, data flow, translations,
// transfers, effects and payment safety. Every problem becomes a FlowIssue with file:line:col and a fix in plain words.
// compile-cascade.ts turns these into what the author sees (a typo's knock-on problems folded into it).
import { IANAZone } from 'luxon';
import type { FlowIssue } from './errors.js';
import { BUILTIN_VARS, expressionNames, expressionProblem } from './expressions.js';
import { edges, RETURN, type FlowUnit, type Program } from './program.js';
import type { AskStepT, StepT, TextT } from './schema.js';
import { templateNames } from './templates.js';
import { EXPRESSION_HELPERS } from './helpers.js';
import { checkFaq } from './compile-faq.js';

type Path = (string | number)[];
const CARD_SLOT = /(card|cvv|cvc|credit|debit|security_code|expir|account_number|routing)/i;
const CARD_TEXT = /(card number|credit card|debit card|cvv|cvc|security code|expiration date|n[uú]mero de (la )?tarjeta|tarjeta de cr[eé]dito)/i;

/**
 * A likely typo's correction: fixing `defPath` of `unit` to `value` is what the issue's "did you mean" proposes.
 * compile-cascade.ts applies it to find the issues that only exist because of the typo.
 */
export interface ProposedFix {
  issue: FlowIssue;
  unit: FlowUnit;
  defPath: Path;
  value: string;
}

/** Every meaning problem of the program, and the typo corrections its messages propose. */
export function runChecks(p: Program): { issues: FlowIssue[]; fixes: ProposedFix[] } {
  const issues: FlowIssue[] = [];
  const fixes: ProposedFix[] = [];
  const allSet = new Set<string>();
  for (const u of p.units.values()) for (const s of Object.values(u.def.steps)) for (const n of gens(s, u, p)) allSet.add(n);

  for (const u of p.units.values()) {
    const at = (path: Path, msg: string, key = false) => {
      const issue = u.src.issue(path, msg, { key });
      issues.push(issue);
      return issue;
    };
    /** An issue about an unknown name: with a close known name, the correction is proposed and recorded. */
    const unknownName = (path: Path, name: string, options: string[], msg: (hint: string) => string) => {
      const fix = suggest(name, options);
      const issue = at(path, msg(fix ? ` (did you mean "${fix}"?)` : ''));
      if (fix) fixes.push({ issue, unit: u, defPath: path, value: fix });
    };
    const steps = u.def.steps;
    const has = (n: string) => Object.prototype.hasOwnProperty.call(steps, n);
    if (!has(u.def.start)) at(['start'], `start step "${u.def.start}" does not exist; steps are: ${Object.keys(steps).join(', ')}`);

    for (const [name, step] of Object.entries(steps)) {
      const sp: Path = ['steps', name];
      for (const e of edges(step)) {
        if (e.to === RETURN && !u.isRoot) continue;
        if (e.to === RETURN) at([...sp, ...e.field], `step "${name}" goes to "return", but this is the main flow; use an end step`);
        else if (!has(e.to)) unknownName([...sp, ...e.field], e.to, Object.keys(steps), (hint) => `step "${name}" goes to "${e.to}", which is not a step in ${u.file}${hint}`);
      }
      checkStep(p, u, name, step, at, unknownName, (i) => issues.push(i));
    }
    for (const [slot, spec] of Object.entries(u.def.slots ?? {})) {
      if (CARD_SLOT.test(slot))
        at(['slots', slot], `slot "${slot}" looks like payment card data. Never take card numbers by voice: send a payment link with the payment.link_sms effect`, true);
      if (spec.type === 'enum' && !spec.values?.length) at(['slots', slot], `enum slot "${slot}" needs a list of values`);
    }
    checkReachable(u, p, at);
    checkLoops(u, p, at);
  }
  checkDataFlow(p, allSet, issues);
  checkGlobals(p, issues);
  issues.push(...checkFaq(p));
  const firm = p.firm;
  if (!IANAZone.isValidZone(firm.timezone))
    issues.push(p.root.src.issue(['firm', 'timezone'], `unknown timezone "${firm.timezone}"; use a name like America/New_York`));
  return { issues, fixes };
}

/** The known name `name` is likely a typo of, or null. */
function suggest(name: string, options: string[]): string | null {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0]!;
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const cur = d[j]!;
        d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
      }
    }
    return d[b.length]!;
  };
  const best = options.map((o) => [o, dist(name, o)] as const).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(name.length / 3)) ? best[0] : null;
}

/** ' (did you mean "x"?)' for a likely typo, else ''. */
function closest(name: string, options: string[]): string {
  const s = suggest(name, options);
  return s ? ` (did you mean "${s}"?)` : '';
}

function texts(step: StepT): [Path, TextT][] {
  const s = step as Record<string, unknown>;
  const out: [Path, TextT][] = [];
  for (const k of ['say', 'prompt', 'reprompt', 'help', 'acknowledge', 'caller_id_prompt']) if (s[k] && typeof s[k] === 'object') out.push([[k], s[k] as TextT]);
  return out;
}

type UnknownName = (path: Path, name: string, options: string[], msg: (hint: string) => string) => void;

function checkStep(
  p: Program, u: FlowUnit, name: string, step: StepT,
  at: (path: Path, msg: string, key?: boolean) => void, unknownName: UnknownName, issue: (i: FlowIssue) => void,
): void {
  const sp: Path = ['steps', name];
  for (const [tp, text] of texts(step)) {
    for (const lang of p.languages)
      if (!text[lang]?.trim()) at([...sp, ...tp], `step "${name}" has no ${lang === 'es' ? 'Spanish (es)' : 'English (en)'} text for "${tp[0]}"; every prompt needs ${p.languages.join(' and ')}`);
    for (const [lang, t] of Object.entries(text)) {
      try {
        templateNames(t as string);
      } catch (err) {
        at([...sp, ...tp, lang], `step "${name}": the ${lang} text has a broken {{placeholder}}: ${(err as Error).message}`);
      }
    }
  }
  if ('ask' in step) {
    const ask = step as AskStepT;
    const slot = p.slots.get(ask.ask);
    if (!slot) unknownName([...sp, 'ask'], ask.ask, [...p.slots.keys()], (hint) => `step "${name}" asks for slot "${ask.ask}", which is not declared under slots${hint}`);
    if (CARD_TEXT.test(Object.values(ask.prompt).join(' ')) || CARD_SLOT.test(ask.ask))
      at([...sp, 'prompt'], `step "${name}" asks for payment card details by voice, which is never allowed; send a payment link with the payment.link_sms effect instead`);
    if (ask.caller_id_prompt && slot && slot.type !== 'phone')
      at([...sp, 'caller_id_prompt'], `step "${name}" offers the caller's own number, but "${ask.ask}" is a ${slot.type}, not a phone slot`);
    if (ask.dtmf && slot) {
      if (slot.type !== 'enum' && slot.type !== 'yes_no')
        at([...sp, 'dtmf'], `step "${name}": key presses can only answer yes/no or a list of choices, and "${ask.ask}" is a ${slot.type}`);
      const allowed = slot.type === 'yes_no' ? ['yes', 'no'] : (slot.values ?? []).map((v) => v.value);
      for (const [key, v] of Object.entries(ask.dtmf))
        if (!allowed.includes(v)) at([...sp, 'dtmf', key], `key ${key} maps to "${v}", which is not one of ${allowed.join(', ')}`);
    }
  }
  if ('decide' in step) {
    const slot = p.slots.get(step.decide);
    if (!slot) unknownName([...sp, 'decide'], step.decide, [...p.slots.keys()], (hint) => `step "${name}" decides slot "${step.decide}", which is not declared under slots${hint}`);
    else if (slot.type !== 'yes_no' && slot.type !== 'enum')
      at([...sp, 'decide'], `step "${name}" decides "${step.decide}", a ${slot.type} slot; a decision picks yes/no or one of a list, so use a yes_no or enum slot`);
    for (const [i, n] of (step.from ?? []).entries())
      if (!p.slots.has(n)) at([...sp, 'from', i], `step "${name}" decides from slot "${n}", which is not declared under slots${closest(n, [...p.slots.keys()])}`);
  }
  // An expression's problem is pinned to its column inside the expression, so the editor's cursor lands on it.
  const inExpression = (path: Path, what: string, expr: string) => {
    const bad = expressionProblem(expr, EXPRESSION_HELPERS);
    if (bad) issue(u.src.issueInValue(path, bad.offset, `step "${name}": ${what} "${expr}" cannot be read: ${bad.message}`));
  };
  if ('branch' in step) step.branch.forEach((c, i) => inExpression([...sp, 'branch', i, 'if'], 'condition', c.if));
  if ('set' in step)
    for (const [slot, expr] of Object.entries(step.set)) {
      if (!p.slots.has(slot)) at([...sp, 'set', slot], `step "${name}" sets "${slot}", which is not declared under slots${closest(slot, [...p.slots.keys()])}`, true);
      inExpression([...sp, 'set', slot], 'expression', expr);
    }
  if ('effect' in step) {
    if (!step.on_failure)
      at(sp, `step "${name}" runs ${step.effect} but says nothing about failure; add on_failure: <step> so the caller still hears a way forward`, true);
    for (const slot of Object.keys(step.results ?? {}))
      if (!p.slots.has(slot)) at([...sp, 'results', slot], `step "${name}" stores a result in "${slot}", which is not declared under slots`, true);
  }
  if ('transfer' in step) {
    const to = step.transfer.to?.trim();
    if (!to) at([...sp, 'transfer'], `step "${name}" transfers the call but gives no number; add to: "+1..." or to: "{{firm.on_call}}"`);
    else if (to.includes('{{')) {
      const names = templateNames(to);
      if (names.includes('firm.on_call') && !p.firm.on_call?.length)
        at([...sp, 'transfer', 'to'], `step "${name}" transfers to the on-call number, but firm.on_call lists no numbers`);
    } else if (!/^\+[1-9]\d{7,14}$/.test(to))
      at([...sp, 'transfer', 'to'], `step "${name}" transfers to "${to}", which is not a phone number in +country format (e.g. +13125550100)`);
  }
}

function checkReachable(u: FlowUnit, p: Program, at: (path: Path, msg: string, key?: boolean) => void): void {
  const seen = new Set<string>();
  const queue = [u.def.start];
  if (u.isRoot) for (const h of Object.values(p.globals)) if (h && typeof h === 'object' && 'goto' in h && h.goto) queue.push(h.goto);
  if (u.isRoot && p.faq.practice_areas?.goto) queue.push(p.faq.practice_areas.goto);
  while (queue.length) {
    const n = queue.pop()!;
    if (seen.has(n) || !u.def.steps[n]) continue;
    seen.add(n);
    for (const e of edges(u.def.steps[n])) queue.push(e.to);
  }
  for (const name of Object.keys(u.def.steps))
    if (!seen.has(name)) at(['steps', name], `step "${name}" can never be reached: no other step goes to it`, true);
}

function checkLoops(u: FlowUnit, p: Program, at: (path: Path, msg: string, key?: boolean) => void): void {
  // Tarjan's strongly connected components; a cycle without a question would spin forever without the caller.
  const steps = u.def.steps;
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const asks = (n: string): boolean => {
    const s = steps[n]!;
    if ('ask' in s) return true;
    const callee = u.calls.get(n);
    return !!callee && Object.values(p.units.get(callee)?.def.steps ?? {}).some((x) => 'ask' in x);
  };
  const visit = (n: string): void => {
    idx.set(n, index);
    low.set(n, index++);
    stack.push(n);
    on.add(n);
    for (const { to } of edges(steps[n]!)) {
      if (!steps[to]) continue;
      if (!idx.has(to)) {
        visit(to);
        low.set(n, Math.min(low.get(n)!, low.get(to)!));
      } else if (on.has(to)) low.set(n, Math.min(low.get(n)!, idx.get(to)!));
    }
    if (low.get(n) === idx.get(n)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== n);
      const selfLoop = comp.length === 1 && edges(steps[n]!).some((e) => e.to === n);
      if ((comp.length > 1 || selfLoop) && !comp.some(asks)) {
        const cycle = comp.reverse();
        at(['steps', cycle[0]!], `steps ${cycle.join(' -> ')} loop forever without asking the caller anything; add a question to the loop or a way out`, true);
      }
    }
  };
  for (const n of Object.keys(steps)) if (!idx.has(n)) visit(n);
}

/** Slots a step may set on its way out (ask, set, effect results, subflow). */
function gens(step: StepT, u: FlowUnit, p: Program, name?: string): string[] {
  if ('ask' in step) return [step.ask];
  if ('decide' in step) return [step.decide];
  if ('set' in step) return Object.keys(step.set);
  if ('effect' in step) return Object.keys(step.results ?? {});
  if ('subflow' in step && name) {
    const callee = p.units.get(u.calls.get(name) ?? '');
    return callee ? Object.entries(callee.def.steps).flatMap(([n, s]) => gens(s, callee, p, n)) : [];
  }
  return [];
}

function reads(step: StepT): [Path, string[], string][] {
  const out: [Path, string[], string][] = [];
  const walk = (v: unknown, path: Path) => {
    if (typeof v === 'string') {
      try {
        out.push([path, templateNames(v), v]);
      } catch {
        /* reported by checkStep */
      }
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  for (const k of ['say', 'prompt', 'reprompt', 'help', 'acknowledge', 'caller_id_prompt', 'args', 'transfer']) if (k in step) walk((step as Record<string, unknown>)[k], [k]);
  if ('branch' in step) step.branch.forEach((c, i) => out.push([['branch', i, 'if'], expressionNames(c.if), c.if]));
  if ('set' in step) for (const [k, e] of Object.entries(step.set)) out.push([['set', k], expressionNames(e), e]);
  return out;
}

function checkDataFlow(p: Program, allSet: Set<string>, issues: FlowIssue[]): void {
  const entry = new Map<string, Set<string>>([[p.root.id, new Set()]]);
  const inSets = new Map<string, Map<string, Set<string>>>();
  // A few passes settle subflow entry sets (subflow call graphs are shallow and acyclic).
  for (let pass = 0; pass < 3; pass++)
    for (const u of p.units.values()) {
      const ins = new Map<string, Set<string>>();
      const seed = (n: string, s: Set<string>): boolean => {
        const cur = ins.get(n) ?? new Set<string>();
        const before = cur.size;
        for (const x of s) cur.add(x);
        ins.set(n, cur);
        return cur.size !== before || before === 0;
      };
      const work: string[] = [];
      if (seed(u.def.start, entry.get(u.id) ?? new Set())) work.push(u.def.start);
      if (u.isRoot) for (const h of Object.values(p.globals)) if (h && typeof h === 'object' && 'goto' in h && h.goto && seed(h.goto, allSet)) work.push(h.goto);
      const faqGoto = u.isRoot ? p.faq.practice_areas?.goto : undefined;
      if (faqGoto && seed(faqGoto, allSet)) work.push(faqGoto);
      while (work.length) {
        const n = work.pop()!;
        const step = u.def.steps[n];
        if (!step) continue;
        const inSet = ins.get(n)!;
        const callee = u.calls.get(n);
        if (callee) entry.set(callee, new Set([...(entry.get(callee) ?? []), ...inSet]));
        for (const e of edges(step)) {
          const out = new Set(inSet);
          const gainsOnEdge = !(('ask' in step && e.label === 'no answer') || ('effect' in step && e.label === 'failed'));
          if (gainsOnEdge) for (const g of gens(step, u, p, n)) out.add(g);
          if (u.def.steps[e.to] && seed(e.to, out)) work.push(e.to);
        }
      }
      inSets.set(u.id, ins);
    }
  const builtins = new Set(BUILTIN_VARS);
  for (const u of p.units.values()) {
    const ins = inSets.get(u.id)!;
    for (const [name, step] of Object.entries(u.def.steps)) {
      const have = ins.get(name);
      if (!have) continue;
      for (const [path, names, text] of reads(step)) {
        for (const n of names) {
          if (n.startsWith('firm.') || builtins.has(n) || n === '.' || n === 'caller.last_four') continue;
          // {{heard}} in an acknowledgement is how the value already given is read back.
          if (path[0] === 'acknowledge' && (n === 'heard' || ('ask' in step && n === step.ask))) continue;
          const where = u.src.issue(['steps', name, ...path], '');
          if (!p.slots.has(n)) issues.push({ ...where, message: `step "${name}" uses "${n}" in "${text}", but there is no slot or fact by that name` });
          else if (!have.has(n)) issues.push({ ...where, message: `step "${name}" reads slot "${n}" before any step can have asked for it; ask for it earlier or remove it here` });
        }
      }
    }
  }
}

function checkGlobals(p: Program, issues: FlowIssue[]): void {
  for (const [intent, h] of Object.entries(p.globals)) {
    if (!h || typeof h !== 'object' || !('goto' in h) || !h.goto) continue;
    if (!p.root.def.steps[h.goto])
      issues.push(p.root.src.issue(['globals', intent, 'goto'], `global handler "${intent}" goes to "${h.goto}", which is not a step of the main flow`));
  }
  for (const need of ['human', 'emergency'] as const)
    if (p.globals[need] && !p.globals[need]!.goto)
      issues.push(p.root.src.issue(['globals', need], `global handler "${need}" needs goto: <step> (where the caller goes when it triggers)`));
}

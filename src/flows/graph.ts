// Pictures of a flow: Mermaid text (for docs and GitHub) and a self-contained SVG laid out with dagre.
// Shows every step, branch condition, subflow call (dashed, into the subflow's steps) and global handler.
import { Graph, layout } from '@dagrejs/dagre';
import { edges, RETURN, type Program } from './program.js';
import type { StepT } from './schema.js';

interface GNode {
  id: string;
  label: string;
  kind: string;
  unit: string;
}
interface GEdge {
  from: string;
  to: string;
  label: string;
  dashed: boolean;
}

function describe(name: string, step: StepT): { kind: string; label: string } {
  if ('ask' in step) return { kind: 'ask', label: `${name}\nask ${step.ask}` };
  if ('decide' in step) return { kind: 'branch', label: `${name}\ndecide ${step.decide}` };
  if ('branch' in step) return { kind: 'branch', label: `${name}\nbranch` };
  if ('set' in step) return { kind: 'set', label: `${name}\nset ${Object.keys(step.set).join(', ')}` };
  if ('effect' in step) return { kind: 'effect', label: `${name}\n${step.effect}` };
  if ('transfer' in step) return { kind: 'transfer', label: `${name}\ntransfer ${step.transfer.to ?? '?'}` };
  if ('subflow' in step) return { kind: 'subflow', label: `${name}\nsubflow ${step.subflow}` };
  if ('end' in step) return { kind: 'end', label: `${name}\nend: ${step.end}` };
  return { kind: 'say', label: `${name}\nsay` };
}

/** The flow as nodes and edges; node ids are `<flow id>__<step>`. */
export function flowGraph(p: Program): { nodes: GNode[]; edges: GEdge[] } {
  const nodes: GNode[] = [];
  const es: GEdge[] = [];
  const id = (unit: string, step: string) => `${unit}__${step}`;
  for (const u of p.units.values()) {
    for (const [name, step] of Object.entries(u.def.steps)) {
      nodes.push({ id: id(u.id, name), unit: u.id, ...describe(name, step) });
      for (const e of edges(step)) {
        if (e.to === RETURN) {
          es.push({ from: id(u.id, name), to: id(u.id, RETURN), label: e.label, dashed: false });
          if (!nodes.some((n) => n.id === id(u.id, RETURN))) nodes.push({ id: id(u.id, RETURN), unit: u.id, kind: 'return', label: `${u.id}\nreturn` });
        } else es.push({ from: id(u.id, name), to: id(u.id, e.to), label: e.label, dashed: false });
      }
      const callee = u.calls.get(name);
      if (callee) es.push({ from: id(u.id, name), to: id(callee, p.units.get(callee)!.def.start), label: 'calls', dashed: true });
    }
  }
  for (const [intent, h] of Object.entries(p.globals)) {
    if (!h || typeof h !== 'object' || !('goto' in h) || !h.goto) continue;
    const gid = `global__${intent}`;
    nodes.push({ id: gid, unit: 'global', kind: 'global', label: `any step\n${intent}${'dtmf' in h && h.dtmf ? ` (key ${h.dtmf})` : ''}` });
    es.push({ from: gid, to: id(p.root.id, h.goto), label: '', dashed: true });
  }
  // Handlers built into the engine have no target step; one node names them so the picture is complete.
  nodes.push({ id: 'global__builtin', unit: 'global', kind: 'global', label: 'any step\nrepeat, start over,\nlanguage, corrections' });
  return { nodes, edges: es };
}

const mmText = (s: string) => s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');
const SHAPES: Record<string, [string, string]> = {
  ask: ['[/"', '"/]'],
  branch: ['{"', '"}'],
  end: ['(["', '"])'],
  effect: ['[["', '"]]'],
  transfer: ['>"', '"]'],
  subflow: ['[["', '"]]'],
  global: ['(("', '"))'],
  return: ['(["', '"])'],
};

export function toMermaid(p: Program): string {
  const g = flowGraph(p);
  const lines = ['flowchart TD'];
  const byUnit = new Map<string, GNode[]>();
  for (const n of g.nodes) byUnit.set(n.unit, [...(byUnit.get(n.unit) ?? []), n]);
  for (const [unit, ns] of byUnit) {
    lines.push(`  subgraph ${unit === 'global' ? 'global_handlers["global handlers"]' : `${unit}["${unit}"]`}`);
    for (const n of ns) {
      const [a, b] = SHAPES[n.kind] ?? ['["', '"]'];
      lines.push(`    ${n.id}${a}${mmText(n.label)}${b}`);
    }
    lines.push('  end');
  }
  for (const e of g.edges) {
    const arrow = e.dashed ? '-.->' : '-->';
    lines.push(e.label ? `  ${e.from} ${arrow}|"${mmText(e.label)}"| ${e.to}` : `  ${e.from} ${arrow} ${e.to}`);
  }
  return `${lines.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const FILL: Record<string, string> = {
  ask: '#e3f2fd',
  branch: '#fff8e1',
  set: '#f3e5f5',
  effect: '#e8f5e9',
  transfer: '#ffebee',
  subflow: '#ede7f6',
  end: '#eceff1',
  say: '#ffffff',
  global: '#fce4ec',
  return: '#eceff1',
};
const CHAR_W = 7.2;
const LINE_H = 16;

export function toSvg(p: Program): string {
  const g = flowGraph(p);
  // Compound graph: each subflow is drawn as a labelled box around its steps.
  const dg = new Graph({ multigraph: true, compound: true });
  dg.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 45, edgesep: 12, marginx: 20, marginy: 20 });
  dg.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) {
    const lines = n.label.split('\n');
    dg.setNode(n.id, { width: Math.max(...lines.map((l) => l.length)) * CHAR_W + 24, height: lines.length * LINE_H + 14 });
    if (n.unit !== p.root.id && n.unit !== 'global') {
      const cluster = `cluster__${n.unit}`;
      if (!dg.hasNode(cluster)) dg.setNode(cluster, { label: n.unit, paddingTop: 24 });
      dg.setParent(n.id, cluster);
    }
  }
  g.edges.forEach((e, i) => {
    const label = e.label.length > 40 ? `${e.label.slice(0, 38)}…` : e.label;
    dg.setEdge(e.from, e.to, { label, width: label.length * 6.2, height: label ? 14 : 0, labelpos: 'c' }, `e${i}`);
  });
  layout(dg);
  const gw = (dg.graph().width ?? 400) + 40;
  const gh = (dg.graph().height ?? 400) + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(gw)}" height="${Math.ceil(gh)}" viewBox="0 0 ${Math.ceil(gw)} ${Math.ceil(gh)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(p.root.def.id)} ${esc(String(p.root.def.version))}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    '<rect width="100%" height="100%" fill="#fafafa"/>',
  ];
  for (const u of p.units.values()) {
    if (u.isRoot || !dg.hasNode(`cluster__${u.id}`)) continue;
    const c = dg.node(`cluster__${u.id}`) as { x: number; y: number; width: number; height: number };
    const x = c.x - c.width / 2;
    const y = c.y - c.height / 2;
    out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${c.width.toFixed(1)}" height="${c.height.toFixed(1)}" rx="10" fill="#f3effa" stroke="#b39ddb" stroke-dasharray="6,3" class="cluster"/>`);
    out.push(`<text x="${(x + 10).toFixed(1)}" y="${(y + 16).toFixed(1)}" fill="#5e35b1" font-weight="bold">subflow ${esc(u.id)}</text>`);
  }
  g.edges.forEach((e, i) => {
    const ed = dg.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points: { x: number; y: number }[]; x?: number; y?: number; label?: string };
    const d = ed.points.map((pt, j) => `${j ? 'L' : 'M'}${pt.x.toFixed(1)},${pt.y.toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="#555" stroke-width="1.2"${e.dashed ? ' stroke-dasharray="5,4"' : ''} marker-end="url(#arrow)"/>`);
    if (ed.label && ed.x !== undefined && ed.y !== undefined)
      out.push(`<text x="${ed.x.toFixed(1)}" y="${(ed.y + 4).toFixed(1)}" text-anchor="middle" fill="#6d4c41" font-size="11" paint-order="stroke" stroke="#fafafa" stroke-width="3">${esc(ed.label)}</text>`);
  });
  for (const n of g.nodes) {
    const nd = dg.node(n.id) as { x: number; y: number; width: number; height: number };
    const x = nd.x - nd.width / 2;
    const y = nd.y - nd.height / 2;
    const rx = n.kind === 'end' || n.kind === 'global' || n.kind === 'return' ? nd.height / 2 : n.kind === 'branch' ? 2 : 6;
    out.push(`<g><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${nd.width.toFixed(1)}" height="${nd.height.toFixed(1)}" rx="${rx.toFixed(1)}" fill="${FILL[n.kind] ?? '#fff'}" stroke="${n.unit === p.root.id ? '#37474f' : '#7e57c2'}" stroke-width="1.3"${n.kind === 'branch' ? ' stroke-dasharray="2,2"' : ''}/>`);
    n.label.split('\n').forEach((line, j) => {
      out.push(`<text x="${nd.x.toFixed(1)}" y="${(y + 18 + j * LINE_H).toFixed(1)}" text-anchor="middle"${j === 0 ? ' font-weight="bold"' : ' fill="#455a64"'}>${esc(line)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

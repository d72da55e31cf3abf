// `hermes simulate <flow> --script <caller.yaml> [--json]`: runs a scripted caller through a flow offline and checks
// the script's expectations (exit 1 when they fail, 2 when the flow or script cannot be loaded).
// `--score` runs many scripts (`--script a.yaml b.yaml ...`, as a shell glob expands) and reports how the flow did
// over all of them (src/simulate/score.ts).
import type { Command } from 'commander';
import { FlowLoadError, loadFlow, type LoadedFlow } from '../flows/index.js';
import { createOfflineReasoner } from '../reasoning/index.js';
import { readScript } from '../simulate/script.js';
import { simulate } from '../simulate/run.js';
import { fieldKinds } from '../simulate/fields.js';
import { formatScore, scoreResult, totals, type ScriptScore } from '../simulate/score.js';

interface SimulateOptions {
  script: string;
  json?: boolean;
  score?: boolean;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Run a scripted caller (YAML) through a flow, offline; exit 1 when the script expectations fail')
    .argument('<flow>', 'flow file, e.g. flows/intake.yaml')
    .argument('[more...]', 'with --score: further caller scripts (what a glob after --script expands to)')
    .requiredOption('-s, --script <file>', 'caller script (see README "Call flows")')
    .option('--json', 'print {transcript, intake, outcome, effects} as JSON (with --score: the score report)')
    .option('--score', 'run every script given and report fields right, wrong values without read-back, re-asks, repeats, outcomes')
    .action(async (flowPath: string, more: string[], opts: SimulateOptions) => {
      try {
        if (opts.score) await score(await loadFlow(flowPath), [opts.script, ...more], opts);
        else if (more.length) {
          console.error(`several scripts given (${[opts.script, ...more].join(', ')}): add --score to run them all`);
          process.exitCode = 2;
        } else await single(await loadFlow(flowPath), opts);
      } catch (err) {
        if (err instanceof FlowLoadError) {
          console.error(err.message);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });
}

async function single(flow: LoadedFlow, opts: SimulateOptions): Promise<void> {
  const result = await simulate(flow, await readScript(opts.script), createOfflineReasoner());
  const report = { transcript: result.transcript, intake: result.intake, outcome: result.outcome, effects: result.effects };
  if (opts.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const t of report.transcript) console.log(`${t.speaker === 'agent' ? 'HERMES' : 'CALLER'}: ${t.text}`);
    console.log(`\noutcome: ${report.outcome}`);
    console.log(`intake: ${JSON.stringify(report.intake, null, 2)}`);
    console.log(`effects: ${report.effects.map((e) => e.action).join(', ') || 'none'}`);
  }
  if (result.failures.length) {
    console.error(`expectations failed:\n  ${result.failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

/** Every script is read before any runs, so a broken one fails the whole run (exit 2) instead of skewing the figures. */
async function score(flow: LoadedFlow, files: string[], opts: SimulateOptions): Promise<void> {
  const scripts = await Promise.all(files.map(async (file) => ({ file, script: await readScript(file) })));
  const scores: ScriptScore[] = [];
  const kinds = fieldKinds(flow);
  for (const { file, script } of scripts) scores.push(scoreResult(file, script, await simulate(flow, script, createOfflineReasoner()), kinds));
  if (opts.json) console.log(JSON.stringify({ totals: totals(scores), scripts: scores }, null, 2));
  else console.log(formatScore(scores));
  if (scores.some((s) => s.failures.length)) process.exitCode = 1;
}

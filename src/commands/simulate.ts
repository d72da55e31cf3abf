// `hermes simulate <flow> --script <caller.yaml> [--json]`: runs a scripted caller through a flow offline and checks
// the script's expectations (exit 1 when they fail, 2 when the flow or script cannot be loaded).
import type { Command } from 'commander';
import { FlowLoadError, loadFlow } from '../flows/index.js';
import { createOfflineReasoner } from '../reasoning/index.js';
import { readScript } from '../simulate/script.js';
import { simulate } from '../simulate/run.js';

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Run a scripted caller (YAML) through a flow, offline; exit 1 when the script expectations fail')
    .argument('<flow>', 'flow file, e.g. flows/intake.yaml')
    .requiredOption('-s, --script <file>', 'caller script (see README "Call flows")')
    .option('--json', 'print {transcript, intake, outcome, effects} as JSON')
    .action(async (flowPath: string, opts: { script: string; json?: boolean }) => {
      let result;
      try {
        const [flow, script] = await Promise.all([loadFlow(flowPath), readScript(opts.script)]);
        result = await simulate(flow, script, createOfflineReasoner());
      } catch (err) {
        if (err instanceof FlowLoadError) {
          console.error(err.message);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      const { failures, ...report } = result;
      if (opts.json) console.log(JSON.stringify(report, null, 2));
      else {
        for (const t of report.transcript) console.log(`${t.speaker === 'agent' ? 'HERMES' : 'CALLER'}: ${t.text}`);
        console.log(`\noutcome: ${report.outcome}`);
        console.log(`intake: ${JSON.stringify(report.intake, null, 2)}`);
        console.log(`effects: ${report.effects.map((e) => e.action).join(', ') || 'none'}`);
      }
      if (failures.length) {
        console.error(`expectations failed:\n  ${failures.join('\n  ')}`);
        process.exitCode = 1;
      }
    });
}

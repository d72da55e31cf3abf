// `hermes flows validate <files...>`, `hermes flows graph <flow> [--format mermaid|svg]`, `hermes flows schema`.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatIssue, FlowLoadError } from '../flows/errors.js';
import { toMermaid, toSvg } from '../flows/graph.js';
import { loadProgram } from '../flows/load.js';
import { flowJsonSchema } from '../flows/schema.js';

export const SCHEMA_FILE = 'flows/flow.schema.json';
export const schemaText = (): string => `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;

export function registerFlows(program: Command): void {
  const flows = program.command('flows').description('Check, draw and describe call flows');

  flows
    .command('validate')
    .description('Check flow files (and the subflows they call); prints file:line:col for each problem, exit 1 on any')
    .argument('<files...>', 'flow files, e.g. flows/*.yaml flows/practice/*.yaml')
    .action(async (files: string[]) => {
      let bad = 0;
      for (const file of files) {
        try {
          const p = await loadProgram(file, { allowSubflow: true });
          console.log(`ok ${file} (${p.root.isRoot ? '' : 'subflow '}${p.root.def.id} ${String(p.root.def.version)}, ${[...p.units.values()].reduce((n, u) => n + Object.keys(u.def.steps).length, 0)} steps)`);
        } catch (err) {
          if (!(err instanceof FlowLoadError)) throw err;
          bad++;
          for (const i of err.issues) console.error(formatIssue(i));
        }
      }
      if (bad) {
        console.error(`${bad} of ${files.length} flow file(s) have problems`);
        process.exitCode = 1;
      }
    });

  flows
    .command('graph')
    .description('Draw a flow: steps, branches, subflows and global handlers')
    .argument('<flow>', 'flow file')
    .option('-f, --format <format>', 'mermaid or svg', 'mermaid')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (file: string, opts: { format: string; output?: string }) => {
      if (opts.format !== 'mermaid' && opts.format !== 'svg') {
        console.error(`unknown format "${opts.format}"; use mermaid or svg`);
        process.exitCode = 2;
        return;
      }
      let p;
      try {
        p = await loadProgram(file);
      } catch (err) {
        if (!(err instanceof FlowLoadError)) throw err;
        for (const i of err.issues) console.error(formatIssue(i));
        process.exitCode = 1;
        return;
      }
      const text = opts.format === 'svg' ? toSvg(p) : toMermaid(p);
      if (opts.output) await writeFile(opts.output, text);
      else process.stdout.write(text);
    });

  flows
    .command('schema')
    .description(`Print the flow JSON Schema (--write updates ${SCHEMA_FILE})`)
    .option('--write', `write ${SCHEMA_FILE}`)
    .action(async (opts: { write?: boolean }) => {
      if (opts.write) await writeFile(SCHEMA_FILE, schemaText());
      else process.stdout.write(schemaText());
    });
}

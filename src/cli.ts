// The `hermes` command. Commands live in src/commands/<name>.ts and are listed in src/commands/index.ts; only the one
// being run is imported (with its dependencies), so `hermes --help` and small commands start fast.
import { Command } from 'commander';
import { COMMANDS, commandFor } from './commands/index.js';
import { loadEnvFile } from './env-file.js';

const program = new Command();
program
  .name('hermes')
  .description('HERMES: an AI voice receptionist for law firms')
  .showHelpAfterError();

try {
  loadEnvFile();
} catch (err) {
  console.error(`hermes: ${(err as Error).message}`);
  process.exit(2);
}

const chosen = commandFor(process.argv.slice(2));
for (const c of COMMANDS) {
  // The chosen command registers itself in full (options, subcommands, action); the others appear in the help by
  // name and summary only, and an unknown word still gets commander's "unknown command" with a suggestion.
  if (c === chosen) (await c.load())(program);
  else program.command(c.name).description(c.summary);
}

await program.parseAsync(process.argv);

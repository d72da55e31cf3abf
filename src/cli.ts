// The `hermes` command. Each command lives in src/commands/<name>.ts and registers itself on the program.
import { Command } from 'commander';
import { registerServe } from './commands/serve.js';
import { registerTenants } from './commands/tenants.js';
import { registerUsers } from './commands/users.js';
import { registerFlows } from './commands/flows.js';
import { registerChat } from './commands/chat.js';
import { registerSimulate } from './commands/simulate.js';
import { registerMigrate } from './commands/migrate.js';
import { registerWorker } from './commands/worker.js';
import { registerOutbox } from './commands/outbox.js';
import { registerAccuracy } from './commands/accuracy.js';
import { registerBench } from './commands/bench.js';
import { registerStaff } from './commands/staff.js';

const program = new Command();
program
  .name('hermes')
  .description('HERMES: an AI voice receptionist for law firms')
  .showHelpAfterError();

registerServe(program);
registerTenants(program);
registerUsers(program);
registerFlows(program);
registerChat(program);
registerSimulate(program);
registerMigrate(program);
registerWorker(program);
registerOutbox(program);
registerAccuracy(program);
registerBench(program);
registerStaff(program);

await program.parseAsync(process.argv);

// One cluster worker of `hermes bench --workers N` (started by workers.ts): runs the benchmark's server and answers the
// primary's questions over IPC. Never imported: cluster.fork() runs this file.
import { startBenchServer, type BenchServer, type BenchServerOptions } from './server.js';

let server: BenchServer | null = null;

process.on('message', (msg: { type: string; options?: BenchServerOptions }) => {
  void (async () => {
    const send = (m: object) => process.send?.(m);
    if (msg.type === 'start' && msg.options) {
      server = await startBenchServer(msg.options);
      send({ type: 'ready', port: server.port });
    } else if (msg.type === 'begin') server?.begin();
    else if (msg.type === 'counts') send({ type: 'counts', ...(server?.counts() ?? { closed: 0, open: 0, rssBytes: 0 }) });
    else if (msg.type === 'collect' && server) send({ type: 'figures', figures: await server.collect() });
    else if (msg.type === 'close') {
      await server?.close();
      send({ type: 'closed' });
      process.exit(0);
    }
  })();
});
// Handlers are in place: the primary may talk now.
process.send?.({ type: 'hello' });

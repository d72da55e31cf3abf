// `hermes bench --profile-dir <dir>`: a V8 CPU profile of a server process over the measured window only (start-up
// and prompt warming left out), through the inspector, so it works the same in the benchmark's process and in each
// cluster worker. The file opens in Chrome DevTools or speedscope; scripts/profile-top.mjs lists its top items.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Starts profiling; the returned function stops it and writes `<dir>/<name>.cpuprofile`, returning the file's path. */
export async function startCpuProfile(dir: string, name: string): Promise<() => Promise<string>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 1 ms sampling: V8's default for --cpu-prof, fine-grained enough for a 20 ms frame path.
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
}

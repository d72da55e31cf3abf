// Start-up work that runs after `serve` listens (loading the default flow, warming its prompts), so /health answers
// at once while /ready stays honest: it says "not ready" and names each task until every one has settled.
// A task that fails counts as settled: its own handler logs the failure and the server runs on without it (a broken
// default flow makes calls hear an apology, as before), so a failure never leaves an instance "starting" forever.

export class StartupTasks {
  private readonly running = new Set<string>();

  /** Tracks `work` under `name` until it settles; returns `work` unchanged. */
  track<T>(name: string, work: Promise<T>): Promise<T> {
    this.running.add(name);
    const done = () => this.running.delete(name);
    work.then(done, done);
    return work;
  }

  /** Names of the tasks still running, in the order they started. */
  pending(): string[] {
    return [...this.running];
  }
}

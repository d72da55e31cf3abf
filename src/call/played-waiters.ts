// Waiters for "everything queued has been played": leaving a call waits on it (bounded) so the caller hears the last
// words before the stream goes; a barge-in or the end of playback wakes them all.
export class PlayedWaiters {
  private waiters: (() => void)[] = [];

  /** Resolves when woken or after `maxMs`, at once when nothing plays (`busy` false). */
  wait(busy: boolean, maxMs: number): Promise<void> {
    if (!busy) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      const t = setTimeout(done, maxMs);
      this.waiters.push(done);
    });
  }

  wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

// The wait of the fake callers (Media Streams and ConversationRelay): a condition re-checked on every message the fake
// receives and on a short poll, because conditions may be about HERMES's state (its database, its sessions) rather
// than about the socket.

/** Conditions some test awaits; `notify` re-checks them all (call it on every message). */
export class Waiters {
  private readonly pending = new Set<() => void>();

  /** Resolves once `pred` holds; rejects with `timeoutMessage` after `timeoutMs`. */
  until(pred: () => boolean, timeoutMs: number, timeoutMessage: string): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pred()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(timeoutMessage));
      }, timeoutMs);
      const poll = setInterval(check, 20);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.pending.delete(check);
      };
      this.pending.add(check);
    });
  }

  notify(): void {
    for (const w of [...this.pending]) w(); // a copy: a waiter removes itself when it resolves
  }
}

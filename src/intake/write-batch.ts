// Rows written together: every add() in the same turn of the event loop goes into one multi-row INSERT (one statement,
// one commit) instead of one each, so a thousand calls ending their turns at once cost a few writes, not a thousand
// synchronous SQLite commits on the main thread. Each add() still resolves or rejects with its own row: a batch that
// fails is retried row by row, so one bad row (a duplicate) does not lose the others.

export class WriteBatch<T> {
  private rows: T[] = [];
  private waiters: { resolve(): void; reject(err: Error): void }[] = [];
  private scheduled = false;
  /** Batches are written one after another, in order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    /** Most rows per statement (SQLite allows 32,766 bound values; 13 columns x 200 rows stays far below). */
    private readonly maxRows = 200,
  ) {}

  add(row: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.rows.push(row);
      this.waiters.push({ resolve, reject });
      if (this.rows.length >= this.maxRows) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once everything added so far is written (or has failed). */
  drained(): Promise<void> {
    if (this.rows.length) this.flush();
    return this.chain;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.rows.length === 0) return;
    const rows = this.rows;
    const waiters = this.waiters;
    this.rows = [];
    this.waiters = [];
    this.chain = this.chain.then(async () => {
      try {
        await this.write(rows);
        for (const w of waiters) w.resolve();
      } catch (err) {
        if (rows.length === 1) return waiters[0]!.reject(err as Error);
        for (let i = 0; i < rows.length; i++) {
          await this.write([rows[i]!]).then(() => waiters[i]!.resolve(), (e: Error) => waiters[i]!.reject(e));
        }
      }
    });
  }
}

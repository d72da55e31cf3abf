// Tells, from the commands the conversation core returns, when a slot value was read back and the caller said yes:
// a `listen` for a confirmation (purpose 'confirm', the value pending) followed by that slot stored confirmed with
// that value. The engine's `confirmed` flag alone also covers values accepted without a read-back (sure ones), and
// staff need to know which values the caller heard and agreed to.
import type { Command } from '../flows/commands.js';

export class ReadBackWatch {
  private pending: { slot: string; value: unknown } | null = null;

  /** Feed every command in order; true for a slot command whose value the caller just confirmed in a read-back. */
  see(c: Command): boolean {
    if (c.type === 'listen') {
      this.pending = c.expect.purpose === 'confirm' && c.expect.slot ? { slot: c.expect.slot, value: c.expect.pendingValue } : null;
      return false;
    }
    if (c.type !== 'slot') return false;
    const p = this.pending;
    if (!p || p.slot !== c.name) return false;
    this.pending = null;
    return c.confirmed && c.value === p.value;
  }
}

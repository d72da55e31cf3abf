// `hermes calls unrouted`: calls to numbers no firm owns. They are answered by DEFAULT_FLOW and stored with no firm,
// so no firm user can see them in the admin API or the staff app; operators read them here (and then map the number).
import type { Command } from 'commander';
import { rowDate } from '../intake/rows.js';
import { withDb } from './tenants.js';

interface UnroutedRow {
  call_sid: string;
  from_number: string | null;
  to_number: string | null;
  started_at: unknown;
  status: string | null;
  caller_name: string | null;
  callback_phone: string | null;
  intake_status: string | null;
}

const iso = (v: unknown) => rowDate(v)?.toISOString() ?? '-';

export function registerCalls(program: Command): void {
  const calls = program.command('calls').description('Calls as operators see them (across firms)');
  calls
    .command('unrouted')
    .description('Calls to numbers no firm owns (newest first): who called, which number, what they left')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const limit = Math.min(Math.max(Number.parseInt(opts.limit, 10) || 50, 1), 1000);
      await withDb(async (db) => {
        const rows = (await db('calls as c')
          .leftJoin('intakes as i', 'i.call_sid', 'c.call_sid')
          .whereNull('c.tenant_id')
          .orderBy('c.started_at', 'desc')
          .limit(limit)
          .select('c.call_sid', 'c.from_number', 'c.to_number', 'c.started_at', 'c.status', 'i.caller_name', 'i.callback_phone', 'i.status as intake_status')) as UnroutedRow[];
        if (rows.length === 0) {
          if (!opts.json) console.log('no unrouted calls: every call reached a number mapped to a firm');
          return;
        }
        const mapped = new Set(((await db('phone_numbers').select('e164')) as { e164: string }[]).map((r) => r.e164));
        for (const r of rows) {
          const now = r.to_number && mapped.has(r.to_number) ? 'now mapped' : 'unmapped';
          if (opts.json) console.log(JSON.stringify({ callSid: r.call_sid, from: r.from_number, to: r.to_number, startedAt: iso(r.started_at), status: r.status, callerName: r.caller_name, callbackPhone: r.callback_phone, intakeStatus: r.intake_status, number: now }));
          else console.log([iso(r.started_at), r.call_sid, `${r.from_number ?? '-'} -> ${r.to_number ?? '-'} (${now})`, r.caller_name ?? '-', r.callback_phone ?? '-', r.intake_status ?? 'no intake'].join('\t'));
        }
      });
    });
}

// What a closing session leaves behind, by how the stream went: parked for a warm transfer (the transfer's result
// ends the call), handed to <Gather> (a speech provider failed at the start; the call goes on there), suspended for a resume (the snapshot is stored, the call goes on elsewhere), or ended (the intake
// and the call row get their outcome). Write failures are logged, never thrown: the session is closing anyway.
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { ConversationCore } from '../flows/core.js';
import type { CallsRepo } from '../intake/calls-repo.js';
import type { IntakeRecorder } from '../intake/types.js';
import type { Language } from '../flows/commands.js';
import type { CallSnapshots } from './snapshot.js';

export interface CallEndInput {
  callSid: string;
  reason: string;
  how: 'parked' | 'suspended' | 'gather' | 'ended';
  core: ConversationCore;
  turns: number;
  flushed: Promise<void>;
  snapshots: CallSnapshots | null;
  language: Language;
  recorder: IntakeRecorder | null;
  calls: CallsRepo | null;
  endedAt: Date;
  log: Logger;
  metrics: Metrics;
}

export async function recordCallEnd(e: CallEndInput): Promise<void> {
  const { log, reason, turns } = e;
  if (e.how === 'parked') {
    await e.flushed;
    log.info({ reason, turns }, 'stream left for a warm transfer');
    return;
  }
  if (e.how === 'gather') {
    await e.flushed;
    log.info({ reason, turns }, 'stream left: the call goes on over <Gather>');
    return;
  }
  if (e.how === 'suspended') {
    await Promise.all([e.flushed, e.snapshots?.final(e.language)]);
    log.info({ reason, turns }, 'stream gone, call kept: a new stream can resume it');
    return;
  }
  const outcome = e.core.outcome;
  e.metrics.callsEnded.inc({ outcome: outcome ?? 'abandoned' });
  await Promise.all([
    e.flushed,
    e.recorder?.end(e.callSid, outcome, e.core.slots()).catch((err: Error) => log.error({ err: err.message }, 'intake end not stored')),
    e.calls?.finish({ callSid: e.callSid, outcome, reason, endedAt: e.endedAt }).catch((err: Error) => log.error({ err: err.message }, 'call end not stored')),
  ]);
  log.info({ reason, outcome, turns }, 'call ended');
}

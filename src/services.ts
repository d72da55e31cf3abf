// Composition root for `hermes serve` (and the benchmark): builds the flows registry, reasoner, speech providers,
// prompt cache, repositories and Twilio control, and hands the call path one CallRuntime. Nothing else wires areas
// together; tests and the benchmark pass overrides instead of patching modules.
import { realpath } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Config } from './config.js';
import type { Db } from './db/knex.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { Language } from './flows/commands.js';
import type { ConversationCore, LoadedFlow } from './flows/core.js';
import { createConversation, loadFlow, restoreConversation } from './flows/index.js';
import { cutOffPrompts } from './flows/phrases.js';
import { lazyReasoner } from './lazy-reasoner.js';
import type { Reasoner } from './reasoning/types.js';
import { createSpeech, SentenceSplitter, type Speech, type SpeechOverrides } from './speech/index.js';
import { createCallsRepo } from './intake/calls-repo.js';
import { createCallResumeRepo } from './intake/call-resume-repo.js';
import type { EffectRunner } from './intake/types.js';
import { createRecordsServices } from './integrations/index.js';
import { isStoredFlowRef, loadStoredFlow } from './api/stored-flows.js';
import type { OutboxWorker, SettleSweep } from './integrations/index.js';
import { CallRuntime, type FlowRegistry } from './call/runtime.js';
import { APOLOGY_TEXT, type ReplyStreamer, type SessionObserver } from './call/ports.js';
import type { TurnSettings } from './call/turn-settings.js';
import { createTwilioCallControl } from './telephony/call-control.js';
import { createFirmFlows } from './call/firm-flows.js';
import { callerFactsOf } from './intake/firm-facts-repo.js';
import { callRecordkeeping } from './integrations/call-records.js';
import { RECORDING_STATUS_PATH } from './telephony/record-webhooks.js';
import { publicHttpUrl } from './telephony/signature.js';

/** Distinct flows kept loaded; beyond this the least recently used is loaded again when next needed. */
export const FLOW_CACHE_MAX = 64;

export interface ServiceOverrides {
  reasoner?: Reasoner;
  speech?: SpeechOverrides;
  effects?: EffectRunner | null;
  turn?: Partial<TurnSettings>;
  observer?: SessionObserver;
  /** Builds conversations instead of the flow engine (the benchmark's minimal core). */
  conversation?: (flow: LoadedFlow, facts: Parameters<FlowRegistry['conversation']>[1]) => ConversationCore;
  /** Loads flows instead of loadFlow (the benchmark's in-memory flow). */
  loadFlow?: (ref: string) => Promise<LoadedFlow>;
  /** How long a firm's facts are reused before the tenant record is read again (default 15 s). */
  firmFactsTtlMs?: number;
}

export interface Services {
  callRuntime: CallRuntime;
  speech: Speech;
  reasoner: Reasoner;
  /** Flows by reference (file path or stored:<tenant>/<flow>@<version>), loaded once and cached. */
  flows: FlowRegistry;
  /** Outbox delivery (Clio, LawPay SMS, Zapier); not started here: serve starts it when IN_PROCESS_WORKER is on. */
  worker: OutboxWorker;
  /** Settles calls a crash interrupted; not started here: every serving instance starts it. */
  settleSweep: SettleSweep;
  /** Loads what createServices left for later (the reasoner's module); serve calls it once listening. */
  loadDeferred(): Promise<void>;
  /** Synthesizes (or reads from disk) the fixed prompts of a flow plus the apology; resolves when done. */
  warmPrompts(flow: LoadedFlow): Promise<void>;
  close(): Promise<void>;
}

export function createServices(deps: { config: Config; log: Logger; metrics: Metrics; db: Db }, o: ServiceOverrides = {}): Services {
  const { config, log, metrics, db } = deps;
  // Loaded on first use or by loadDeferred() once serve listens: its NLP packages are slow to import (lazy-reasoner.ts).
  const lazy = o.reasoner
    ? null
    : lazyReasoner(config.openaiApiKey ? 'online' : 'offline', async () => (await import('./reasoning/index.js')).createReasoner(config, log, { metrics }));
  const reasoner = o.reasoner ?? lazy!;
  const speech = createSpeech(config, log, metrics, o.speech);
  // One Clio access for the live conflict check and the deliveries (one request budget per token).
  const records = createRecordsServices({ db, config, log, metrics });
  const voiceFor = (flow: LoadedFlow) => (language: Language) => flow.voice(language) ?? config.deepgramTtsModel;

  // Flows are cached by identity, not by spelling: a stored reference names tenant/flow@version exactly, a file is
  // keyed by its real path (so ./a.yaml, a//a.yaml and a symlink are one entry). References only ever come from
  // configuration (DEFAULT_FLOW, the phone_numbers mapping), never from the wire, and the cache is bounded.
  const cache = new Map<string, Promise<LoadedFlow>>();
  // Numbers mapped to a flow uploaded through the admin API carry a `stored:` reference (tenant/flow@version) that
  // is read from flow_versions; anything else is a file path. Bundled subflows resolve beside the default flow.
  const loadByRef = (ref: string) =>
    isStoredFlowRef(ref) ? loadStoredFlow(db, ref, dirname(config.defaultFlow)) : loadFlow(ref);
  const load = o.loadFlow ?? loadByRef;
  const identity = async (ref: string): Promise<string> => {
    if (o.loadFlow || isStoredFlowRef(ref)) return ref;
    // A missing file keeps its resolved spelling as key; its failed load is dropped from the cache anyway.
    return realpath(resolve(ref)).catch(() => resolve(ref));
  };
  const flows: FlowRegistry = {
    async get(ref) {
      const id = await identity(ref);
      let p = cache.get(id);
      if (p) {
        // Least recently used goes first: re-insert on every hit.
        cache.delete(id);
        cache.set(id, p);
        return p;
      }
      p = load(ref);
      cache.set(id, p);
      while (cache.size > FLOW_CACHE_MAX) cache.delete(cache.keys().next().value!);
      // A flow that failed to load is retried on the next call, after the file is fixed.
      p.catch(() => { if (cache.get(id) === p) cache.delete(id); });
      p.then((flow) => warmPrompts(flow)).catch(() => undefined);
      return p;
    },
    cacheSize: () => cache.size,
    conversation: o.conversation ?? ((flow, facts) => createConversation(flow, facts, { reasoner })),
    // A core of the caller's own (the benchmark's) has no snapshot format of ours: its calls are not resumed.
    ...(o.conversation ? {} : { restore: (flow: LoadedFlow, facts: Parameters<FlowRegistry['conversation']>[1], snap: unknown) => restoreConversation(flow, facts, { reasoner }, snap) }),
  };

  const warmed = new WeakMap<LoadedFlow, Promise<void>>(); // weak: an evicted flow takes its entry with it
  function warmPrompts(flow: LoadedFlow): Promise<void> {
    let p = warmed.get(flow);
    if (!p) {
      const fixed = flow.fixedPrompts();
      // The line a resumed call starts with, in each language the flow speaks (the conversation core's own words).
      const resumeLines = [...new Set(fixed.map((p) => p.language))].flatMap((l) => cutOffPrompts(l));
      const prompts = [...fixed, ...resumeLines, { promptId: 'system.apology', text: APOLOGY_TEXT, language: 'en' as const }];
      p = speech.promptCache.warmInBackground(prompts, voiceFor(flow)).then(() => undefined);
      warmed.set(flow, p);
    }
    return p;
  }

  const stream = reasoner.streamReply?.bind(reasoner);
  const reply: ReplyStreamer | null = stream
    ? (cmd, _facts, signal) => stream(cmd.instruction, cmd.context, { signal, language: cmd.language })
    : null;

  const control =
    config.twilioAccountSid && config.twilioAuthToken
      ? createTwilioCallControl({
          accountSid: config.twilioAccountSid,
          authToken: config.twilioAuthToken,
          apiBaseUrl: config.twilioApiBaseUrl,
          publicUrl: config.publicUrl,
        })
      : null;

  const callRuntime = new CallRuntime({
    log,
    metrics,
    flows,
    defaultFlow: config.defaultFlow,
    calls: createCallsRepo(db),
    stt: speech.stt,
    tts: speech.tts,
    defaultVoice: config.deepgramTtsModel,
    prompts: speech.promptCache,
    reply,
    splitter: () => {
      const s = new SentenceSplitter();
      return { push: (t) => s.push(t), end: () => { const r = s.flush(); return r ? [r] : []; } };
    },
    recorder: records.recorder,
    effects: o.effects !== undefined ? o.effects : records.effects,
    control,
    settings: { ttsStallTimeoutMs: config.ttsStallTimeoutMs, ...o.turn },
    observer: o.observer,
    heartbeatMs: config.callHeartbeatMs,
    settler: records.settler,
    firmFlow: createFirmFlows({ factsOf: (id) => callerFactsOf(db, id), ttlMs: o.firmFactsTtlMs ?? 15_000, onNewFlow: (f) => void warmPrompts(f) }),
    recordkeeping: callRecordkeeping(db, config, config.publicUrl ? publicHttpUrl(config.publicUrl, RECORDING_STATUS_PATH) : null),
    resumes: createCallResumeRepo(db),
    instance: `${hostname()}:${process.pid}`,
  });
  // An instance never settles a call it still holds a session for, however late that session's heartbeat.
  const settleSweep = records.settleSweep(() => callRuntime.liveCalls());

  return {
    callRuntime,
    speech,
    reasoner,
    flows,
    worker: records.worker,
    settleSweep,
    warmPrompts,
    loadDeferred: async () => {
      await lazy?.load();
    },
    async close() {
      await callRuntime.closeAll('server shutting down');
      await settleSweep.stop();
      await records.worker.stop();
    },
  };
}

// One call: the transcript as a conversation (what the caller actually heard when they cut HERMES off, prompts said
// again), the recording, the intake fields marked confirmed (read back or validated) or unsure (a party with the
// caller's relationship to them and their words), what was delivered where (with a retry for dead letters), and the
// review buttons.
import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api/client';
import type { paths } from '../api/schema';
import { subscribe } from '../events';
import { clock, label, phone, when } from '../format';
import type { Me } from '../main';
import type { Recording } from '../recording';
import { conversation } from '../transcript';
import { CallDeliveries } from './call/CallDeliveries';
import { RecordingPlayer } from './call/RecordingPlayer';

// `recording` is the field GET /api/calls/{sid} gains when the firm records (null when it does not); declared here
// until the generated schema carries it, and identical to it then.
type Call = paths['/api/calls/{callSid}']['get']['responses']['200']['content']['application/json'] & { recording?: Recording | null };
type Intake = paths['/api/intakes/{id}']['get']['responses']['200']['content']['application/json'];
type Review = paths['/api/intakes/{id}/reviews']['get']['responses']['200']['content']['application/json'];

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function CallDetail({ callSid, me }: { callSid: string; me: Me }) {
  const [call, setCall] = useState<Call | null>(null);
  const [intake, setIntake] = useState<Intake | null>(null);
  const [review, setReview] = useState<Review | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const c = await api.GET('/api/calls/{callSid}', { params: { path: { callSid } } });
      if (cancelled) return;
      if (!c.data) return setError(problem(c.error));
      setCall(c.data);
      setLoads((n) => n + 1);
      const id = c.data.intakeId;
      if (id === null) return;
      const [i, r] = await Promise.all([api.GET('/api/intakes/{id}', { params: { path: { id } } }), api.GET('/api/intakes/{id}/reviews', { params: { path: { id } } })]);
      if (cancelled) return;
      if (i.data) setIntake(i.data);
      if (r.data) setReview(r.data);
    };
    void load();
    // A call still in progress keeps growing: reload on its events.
    const stop = subscribe((e) => { if (e.callSid === callSid) void load(); }, () => undefined);
    return () => { cancelled = true; stop(); };
  }, [callSid]);

  const move = async (status: Review['allowedMoves'][number]) => {
    if (!intake) return;
    const { data, error: err } = await api.PUT('/api/intakes/{id}/review', { params: { path: { id: intake.id } }, body: { status } });
    if (data) { setReview(data); setSaved(`Marked ${label(status).toLowerCase()}.`); setError(null); } else setError(problem(err));
  };

  if (error && !call) return <p role="alert">{error}</p>;
  if (!call) return <p role="status">Loading…</p>;
  const canWrite = me.permissions.includes('intakes:write');
  return (
    <article aria-labelledby="call-h">
      <p><a href="#/">← Inbox</a></p>
      <h1 id="call-h" tabIndex={-1}>{intake?.callerName ?? 'Unknown caller'}</h1>
      <p class="meta">{phone(call.from)} · {when(call.startedAt)} · {label(call.outcome ?? call.status)}{call.durationS !== null ? ` · ${call.durationS < 90 ? `${call.durationS} s` : `${Math.round(call.durationS / 60)} min`}` : ''}</p>
      <div class="columns">
        <section aria-labelledby="t-h" class="panel">
          <h2 id="t-h">Transcript</h2>
          {call.turns.length === 0 ? <p>No words yet.</p> : (
            <ol class="transcript">
              {conversation(call.turns).map((l) => (
                <li key={l.seq} class={l.who === 'HERMES' ? 'turn agent' : 'turn caller'}>
                  <span class="who">{l.who}<span class="time"> {clock(l.at)}</span></span>
                  <p>{l.said || '…'}</p>
                  {l.notHeard && <p class="note">Cut off by the caller. Not heard: <s>{l.notHeard}</s></p>}
                  {l.repeated && <p class="note">Repeated prompt: HERMES had said this before</p>}
                </li>
              ))}
            </ol>
          )}
        </section>
        <div>
          <RecordingPlayer recording={call.recording} />
          {intake && (
            <section aria-labelledby="i-h" class="panel">
              <h2 id="i-h">Intake</h2>
              <p class="muted small">Confirmed: read back to the caller (or checked) and accepted. Unsure: heard but never confirmed; check it on the call-back.</p>
              <dl class="fields">
                {Object.entries(intake.slots).map(([k, v]) => {
                  const ok = intake.confirmedSlots.includes(k);
                  // A party slot's value is the names; who each is to the caller, and the caller's words, come beside it.
                  const parties = intake.parties?.[k] ?? [];
                  const words = [...new Set(parties.map((p) => p.phrase))];
                  return (
                    <div key={k}>
                      <dt>{label(k)}</dt>
                      <dd>
                        {k === 'practice_area' && typeof v === 'string' ? label(v) : show(v)} <span class={ok ? 'badge green' : 'badge amber'}>{ok ? 'Confirmed' : 'Unsure'}</span>
                        {parties.length > 0 && (
                          <ul class="parties small">
                            {parties.map((p, n) => <li key={n}>{p.name}{p.relationship ? <span class="muted">: {p.relationship}</span> : null}</li>)}
                          </ul>
                        )}
                        {words.map((w) => <p class="muted small" key={w}>Caller said: “{w}”</p>)}
                      </dd>
                    </div>
                  );
                })}
              </dl>
            </section>
          )}
          <CallDeliveries callSid={callSid} canRetry={me.permissions.includes('integrations:manage')} version={loads} />
          {review && (
            <section aria-labelledby="r-h" class="panel">
              <h2 id="r-h">Follow-up: {label(review.reviewStatus)}</h2>
              {canWrite && review.allowedMoves.length > 0 && (
                <div class="actions" role="group" aria-label="Move to">
                  {review.allowedMoves.map((m) => <button type="button" key={m} onClick={() => void move(m)}>{label(m)}</button>)}
                </div>
              )}
              <p class="sr-only" aria-live="polite">{saved}</p>
              {error && <p role="alert" class="error">{error}</p>}
              {review.history.length > 0 && (
                <ol class="history">
                  {review.history.map((h, n) => <li key={n}>{label(h.to)} by {h.by?.email ?? 'a removed user'}, {when(h.at)}{h.note ? `: ${h.note}` : ''}</li>)}
                </ol>
              )}
            </section>
          )}
        </div>
      </div>
    </article>
  );
}

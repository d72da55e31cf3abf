// The inbox: open emergencies and messages first, then open intakes (GET /api/inbox), refreshed live from the event
// stream. A new call is announced to screen readers through a polite live region.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { subscribe } from '../events';
import { label, phone, when } from '../format';
import type { Me } from '../main';

type Item = paths['/api/inbox']['get']['responses']['200']['content']['application/json']['items'][number];

export function Inbox(_: { me: Me }) {
  const [view, setView] = useState<'open' | 'all'>('open');
  const [items, setItems] = useState<Item[] | null>(null);
  const [live, setLive] = useState(false);
  const [announce, setAnnounce] = useState('');

  useEffect(() => {
    let cancelled = false;
    let pending: number | undefined;
    const load = async () => {
      const { data } = await api.GET('/api/inbox', { params: { query: { view, limit: 100 } } });
      if (!cancelled && data) setItems(data.items);
    };
    void load();
    const stop = subscribe((e) => {
      if (e.type === 'call' && e.status === 'in-progress') setAnnounce(`New call ${e.callSid}`);
      // Several events arrive together when a call starts; one reload covers them.
      clearTimeout(pending);
      pending = window.setTimeout(() => void load(), 150);
    }, setLive);
    return () => { cancelled = true; clearTimeout(pending); stop(); };
  }, [view]);

  return (
    <section aria-labelledby="inbox-h">
      <div class="head">
        <h1 id="inbox-h" tabIndex={-1}>Inbox</h1>
        <span class={live ? 'live on' : 'live'}>{live ? 'Live' : 'Connecting…'}</span>
        <label class="inline">Show{' '}
          <select value={view} onChange={(e) => setView(e.currentTarget.value as 'open' | 'all')}>
            <option value="open">Calls to work</option>
            <option value="all">All calls</option>
          </select>
        </label>
      </div>
      <p class="sr-only" aria-live="polite">{announce}</p>
      {items === null ? <p role="status">Loading…</p> : items.length === 0 ? <p>Nothing to call back. New calls appear here as they come in.</p> : (
        <ul class="inbox">
          {items.map((i) => (
            <li key={i.callSid} class={i.isEmergency ? 'card urgent' : 'card'} data-call={i.callSid}>
              <a class="title" href={`#/calls/${encodeURIComponent(i.callSid)}`}>{i.callerName ?? 'Unknown caller'}</a>
              <div class="flags">
                {i.isEmergency && <span class="badge red">Emergency</span>}
                {i.outcome === 'message' && <span class="badge">Message</span>}
                {i.solRisk && <span class="badge amber">Deadline risk</span>}
                {i.courtDate && <span class="badge amber">Court {i.courtDate}</span>}
                {i.callStatus === 'in-progress' && <span class="badge blue">On the call now</span>}
              </div>
              <dl class="facts">
                <div><dt>Call back</dt><dd>{i.callbackPhone ?? i.from ? <a href={`tel:${i.callbackPhone ?? i.from}`}>{phone(i.callbackPhone ?? i.from)}</a> : '—'}</dd></div>
                <div><dt>Practice area</dt><dd>{label(i.practiceArea)}</dd></div>
                <div><dt>Called</dt><dd>{when(i.startedAt)}</dd></div>
                <div><dt>Status</dt><dd>{i.reviewStatus ? label(i.reviewStatus) : label(i.outcome ?? i.callStatus)}{i.reviewedBy ? ` by ${i.reviewedBy.email}, ${when(i.reviewedAt)}` : ''}</dd></div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// What this call caused HERMES to send (Clio, LawPay link, SMS, Zapier, messages to staff) and how each stands; those
// who manage integrations can send a dead-lettered one again (POST /api/outbox/{id}/retry, audited).
import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../../api/client';
import type { paths } from '../../api/schema';
import { deliveryStatus, deliveryTarget, retryable } from '../../deliveries';
import { when } from '../../format';

type Delivery = paths['/api/calls/{callSid}/deliveries']['get']['responses']['200']['content']['application/json'][number];

export function CallDeliveries({ callSid, canRetry, version }: { callSid: string; canRetry: boolean; version: number }) {
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [said, setSaid] = useState('');
  useEffect(() => {
    void api.GET('/api/calls/{callSid}/deliveries', { params: { path: { callSid } } }).then(({ data }) => data && setRows(data));
  }, [callSid, version]);
  const retry = async (d: Delivery) => {
    const { data, error } = await api.POST('/api/outbox/{id}/retry', { params: { path: { id: d.id } } });
    if (data) {
      setRows((rs) => rs?.map((r) => (r.id === d.id ? data : r)) ?? null);
      setSaid(`${deliveryTarget(d.action)}: queued again.`);
    } else setSaid(problem(error));
  };
  if (rows === null || rows.length === 0) return null;
  return (
    <section aria-labelledby="dl-h" class="panel">
      <h2 id="dl-h">Deliveries</h2>
      <ul class="deliveries">
        {rows.map((d) => {
          const s = deliveryStatus(d.status);
          return (
            <li key={d.id} data-outbox={d.id}>
              <span class="target">{deliveryTarget(d.action)}</span>{' '}
              <span class={`badge ${s.tone}`}>{s.text}</span>
              <span class="muted small"> {d.status === 'delivered' ? when(d.deliveredAt) : `${d.attempts} of ${d.maxAttempts} attempts`}</span>
              {d.lastError && d.status !== 'delivered' && <p class="small error">{d.lastError}</p>}
              {canRetry && retryable(d.status) && (
                <button type="button" class="secondary small-btn" onClick={() => void retry(d)}>Retry<span class="sr-only"> {deliveryTarget(d.action)}</span></button>
              )}
            </li>
          );
        })}
      </ul>
      <p class="ok" aria-live="polite">{said}</p>
    </section>
  );
}

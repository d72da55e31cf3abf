// Every delivery of the firm (newest first): what failed and why, and a retry for what the worker gave up on.
import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../../api/client';
import type { paths } from '../../api/schema';
import { deliveryStatus, deliveryTarget, retryable } from '../../deliveries';
import { when } from '../../format';

type Delivery = paths['/api/outbox']['get']['responses']['200']['content']['application/json']['items'][number];

export function Deliveries() {
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [said, setSaid] = useState('');
  useEffect(() => { void api.GET('/api/outbox', { params: { query: { limit: 50 } } }).then(({ data }) => data && setRows(data.items)); }, []);
  const retry = async (d: Delivery) => {
    const { data, error } = await api.POST('/api/outbox/{id}/retry', { params: { path: { id: d.id } } });
    if (data) {
      setRows((rs) => rs?.map((r) => (r.id === d.id ? data : r)) ?? null);
      setSaid(`${deliveryTarget(d.action)} #${d.id} queued again.`);
    } else setSaid(problem(error));
  };
  return (
    <section class="panel" aria-labelledby="d-h">
      <h2 id="d-h">Deliveries</h2>
      <p class="ok" aria-live="polite">{said}</p>
      {rows === null ? <p role="status">Loading…</p> : rows.length === 0 ? <p>Nothing sent yet.</p> : (
        <div class="scroll">
          <table class="versions">
            <thead><tr><th scope="col">To</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Call</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-outbox={d.id}>
                  <td>{deliveryTarget(d.action)}</td>
                  <td class="delivery-status"><span class={`badge ${deliveryStatus(d.status).tone}`}>{deliveryStatus(d.status).text}</span></td>
                  <td>{d.attempts} of {d.maxAttempts}</td>
                  <td>{d.lastError ?? '—'}</td>
                  <td>{d.callSid ? <a href={`#/calls/${encodeURIComponent(d.callSid)}`}>{when(d.createdAt)}</a> : when(d.createdAt)}</td>
                  <td>{retryable(d.status) && <button type="button" class="secondary" onClick={() => void retry(d)}>Retry<span class="sr-only"> {deliveryTarget(d.action)} #{d.id}</span></button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// Settings for the firm's owner: users and roles, phone numbers (read here; changes go through the admin API).
import { useEffect, useState } from 'preact/hooks';
import type { paths } from '../api/schema';
import { api as client, problem } from '../api/client';
import { label, phone, when } from '../format';

type Users = paths['/api/users']['get']['responses']['200']['content']['application/json'];
type Numbers = paths['/api/numbers']['get']['responses']['200']['content']['application/json'];
type Delivery = paths['/api/outbox']['get']['responses']['200']['content']['application/json']['items'][number];

/** Deliveries to Clio, LawPay SMS and Zapier: what failed and why, and a retry for what the worker gave up on. */
function Deliveries() {
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [said, setSaid] = useState('');
  useEffect(() => { void client.GET('/api/outbox', { params: { query: { limit: 50 } } }).then(({ data }) => data && setRows(data.items)); }, []);
  const retry = async (d: Delivery) => {
    const { data, error } = await client.POST('/api/outbox/{id}/retry', { params: { path: { id: d.id } } });
    if (data) {
      setRows((rs) => rs?.map((r) => (r.id === d.id ? data : r)) ?? null);
      setSaid(`${d.action} #${d.id} queued again.`);
    } else setSaid(problem(error));
  };
  return (
    <section class="panel" aria-labelledby="d-h">
      <h2 id="d-h">Deliveries</h2>
      <p class="ok" aria-live="polite">{said}</p>
      {rows === null ? <p role="status">Loading…</p> : rows.length === 0 ? <p>Nothing sent yet.</p> : (
        <table class="versions">
          <thead><tr><th scope="col">What</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Call</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-outbox={d.id}>
                <td>{d.action}</td>
                <td class="delivery-status">{d.status === 'dead' ? 'Gave up' : label(d.status)}</td>
                <td>{d.attempts} of {d.maxAttempts}</td>
                <td>{d.lastError ?? '—'}</td>
                <td>{d.callSid ? <a href={`#/calls/${encodeURIComponent(d.callSid)}`}>{when(d.createdAt)}</a> : when(d.createdAt)}</td>
                <td>{(d.status === 'dead' || d.status === 'pending') && <button type="button" class="secondary" onClick={() => void retry(d)}>Retry<span class="sr-only"> {d.action} #{d.id}</span></button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Settings() {
  const [users, setUsers] = useState<Users | null>(null);
  const [numbers, setNumbers] = useState<Numbers | null>(null);
  useEffect(() => {
    void client.GET('/api/users').then(({ data }) => data && setUsers(data));
    void client.GET('/api/numbers').then(({ data }) => data && setNumbers(data));
  }, []);
  return (
    <section aria-labelledby="s-h">
      <h1 id="s-h" tabIndex={-1}>Settings</h1>
      <section class="panel" aria-labelledby="u-h">
        <h2 id="u-h">Users and roles</h2>
        {users ? <ul>{users.map((u) => <li key={u.id}>{u.email}: {label(u.role)}{u.disabled ? ' (disabled)' : ''}</li>)}</ul> : <p role="status">Loading…</p>}
      </section>
      <Deliveries />
      <section class="panel" aria-labelledby="n-h">
        <h2 id="n-h">Phone numbers</h2>
        {numbers ? <ul>{numbers.map((n) => <li key={n.id}>{phone(n.e164)}: flow {n.flow}{n.flowVersion ? ` v${n.flowVersion}` : ' (active version)'}</li>)}</ul> : <p role="status">Loading…</p>}
      </section>
    </section>
  );
}

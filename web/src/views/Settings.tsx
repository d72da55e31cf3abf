// Settings for the firm's owner: users and roles, phone numbers (read here; changes go through the admin API).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { label, phone } from '../format';

type Users = paths['/api/users']['get']['responses']['200']['content']['application/json'];
type Numbers = paths['/api/numbers']['get']['responses']['200']['content']['application/json'];

export function Settings() {
  const [users, setUsers] = useState<Users | null>(null);
  const [numbers, setNumbers] = useState<Numbers | null>(null);
  useEffect(() => {
    void api.GET('/api/users').then(({ data }) => data && setUsers(data));
    void api.GET('/api/numbers').then(({ data }) => data && setNumbers(data));
  }, []);
  return (
    <section aria-labelledby="s-h">
      <h1 id="s-h" tabIndex={-1}>Settings</h1>
      <section class="panel" aria-labelledby="u-h">
        <h2 id="u-h">Users and roles</h2>
        {users ? <ul>{users.map((u) => <li key={u.id}>{u.email}: {label(u.role)}{u.disabled ? ' (disabled)' : ''}</li>)}</ul> : <p role="status">Loading…</p>}
      </section>
      <section class="panel" aria-labelledby="n-h">
        <h2 id="n-h">Phone numbers</h2>
        {numbers ? <ul>{numbers.map((n) => <li key={n.id}>{phone(n.e164)}: flow {n.flow}{n.flowVersion ? ` v${n.flowVersion}` : ' (active version)'}</li>)}</ul> : <p role="status">Loading…</p>}
      </section>
    </section>
  );
}

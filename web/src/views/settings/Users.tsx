// Users of the firm and their roles: add one (with a first password they change after signing in), change a role,
// disable or enable. The API refuses demoting or disabling yourself and says so; that sentence is shown as is.
import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../../api/client';
import type { paths } from '../../api/schema';
import { label, when } from '../../format';

type User = paths['/api/users']['get']['responses']['200']['content']['application/json'][number];
type Role = paths['/api/users']['post']['requestBody']['content']['application/json']['role'];
const ROLES: readonly Role[] = ['owner', 'attorney', 'staff', 'viewer'];
const ROLE_HELP = 'Owner: everything. Attorney: intakes and flows. Staff: calls and intakes. Viewer: reads only.';

export function Users({ myId }: { myId: number }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [said, setSaid] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('staff');
  const [password, setPassword] = useState('');
  const load = () => void api.GET('/api/users').then(({ data }) => data && setUsers(data));
  useEffect(load, []);

  const patch = async (u: User, body: { role?: Role; disabled?: boolean }, done: string) => {
    setError(null);
    const { data, error: err } = await api.PATCH('/api/users/{id}', { params: { path: { id: u.id } }, body });
    if (data) { setUsers((us) => us?.map((x) => (x.id === u.id ? data : x)) ?? null); setSaid(done); } else { setError(problem(err)); load(); }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const { data, error: err } = await api.POST('/api/users', { body: { email, role, password } });
    if (data) { setSaid(`${data.email} added as ${label(data.role).toLowerCase()}.`); setEmail(''); setPassword(''); load(); } else setError(problem(err));
  };

  return (
    <section class="panel" aria-labelledby="u-h">
      <h2 id="u-h">Users and roles</h2>
      <p class="muted small" id="role-help">{ROLE_HELP}</p>
      {users === null ? <p role="status">Loading…</p> : (
        <table class="versions">
          <thead><tr><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Since</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user={u.email} class={u.disabled ? 'disabled' : ''}>
                <td>{u.email}{u.id === myId ? ' (you)' : ''}{u.disabled ? ' (disabled)' : ''}</td>
                <td>
                  <label class="sr-only" for={`role-${u.id}`}>Role of {u.email}</label>
                  <select id={`role-${u.id}`} value={u.role} disabled={u.id === myId} aria-describedby="role-help"
                    onChange={(e) => void patch(u, { role: e.currentTarget.value as Role }, `${u.email} is now ${label(e.currentTarget.value).toLowerCase()}.`)}>
                    {ROLES.map((r) => <option key={r} value={r}>{label(r)}</option>)}
                  </select>
                </td>
                <td>{when(u.createdAt)}</td>
                <td>{u.id !== myId && (
                  <button type="button" class="secondary" onClick={() => void patch(u, { disabled: !u.disabled }, `${u.email} ${u.disabled ? 'enabled' : 'disabled and signed out'}.`)}>
                    {u.disabled ? 'Enable' : 'Disable'}<span class="sr-only"> {u.email}</span>
                  </button>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="row-form" onSubmit={(e) => void create(e)} aria-labelledby="nu-h">
        <h3 id="nu-h">Add a user</h3>
        <label for="nu-email">E-mail</label>
        <input id="nu-email" type="email" required autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="nu-role">Role</label>
        <select id="nu-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} aria-describedby="role-help">
          {ROLES.map((r) => <option key={r} value={r}>{label(r)}</option>)}
        </select>
        <label for="nu-pass">First password (at least 12 characters)</label>
        <input id="nu-pass" type="password" required minLength={12} autocomplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <button type="submit">Add user</button>
      </form>
      <p class="ok" aria-live="polite">{said}</p>
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}

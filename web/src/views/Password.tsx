// Change your own password (PUT /api/me/password). Every device is signed out by the server, this one too.
import { useState } from 'preact/hooks';
import { api, problem } from '../api/client';
import { session } from '../session';

export const NOTICE = 'hermes.notice';

export function Password() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const { error: err, response } = await api.PUT('/api/me/password', { body: { currentPassword: current, newPassword: next } });
    if (response.status === 204) {
      sessionStorage.setItem(NOTICE, 'Password changed. Sign in with the new one.');
      session.clear();
      location.hash = '';
    } else setError(problem(err));
  };
  return (
    <section aria-labelledby="p-h" class="panel narrow">
      <h1 id="p-h" tabIndex={-1}>Change password</h1>
      <form class="upload" onSubmit={(e) => void submit(e)}>
        <label for="pw-current">Current password</label>
        <input id="pw-current" type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        <label for="pw-new">New password (at least 12 characters)</label>
        <input id="pw-new" type="password" autocomplete="new-password" minLength={12} required value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        {error && <p role="alert" class="error">{error}</p>}
        <button type="submit">Change password</button>
      </form>
    </section>
  );
}

// Sign-in with e-mail and password (POST /auth/login); the token pair goes to the session.
import { useState } from 'preact/hooks';
import { api, problem } from '../api/client';
import { session } from '../session';
import { NOTICE } from './Password';

export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice] = useState(() => {
    const n = sessionStorage.getItem(NOTICE);
    sessionStorage.removeItem(NOTICE);
    return n;
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const { data, error: err } = await api.POST('/auth/login', { body: { email, password } });
    setBusy(false);
    if (data) session.store(data);
    else setError(problem(err));
  };
  return (
    <main id="main" class="signin">
      <h1 tabIndex={-1}>Sign in to HERMES</h1>
      {notice && <p role="status" class="ok">{notice}</p>}
      <form onSubmit={(e) => void submit(e)}>
        <label for="email">E-mail</label>
        <input id="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="password">Password</label>
        <input id="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        {error && <p role="alert" class="error">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}

// The staff app: sign-in, inbox, call detail, settings (owners). Hash routes (#/calls/CA...) so any URL under /app
// is the same file and a reload lands on the same screen. Roles decide what is shown; the API still enforces it.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, refresh } from './api/client';
import type { paths } from './api/schema';
import { setFirmTimeZone } from './format';
import { session } from './session';
import { CallDetail } from './views/CallDetail';
import { Flows } from './views/Flows';
import { Inbox } from './views/Inbox';
import { Password } from './views/Password';
import { Settings } from './views/Settings';
import { SignIn } from './views/SignIn';
import './styles.css';

export type Me = paths['/api/me']['get']['responses']['200']['content']['application/json'];

const route = () => location.hash.replace(/^#/, '') || '/';

function App() {
  const [signedIn, setSignedIn] = useState(session.isSignedIn());
  const [me, setMe] = useState<Me | null>(null);
  const [path, setPath] = useState(route());

  useEffect(() => session.onChange((v) => { setSignedIn(v); if (!v) setMe(null); }), []);
  useEffect(() => {
    const on = () => setPath(route());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => { session.whenRefreshDue(() => void refresh()); }, []);
  useEffect(() => {
    if (!signedIn) return;
    void api.GET('/api/me').then(({ data }) => {
      if (!data) return;
      setFirmTimeZone(data.tenant.timezone);
      setMe(data);
    });
  }, [signedIn]);
  // Move focus to the new screen's heading so keyboard and screen-reader users know the page changed.
  useEffect(() => { document.querySelector<HTMLElement>('main h1')?.focus(); }, [path, me]);

  if (!signedIn) return <SignIn />;
  if (!me) return <main id="main"><p role="status">Loading…</p></main>;

  const canSettings = me.permissions.includes('users:manage');
  const signOut = async () => {
    const rt = session.refreshToken();
    if (rt) await fetch('/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: rt }) }).catch(() => undefined);
    session.clear();
    location.hash = '';
  };
  const call = /^\/calls\/([^/]+)$/.exec(path);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="bar">
        <span class="brand">HERMES <span class="firm">{me.tenant.name}</span></span>
        <nav aria-label="Main">
          <a href="#/" aria-current={path === '/' ? 'page' : undefined}>Inbox</a>
          <a href="#/flows" aria-current={path === '/flows' ? 'page' : undefined}>Flows</a>
          {canSettings && <a href="#/settings" aria-current={path === '/settings' ? 'page' : undefined}>Settings</a>}
        </nav>
        <span class="who">{me.user.email} ({me.user.role}) <a href="#/password">Change password</a></span>
        <button type="button" class="secondary" onClick={() => void signOut()}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        {call ? <CallDetail callSid={decodeURIComponent(call[1]!)} me={me} />
          : path === '/flows' ? <Flows me={me} />
          : path === '/password' ? <Password />
          : path === '/settings' ? (canSettings ? <Settings me={me} /> : <p role="alert">Settings are for the firm's owner. Ask them to change numbers, integrations or users.</p>)
          : <Inbox me={me} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('root')!);

// Settings for the firm's owner: the firm's facts callers hear, phone numbers and their flows, integrations, staff contacts and the on-call list,
// users and roles, and every delivery. Each panel talks to its own admin routes; the API enforces the role again.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Me } from '../main';
import { Deliveries } from './settings/Deliveries';
import { Firm } from './settings/Firm';
import { Integrations } from './settings/Integrations';
import { Numbers } from './settings/Numbers';
import { OnCall, type OnCallList } from './settings/OnCall';
import { StaffContacts } from './settings/StaffContacts';
import { Users } from './settings/Users';

export function Settings({ me }: { me: Me }) {
  const [onCall, setOnCall] = useState<OnCallList | null>(null);
  const [flowIds, setFlowIds] = useState<string[]>([]);
  const loadOnCall = () => void api.GET('/api/on-call').then(({ data }) => data && setOnCall(data));
  useEffect(() => {
    loadOnCall();
    void api.GET('/api/flows').then(({ data }) => data && setFlowIds([...new Set(data.filter((v) => v.active).map((v) => v.flowId))]));
  }, []);
  const defaultFlow = onCall?.find((l) => l.version === null)?.flowId ?? null;
  return (
    <section aria-labelledby="s-h">
      <h1 id="s-h" tabIndex={-1}>Settings</h1>
      <nav aria-label="Settings sections" class="toc">
        <a href="#f-h" onClick={jump}>Firm</a> <a href="#n-h" onClick={jump}>Numbers</a> <a href="#ig-h" onClick={jump}>Integrations</a> <a href="#sc-h" onClick={jump}>Staff contacts</a>
        {' '}<a href="#oc-h" onClick={jump}>On-call</a> <a href="#u-h" onClick={jump}>Users</a> <a href="#d-h" onClick={jump}>Deliveries</a>
      </nav>
      <Firm canEdit={me.permissions.includes('firm:manage')} lists={onCall} onSaved={loadOnCall} />
      <Numbers flowChoices={flowIds} defaultFlow={defaultFlow} />
      <Integrations />
      <StaffContacts />
      <OnCall lists={onCall} />
      <Users myId={me.user.id} />
      <Deliveries />
    </section>
  );
}

/** In-page links without touching the hash (the hash is the app's route). */
function jump(e: MouseEvent) {
  e.preventDefault();
  const id = (e.currentTarget as HTMLAnchorElement).getAttribute('href')!.slice(1);
  const el = document.getElementById(id);
  if (!el) return;
  // A heading takes focus only with tabindex; focus moves the keyboard there, not just the view.
  el.setAttribute('tabindex', '-1');
  el.focus();
}

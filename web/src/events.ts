// Live updates: trades the access token for a one-minute ticket (POST /api/events/ticket) and opens
// GET /api/events?ticket=... with EventSource, which cannot send an Authorization header. On an error the stream is
// reopened with a fresh ticket (EventSource's own reconnect would reuse the expired one).
import { api } from './api/client';

export type LiveEvent = { type: 'call' | 'intake'; callSid: string; intakeId: number | null; status: string };

export function subscribe(onEvent: (e: LiveEvent) => void, onState: (live: boolean) => void): () => void {
  let source: EventSource | null = null;
  let stopped = false;
  let retry: number | undefined;
  const open = async () => {
    const { data } = await api.POST('/api/events/ticket').catch(() => ({ data: undefined }));
    if (stopped) return;
    if (!data) {
      retry = window.setTimeout(open, 5000);
      return;
    }
    source = new EventSource(`/api/events?ticket=${encodeURIComponent(data.ticket)}`);
    source.addEventListener('ready', () => onState(true));
    for (const type of ['call', 'intake'] as const) source.addEventListener(type, (m) => onEvent(JSON.parse((m as MessageEvent<string>).data) as LiveEvent));
    source.onerror = () => {
      onState(false);
      source?.close();
      if (!stopped) retry = window.setTimeout(open, 3000);
    };
  };
  void open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}

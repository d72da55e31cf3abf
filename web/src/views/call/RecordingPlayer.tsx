// The call's recording: fetched with the bearer token as a Blob (an <audio src> cannot send one) and played from an
// object URL, which is revoked when the screen changes so the audio does not stay in memory. Hidden when the firm
// does not record.
import { useEffect, useState } from 'preact/hooks';
import { apiBlob } from '../../api/client';
import { recordingView, type Recording } from '../../recording';

export function RecordingPlayer({ recording }: { recording: Recording | null | undefined }) {
  const view = recordingView(recording);
  const path = view.kind === 'play' ? view.mediaPath : null;
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!path) return;
    let made: string | null = null;
    let cancelled = false;
    setError(null);
    apiBlob(path).then((blob) => {
      if (cancelled) return;
      made = URL.createObjectURL(blob);
      setUrl(made);
    }, (e: Error) => { if (!cancelled) setError(e.message); });
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [path]);

  if (view.kind === 'none') return null;
  return (
    <section aria-labelledby="rec-h" class="panel">
      <h2 id="rec-h">Recording{view.kind === 'play' && view.length ? <span class="muted"> ({view.length})</span> : null}</h2>
      {view.kind === 'note' ? <p>{view.text}</p>
        : error ? <p role="alert" class="error">{error}</p>
        : url ? <audio controls preload="metadata" src={url} class="player" aria-labelledby="rec-h" />
        : <p role="status">Loading the recording…</p>}
    </section>
  );
}

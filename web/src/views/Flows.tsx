// Flows: every stored version (which one calls run), its graph (the SVG `hermes flows graph` draws, shown as an image
// so nothing in it can run), activation, and upload of a new version with each file:line:col problem shown against
// the line of YAML it is about.
import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api/client';
import type { paths } from '../api/schema';
import { phone, when } from '../format';
import type { Me } from '../main';

type Version = paths['/api/flows']['get']['responses']['200']['content']['application/json'][number];
type Mapping = paths['/api/numbers']['get']['responses']['200']['content']['application/json'][number];
type Problems = paths['/api/flows']['post']['responses']['422']['content']['application/json']['problems'];

export function Flows({ me }: { me: Me }) {
  const canWrite = me.permissions.includes('flows:write');
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [numbers, setNumbers] = useState<Mapping[]>([]);
  const [shown, setShown] = useState<Version | null>(null);
  const [svg, setSvg] = useState<string | null>(null);
  const [yaml, setYaml] = useState('');
  const [fileName, setFileName] = useState('flow.yaml');
  const [activate, setActivate] = useState(false);
  const [problems, setProblems] = useState<Problems | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    const [{ data }, n] = await Promise.all([api.GET('/api/flows'), api.GET('/api/numbers')]);
    if (data) setVersions(data);
    if (n.data) setNumbers(n.data);
  };
  // A number follows its flow's active version (activation moves it), so it is listed against the version it runs.
  const numbersOf = (v: Version) => numbers.filter((m) => m.flow === v.flowId && m.flowVersion === v.version).map((m) => phone(m.e164));
  const onDefault = numbers.filter((m) => m.flowVersion === null);
  useEffect(() => { void load(); }, []);
  useEffect(() => {
    setSvg(null);
    if (!shown) return;
    void api.GET('/api/flows/{flowId}/versions/{version}/graph', { params: { path: { flowId: shown.flowId, version: shown.version } } })
      .then(({ data, error: err }) => (data ? setSvg(data.svg) : setError(problem(err))));
  }, [shown]);

  const upload = async (e: Event) => {
    e.preventDefault();
    setProblems(null);
    setError(null);
    setStatus('');
    const { data, error: err, response } = await api.POST('/api/flows', { body: { yaml, fileName, activate } });
    if (data) {
      setStatus(`Stored ${data.flowId} version ${data.version}${data.active ? ', now active' : ''}.`);
      await load();
      setShown(data);
    } else if (response.status === 422 && err && 'problems' in err) setProblems(err.problems as Problems);
    else setError(problem(err));
  };
  const activateVersion = async (v: Version) => {
    const { data, error: err } = await api.POST('/api/flows/{flowId}/versions/{version}/activate', { params: { path: { flowId: v.flowId, version: v.version } } });
    if (data) { setStatus(`${v.flowId} version ${v.version} is now active.`); await load(); } else setError(problem(err));
  };
  const lines = yaml.split('\n');
  const byLine = new Map<number, string[]>();
  for (const p of problems ?? []) byLine.set(p.line, [...(byLine.get(p.line) ?? []), `${p.file}:${p.line}:${p.col}: ${p.message}`]);

  return (
    <section aria-labelledby="f-h">
      <h1 id="f-h" tabIndex={-1}>Flows</h1>
      <p class="ok" aria-live="polite">{status}</p>
      {error && <p role="alert" class="error">{error}</p>}
      <section class="panel" aria-labelledby="v-h">
        <h2 id="v-h">Versions</h2>
        {versions === null ? <p role="status">Loading…</p> : versions.length === 0 ? <p>No flow uploaded yet: calls run the bundled flow.</p> : (
          <table class="versions">
            <thead><tr><th scope="col">Flow</th><th scope="col">Version</th><th scope="col">Uploaded</th><th scope="col">State</th><th scope="col">Numbers</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={`${v.flowId}@${v.version}`}>
                  <td>{v.flowId}</td><td>{v.version}</td><td>{when(v.createdAt)}</td><td>{v.active ? 'Active' : '—'}</td><td class="numbers">{numbersOf(v).join(', ') || '—'}</td>
                  <td class="actions">
                    <button type="button" class="secondary" onClick={() => setShown(v)}>Graph<span class="sr-only"> of {v.flowId} {v.version}</span></button>
                    {canWrite && !v.active && <button type="button" class="secondary" onClick={() => void activateVersion(v)}>Activate<span class="sr-only"> {v.flowId} {v.version}</span></button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {onDefault.length > 0 && <p class="muted small">On the server's default flow: {onDefault.map((m) => phone(m.e164)).join(', ')}.</p>}
      </section>
      {shown && (
        <section class="panel" aria-labelledby="g-h">
          <h2 id="g-h">Graph of {shown.flowId} version {shown.version}</h2>
          {svg ? <div class="graph"><img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={`Steps and branches of flow ${shown.flowId} version ${shown.version}`} /></div> : <p role="status">Drawing…</p>}
        </section>
      )}
      {canWrite && (
        <section class="panel" aria-labelledby="up-h">
          <h2 id="up-h">Upload a new version</h2>
          <form onSubmit={(e) => void upload(e)} class="upload">
            <label for="flow-file">File name (shown in problems)</label>
            <input id="flow-file" value={fileName} onInput={(e) => setFileName(e.currentTarget.value)} />
            <label for="flow-yaml">Flow YAML</label>
            <textarea id="flow-yaml" rows={14} spellcheck={false} required value={yaml} onInput={(e) => setYaml(e.currentTarget.value)} aria-describedby={problems ? 'flow-problems' : undefined} />
            <label class="inline-check"><input type="checkbox" checked={activate} onChange={(e) => setActivate(e.currentTarget.checked)} /> Make it the version new calls run</label>
            <button type="submit">Check and upload</button>
          </form>
          {problems && (
            <div id="flow-problems" role="alert">
              <h3>{problems.length === 1 ? '1 problem' : `${problems.length} problems`}: nothing was stored</h3>
              <ol class="yaml" aria-label="The YAML with its problems">
                {lines.map((text, i) => {
                  const here = byLine.get(i + 1);
                  if (!here && !byLine.has(i) && !byLine.has(i + 2)) return null;
                  return (
                    <li key={i} value={i + 1} class={here ? 'bad' : ''}>
                      <code>{text || ' '}</code>
                      {here?.map((m) => <p class="problem" key={m}>{m}</p>)}
                    </li>
                  );
                })}
              </ol>
              {(problems ?? []).filter((p) => p.line > lines.length || p.line < 1).map((p) => <p class="problem" key={p.message}>{`${p.file}:${p.line}:${p.col}: ${p.message}`}</p>)}
            </div>
          )}
        </section>
      )}
    </section>
  );
}

// A TCP pass-through between the OpenAI SDK and the fake OpenAI server that notes, per connection, when the server
// finished a streamed reply (`data: [DONE]`) and when the client went away. The fake stops streaming when its client
// disconnects; this tap lets a test see that happen on the wire: a request aborted mid-stream is a connection the
// client closed before [DONE] arrived.
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface TappedConnection {
  id: number;
  openedAt: number;
  /** performance.now() when this request was seen (one record per request on a kept-alive connection). */
  requestAt: number | null;
  /** Whether the request asked for a stream. */
  streaming: boolean;
  /** performance.now() when the server sent the first SSE chunk with content. */
  firstContentAt: number | null;
  /** performance.now() when the server sent `data: [DONE]` (the stream finished), null if it never did. */
  doneAt: number | null;
  /** performance.now() when the client closed or reset the connection. */
  clientGoneAt: number | null;
}

export interface LlmTap {
  /** Base URL for the SDK (…/v1), pointing through the tap. */
  baseURL: string;
  connections: TappedConnection[];
  close(): Promise<void>;
}

export async function startLlmTap(targetBaseURL: string): Promise<LlmTap> {
  const target = new URL(targetBaseURL);
  const connections: TappedConnection[] = [];
  const sockets = new Set<Socket>();
  let nextId = 1;
  const server = createServer((client) => {
    const openedAt = performance.now();
    const record = (): TappedConnection => {
      const r: TappedConnection = { id: nextId++, openedAt, requestAt: null, streaming: false, firstContentAt: null, doneAt: null, clientGoneAt: null };
      connections.push(r);
      return r;
    };
    // The SDK keeps connections alive: each request on one gets its own record (the last one is the one in flight).
    let c = record();
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    let head = '';
    client.on('data', (d: Buffer) => {
      if (c.requestAt !== null && /^(?:POST|GET) \//.test(d.toString('latin1', 0, 8))) {
        c = record();
        head = '';
      }
      if (c.requestAt === null) c.requestAt = performance.now();
      if (head.length < 4096) {
        head += d.toString('utf8');
        if (/"stream"\s*:\s*true/.test(head)) c.streaming = true;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      const s = d.toString('utf8');
      if (c.firstContentAt === null && /"delta":\{"content":"[^"]/.test(s)) c.firstContentAt = performance.now();
      if (c.doneAt === null && s.includes('data: [DONE]')) c.doneAt = performance.now();
      if (!client.destroyed) client.write(d);
    });
    const gone = () => {
      c.clientGoneAt ??= performance.now();
      upstream.destroy();
    };
    client.on('end', gone);
    client.on('close', gone);
    client.on('error', gone);
    upstream.on('close', () => client.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}${target.pathname}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// A fake of the Twilio REST endpoints HERMES uses: POST /2010-04-01/Accounts/{AC}/Calls/{CA}.json (calls(sid).update
// with Status=completed or Twiml=...) and POST .../Messages.json (messages.create, the SMS pages). Checks HTTP Basic
// auth like Twilio, answers in Twilio's JSON shapes, and records every request. Reached through TWILIO_API_BASE_URL.
// `onUpdate` listeners see each call update as Twilio would act on it (twilio-voice.ts runs the TwiML).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallUpdate {
  callSid: string;
  params: Record<string, string>;
  at: number;
}

/** Another resource the fake serves (recordings): answers and returns true, or leaves the request to the next. */
export type RestRoute = (req: IncomingMessage, body: string, res: ServerResponse) => boolean;

export interface FakeTwilioRest {
  url: string;
  /** Extra resources, tried after the auth check and before the calls and messages of this file. */
  routes: RestRoute[];
  updates: CallUpdate[];
  /** Form fields of every messages.create (To, From, Body). */
  messages: Record<string, string>[];
  /** Called for every accepted call update, after it is recorded. */
  onUpdate: ((u: CallUpdate) => void)[];
  /** Answer the next updates with this HTTP status (e.g. 500) instead of 200. */
  failWith: number | null;
  waitForUpdate(callSid: string, timeoutMs?: number): Promise<CallUpdate>;
  close(): Promise<void>;
}

export async function startFakeTwilioRest(accountSid: string, authToken: string): Promise<FakeTwilioRest> {
  const updates: CallUpdate[] = [];
  const messages: Record<string, string>[] = [];
  const onUpdate: ((u: CallUpdate) => void)[] = [];
  const routes: RestRoute[] = [];
  const waiters: { callSid: string; resolve: (u: CallUpdate) => void }[] = [];
  const state = { failWith: null as number | null };
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const m = /^\/2010-04-01\/Accounts\/(AC\w+)\/Calls\/(CA\w+)\.json$/.exec(req.url ?? '');
      if (req.headers.authorization !== expectedAuth) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003,"message":"Authenticate","status":401}');
        return;
      }
      if (routes.some((r) => r(req, body, res))) return;
      if (req.method === 'POST' && req.url === `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
        const form = Object.fromEntries(new URLSearchParams(body));
        messages.push(form);
        const sid = `SM${String(messages.length).padStart(32, '0')}`;
        res.writeHead(201, { 'content-type': 'application/json' }).end(
          JSON.stringify({ sid, account_sid: accountSid, to: form.To, from: form.From ?? null, body: form.Body, status: 'queued', direction: 'outbound-api', api_version: '2010-04-01', uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json` }),
        );
        return;
      }
      if (req.method !== 'POST' || !m || m[1] !== accountSid) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":20404,"message":"Not found","status":404}');
        return;
      }
      if (state.failWith) {
        res.writeHead(state.failWith, { 'content-type': 'application/json' }).end(`{"code":20500,"message":"fake failure","status":${state.failWith}}`);
        return;
      }
      const params = Object.fromEntries(new URLSearchParams(body));
      const u: CallUpdate = { callSid: m[2]!, params, at: performance.now() };
      updates.push(u);
      for (const l of onUpdate) l(u);
      for (const w of waiters.filter((x) => x.callSid === u.callSid)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(u);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ sid: m[2], account_sid: accountSid, status: params.Status ?? 'in-progress', uri: req.url }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    updates,
    messages,
    onUpdate,
    get failWith() {
      return state.failWith;
    },
    set failWith(v) {
      state.failWith = v;
    },
    waitForUpdate(callSid, timeoutMs = 5000) {
      const have = updates.find((u) => u.callSid === callSid);
      if (have) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const w = { callSid, resolve: (u: CallUpdate) => { clearTimeout(t); resolve(u); } };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no REST update for ${callSid}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

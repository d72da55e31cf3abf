// A real SMTP server on a local port (the smtp-server library), for tests of staff e-mail: it takes AUTH PLAIN/LOGIN
// with one user, parses every message it accepts (mailparser) and can refuse the next recipients with a reply code
// (451: try again later; 550: mailbox unavailable), the way a real server would.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
}

export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** Reply codes for the next RCPT TO commands, in order (empty: accept). */
  refuse: number[] = [];
  readonly user = 'hermes';
  readonly pass = 'smtp-secret';
  private server: SMTPServer | null = null;
  port = 0;

  get url(): string {
    return `smtp://${this.user}:${this.pass}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = new SMTPServer({
      // Plain SMTP on loopback: STARTTLS would need a certificate the client trusts, which is not what is under test.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, cb) => (auth.username === this.user && auth.password === this.pass ? cb(null, { user: auth.username }) : cb(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }))),
      onRcptTo: (_addr, _session, cb) => {
        const code = this.refuse.shift();
        if (code) return cb(Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code }));
        cb();
      },
      onData: (stream, session, cb) => {
        simpleParser(stream)
          .then((m) => {
            this.mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: m.subject ?? '',
              text: m.text ?? '',
              messageId: m.messageId ?? '',
            });
            cb();
          })
          .catch((err: Error) => cb(err));
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

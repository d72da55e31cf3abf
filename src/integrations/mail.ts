// E-mail to staff through SMTP (nodemailer). SMTP_URL names the server (smtp:// upgrades with STARTTLS when offered,
// smtps:// is TLS from the start); SMTP_FROM the sender. Failures are classified for the outbox: a 5xx reply from the
// server is permanent (bad address, refused), anything else (4xx, connection trouble, timeouts) is retried.
import nodemailer, { type Transporter } from 'nodemailer';
import { configError, DeliveryError } from './errors.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** A stable Message-ID, so a mail client shows a resent copy as the same message. */
  messageId?: string;
}

export interface MailSender {
  send(m: MailMessage): Promise<{ messageId: string }>;
}

export interface MailConfig {
  smtpUrl: string | null;
  smtpFrom: string | null;
}

export function createSmtpMailer(cfg: MailConfig, opts: { timeoutMs?: number } = {}): MailSender {
  let transport: Transporter | null = null;
  return {
    async send(m) {
      if (!cfg.smtpUrl) throw configError('smtp', 'SMTP_URL is not set, so staff e-mail cannot be sent (smtp://user:pass@host:587)');
      if (!cfg.smtpFrom) throw configError('smtp', 'SMTP_FROM is not set (the From address of staff e-mail)');
      const t = opts.timeoutMs ?? 30_000;
      transport ??= nodemailer.createTransport({ url: cfg.smtpUrl, connectionTimeout: t, greetingTimeout: t, socketTimeout: t });
      try {
        const info = (await transport.sendMail({ from: cfg.smtpFrom, to: m.to, subject: m.subject, text: m.text, ...(m.messageId ? { messageId: m.messageId } : {}) })) as { messageId?: string };
        return { messageId: info.messageId ?? m.messageId ?? '' };
      } catch (err) {
        const e = err as { responseCode?: number; message?: string };
        const code = typeof e.responseCode === 'number' ? e.responseCode : null;
        throw new DeliveryError('smtp', `the mail server refused the message${code ? ` (${code})` : ''}: ${e.message ?? 'unknown error'}`, { retryable: code === null || code < 500, status: code });
      }
    },
  };
}

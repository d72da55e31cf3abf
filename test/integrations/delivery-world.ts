// Every delivery target at once: the Clio world (database, fake Clio, clock) plus the LawPay, Zapier and Twilio SMS
// fakes, with the config pointing at all of them. For tests that follow an intake from the call to every target.
import type { TestDbKind } from '../helpers/db.js';
import { LawPayFake } from '../fakes/lawpay-server.js';
import { ZapierFake } from '../fakes/zapier-server.js';
import { TwilioSmsFake } from './twilio-sms-fake.js';
import { clioWorld, type ClioWorld } from './clio-world.js';

export interface DeliveryWorld extends ClioWorld {
  lawpay: LawPayFake;
  zapier: ZapierFake;
  twilio: TwilioSmsFake;
  /** Stops the fakes and closes the Clio world. */
  closeAll(): Promise<void>;
}

export async function deliveryWorld(kind: TestDbKind, opts: { accountSid: string; paymentUrlTemplate: string }): Promise<DeliveryWorld> {
  const lawpay = new LawPayFake();
  const zapier = new ZapierFake();
  const twilio = new TwilioSmsFake(opts.accountSid, 'tw-token');
  await Promise.all([lawpay.start(), zapier.start(), twilio.start()]);
  const w = await clioWorld(kind, {
    configOverrides: {
      lawpayBaseUrl: lawpay.url, lawpaySecretKey: lawpay.secretKey, zapierHookUrl: zapier.hookUrl,
      lawpayPaymentUrlTemplate: opts.paymentUrlTemplate,
      twilioAccountSid: opts.accountSid, twilioAuthToken: 'tw-token', twilioSmsFrom: '+13125550100', twilioApiBaseUrl: twilio.url,
    },
  });
  return Object.assign(w, {
    lawpay, zapier, twilio,
    async closeAll() {
      await w.close();
      await Promise.all([lawpay.stop(), zapier.stop(), twilio.stop()]);
    },
  });
}

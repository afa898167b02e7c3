import type { Queue } from 'bull';
import { EntityManager, Repository } from 'typeorm';
import { Locale } from '../common/locale';
import { Database } from '../database/database.service';
import { AppConfig } from '../config/app-config.service';
import { MetricsService } from '../metrics/metrics.service';
import { MessageDeliveryService } from './message-delivery.service';
import { NotificationsService } from './notifications.service';
import { OutboxMessage } from './outbox-message.entity';
import { PayloadCipher } from './payload-cipher';
import { MailMessage, MailTransport, SmsMessage, SmsTransport } from './transport.interfaces';

const cipher = new PayloadCipher({
  secret: 'a-secret-of-at-least-thirty-two-characters',
} as unknown as AppConfig);

/** The producer and the worker over one in-memory outbox, with transports that keep what they get. */
function pipeline() {
  const rows: OutboxMessage[] = [];
  const mails: MailMessage[] = [];
  const texts: SmsMessage[] = [];
  const outbox = {
    findOneBy: async ({ id }: { id: string }) => rows.find((r) => r.id === id) ?? null,
    update: async () => ({ affected: 1 }),
  } as unknown as Repository<OutboxMessage>;
  const manager = {
    create: (_: unknown, values: Partial<OutboxMessage>) => ({ ...values }),
    insert: async (_: unknown, row: OutboxMessage) => void rows.push(row),
  } as unknown as EntityManager;
  const queue = { on: () => undefined } as unknown as Queue;
  // Not in a transaction: the message would be queued at once (no queue here: nothing happens).
  const db = { afterCommit: () => undefined } as unknown as Database;
  const producer = new NotificationsService(outbox, queue, cipher, db, {} as AppConfig);
  const delivery = new MessageDeliveryService(
    outbox,
    cipher,
    { send: async (m: MailMessage) => void mails.push(m) } as MailTransport,
    { send: async (m: SmsMessage) => void texts.push(m) } as SmsTransport,
    { recordCodeMessage: () => undefined } as unknown as MetricsService,
  );

  /** Writes a login code to the outbox and delivers it; returns the message id. */
  async function sendLoginCode(channel: 'email' | 'sms', locale?: Locale): Promise<string> {
    const id = await producer.write(manager, {
      channel,
      to: channel === 'email' ? 'ana@example.com' : '+491701234567',
      template: 'login_code',
      variables: { code: '0427', minutes: 10 },
      ...(locale ? { locale } : {}),
    });
    expect(await delivery.deliver(id, 1)).toBe('sent');
    return id;
  }
  return { rows, mails, texts, delivery, sendLoginCode };
}

/** A message written to the outbox with a locale is delivered in that language. */
describe('the locale of an outbox message', () => {
  let rows: OutboxMessage[];
  let mails: MailMessage[];
  let texts: SmsMessage[];
  let delivery: MessageDeliveryService;
  let sendLoginCode: ReturnType<typeof pipeline>['sendLoginCode'];

  beforeEach(() => {
    ({ rows, mails, texts, delivery, sendLoginCode } = pipeline());
  });

  it('stores the locale in the encrypted payload only', async () => {
    const id = await sendLoginCode('email', 'de');
    const row = rows.find((r) => r.id === id)!;
    expect(Object.keys(row)).not.toContain('locale');
    expect(cipher.decrypt(row.payload!, id)).toMatchObject({
      template: 'login_code',
      locale: 'de',
    });
  });

  it('delivers an email and an SMS in German', async () => {
    await sendLoginCode('email', 'de');
    await sendLoginCode('sms', 'de');
    expect(mails[0].subject).toBe('Ihr Sicherheitscode');
    expect(mails[0].text).toContain('Ihr Sicherheitscode lautet 0427.');
    expect(texts[0].text).toContain('Ihr Sicherheitscode lautet 0427.');
  });

  it('delivers in English when asked to, and when no locale was given', async () => {
    await sendLoginCode('email', 'en');
    await sendLoginCode('email');
    for (const mail of mails) expect(mail.text).toContain('Your security code is 0427.');
  });

  it('delivers in English when the stored locale is not one it knows', async () => {
    const id = 'c5d1a3f0-0000-4000-8000-000000000001';
    rows.push({
      id,
      channel: 'email',
      template: 'login_code',
      recipient: 'ana@example.com',
      status: 'pending',
      payload: cipher.encrypt(
        { template: 'login_code', variables: { code: '0427', minutes: 10 }, locale: 'fr' },
        id,
      ),
    } as OutboxMessage);
    expect(await delivery.deliver(id, 1)).toBe('sent');
    expect(mails[0].text).toContain('Your security code is 0427.');
  });
});

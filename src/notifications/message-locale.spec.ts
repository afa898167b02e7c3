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

/**
 * The producer and the worker over one in-memory outbox, with transports that keep what they
 * get; the worker's DEFAULT_LOCALE is `defaultLocale`.
 */
function pipeline(defaultLocale: Locale = 'en') {
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
    { defaultLocale } as AppConfig,
  );

  /** Writes a login code to the outbox and delivers it; returns the message id. */
  async function sendLoginCode(channel: 'email' | 'sms', locale: Locale): Promise<string> {
    const id = await producer.write(manager, {
      channel,
      to: channel === 'email' ? 'ana@example.com' : '+491701234567',
      template: 'login_code',
      variables: { code: '0427', minutes: 10 },
      locale,
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
  let sendLoginCode: ReturnType<typeof pipeline>['sendLoginCode'];

  beforeEach(() => {
    ({ rows, mails, texts, sendLoginCode } = pipeline());
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

  it('delivers in English when asked to', async () => {
    await sendLoginCode('email', 'en');
    expect(mails[0].text).toContain('Your security code is 0427.');
  });

  it.each([
    ['no locale', undefined],
    ['a locale it does not know', 'fr'],
  ])('delivers a message with %s in the DEFAULT_LOCALE', async (_, stored) => {
    for (const defaultLocale of ['en', 'de'] as const) {
      const worker = pipeline(defaultLocale);
      const id = 'c5d1a3f0-0000-4000-8000-000000000001';
      worker.rows.push(storedLoginCode(id, stored));
      expect(await worker.delivery.deliver(id, 1)).toBe('sent');
      expect(worker.mails[0].text).toContain(
        defaultLocale === 'de' ? 'Ihr Sicherheitscode lautet 0427.' : 'Your security code is 0427.',
      );
    }
  });

  it('delivers in the locale of the message whatever the DEFAULT_LOCALE', async () => {
    const worker = pipeline('de');
    await worker.sendLoginCode('email', 'en');
    expect(worker.mails[0].text).toContain('Your security code is 0427.');
  });
});

/** A login code in the outbox as an older version may have left it: `locale` as given. */
function storedLoginCode(id: string, locale: unknown): OutboxMessage {
  return {
    id,
    channel: 'email',
    template: 'login_code',
    recipient: 'ana@example.com',
    status: 'pending',
    payload: cipher.encrypt(
      { template: 'login_code', variables: { code: '0427', minutes: 10 }, locale },
      id,
    ),
  } as OutboxMessage;
}

import { Logger } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { maskEmail } from '../common/masking';
import { MailMessage, MailTransport, SmsMessage, SmsTransport } from './transport.interfaces';

/**
 * Development transports (refused in production). The log line names the recipient, subject and
 * the file that holds the message; the body (which may carry a code or a link) is written only to
 * that file under MESSAGE_LOG_DIR, never to the log.
 */
async function drop(dir: string, kind: string, content: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(
    dir,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${kind}-${randomUUID().slice(0, 8)}.txt`,
  );
  await writeFile(file, content, { mode: 0o600 });
  return file;
}

export class LogMailTransport extends MailTransport {
  private readonly logger = new Logger('MailLog');

  constructor(private readonly dir: string) {
    super();
  }

  async send(message: MailMessage): Promise<void> {
    const file = await drop(
      this.dir,
      'email',
      `To: ${message.to}\nSubject: ${message.subject}\n\n${message.text}`,
    );
    this.logger.log(`Email "${message.subject}" to ${maskEmail(message.to)} written to ${file}`);
  }
}

export class LogSmsTransport extends SmsTransport {
  private readonly logger = new Logger('SmsLog');

  constructor(private readonly dir: string) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    const file = await drop(this.dir, 'sms', `To: ${message.to}\n\n${message.text}\n`);
    this.logger.log(`SMS to ••• ${message.to.slice(-2)} written to ${file}`);
  }
}

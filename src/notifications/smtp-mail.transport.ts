import { OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { MailMessage, MailTransport, PermanentDeliveryError } from './transport.interfaces';

interface SmtpError extends Error {
  responseCode?: number;
}

/** Email over SMTP (SMTP_URL) with a small connection pool. */
export class SmtpMailTransport extends MailTransport implements OnModuleDestroy {
  private readonly transporter: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    super();
    const parsed = new URL(url);
    this.transporter = createTransport({
      host: parsed.hostname,
      port: Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)),
      secure: parsed.protocol === 'smtps:',
      auth: parsed.username
        ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
        : undefined,
      pool: true,
      maxConnections: 5,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // A plain smtp:// URL to a local relay may not offer TLS; upgrade when offered.
      ignoreTLS: parsed.searchParams.get('ignoreTLS') === 'true',
    });
  }

  async send(message: MailMessage): Promise<void> {
    try {
      await this.transporter.sendMail({ from: this.from, ...message });
    } catch (error) {
      const code = (error as SmtpError).responseCode;
      // 5xx replies (unknown mailbox, rejected message) will not change on retry.
      if (code !== undefined && code >= 500 && code < 600) {
        throw new PermanentDeliveryError(`SMTP rejected the message with ${code}`);
      }
      throw new Error(`SMTP delivery failed: ${code ?? (error as Error).message}`);
    }
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}

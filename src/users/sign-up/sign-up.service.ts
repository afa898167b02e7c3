import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { sha256 } from '../../common/crypto.util';
import { Locale, negotiateLocale } from '../../common/locale';
import { AppConfig } from '../../config/app-config.service';
import { Database, Tx } from '../../database/database.service';
import { WindowCounters } from '../../database/window-counters.service';
import { NotificationsService } from '../../notifications/notifications.service';
import { AccountsService } from '../accounts.service';
import { InvitationsService } from '../invitations.service';
import { isUniqueViolation } from '../unique-violation';
import { User } from '../user.entity';
import { UsersService } from '../users.service';
import { CreateAccountDto } from './create-account.dto';

const HOUR = 3600_000;
/** "You already have an account" notices per address and hour, like reset links. */
const NOTICES_PER_HOUR = 5;

/**
 * Sign-up. The route answers 202 at once, for a new and a registered address alike: the work,
 * which differs between the two, happens after the answer, so its time tells nothing. A new
 * address gets an account, an invited owner and a set-password link; a registered address gets
 * a notice instead (at most NOTICES_PER_HOUR per address and hour), in that user's locale. The
 * new owner's locale is the body's, else the best match of the request's Accept-Language, else
 * DEFAULT_LOCALE.
 */
@Injectable()
export class SignUpService implements OnApplicationShutdown {
  private readonly logger = new Logger('SignUp');
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
    private readonly invitations: InvitationsService,
    private readonly notifications: NotificationsService,
    private readonly counters: WindowCounters,
    private readonly config: AppConfig,
  ) {}

  request(dto: CreateAccountDto, acceptLanguage?: string): void {
    const locale = dto.locale ?? negotiateLocale(acceptLanguage, this.config.defaultLocale);
    const task: Promise<void> = this.signUp(dto, locale)
      .catch((error: Error) => this.logger.error(`Could not complete a sign-up: ${error.message}`))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Sign-ups still being written when the instance stops are finished first. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async signUp(dto: CreateAccountDto, locale: Locale): Promise<void> {
    await this.db
      .transaction(async (tx) => {
        const existing = await this.users.findByEmail(dto.email);
        if (existing) return this.writeNotice(tx, existing);
        const account = await this.accounts.create(tx, dto.accountName);
        const user = await this.users.createInvited(tx, {
          accountId: account.id,
          email: dto.email,
          name: dto.name,
          role: 'owner',
          locale,
        });
        await this.invitations.sendSetPasswordLink(tx, user, account.name, false);
        return null;
      })
      .catch(async (error: unknown) => {
        // Two sign-ups for one new address at once: the loser is told like any registered address.
        if (!isUniqueViolation(error)) throw error;
        const existing = await this.users.findByEmail(dto.email);
        if (!existing) throw error;
        return this.writeNotice(this.db.manager, existing);
      });
  }

  private async writeNotice(tx: Tx, user: User): Promise<string | null> {
    const { count } = await this.counters.hit(tx, `signup-notice:${sha256(user.email)}`, HOUR);
    if (count > NOTICES_PER_HOUR) return null;
    return this.notifications.write(tx, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      // The registered user's language, not the one this sign-up asked for.
      locale: user.locale,
      template: 'signup_exists',
      variables: { name: user.name, resetUrl: `${this.config.publicUrl}/reset-password` },
    });
  }
}

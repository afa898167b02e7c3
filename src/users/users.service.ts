import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.service';
import { sha256 } from '../common/crypto.util';
import { Database } from '../database/database.service';
import { WindowCounters } from '../database/window-counters.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Account } from './account.entity';
import { CreateAccountDto } from './sign-up/create-account.dto';
import { LinkTokensService } from './link-tokens/link-tokens.service';
import { User, UserRole } from './user.entity';

export interface NewUser {
  accountId: string;
  accountName: string;
  email: string;
  name: string;
  role: UserRole;
}

const HOUR = 3600_000;
/** "You already have an account" notices per address and hour, like reset links. */
const SIGNUP_NOTICES_PER_HOUR = 5;

/** Accounts and users: sign-up, invitations, look-ups. */
@Injectable()
export class UsersService implements OnApplicationShutdown {
  private readonly logger = new Logger('SignUp');
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly db: Database,
    private readonly links: LinkTokensService,
    private readonly notifications: NotificationsService,
    private readonly counters: WindowCounters,
    private readonly config: AppConfig,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  findAccount(id: string): Promise<Account | null> {
    return this.accounts.findOneBy({ id });
  }

  /**
   * Sign-up. The caller answers 202 at once, for a new and a registered address alike: the work,
   * which differs between the two, happens after the answer, so its time tells nothing. A new
   * address gets an account, an invited owner and a set-password link; a registered address gets
   * a notice instead (at most SIGNUP_NOTICES_PER_HOUR per address and hour).
   */
  requestSignUp(dto: CreateAccountDto): void {
    const task: Promise<void> = this.signUp(dto)
      .catch((error: Error) => this.logger.error(`Could not complete a sign-up: ${error.message}`))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Sign-ups still being written when the instance stops are finished first. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async signUp(dto: CreateAccountDto): Promise<void> {
    const messageId = await this.db
      .transaction(async (manager) => {
        const existing = await manager.findOneBy(User, { email: dto.email });
        if (existing) return this.writeExistingNotice(manager, existing);
        const account = manager.create(Account, { name: dto.accountName, requireTwoFactor: false });
        await manager.save(account);
        return (
          await this.createInvited(manager, {
            accountId: account.id,
            accountName: account.name,
            email: dto.email,
            name: dto.name,
            role: 'owner',
          })
        ).messageId;
      })
      .catch(async (error: unknown) => {
        // Two sign-ups for one new address at once: the loser is told like any registered address.
        if (!isUniqueViolation(error)) throw error;
        const existing = await this.findByEmail(dto.email);
        if (!existing) throw error;
        return this.writeExistingNotice(this.users.manager, existing);
      });
    if (messageId) this.notifications.dispatch(messageId);
  }

  /** Creates an invited user with a set-password link; returns the user and the outbox id. */
  async createInvited(
    manager: EntityManager,
    input: NewUser,
  ): Promise<{ user: User; messageId: string }> {
    const user = manager.create(User, {
      accountId: input.accountId,
      email: input.email,
      name: input.name,
      role: input.role,
      status: 'invited',
      passwordHash: null,
      twoFactorEnabled: false,
      phoneVerified: false,
      codeFailures: 0,
      // Set here, to the millisecond: SQLite's column default has whole seconds only, and the
      // account's user list is ordered by creation.
      createdAt: new Date(),
    });
    await manager.insert(User, user);
    const messageId = await this.writeSetPasswordLink(
      manager,
      user,
      input.accountName,
      input.role !== 'owner',
    );
    return { user, messageId };
  }

  /** A new set-password link (the older ones stop working) in an email. */
  async writeSetPasswordLink(
    manager: EntityManager,
    user: User,
    accountName: string,
    invited: boolean,
  ): Promise<string> {
    const token = await this.links.issue(
      manager,
      user.id,
      'set_password',
      this.config.auth.invitationTtlMs,
    );
    return this.notifications.write(manager, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      template: 'set_password',
      variables: {
        name: user.name,
        accountName,
        invited,
        link: `${this.config.publicUrl}/set-password?token=${encodeURIComponent(token)}`,
        expiresHours: Math.round(this.config.auth.invitationTtlMs / 3600_000),
      },
    });
  }

  private async writeExistingNotice(manager: EntityManager, user: User): Promise<string | null> {
    const { count } = await this.counters.hit(`signup-notice:${sha256(user.email)}`, HOUR, manager);
    if (count > SIGNUP_NOTICES_PER_HOUR) return null;
    return this.notifications.write(manager, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      template: 'signup_exists',
      variables: { name: user.name, resetUrl: `${this.config.publicUrl}/reset-password` },
    });
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

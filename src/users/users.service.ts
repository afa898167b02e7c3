import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Locale } from '../common/locale';
import { ClientInfo } from '../common/request-context';
import { Database, Tx } from '../database/database.service';
import { SecurityEventsService } from './events/security-events.service';
import { NormalizedPhone } from './phone-number';
import { User, UserRole } from './user.entity';

export interface NewUser {
  accountId: string;
  email: string;
  name: string;
  role: UserRole;
  /** The language of the user's messages from the first one (the set-password link) on. */
  locale: Locale;
}

/**
 * The only writer of the `users` table: the life of a user told in intention-revealing steps
 * (invited, activated, password changed or reset, deactivated, reactivated, wrong codes counted,
 * two-factor switch, phone), each one SQL statement or a conditional UPDATE, so that parallel
 * requests cannot both win. Every writing step takes the unit of work first.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly db: Database,
    private readonly events: SecurityEventsService,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  findInAccount(accountId: string, id: string): Promise<User | null> {
    return this.users.findOneBy({ id, accountId });
  }

  listByAccount(accountId: string): Promise<User[]> {
    return this.users.find({ where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  existsWithEmail(tx: Tx, email: string): Promise<boolean> {
    return tx.existsBy(User, { email });
  }

  /** A new user who has no password yet (status invited). */
  async createInvited(tx: Tx, input: NewUser): Promise<User> {
    const user = tx.create(User, {
      ...input,
      status: 'invited',
      passwordHash: null,
      twoFactorEnabled: false,
      phoneVerified: false,
      codeFailures: 0,
      // Set here, to the millisecond: SQLite's column default has whole seconds only, and the
      // account's user list is ordered by creation.
      createdAt: new Date(),
    });
    await tx.insert(User, user);
    return user;
  }

  /**
   * The password from a set-password link: the user becomes active with a clean wrong-code
   * count. A deactivated user stays deactivated (null).
   */
  async activate(tx: Tx, userId: string, passwordHash: string): Promise<User | null> {
    const changed = await this.db.execute(
      tx,
      `UPDATE users SET password_hash = :passwordHash, status = 'active', code_failures = 0
        WHERE id = :id AND status <> 'deactivated'`,
      { id: userId, passwordHash },
    );
    return changed === 1 ? tx.findOneBy(User, { id: userId }) : null;
  }

  async changePassword(tx: Tx, userId: string, passwordHash: string): Promise<void> {
    await tx.update(User, { id: userId }, { passwordHash });
  }

  /**
   * A new password from a reset link: the wrong-code count starts over, an invited user becomes
   * active, and a deactivated one is reactivated (true; recorded as an event).
   */
  async resetPassword(
    tx: Tx,
    userId: string,
    passwordHash: string,
    client: ClientInfo,
  ): Promise<boolean> {
    const reactivated = await this.db.execute(
      tx,
      `UPDATE users SET status = 'active', code_failures = 0, deactivated_at = NULL
        WHERE id = :id AND status = 'deactivated'`,
      { id: userId },
    );
    await this.db.execute(
      tx,
      `UPDATE users SET password_hash = :passwordHash, code_failures = 0,
              status = CASE WHEN status = 'invited' THEN 'active' ELSE status END
        WHERE id = :id`,
      { id: userId, passwordHash },
    );
    if (reactivated !== 1) return false;
    await this.events.record(tx, userId, 'account_reactivated', client, { by: 'password_reset' });
    return true;
  }

  /**
   * Whether `passwordHash` is still the user's, holding the user's row until the unit of work
   * ends: a password change that committed meanwhile makes it false, one that comes later waits.
   */
  async holdPassword(tx: Tx, userId: string, passwordHash: string | null): Promise<boolean> {
    const unchanged = await this.db.execute(
      tx,
      'UPDATE users SET password_hash = password_hash WHERE id = :id AND password_hash = :hash',
      { id: userId, hash: passwordHash },
    );
    return unchanged === 1;
  }

  /** Active → deactivated (recorded as an event); true only for the one caller that changed it. */
  async deactivate(tx: Tx, userId: string, reason: string, client: ClientInfo): Promise<boolean> {
    const changed = await this.db.execute(
      tx,
      `UPDATE users SET status = 'deactivated', deactivated_at = :now
        WHERE id = :id AND status = 'active'`,
      { id: userId, now: new Date() },
    );
    if (changed !== 1) return false;
    await this.events.record(tx, userId, 'account_deactivated', client, { reason });
    return true;
  }

  /**
   * Deactivated → active with the wrong-code count reset, by an admin (true; recorded as an
   * event); for a user who is not deactivated only the count is reset (false).
   */
  async reactivate(
    tx: Tx,
    user: Pick<User, 'id' | 'accountId'>,
    adminId: string,
    client: ClientInfo,
  ): Promise<boolean> {
    const reactivated = await this.db.execute(
      tx,
      `UPDATE users SET status = 'active', code_failures = 0, deactivated_at = NULL
        WHERE id = :id AND account_id = :accountId AND status = 'deactivated'`,
      { id: user.id, accountId: user.accountId },
    );
    if (reactivated !== 1) {
      await this.clearCodeFailures(tx, user.id);
      return false;
    }
    await this.events.record(tx, user.id, 'account_reactivated', client, { by: 'admin', adminId });
    return true;
  }

  /**
   * One more wrong second factor, counted before the factor is looked at: the new count, or null
   * when the user is not active or has no attempts left. Of any number of parallel submissions
   * at most `max` get a count.
   */
  async reserveCodeAttempt(tx: Tx, userId: string, max: number): Promise<number | null> {
    const rows = await this.db.returning<{ code_failures: number }>(
      tx,
      `UPDATE users SET code_failures = code_failures + 1
        WHERE id = :id AND status = 'active' AND code_failures < :max
        RETURNING code_failures`,
      { id: userId, max },
    );
    return rows.length ? Number(rows[0].code_failures) : null;
  }

  /**
   * Gives back an attempt reserved by a submission that turned out not to be a guess (its
   * challenge was used meanwhile by a right one): the count goes down by one, never below 0.
   */
  async releaseCodeAttempt(tx: Tx, userId: string): Promise<void> {
    await this.db.execute(
      tx,
      `UPDATE users SET code_failures = code_failures - 1
        WHERE id = :id AND status = 'active' AND code_failures > 0`,
      { id: userId },
    );
  }

  async clearCodeFailures(tx: Tx, userId: string): Promise<void> {
    await this.db.execute(
      tx,
      'UPDATE users SET code_failures = 0 WHERE id = :id AND code_failures <> 0',
      { id: userId },
    );
  }

  async setTwoFactor(tx: Tx, userId: string, enabled: boolean): Promise<void> {
    await tx.update(User, { id: userId }, { twoFactorEnabled: enabled });
  }

  async rename(tx: Tx, userId: string, name: string): Promise<void> {
    await tx.update(User, { id: userId }, { name });
  }

  /** The language of the user's messages from now on; true only when it changed. */
  async setLocale(tx: Tx, userId: string, locale: Locale): Promise<boolean> {
    const changed = await this.db.execute(
      tx,
      'UPDATE users SET locale = :locale WHERE id = :id AND locale <> :locale',
      { id: userId, locale },
    );
    return changed === 1;
  }

  /** A new number replaces the old one at once and is saved unverified; null removes it. */
  async replacePhone(tx: Tx, userId: string, phone: NormalizedPhone | null): Promise<void> {
    await tx.update(
      User,
      { id: userId },
      {
        phoneCountryCode: phone?.countryCode ?? null,
        phoneNumber: phone?.number ?? null,
        phoneE164: phone?.e164 ?? null,
        phoneVerified: false,
      },
    );
  }

  /** Verifies the phone only while `e164` is still the user's number. */
  async markPhoneVerified(tx: Tx, userId: string, e164: string): Promise<boolean> {
    const result = await tx.update(User, { id: userId, phoneE164: e164 }, { phoneVerified: true });
    return result.affected === 1;
  }

  /**
   * Removes a user of the account who still has `role` (never the owner); their rows in other
   * tables go with them.
   */
  async remove(tx: Tx, accountId: string, userId: string, role: UserRole): Promise<boolean> {
    if (role === 'owner') return false;
    const result = await tx.delete(User, { id: userId, accountId, role });
    return result.affected === 1;
  }
}

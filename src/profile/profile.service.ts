import { HttpStatus, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { maskPhone } from '../common/masking';
import { ClientInfo } from '../common/request-context';
import { Database } from '../database/database.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SmsLimitsService } from '../notifications/sms-limits.service';
import { VerificationService } from '../verification/codes/security-codes.service';
import { NormalizedPhone, normalizePhone } from '../users/phone-number';
import { PhoneInputDto, SecurityEventDto, UpdateProfileDto } from './profile.dto';
import { ReauthenticationService } from '../auth/passwords/reauthentication.service';
import { SecurityEventsService } from '../users/events/security-events.service';
import { UserDto } from '../users/user.dto';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';

export const DEFAULT_EVENTS_LIMIT = 50;

/**
 * "My profile": name, the two-factor switch and the phone number. Phone rule: a new number
 * replaces the current one at once and is saved unverified, so until it is verified security codes
 * go by email (the previous number, verified or not, is no longer used). Pending phone
 * verifications of the old number are voided.
 */
@Injectable()
export class ProfileService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly reauth: ReauthenticationService,
    private readonly verification: VerificationService,
    private readonly notifications: NotificationsService,
    private readonly smsLimits: SmsLimitsService,
    private readonly events: SecurityEventsService,
  ) {}

  async get(userId: string): Promise<UserDto> {
    return UserDto.from(await this.load(userId));
  }

  async update(userId: string, dto: UpdateProfileDto, client: ClientInfo): Promise<UserDto> {
    if (dto.twoFactorEnabled !== undefined && dto.phone !== undefined) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'one_change_at_a_time',
        'Change two-factor authentication and the phone number in separate requests.',
      );
    }
    const user = await this.load(userId);
    const phone = dto.phone ? this.acceptablePhone(dto.phone) : dto.phone;
    const twoFactor =
      dto.twoFactorEnabled !== undefined && dto.twoFactorEnabled !== user.twoFactorEnabled
        ? dto.twoFactorEnabled
        : undefined;
    if (twoFactor === false) {
      const account = await this.users.findAccount(user.accountId);
      if (account?.requireTwoFactor) {
        throw new ApiError(
          HttpStatus.FORBIDDEN,
          'two_factor_required_by_account',
          'Your account requires two-factor authentication.',
        );
      }
    }
    if (twoFactor !== undefined) await this.reauth.confirm(user, dto.password, client);
    const phoneChanged =
      phone !== undefined &&
      (phone === null ? user.phoneE164 !== null : phone.e164 !== user.phoneE164);

    const messageIds = await this.db.transaction(async (manager) => {
      const ids: string[] = [];
      if (dto.name !== undefined && dto.name !== user.name) {
        await manager.update(User, { id: user.id }, { name: dto.name });
      }
      if (twoFactor !== undefined) {
        ids.push(await this.switchTwoFactor(manager, user, twoFactor, client));
      }
      if (phoneChanged) ids.push(await this.replacePhone(manager, user, phone, client));
      return ids;
    });
    this.notifications.dispatch(...messageIds);
    return this.get(user.id);
  }

  async listEvents(userId: string, limit = DEFAULT_EVENTS_LIMIT): Promise<SecurityEventDto[]> {
    const events = await this.events.listRecent(userId, limit);
    return events.map((event) => SecurityEventDto.from(event));
  }

  private async load(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw ApiError.unauthenticated();
    return user;
  }

  private acceptablePhone(input: PhoneInputDto): NormalizedPhone {
    const phone = normalizePhone(input.countryCode, input.number);
    if (!phone) {
      throw ApiError.validation([
        {
          field: 'phone.number',
          message: 'number is not a valid phone number for this country code',
        },
      ]);
    }
    // A number that could never receive a code (SMS_ALLOWED_COUNTRIES) is refused up front.
    this.smsLimits.assertCountryAllowed(phone.e164, 'phone');
    return phone;
  }

  private async switchTwoFactor(
    manager: EntityManager,
    user: User,
    enabled: boolean,
    client: ClientInfo,
  ): Promise<string> {
    await manager.update(User, { id: user.id }, { twoFactorEnabled: enabled });
    await this.events.record(
      user.id,
      enabled ? 'two_factor_enabled' : 'two_factor_disabled',
      client,
      {},
      manager,
    );
    return this.notifications.write(manager, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      template: 'two_factor_changed',
      variables: { name: user.name, enabled, time: new Date().toISOString() },
    });
  }

  private async replacePhone(
    manager: EntityManager,
    user: User,
    phone: NormalizedPhone | null,
    client: ClientInfo,
  ): Promise<string> {
    await manager.update(
      User,
      { id: user.id },
      {
        phoneCountryCode: phone?.countryCode ?? null,
        phoneNumber: phone?.number ?? null,
        phoneE164: phone?.e164 ?? null,
        phoneVerified: false,
      },
    );
    // A code sent to the previous number must not verify the new one.
    await this.verification.closeAllForUser(manager, user.id, 'phone');
    const maskedPhone = phone ? maskPhone(phone.countryCode, phone.e164) : null;
    await this.events.record(
      user.id,
      'phone_changed',
      client,
      phone ? { phone: maskedPhone } : { removed: true },
      manager,
    );
    return this.notifications.write(manager, {
      channel: 'email',
      to: user.email,
      userId: user.id,
      accountId: user.accountId,
      template: 'phone_changed',
      variables: { name: user.name, maskedPhone, time: new Date().toISOString() },
    });
  }
}

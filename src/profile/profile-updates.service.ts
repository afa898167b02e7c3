import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { ClientInfo } from '../common/request-context';
import { Database } from '../database/database.service';
import { UserDto } from '../users/user.dto';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { UserViews } from '../verification/factors/user-views.service';
import { PhoneChange } from './phone-change';
import { ProfileNotices } from './profile-notices';
import { UpdateProfileDto } from './profile.dto';
import { TwoFactorSwitch } from './two-factor-switch';

/**
 * PATCH /me: name, locale, the two-factor switch and the phone number, in one unit of work. One
 * security change per request: the switch and the phone together are refused and nothing is
 * saved (the name and the locale need no password and combine with anything). A new locale holds
 * for the notices of the same request.
 */
@Injectable()
export class ProfileUpdates {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly twoFactor: TwoFactorSwitch,
    private readonly phones: PhoneChange,
    private readonly views: UserViews,
    private readonly notices: ProfileNotices,
  ) {}

  async update(userId: string, dto: UpdateProfileDto, client: ClientInfo): Promise<UserDto> {
    if (dto.twoFactorEnabled !== undefined && dto.phone !== undefined) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'one_change_at_a_time',
        'Change two-factor authentication and the phone number in separate requests.',
      );
    }
    const user = await this.load(userId);
    const phone = dto.phone ? this.phones.acceptable(dto.phone) : dto.phone;
    const twoFactor =
      dto.twoFactorEnabled !== user.twoFactorEnabled ? dto.twoFactorEnabled : undefined;
    if (twoFactor !== undefined)
      await this.twoFactor.prepare(user, twoFactor, dto.password, client);
    await this.db.transaction(async (tx) => {
      if (dto.name !== undefined && dto.name !== user.name)
        await this.users.rename(tx, user.id, dto.name);
      if (dto.locale !== undefined && (await this.users.setLocale(tx, user.id, dto.locale))) {
        await this.notices.localeChanged(tx, user, dto.locale, client);
        user.locale = dto.locale;
      }
      if (twoFactor !== undefined) await this.twoFactor.apply(tx, user, twoFactor, client);
      if (phone !== undefined && this.phones.changes(user, phone)) {
        await this.phones.apply(tx, user, phone, client);
      }
    });
    const view = await this.views.current(user.id);
    if (!view) throw ApiError.unauthenticated();
    return view;
  }

  private async load(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw ApiError.unauthenticated();
    return user;
  }
}

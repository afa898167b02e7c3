import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DevicesModule } from '../devices/devices.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { VerificationModule } from '../verification/verification.module';
import { MeController } from './me.controller';
import { MyDevicesController } from './my-devices.controller';
import { MyDevicesService } from './my-devices.service';
import { MyFactorsController } from './my-factors.controller';
import { MyFactors } from './my-factors.service';
import { MyPasskeysController } from './my-passkeys.controller';
import { PhoneVerificationController } from './phone-verification.controller';
import { PhoneVerificationFlow } from './phone-verification.service';
import { ProfileNotices } from './profile-notices';
import { PhoneChange } from './phone-change';
import { ProfileUpdates } from './profile-updates.service';
import { TwoFactorSwitch } from './two-factor-switch';
import { ProfileService } from './profile.service';

/**
 * "My profile" (/me): the use cases that span the owners (users, devices, verification, auth)
 * live here and call them by name; this module owns no table.
 */
@Module({
  imports: [UsersModule, DevicesModule, VerificationModule, AuthModule, NotificationsModule],
  controllers: [
    MeController,
    PhoneVerificationController,
    MyDevicesController,
    MyFactorsController,
    MyPasskeysController,
  ],
  providers: [
    ProfileService,
    ProfileUpdates,
    TwoFactorSwitch,
    PhoneChange,
    ProfileNotices,
    PhoneVerificationFlow,
    MyDevicesService,
    MyFactors,
  ],
})
export class ProfileModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { CodeAttempts } from './attempts/code-attempts.service';
import { Authenticator } from './authenticator/authenticator.entity';
import { AuthenticatorEnrollment } from './setup/authenticator-enrollment.service';
import { AuthenticatorsService } from './authenticator/authenticators.service';
import { Challenge } from './challenges/challenge.entity';
import { ChallengesService } from './challenges/challenges.service';
import { CodeIssuer } from './codes/code-issuer.service';
import { SecurityCodes } from './codes/security-codes';
import { EnrollmentsService } from './enrollments/enrollments.service';
import { FactorEnrollment } from './enrollments/factor-enrollment.entity';
import { FactorNotices } from './factors/factor-notices';
import { FactorSummaries } from './factors/factor-summaries.service';
import { SecondFactorsReset } from './factors/second-factors-reset.service';
import { StrongFactors } from './factors/strong-factors.service';
import { UserViews } from './factors/user-views.service';
import { FactorCheck } from './login/factor-check';
import { LoginChallengeView } from './login/login-challenge-view';
import { LoginChannels } from './login/login-channels';
import { LoginCodeCheck } from './login/login-code-check.service';
import { LoginCodes } from './login/login-codes.service';
import { Passkey } from './passkeys/passkey.entity';
import { PasskeyAssertions } from './passkeys/passkey-assertions.service';
import { PasskeyEnrollment } from './setup/passkey-enrollment.service';
import { PasskeyOptions } from './passkeys/passkey-options.service';
import { PasskeysService } from './passkeys/passkeys.service';
import { PhoneCodeCheck } from './phone/phone-code-check.service';
import { PhoneCodes } from './phone/phone-codes.service';
import { RecoveryCode } from './recovery/recovery-code.entity';
import { RecoveryCodesService } from './recovery/recovery-codes.service';

/**
 * Second factors: issuing, sending, checking, counting attempts and expiring every kind of code,
 * authenticator apps, passkeys and recovery codes. The only writer of `challenges`,
 * `authenticators`, `passkeys`, `factor_enrollments` and `recovery_codes`. Login, profile and administration keep only the
 * policy of which factor to ask for and when; they call the services exported here.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Challenge, Authenticator, Passkey, FactorEnrollment, RecoveryCode]),
    UsersModule,
    NotificationsModule,
  ],
  providers: [
    ChallengesService,
    SecurityCodes,
    CodeIssuer,
    CodeAttempts,
    LoginChannels,
    LoginChallengeView,
    LoginCodes,
    LoginCodeCheck,
    PhoneCodes,
    PhoneCodeCheck,
    AuthenticatorsService,
    EnrollmentsService,
    RecoveryCodesService,
    FactorSummaries,
    FactorNotices,
    FactorCheck,
    StrongFactors,
    UserViews,
    AuthenticatorEnrollment,
    PasskeysService,
    PasskeyOptions,
    PasskeyAssertions,
    PasskeyEnrollment,
    SecondFactorsReset,
  ],
  exports: [
    ChallengesService,
    EnrollmentsService,
    LoginChallengeView,
    LoginCodes,
    LoginCodeCheck,
    PhoneCodes,
    PhoneCodeCheck,
    FactorSummaries,
    UserViews,
    StrongFactors,
    AuthenticatorEnrollment,
    PasskeysService,
    PasskeyEnrollment,
    SecondFactorsReset,
  ],
})
export class VerificationModule {}

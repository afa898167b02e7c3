import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { CodeAttempts } from './attempts/code-attempts.service';
import { Challenge } from './challenges/challenge.entity';
import { ChallengesService } from './challenges/challenges.service';
import { CodeIssuer } from './codes/code-issuer.service';
import { SecurityCodes } from './codes/security-codes';
import { LoginChallengeView } from './login/login-challenge-view';
import { LoginChannels } from './login/login-channels';
import { LoginCodeCheck } from './login/login-code-check.service';
import { LoginCodes } from './login/login-codes.service';
import { PhoneCodeCheck } from './phone/phone-code-check.service';
import { PhoneCodes } from './phone/phone-codes.service';

/**
 * Second factors: issuing, sending, checking, counting attempts and expiring every kind of code.
 * The only writer of `challenges`. Login and profile keep only the policy of which factor to ask
 * for; they call LoginCodes/LoginCodeCheck and PhoneCodes/PhoneCodeCheck.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Challenge]), UsersModule, NotificationsModule],
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
  ],
  exports: [
    ChallengesService,
    LoginChallengeView,
    LoginCodes,
    LoginCodeCheck,
    PhoneCodes,
    PhoneCodeCheck,
  ],
})
export class VerificationModule {}

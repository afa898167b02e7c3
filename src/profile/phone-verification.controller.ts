import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthContext, CurrentAuth } from '../auth/sessions/auth-context';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { Client, ClientInfo } from '../common/request-context';
import { UserDto } from '../users/user.dto';
import { ChallengeDto } from '../verification/challenges/challenge.dto';
import { PhoneVerificationFlow } from './phone-verification.service';
import { CurrentPasswordDto } from './factors.dto';
import { ConfirmPhoneVerificationDto } from './profile.dto';

@ApiTags('My profile')
@ApiSession()
@Controller('me/phone/verification')
export class PhoneVerificationController {
  constructor(private readonly phoneVerification: PhoneVerificationFlow) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a security code by SMS to verify my phone number',
    description:
      'Needs the current password (a wrong one counts toward the login throttle). A new request voids the previous code; not before `resendAvailableAt` of the pending one (429).',
  })
  @ApiAcceptedResponse({
    type: ChallengeDto,
    description: 'A code is on its way by SMS; confirm it with the challengeId.',
  })
  @ApiErrors(
    [400, 'no_phone'],
    [400, 'sms_country_not_allowed'],
    [403, 'reauthentication_required'],
    [409, 'phone_already_verified'],
  )
  startPhoneVerification(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: CurrentPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<ChallengeDto> {
    return this.phoneVerification.start(auth.userId, dto.password, client);
  }

  @Post('confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Enter the SMS code: my phone number becomes verified',
    description:
      'Wrong code → 401 invalid_code with attemptsLeft. After MAX_CODE_ATTEMPTS wrong codes the verification is void (404 challenge_not_found); the account is NOT deactivated. A code verifies only the number it was sent to: changing the number voids it.',
  })
  @ApiOkResponse({ type: UserDto, description: 'The user, with `phone.verified: true`.' })
  @ApiErrors([401, 'invalid_code'], [404, 'challenge_not_found'], [410, 'code_expired'])
  confirmPhoneVerification(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: ConfirmPhoneVerificationDto,
    @Client() client: ClientInfo,
  ): Promise<UserDto> {
    return this.phoneVerification.confirm(auth.userId, dto, client);
  }
}

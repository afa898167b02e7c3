import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { AuthContext, CurrentAuth } from '../common/auth.decorators';
import { Client, ClientInfo } from '../common/request-context';
import { ChallengeDto } from '../verification/challenges/challenge.dto';
import { PhoneVerificationService } from './phone-verification.service';
import {
  ConfirmPhoneVerificationDto,
  EventsQueryDto,
  SecurityEventDto,
  StartPhoneVerificationDto,
  UpdateProfileDto,
} from './profile.dto';
import { DEFAULT_EVENTS_LIMIT, ProfileService } from './profile.service';
import { UserDto } from '../users/user.dto';
import { WaitForSessionCaches } from '../auth/session-cache/session-barrier.interceptor';

@ApiTags('My profile')
@ApiSession()
@Controller('me')
export class MeController {
  constructor(
    private readonly profile: ProfileService,
    private readonly phoneVerification: PhoneVerificationService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors()
  async me(@CurrentAuth() auth: AuthContext): Promise<UserDto> {
    // The session check has just loaded the user: no second query on this hot route.
    return auth.user ? UserDto.from(auth.user) : this.profile.get(auth.userId);
  }

  @WaitForSessionCaches()
  @Patch()
  @ApiOperation({
    summary: 'Change my name, two-factor switch or phone number',
    description: [
      'One change at a time: `twoFactorEnabled` together with `phone` → 400 one_change_at_a_time and nothing is saved.',
      'Changing `twoFactorEnabled` needs the current `password` (a wrong one counts toward the login throttle). Enabling it without a verified phone means security codes by email. Disabling it while the account requires 2FA → 403 two_factor_required_by_account.',
      '`phone` is validated for its country code and normalised to E.164. A new or changed number REPLACES the current one and is saved unverified: until it is verified (POST /me/phone/verification), security codes go by email and the previous number is no longer used. Pending verifications of the old number are voided. `phone: null` removes it.',
      'The user is emailed about a two-factor or phone change.',
    ].join('\n\n'),
  })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(
    [400, 'one_change_at_a_time'],
    [400, 'sms_country_not_allowed'],
    [403, 'reauthentication_required'],
    [403, 'two_factor_required_by_account'],
  )
  update(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: UpdateProfileDto,
    @Client() client: ClientInfo,
  ): Promise<UserDto> {
    return this.profile.update(auth.userId, dto, client);
  }

  @WaitForSessionCaches()
  @Post('phone/verification')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a security code by SMS to verify my phone number',
    description:
      'Needs the current password (a wrong one counts toward the login throttle). A new request voids the previous code; not before `resendAvailableAt` of the pending one (429).',
  })
  @ApiAcceptedResponse({ type: ChallengeDto })
  @ApiErrors([400, 'no_phone'], [403, 'reauthentication_required'], [409, 'phone_already_verified'])
  startPhoneVerification(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: StartPhoneVerificationDto,
    @Client() client: ClientInfo,
  ): Promise<ChallengeDto> {
    return this.phoneVerification.start(auth.userId, dto.password, client);
  }

  @WaitForSessionCaches()
  @Post('phone/verification/confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Enter the SMS code: my phone number becomes verified',
    description:
      'Wrong code → 401 invalid_code with attemptsLeft. After MAX_CODE_ATTEMPTS wrong codes the verification is void (404 challenge_not_found); the account is NOT deactivated. A code verifies only the number it was sent to: changing the number voids it.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors([401, 'invalid_code'], [404, 'challenge_not_found'], [410, 'code_expired'])
  confirmPhoneVerification(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: ConfirmPhoneVerificationDto,
    @Client() client: ClientInfo,
  ): Promise<UserDto> {
    return this.phoneVerification.confirm(auth.userId, dto, client);
  }

  @Get('events')
  @ApiOperation({ summary: 'My security events, newest first' })
  @ApiOkResponse({ type: SecurityEventDto, isArray: true })
  @ApiErrors()
  events(
    @CurrentAuth() auth: AuthContext,
    @Query() query: EventsQueryDto,
  ): Promise<SecurityEventDto[]> {
    return this.profile.listEvents(auth.userId, query.limit ?? DEFAULT_EVENTS_LIMIT);
  }
}

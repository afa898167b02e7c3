import { Body, Controller, Get, Header, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { AuthContext, CurrentAuth } from '../auth/sessions/auth-context';
import { SessionView } from '../auth/sessions/session-view';
import { Client, ClientInfo } from '../common/request-context';
import { UserDto } from '../users/user.dto';
import { ProfileUpdates } from './profile-updates.service';
import { EventsQueryDto, SecurityEventDto, UpdateProfileDto } from './profile.dto';
import { DEFAULT_EVENTS_LIMIT, ProfileService } from './profile.service';
import { JSON_UTF8 } from '../common/http/json-body';

@ApiTags('My profile')
@ApiSession()
@Controller('me')
export class MeController {
  constructor(
    private readonly profile: ProfileService,
    private readonly updates: ProfileUpdates,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getMe',
    summary: 'The signed-in user',
    description: 'The user of the access token, with their phone and second factors.',
  })
  @ApiOkResponse({ type: UserDto, description: 'The signed-in user.' })
  // The body is a UserDto's JSON, serialised once per session check result (ProfileService);
  // with a session the cache knows, it is answered before routing (SessionView).
  @Header('Content-Type', JSON_UTF8)
  @SessionView()
  me(@CurrentAuth() auth: AuthContext): string {
    return this.profile.meJson(auth);
  }

  @Patch()
  @ApiOperation({
    operationId: 'updateMe',
    summary: 'Change my name, language, two-factor switch or phone number',
    description: [
      '`locale` (en or de) is the language of my emails and SMS from the next one on; it needs no password and is recorded as a `locale_changed` event.',
      'One change at a time: `twoFactorEnabled` together with `phone` → 400 one_change_at_a_time and nothing is saved.',
      'Changing `twoFactorEnabled` needs the current `password` (a wrong one counts toward the login throttle). Enabling it without a verified phone means security codes by email. Disabling it while the account requires 2FA → 403 two_factor_required_by_account.',
      '`phone` is validated for its country code and normalised to E.164. A new or changed number REPLACES the current one and is saved unverified: until it is verified (POST /me/phone/verification), security codes go by email and the previous number is no longer used. Pending verifications of the old number are voided. `phone: null` removes it.',
      'The user is emailed about a two-factor or phone change.',
    ].join('\n\n'),
  })
  @ApiOkResponse({ type: UserDto, description: 'The user after the change.' })
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
    return this.updates.update(auth.userId, dto, client);
  }

  @Get('events')
  @ApiOperation({
    operationId: 'listMyEvents',
    summary: 'My security events, newest first',
    description:
      'Logins, codes sent and failed, trusted devices, changes of password, phone, two-factor switch and second factors, with time, IP and user agent. `limit` defaults to 50.',
  })
  @ApiOkResponse({
    type: SecurityEventDto,
    isArray: true,
    description: 'At most `limit` events, newest first.',
  })
  events(
    @CurrentAuth() auth: AuthContext,
    @Query() query: EventsQueryDto,
  ): Promise<SecurityEventDto[]> {
    return this.profile.listEvents(auth.userId, query.limit ?? DEFAULT_EVENTS_LIMIT);
  }
}

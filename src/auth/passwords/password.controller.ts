import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AcceptedDto } from '../../common/accepted.dto';
import { ApiErrors, ApiSession } from '../../common/api-docs';
import { Public } from '../../common/public.decorator';
import { Client, ClientInfo } from '../../common/request-context';
import { AuthResultDto } from '../login/auth-result.dto';
import { AuthContext, CurrentAuth } from '../sessions/auth-context';
import { PasswordChangeService } from './password-change.service';
import { PasswordResetConfirmation } from './password-reset-confirmation.service';
import { PasswordResetRequests } from './password-reset-requests.service';
import { PasswordSetupService } from './password-setup.service';
import {
  ChangePasswordDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SetPasswordDto,
} from './password.dto';

/** Setting a password: from a set-password link, by change (signed in), or by reset link. */
@Controller()
export class PasswordController {
  constructor(
    private readonly setups: PasswordSetupService,
    private readonly changes: PasswordChangeService,
    private readonly resetRequests: PasswordResetRequests,
    private readonly resets: PasswordResetConfirmation,
  ) {}

  @ApiTags('Authentication')
  @Post('auth/set-password')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'setPassword',
    summary: 'Set the password from an invitation or sign-up link',
    description:
      'Logs the user in once WITHOUT a security code and WITHOUT trusting the device. The link is single-use, expires after INVITATION_TTL_HOURS, and a newer link voids older ones.',
  })
  @ApiOkResponse({
    type: AuthResultDto,
    description: 'The password is set and the user is signed in (the device is not trusted).',
  })
  @ApiErrors([400, 'invalid_token'], [403, 'account_deactivated'])
  setPassword(@Body() dto: SetPasswordDto, @Client() client: ClientInfo): Promise<AuthResultDto> {
    return this.setups.setPassword(dto.token, dto.password, client);
  }

  @Post('me/password')
  @ApiTags('My profile')
  @ApiSession()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'changeMyPassword',
    summary: 'Change my password',
    description:
      'Needs the current password (a wrong one counts toward the login throttle). Every trusted device and every other session ends; this session stays valid. The user is emailed.',
  })
  @ApiNoContentResponse({
    description: 'Changed; other sessions and trusted devices have ended.',
  })
  @ApiErrors([403, 'reauthentication_required'])
  async change(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: ChangePasswordDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.changes.change(auth, dto.currentPassword, dto.newPassword, client);
  }

  @Post('auth/password-reset')
  @Public()
  @ApiTags('Authentication')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'requestPasswordReset',
    summary: 'Ask for a password reset link',
    description:
      'Always 202, whether or not the address is registered; only a registered user gets an email with a single-use link valid for RESET_TTL_MINUTES. A newer link voids older ones.',
  })
  @ApiAcceptedResponse({
    type: AcceptedDto,
    description: 'Accepted (the same answer whether or not the address is registered).',
  })
  async requestReset(
    @Body() dto: PasswordResetRequestDto,
    @Client() client: ClientInfo,
  ): Promise<AcceptedDto> {
    await this.resetRequests.request(dto.email, client);
    return { status: 'accepted' };
  }

  @Post('auth/password-reset/confirm')
  @Public()
  @ApiTags('Authentication')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'confirmPasswordReset',
    summary: 'Set a new password with a reset link',
    description:
      'Revokes every session and trusted device and reactivates a deactivated account (wrong-code count reset). It does not log in: the next login needs a security code if two-factor authentication applies.',
  })
  @ApiNoContentResponse({
    description: 'The new password is set; log in with it.',
  })
  @ApiErrors([400, 'invalid_token'])
  async confirmReset(
    @Body() dto: PasswordResetConfirmDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.resets.confirm(dto.token, dto.password, client);
  }
}

import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiSession } from '../../common/api-docs';
import { AuthContext, CurrentAuth, Public } from '../../common/auth.decorators';
import { Client, ClientInfo } from '../../common/request-context';
import { AcceptedDto } from '../../users/sign-up/sign-up.controller';
import { PasswordChangeService } from './password-change.service';
import { PasswordResetService } from './password-reset.service';
import {
  ChangePasswordDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
} from './password.dto';
import { WaitForSessionCaches } from '../session-cache/session-barrier.interceptor';

/** Password change (signed in) and password reset (by email link). */
@Controller()
export class PasswordController {
  constructor(
    private readonly changes: PasswordChangeService,
    private readonly resets: PasswordResetService,
  ) {}

  @WaitForSessionCaches()
  @Post('me/password')
  @ApiTags('My profile')
  @ApiSession()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Change my password',
    description:
      'Needs the current password (a wrong one counts toward the login throttle). Every trusted device and every other session ends; this session stays valid. The user is emailed.',
  })
  @ApiNoContentResponse()
  @ApiErrors([403, 'reauthentication_required'])
  async change(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: ChangePasswordDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.changes.change(auth, dto.currentPassword, dto.newPassword, client);
  }

  @WaitForSessionCaches()
  @Post('auth/password-reset')
  @Public()
  @ApiTags('Authentication')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Ask for a password reset link',
    description:
      'Always 202, whether or not the address is registered; only a registered user gets an email with a single-use link valid for RESET_TTL_MINUTES. A newer link voids older ones.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors()
  async requestReset(
    @Body() dto: PasswordResetRequestDto,
    @Client() client: ClientInfo,
  ): Promise<AcceptedDto> {
    await this.resets.request(dto.email, client);
    return { status: 'accepted' };
  }

  @WaitForSessionCaches()
  @Post('auth/password-reset/confirm')
  @Public()
  @ApiTags('Authentication')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Set a new password with a reset link',
    description:
      'Revokes every session and trusted device and reactivates a deactivated account (wrong-code count reset). It does not log in: the next login needs a security code if two-factor authentication applies.',
  })
  @ApiNoContentResponse()
  @ApiErrors([400, 'invalid_token'])
  async confirmReset(@Body() dto: PasswordResetConfirmDto, @Client() client: ClientInfo): Promise<void> {
    await this.resets.confirm(dto.token, dto.password, client);
  }
}

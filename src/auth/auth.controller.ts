import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { AuthContext, CurrentAuth, Public } from '../common/auth.decorators';
import { Client, ClientInfo } from '../common/request-context';
import { AuthResultDto } from './login/auth-result.dto';
import { LogoutService } from './sessions/logout.service';
import { LogoutDto, SetPasswordDto } from './passwords/password.dto';
import { PasswordSetupService } from './passwords/password-setup.service';
import { WaitForSessionCaches } from './session-cache/session-barrier.interceptor';

@ApiTags('Authentication')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly passwordSetup: PasswordSetupService,
    private readonly logouts: LogoutService,
  ) {}

  @WaitForSessionCaches()
  @Post('set-password')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Set the password from an invitation or sign-up link',
    description:
      'Logs the user in once WITHOUT a security code and WITHOUT trusting the device. The link is single-use, expires after INVITATION_TTL_HOURS, and a newer link voids older ones.',
  })
  @ApiOkResponse({ type: AuthResultDto })
  @ApiErrors([400, 'invalid_token'], [403, 'account_deactivated'])
  setPassword(@Body() dto: SetPasswordDto, @Client() client: ClientInfo): Promise<AuthResultDto> {
    return this.passwordSetup.setPassword(dto.token, dto.password, client);
  }

  @WaitForSessionCaches()
  @Post('logout')
  @ApiSession()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the session',
    description:
      'With `complete: true` ("log out completely") the device this session was created on is no longer trusted.',
  })
  @ApiNoContentResponse()
  @ApiErrors()
  async logout(
    @Body() dto: LogoutDto,
    @CurrentAuth() auth: AuthContext,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.logouts.logout(auth, dto.complete === true, client);
  }
}

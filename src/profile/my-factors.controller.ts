import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthContext, CurrentAuth } from '../auth/sessions/auth-context';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { Client, ClientInfo } from '../common/request-context';
import {
  AuthenticatorEnrollmentDto,
  RecoveryCodesDto,
} from '../verification/authenticator/authenticator.dto';
import { AuthenticatorConfirmedDto } from '../verification/setup/factor-added.dto';
import { AuthenticatorCodeDto, CurrentPasswordDto } from './factors.dto';
import { MyFactors } from './my-factors.service';

@ApiTags('My profile')
@ApiSession()
@Controller('me')
export class MyFactorsController {
  constructor(private readonly factors: MyFactors) {}

  @Post('authenticator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start adding an authenticator app',
    description:
      'Needs the current password. Answers the secret, its otpauth URI and a QR code (SVG), shown this once; the enrollment is pending for 10 minutes, belongs to this session, and a newer one voids it.',
  })
  @ApiOkResponse({
    type: AuthenticatorEnrollmentDto,
    description: 'The pending enrollment: show the QR code, then confirm with the first code.',
  })
  @ApiErrors([403, 'reauthentication_required'], [409, 'authenticator_exists'])
  startAuthenticator(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: CurrentPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<AuthenticatorEnrollmentDto> {
    return this.factors.startAuthenticator(auth, dto.password, client);
  }

  @Post('authenticator/confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Finish adding the authenticator app with its first code',
    description:
      "The app is active from now on (the code's time step counts as used). The first strong factor switches two-factor authentication on and hands out 10 recovery codes if the user has none. Wrong code → 401 invalid_code with attemptsLeft of this enrollment; after 4 it is void. Never deactivates the account.",
  })
  @ApiOkResponse({
    type: AuthenticatorConfirmedDto,
    description: 'The app is active; recovery codes when the user had none.',
  })
  @ApiErrors([401, 'invalid_code'], [404, 'enrollment_not_found'], [409, 'authenticator_exists'])
  confirmAuthenticator(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: AuthenticatorCodeDto,
    @Client() client: ClientInfo,
  ): Promise<AuthenticatorConfirmedDto> {
    return this.factors.confirmAuthenticator(auth, dto.code, client);
  }

  @Post('authenticator/removal')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Remove the authenticator app',
    description:
      'Needs the current password. Without another strong factor the recovery codes stop working too.',
  })
  @ApiNoContentResponse({ description: 'The authenticator app is removed.' })
  @ApiErrors([403, 'reauthentication_required'], [404, 'not_found'])
  async removeAuthenticator(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: CurrentPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.factors.removeAuthenticator(auth, dto.password, client);
  }

  @Post('recovery-codes')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Replace my recovery codes',
    description:
      'Needs the current password and a strong factor (else 409 no_strong_factor). Every older code stops working.',
  })
  @ApiCreatedResponse({ type: RecoveryCodesDto, description: 'The new recovery codes.' })
  @ApiErrors([403, 'reauthentication_required'], [409, 'no_strong_factor'])
  replaceRecoveryCodes(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: CurrentPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<RecoveryCodesDto> {
    return this.factors.replaceRecoveryCodes(auth, dto.password, client);
  }
}

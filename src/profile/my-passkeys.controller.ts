import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { AuthContext, CurrentAuth } from '../auth/sessions/auth-context';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { Client, ClientInfo } from '../common/request-context';
import { PasskeyDto } from '../verification/passkeys/passkey.dto';
import { PasskeyAddedDto } from '../verification/setup/factor-added.dto';
import { readRegistrationResponse } from '../verification/webauthn/webauthn-json';
import { CreationOptionsJson } from '../verification/webauthn/webauthn-schemas';
import { CurrentPasswordDto, PasskeyParamsDto, PasskeyRegistrationDto } from './factors.dto';
import { MyFactors } from './my-factors.service';

@ApiTags('My profile')
@ApiSession()
@Controller('me/passkeys')
export class MyPasskeysController {
  constructor(private readonly factors: MyFactors) {}

  @Post('options')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'startMyPasskeyRegistration',
    summary: 'Start adding a passkey',
    description:
      "Needs the current password. Answers the options for navigator.credentials.create() (RP ID WEBAUTHN_RP_ID; the user's passkeys excluded); the enrollment is pending for 5 minutes, belongs to this session, is used once, and a newer one voids it.",
  })
  @ApiOkResponse({
    type: CreationOptionsJson,
    description: 'PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create().',
  })
  @ApiErrors([403, 'reauthentication_required'])
  start(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: CurrentPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return this.factors.startPasskey(auth, dto.password, client);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'addMyPasskey',
    summary: 'Finish adding a passkey',
    description:
      "The browser's response to the options, checked against the pending enrollment's challenge, an accepted origin (WEBAUTHN_ORIGINS) and the RP ID; the enrollment is used by the first response, whatever its result. The first strong factor switches two-factor authentication on and hands out 10 recovery codes if the user has none.",
  })
  @ApiCreatedResponse({
    type: PasskeyAddedDto,
    description: 'The passkey is active; recovery codes when the user had none left.',
  })
  @ApiErrors([400, 'passkey_rejected'], [404, 'enrollment_not_found'], [409, 'passkey_exists'])
  add(
    @CurrentAuth() auth: AuthContext,
    @Body() dto: PasskeyRegistrationDto,
    @Client() client: ClientInfo,
  ): Promise<PasskeyAddedDto> {
    const response = readRegistrationResponse(dto.response)!;
    return this.factors.addPasskey(auth, response, dto.name, client);
  }

  @Get()
  @ApiOperation({
    operationId: 'listMyPasskeys',
    summary: 'My passkeys',
    description: 'Oldest first.',
  })
  @ApiOkResponse({ type: PasskeyDto, isArray: true, description: "The user's passkeys." })
  @ApiErrors()
  list(@CurrentAuth() auth: AuthContext): Promise<PasskeyDto[]> {
    return this.factors.listPasskeys(auth);
  }

  @Post(':id/removal')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'removeMyPasskey',
    summary: 'Remove a passkey',
    description:
      'Needs the current password. Without another strong factor the recovery codes stop working too.',
  })
  @ApiNoContentResponse({ description: 'Removed; it can no longer sign in.' })
  @ApiErrors([403, 'reauthentication_required'], [404, 'not_found'])
  async remove(
    @CurrentAuth() auth: AuthContext,
    @Param() params: PasskeyParamsDto,
    @Body() dto: CurrentPasswordDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.factors.removePasskey(auth, params.id, dto.password, client);
  }
}

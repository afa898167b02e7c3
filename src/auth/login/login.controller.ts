import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../../common/api-docs';
import { Public } from '../../common/public.decorator';
import { Client, ClientInfo } from '../../common/request-context';
import { User } from '../../users/user.entity';
import { ChallengeDto } from '../../verification/challenges/challenge.dto';
import { AuthResultDto } from './auth-result.dto';
import { LocalAuthGuard } from './local-auth.guard';
import { ChallengeParamsDto, LoginDto, ResendDto, VerifyDto } from './login.dto';
import { LoginService } from './login.service';
import { LoginChallengeView } from '../../verification/login/login-challenge-view';
import { LoginCodes } from '../../verification/login/login-codes.service';
import { CodeLoginService } from './code-login.service';

/** The challenge id of the documented request examples. */
const EXAMPLE_ID = '0b9c2a9e-3d5f-4c0e-9a77-52b1f1c2d3e4';

@ApiTags('Authentication')
@Controller('auth/login')
@Public()
export class LoginController {
  constructor(
    private readonly logins: LoginService,
    private readonly codeLogins: CodeLoginService,
    private readonly codes: LoginCodes,
    private readonly challenges: LoginChallengeView,
  ) {}

  @Post()
  @UseGuards(LocalAuthGuard)
  @ApiOperation({
    operationId: 'login',
    summary: 'Log in with email and password',
    description:
      '200 AuthResult when two-factor authentication is off for the user (and not required by the account) or `deviceToken` is a device this user trusts; otherwise 202 Challenge on `channel` when given and available, else on the strongest factor (passkey, authenticator app, SMS to a verified phone, email): a fresh security code is sent by SMS or email, nothing for the others. Older pending login challenges are void. Unknown email, wrong password and no password yet answer the same 401; LOGIN_MAX_FAILURES wrong passwords per email (or LOGIN_MAX_FAILURES_PER_IP per client) within the window answer 429.',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: AuthResultDto, description: 'Signed in: no second factor needed.' })
  @ApiAcceptedResponse({
    type: ChallengeDto,
    description:
      'A second factor is needed: verify the challenge (POST /auth/login/verify), or resend or switch its channel.',
  })
  @ApiErrors([401, 'invalid_credentials'], [403, 'account_deactivated'])
  async login(
    @Req() req: FastifyRequest & { user: User },
    @Client() client: ClientInfo,
    @Body() dto: LoginDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<AuthResultDto | ChallengeDto> {
    const outcome = await this.logins.continueLogin(req.user, dto, client);
    res.status(outcome.status);
    return outcome.body;
  }

  @Post('resend')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'resendLoginCode',
    summary: 'Send a new security code, or switch channels',
    description:
      'The old code stops working. `channel` may switch between the available channels (400 channel_unavailable otherwise). SMS and email send a new code: not before resendAvailableAt and at most 5 sends per challenge (429); switching to authenticator or passkey sends nothing and is not limited.',
  })
  @ApiAcceptedResponse({
    type: ChallengeDto,
    description: 'The challenge on its (new) channel; a code is on its way for SMS and email.',
  })
  @ApiErrors(
    [400, 'channel_unavailable'],
    [400, 'sms_country_not_allowed'],
    [403, 'account_deactivated'],
    [404, 'challenge_not_found'],
  )
  resend(@Body() dto: ResendDto, @Client() client: ClientInfo): Promise<ChallengeDto> {
    return this.codes.resend(dto.challengeId, dto.channel, client);
  }

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'verifyLogin',
    summary: 'Finish a login with its second factor',
    description:
      "Exactly one of `code` (the challenge's channel: SMS or email code, or the authenticator app's code), `recoveryCode` (any channel) and `passkey` (the WebAuthn assertion for the challenge's passkeyOptions, on a `passkey` challenge). With trustDevice (default true) the device becomes trusted and the result carries deviceToken and device. Wrong codes and recovery codes count per user over all challenges; at MAX_CODE_ATTEMPTS consecutive wrong ones the account is deactivated (403 account_deactivated) and the user is told by email. A refused passkey → 400 passkey_rejected, not counted; five void the challenge. A code on a passkey challenge, or a passkey on another → 409 channel_mismatch (not counted).",
  })
  @ApiBody({
    type: VerifyDto,
    examples: {
      code: { summary: 'A security code', value: { challengeId: EXAMPLE_ID, code: '0427' } },
      recoveryCode: {
        summary: 'A recovery code',
        value: { challengeId: EXAMPLE_ID, recoveryCode: 'K7M2Q-9XW4T' },
      },
      passkey: {
        summary: 'A passkey',
        value: {
          challengeId: EXAMPLE_ID,
          passkey: {
            id: 'AbC1dE2fG3hI4jK5lM6nOw',
            rawId: 'AbC1dE2fG3hI4jK5lM6nOw',
            type: 'public-key',
            response: {
              clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0Ii…',
              authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ',
              signature: 'MEUCIQD…',
              userHandle: 'dXNlci1oYW5kbGU',
            },
            clientExtensionResults: {},
          },
        },
      },
    },
  })
  @ApiOkResponse({ type: AuthResultDto, description: 'Signed in.' })
  @ApiErrors(
    [401, 'invalid_code'],
    [403, 'account_deactivated'],
    [400, 'passkey_rejected'],
    [404, 'challenge_not_found'],
    [409, 'channel_mismatch'],
    [410, 'code_expired'],
  )
  verify(@Body() dto: VerifyDto, @Client() client: ClientInfo): Promise<AuthResultDto> {
    return this.codeLogins.verify(dto, client);
  }

  @Get('challenges/:challengeId')
  @ApiOperation({
    operationId: 'getLoginChallenge',
    summary: 'The state of a pending login challenge',
    description:
      'Whether its code was `queued`, `sent` or `failed` (`none` when nothing is sent), when a resend is possible, and the attempts left. Unknown, used and voided challenges answer 404; an expired one is still shown (see expiresAt).',
  })
  @ApiOkResponse({ type: ChallengeDto, description: 'The pending challenge.' })
  @ApiErrors([404, 'challenge_not_found'])
  challenge(@Param() params: ChallengeParamsDto): Promise<ChallengeDto> {
    return this.challenges.describe(params.challengeId);
  }
}

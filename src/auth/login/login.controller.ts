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
    summary: 'Log in with email and password',
    description:
      '200 AuthResult when two-factor authentication is off (and not required by the account) or `deviceToken` is a device this user trusts; otherwise 202 Challenge: a security code was sent by SMS (verified phone) or email, and older pending login challenges are void.',
  })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: AuthResultDto })
  @ApiAcceptedResponse({ type: ChallengeDto })
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
    summary: 'Send a new security code',
    description:
      'The old code stops working. `channel` may switch between the available channels. Not before resendAvailableAt; at most 5 sends per challenge.',
  })
  @ApiAcceptedResponse({ type: ChallengeDto })
  @ApiErrors(
    [400, 'channel_unavailable'],
    [403, 'account_deactivated'],
    [404, 'challenge_not_found'],
  )
  resend(@Body() dto: ResendDto, @Client() client: ClientInfo): Promise<ChallengeDto> {
    return this.codes.resend(dto.challengeId, dto.channel, client);
  }

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Enter the security code',
    description:
      'With trustDevice (default true) the device becomes trusted and the result carries deviceToken and device. Wrong codes count per user over all challenges; at MAX_CODE_ATTEMPTS consecutive wrong codes the account is deactivated (403 account_deactivated) and the user is told by email.',
  })
  @ApiOkResponse({ type: AuthResultDto })
  @ApiErrors(
    [401, 'invalid_code'],
    [403, 'account_deactivated'],
    [404, 'challenge_not_found'],
    [410, 'code_expired'],
  )
  verify(@Body() dto: VerifyDto, @Client() client: ClientInfo): Promise<AuthResultDto> {
    return this.codeLogins.verify(dto, client);
  }

  @Get('challenges/:challengeId')
  @ApiOperation({
    summary:
      'The state of a login challenge (delivery queued, sent or failed; when resend is possible)',
  })
  @ApiOkResponse({ type: ChallengeDto })
  @ApiErrors([404, 'challenge_not_found'])
  challenge(@Param() params: ChallengeParamsDto): Promise<ChallengeDto> {
    return this.challenges.describe(params.challengeId);
  }
}

import { Body, Controller, Headers, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptedDto } from '../../common/accepted.dto';
import { ApiErrors } from '../../common/api-docs';
import { Public } from '../../common/public.decorator';
import { CreateAccountDto } from './create-account.dto';
import { SignUpService } from './sign-up.service';
import { SignupEnabledGuard } from './signup-enabled.guard';

@ApiTags('Accounts')
@Controller('accounts')
export class SignUpController {
  constructor(private readonly signUps: SignUpService) {}

  @Post()
  @Public()
  @UseGuards(SignupEnabledGuard)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'signUp',
    summary: 'Sign up: create an account and its owner',
    description:
      'Emails the owner a set-password link. A registered address gets the same 202, in the same time, and a notice instead (at most 5 per address and hour; no enumeration). 404 when SIGNUP_ENABLED=false.',
  })
  @ApiHeader({
    name: 'Accept-Language',
    required: false,
    description: "Chooses the owner's locale when the body names none (en or de).",
  })
  @ApiAcceptedResponse({
    type: AcceptedDto,
    description:
      'Accepted: the owner (status invited) gets a set-password email, or a registered address a notice. The answer does not say which.',
  })
  @ApiErrors([404, 'not_found'])
  create(
    @Body() dto: CreateAccountDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): AcceptedDto {
    this.signUps.request(dto, acceptLanguage);
    return { status: 'accepted' };
  }
}

import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/api-docs';
import { Public } from '../../common/auth.decorators';
import { CreateAccountDto } from './create-account.dto';
import { SignupEnabledGuard } from './signup-enabled.guard';
import { UsersService } from '../users.service';
import { WaitForSessionCaches } from '../../auth/session-cache/session-barrier.interceptor';

export class AcceptedDto {
  @ApiProperty({ example: 'accepted', enum: ['accepted'] })
  status!: 'accepted';
}

@ApiTags('Accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly users: UsersService) {}

  @WaitForSessionCaches()
  @Post()
  @Public()
  @UseGuards(SignupEnabledGuard)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Sign up: create an account and its owner',
    description:
      'Emails the owner a set-password link. A registered address gets the same 202, in the same time, and a notice instead (at most 5 per address and hour; no enumeration). 404 when SIGNUP_ENABLED=false.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors([404, 'not_found'])
  create(@Body() dto: CreateAccountDto): AcceptedDto {
    this.users.requestSignUp(dto);
    return { status: 'accepted' };
  }
}

import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-docs';
import { Public } from '../common/auth.decorators';
import { CreateAccountDto } from './create-account.dto';
import { SignupEnabledGuard } from './signup-enabled.guard';
import { UsersService } from './users.service';
import { WaitForSessionCaches } from '../auth/session-barrier.interceptor';

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
      'Emails the owner a set-password link. A registered address gets the same 202 and a notice instead (no enumeration). 404 when SIGNUP_ENABLED=false.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors([404, 'not_found'])
  async create(@Body() dto: CreateAccountDto): Promise<AcceptedDto> {
    await this.users.signUp(dto);
    return { status: 'accepted' };
  }
}

import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiError } from '../common/api-error';
import { ApiErrors } from '../common/api-docs';
import { Public } from '../common/auth.decorators';
import { AppConfig } from '../config/app-config.service';
import { CreateAccountDto } from './create-account.dto';
import { UsersService } from './users.service';

export class AcceptedDto {
  @ApiProperty({ example: 'accepted', enum: ['accepted'] })
  status!: 'accepted';
}

@ApiTags('Accounts')
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Sign up: create an account and its owner',
    description:
      'Emails the owner a set-password link. A registered address gets the same 202 and a notice instead (no enumeration). 404 when SIGNUP_ENABLED=false.',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  @ApiErrors([404, 'not_found'])
  async create(@Body() dto: CreateAccountDto): Promise<AcceptedDto> {
    if (!this.config.auth.signupEnabled) throw ApiError.notFound('route');
    await this.users.signUp(dto);
    return { status: 'accepted' };
  }
}

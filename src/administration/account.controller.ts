import { Body, Controller, Get, Patch, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthContext, CurrentAuth } from '../auth/sessions/auth-context';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { AccountAdminGuard } from './account-admin.guard';
import { AccountSettingsService } from './account-settings.service';
import { AccountDto, UpdateAccountDto } from './account.dto';

@ApiTags('Account administration')
@ApiSession()
@UseGuards(AccountAdminGuard)
@Controller('account')
export class AccountController {
  constructor(private readonly settings: AccountSettingsService) {}

  @Get()
  @ApiOperation({
    operationId: 'getAccount',
    summary: 'The account (owner or admin)',
    description: 'Its name and whether it requires two-factor authentication of every user.',
  })
  @ApiOkResponse({ type: AccountDto, description: 'The account of the signed-in user.' })
  @ApiErrors([403, 'forbidden'])
  get(@CurrentAuth() auth: AuthContext): Promise<AccountDto> {
    return this.settings.get(auth.accountId);
  }

  @Patch()
  @ApiOperation({
    operationId: 'updateAccount',
    summary: 'Rename the account or require two-factor authentication for everyone',
    description:
      'With requireTwoFactor on, users without two-factor authentication get a security code at their next login on an untrusted device, and cannot switch it off.',
  })
  @ApiOkResponse({ type: AccountDto, description: 'The account after the change.' })
  @ApiErrors([403, 'forbidden'])
  update(@CurrentAuth() auth: AuthContext, @Body() dto: UpdateAccountDto): Promise<AccountDto> {
    return this.settings.update(auth.accountId, dto);
  }
}

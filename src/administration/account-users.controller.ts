import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { AuthContext, CurrentAuth } from '../auth/sessions/auth-context';
import { AcceptedDto } from '../common/accepted.dto';
import { Client, ClientInfo } from '../common/request-context';
import { AccountAdminGuard } from './account-admin.guard';
import { AccountInvitations } from './account-invitations.service';
import { AccountUsersService } from './account-users.service';
import { InviteUserDto, UserParamsDto } from './account.dto';
import { UserDto } from '../users/user.dto';

@ApiTags('Account administration')
@ApiSession()
@UseGuards(AccountAdminGuard)
@Controller('account/users')
export class AccountUsersController {
  constructor(
    private readonly accountUsers: AccountUsersService,
    private readonly invitations: AccountInvitations,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listAccountUsers',
    summary: 'The users of the account',
    description: 'Every user of the account, whatever their status.',
  })
  @ApiOkResponse({ type: UserDto, isArray: true, description: 'The users of the account.' })
  @ApiErrors([403, 'forbidden'])
  listUsers(@CurrentAuth() auth: AuthContext): Promise<UserDto[]> {
    return this.accountUsers.list(auth.accountId);
  }

  @Post()
  @ApiOperation({
    operationId: 'inviteUser',
    summary: 'Invite a user',
    description:
      "Creates the user (status invited) and emails a set-password link in their `locale` (default: the inviter's). Only the owner creates admins (403 forbidden). At most INVITES_PER_HOUR invitations (new and repeated) per account and hour, whatever they answer (429).",
  })
  @ApiCreatedResponse({
    type: UserDto,
    description: 'The new user (status invited); a set-password email is on its way.',
  })
  @ApiErrors([403, 'forbidden'], [409, 'email_taken'])
  invite(@CurrentAuth() auth: AuthContext, @Body() dto: InviteUserDto): Promise<UserDto> {
    return this.invitations.invite(auth, dto);
  }

  @Post(':id/invitation')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'resendInvitation',
    summary: 'Send a new invitation link',
    description:
      'Only for users who have not set a password yet (else 409 not_invited). Older links stop working. Counts toward INVITES_PER_HOUR.',
  })
  @ApiAcceptedResponse({
    type: AcceptedDto,
    description: 'A new set-password email is on its way.',
  })
  @ApiErrors([403, 'forbidden'], [404, 'not_found'], [409, 'not_invited'])
  async reinvite(
    @CurrentAuth() auth: AuthContext,
    @Param() params: UserParamsDto,
  ): Promise<AcceptedDto> {
    await this.invitations.reinvite(auth, params.id);
    return { status: 'accepted' };
  }

  @Post(':id/reactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'reactivateUser',
    summary: 'Reactivate a deactivated user',
    description:
      'Status active, wrong-code count reset, and the user is told by email. For a user who is not deactivated only the count is reset (the status stays as it is).',
  })
  @ApiOkResponse({ type: UserDto, description: 'The user after the reactivation.' })
  @ApiErrors([403, 'forbidden'], [404, 'not_found'])
  reactivate(
    @CurrentAuth() auth: AuthContext,
    @Param() params: UserParamsDto,
    @Client() client: ClientInfo,
  ): Promise<UserDto> {
    return this.accountUsers.reactivate(auth, params.id, client);
  }

  @Post(':id/second-factors/reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'resetUserSecondFactors',
    summary: "Reset a user's second factors",
    description:
      'For a user who lost every strong factor: their authenticator app, passkeys and recovery codes are removed, their sessions and trusted devices end, and they are told by email. Two-factor authentication stays on (codes by SMS or email). Only the owner resets an admin or the owner.',
  })
  @ApiNoContentResponse({ description: 'The second factors are removed.' })
  @ApiErrors([403, 'forbidden'], [404, 'not_found'])
  async resetSecondFactors(
    @CurrentAuth() auth: AuthContext,
    @Param() params: UserParamsDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.accountUsers.resetSecondFactors(auth, params.id, client);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'removeUser',
    summary: 'Remove a user',
    description:
      'Their sessions, trusted devices and pending codes end with them. The owner cannot be removed; only the owner removes admins.',
  })
  @ApiNoContentResponse({ description: 'The user is removed.' })
  @ApiErrors([400, 'cannot_remove_owner'], [403, 'forbidden'], [404, 'not_found'])
  async remove(@CurrentAuth() auth: AuthContext, @Param() params: UserParamsDto): Promise<void> {
    await this.accountUsers.remove(auth, params.id);
  }
}

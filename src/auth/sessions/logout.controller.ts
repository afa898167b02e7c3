import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiSession } from '../../common/api-docs';
import { Client, ClientInfo } from '../../common/request-context';
import { AuthContext, CurrentAuth } from './auth-context';
import { LogoutDto } from './logout.dto';
import { LogoutService } from './logout.service';

@ApiTags('Authentication')
@Controller('auth/logout')
export class LogoutController {
  constructor(private readonly logouts: LogoutService) {}

  @Post()
  @ApiSession()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the session',
    description:
      'With `complete: true` ("log out completely") the device this session was created on is no longer trusted.',
  })
  @ApiNoContentResponse()
  @ApiErrors()
  async logout(
    @Body() dto: LogoutDto,
    @CurrentAuth() auth: AuthContext,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.logouts.logout(auth, dto.complete === true, client);
  }
}

import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiSession } from '../../common/api-docs';
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
    operationId: 'logout',
    summary: 'End the session',
    description:
      'The access token stops working at once. With `complete: true` ("log out completely") the device this session was created on is no longer trusted either, so the next login on it needs a second factor. The body is optional.',
  })
  @ApiBody({ type: LogoutDto, required: false })
  @ApiNoContentResponse({ description: 'The session has ended.' })
  async logout(
    @Body() dto: LogoutDto,
    @CurrentAuth() auth: AuthContext,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.logouts.logout(auth, dto.complete === true, client);
  }
}

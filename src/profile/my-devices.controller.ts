import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { AuthContext, CurrentAuth } from '../auth/sessions/auth-context';
import { Client, ClientInfo } from '../common/request-context';
import { DeviceDto, DeviceParamsDto } from '../devices/device.dto';
import { MyDevicesService } from './my-devices.service';

@ApiTags('My profile')
@ApiSession()
@Controller('me/devices')
export class MyDevicesController {
  constructor(private readonly myDevices: MyDevicesService) {}

  @Get()
  @ApiOperation({
    operationId: 'listMyDevices',
    summary: 'My trusted devices',
    description: '`current` marks the device of the session making the request.',
  })
  @ApiOkResponse({ type: DeviceDto, isArray: true, description: 'The trusted devices.' })
  list(@CurrentAuth() auth: AuthContext): Promise<DeviceDto[]> {
    return this.myDevices.list(auth);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'removeMyDevice',
    summary: 'Remove a trusted device',
    description:
      'Its token no longer skips the security code, and every session created on it ends (the current one too, if it is this device).',
  })
  @ApiNoContentResponse({ description: 'The device is no longer trusted; its sessions ended.' })
  @ApiErrors([404, 'not_found'])
  async remove(
    @CurrentAuth() auth: AuthContext,
    @Param() params: DeviceParamsDto,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.myDevices.remove(auth, params.id, client);
  }
}

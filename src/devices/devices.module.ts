import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { DevicesController } from '../profile/my-devices.controller';
import { DevicesService } from './devices.service';
import { MyDevicesService } from '../profile/my-devices.service';
import { TrustedDevice } from './trusted-device.entity';

@Module({
  imports: [TypeOrmModule.forFeature([TrustedDevice]), UsersModule],
  controllers: [DevicesController],
  providers: [DevicesService, MyDevicesService],
  exports: [DevicesService],
})
export class DevicesModule {}

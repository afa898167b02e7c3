import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DevicesService } from './devices.service';
import { TrustedDevice } from './trusted-device.entity';

@Module({
  imports: [TypeOrmModule.forFeature([TrustedDevice])],
  providers: [DevicesService],
  exports: [DevicesService],
})
export class DevicesModule {}

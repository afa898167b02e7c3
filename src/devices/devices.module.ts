import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DevicesService } from './devices.service';
import { TrustedDevice } from './trusted-device.entity';

/** Trusted devices: the only writer of `trusted_devices`. */
@Module({
  imports: [TypeOrmModule.forFeature([TrustedDevice])],
  providers: [DevicesService],
  exports: [DevicesService],
})
export class DevicesModule {}

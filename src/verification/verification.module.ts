import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { Challenge } from './challenge.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Challenge]), NotificationsModule],
  providers: [],
  exports: [],
})
export class VerificationModule {}

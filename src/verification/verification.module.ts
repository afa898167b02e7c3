import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Challenge } from './challenge.entity';
import { VerificationService } from './verification.service';

@Module({
  imports: [TypeOrmModule.forFeature([Challenge])],
  providers: [VerificationService],
  exports: [VerificationService],
})
export class VerificationModule {}

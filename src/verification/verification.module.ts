import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Challenge } from './challenges/challenge.entity';
import { VerificationService } from './codes/security-codes.service';

@Module({
  imports: [TypeOrmModule.forFeature([Challenge])],
  providers: [VerificationService],
  exports: [VerificationService],
})
export class VerificationModule {}

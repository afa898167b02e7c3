import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

/** Readiness turns 503 as soon as the instance starts draining (SIGTERM). */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private draining = false;

  constructor(private readonly indicators: HealthIndicatorService) {}

  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  check(): HealthIndicatorResult {
    const indicator = this.indicators.check('instance');
    return this.draining ? indicator.down({ message: 'draining' }) : indicator.up();
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}

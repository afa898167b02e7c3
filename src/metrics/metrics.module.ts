import { Global, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Prometheus metrics for every role: the registry, the HTTP timing and GET /metrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {
  constructor(adapterHost: HttpAdapterHost, metrics: MetricsService) {
    // Modules are built before main.ts adds its middleware and before any route exists, so the
    // timer is the first handler of every request and sees each answer, even one refused early.
    const app = adapterHost.httpAdapter?.getInstance<Express>();
    if (typeof app?.use === 'function') app.use(httpMetricsMiddleware(metrics));
  }
}

import { Global, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { registerHttpMetrics } from './http-metrics.hook';
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
    // Modules are built before any route exists, so the hook times every request and sees each
    // answer, even one refused before a route.
    const app = adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (typeof app?.addHook === 'function') registerHttpMetrics(app, metrics);
  }
}

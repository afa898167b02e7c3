import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-docs';
import { ApiError } from '../common/api-error';
import { Public } from '../common/public.decorator';
import { digestsEqual, sha256 } from '../common/crypto.util';
import { AppConfig } from '../config/app-config.service';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape endpoint. It is off (404) unless METRICS_TOKEN is set, and then answers only
 * `Authorization: Bearer <METRICS_TOKEN>`: the session guard does not apply (@Public), the token does.
 */
@ApiTags('Operations')
@Controller('metrics')
@Public()
@SkipThrottle()
export class MetricsController {
  private readonly tokenDigest?: string;

  constructor(
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    const token = config.http.metricsToken;
    this.tokenDigest = token ? sha256(token) : undefined;
  }

  @Get()
  @ApiBearerAuth('metrics')
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'Needs `Authorization: Bearer <METRICS_TOKEN>`. When METRICS_TOKEN is not configured the endpoint does not exist (404).',
  })
  @ApiOkResponse({
    description: 'The metrics in the Prometheus text format 0.0.4.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors([401, 'unauthenticated'], [404, 'not_found'])
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<string> {
    if (!this.tokenDigest) throw ApiError.notFound();
    const match = /^Bearer +(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match || !digestsEqual(sha256(match[1]), this.tokenDigest)) {
      throw ApiError.unauthenticated();
    }
    const { contentType, body } = await this.metrics.scrape();
    res.header('content-type', contentType);
    res.header('cache-control', 'no-store');
    return body;
  }
}

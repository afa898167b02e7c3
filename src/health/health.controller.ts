import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiErrors } from '../common/api-docs';
import { Public } from '../common/public.decorator';
import { ShutdownState } from './shutdown.state';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('Operations')
@Controller('health')
@Public()
@SkipThrottle()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: 200 while the process runs',
    description:
      'For a container liveness probe: restart the instance when it fails. It checks nothing else.',
  })
  @ApiOkResponse({
    description: 'The process runs.',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: 200 when the database and Redis answer, else 503',
    description:
      'For the load balancer: 503 also as soon as the instance starts draining after SIGTERM. The answer names each check (instance, database, redis) and its status.',
  })
  @ApiErrors([503, 'service_unavailable'])
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.shutdown.check(),
      () => this.database.pingCheck('database', { timeout: 1500 }),
      () => this.redis.check('redis'),
    ]);
  }
}

import pino from 'pino';
import { Writable } from 'node:stream';
import { loggerParams } from './logging';

/** A pino logger with the service's options, writing its lines into an array. */
function loggerAt(level: string): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString());
      done();
    },
  });
  const options = loggerParams(level).pinoHttp as pino.LoggerOptions;
  const logger = pino(options, sink);
  return {
    logger,
    lines: () => out.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('log levels of the start-up lines', () => {
  it('writes route mapping and module loading lines at debug, not info', () => {
    const { logger, lines } = loggerAt('info');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/me, GET} route');
    logger.info({ context: 'RoutesResolver' }, 'MeController {/api/v1/me}:');
    logger.info({ context: 'InstanceLoader' }, 'CoreModule dependencies initialized');
    logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
    logger.warn({ context: 'RouterExplorer' }, 'a warning stays a warning');
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      [30, 'Nest application successfully started'],
      [40, 'a warning stays a warning'],
    ]);
  });

  it('shows them with LOG_LEVEL=debug', () => {
    const { logger, lines } = loggerAt('debug');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/me, GET} route');
    logger.info({ context: 'Config' }, 'other lines keep their level');
    expect(lines().map((l) => [l.level, l.context, l.msg])).toEqual([
      [20, 'RouterExplorer', 'Mapped {/api/v1/me, GET} route'],
      [30, 'Config', 'other lines keep their level'],
    ]);
  });
});

import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's logger while the application is being built, and the logger of the one-shot commands
 * (migrations): JSON lines in the same shape as the service's own (nestjs-pino), so that every
 * line a process prints is a JSON line, from the first one on, also when the start fails.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(level = 'info') {
    this.pino = pino({ level });
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // A start-up failure the process reports itself, as its last line: not twice.
    if (message instanceof Error && message.name === 'StartupError') return;
    // Nest passes (message, stack, context) for its own errors.
    const stack = params.length >= 2 && typeof params[0] === 'string' ? params[0] : undefined;
    this.write('error', message, stack ? params.slice(1) : params, stack);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * `(message, context)` or, as with nestjs-pino, `(fields, message, context)`: the last string
   * parameter is the context.
   */
  private write(level: Level, message: unknown, params: unknown[], stack?: string): void {
    const fields: Record<string, unknown> = {};
    const last = params[params.length - 1];
    if (typeof last === 'string') fields.context = last;
    if (stack) fields.stack = stack;
    if (message instanceof Error)
      return this.pino[level]({ ...fields, err: message }, message.message);
    if (typeof message === 'object' && message !== null) {
      const text = params.length >= 2 && typeof params[0] === 'string' ? params[0] : undefined;
      return this.pino[level]({ ...message, ...fields }, text);
    }
    this.pino[level](fields, String(message));
  }
}

/**
 * The last line of a process that cannot start or run (bad settings, no database, failed
 * migrations): one JSON line on stderr, written synchronously before the process exits.
 */
export function printFatal(message: string): void {
  pino(pino.destination({ fd: 2, sync: true })).fatal(message);
}

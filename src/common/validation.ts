import {
  ArgumentMetadata,
  HttpException,
  Injectable,
  Logger,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ApiError } from './api-error';

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({
        field,
        message: message.replace(/^property (\S+) should not exist$/, 'unknown field $1'),
      });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

// Half of a UTF-16 pair: not Unicode text, and the email validator throws on it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * What the DTOs cannot see: keys named after Object.prototype members (`__proto__`,
 * `constructor`, `toString`…) or `prototype`, which the pipe and class-transformer drop
 * silently so they would slip past the unknown-field check; NUL characters, which PostgreSQL
 * cannot store; and unpaired surrogates. Walks the value without recursion (deep nesting costs
 * no stack).
 */
export function hiddenProblems(value: unknown): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length && out.length < 20) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000') || LONE_SURROGATE.test(current))
        out.push({
          field: path || 'body',
          message: `${path || 'body'} must be valid Unicode without NUL characters`,
        });
    } else if (current !== null && typeof current === 'object') {
      for (const key of Object.keys(current)) {
        const field = path ? `${path}.${key}` : key;
        if (PROTOTYPE_KEYS.has(key)) out.push({ field, message: `unknown field ${key}` });
        else stack.push([(current as Record<string, unknown>)[key], field]);
      }
    }
  }
  return out;
}

/**
 * Validates bodies, params and queries against their DTO. Unknown fields are refused (no mass
 * assignment); a body must be a JSON object.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  private readonly log = new Logger('Validation');

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ApiError.validation(flatten(errors)),
    });
  }

  /**
   * A custom parameter decorator's value (the session's AuthContext, the client's address) is
   * made by the service, not sent by the client: it is passed on as it is, as ValidationPipe
   * itself does, but without the two promises of the checking path, on every authenticated
   * request. (Typed as the base class's promise; Nest awaits whatever a pipe returns.)
   */
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value as Promise<unknown>;
    return this.check(value, metadata);
  }

  private async check(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      value !== undefined &&
      (typeof value !== 'object' || value === null || Array.isArray(value))
    ) {
      throw ApiError.validation([{ field: 'body', message: 'The body must be a JSON object.' }]);
    }
    if (metadata.type === 'body' || metadata.type === 'query') {
      const problems = hiddenProblems(value);
      if (problems.length) throw ApiError.validation(problems);
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof HttpException) throw error;
      // A transformer or validator that throws on some input: that input is invalid (400),
      // never a 500. The cause is logged without the input.
      this.log.warn(
        `A validator failed on a ${metadata.type}: ${(error as Error)?.name ?? 'error'}`,
      );
      throw ApiError.validation([
        {
          field: metadata.type === 'body' ? 'body' : metadata.type,
          message: 'The value cannot be validated.',
        },
      ]);
    }
  }
}

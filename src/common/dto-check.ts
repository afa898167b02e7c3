import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApiError } from './api-error';
import { hiddenProblems } from './validation';

/** Validates a body against a DTO outside the pipe (e.g. inside a passport strategy). */
export function checkDto<T extends object>(type: new () => T, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.validation([{ field: 'body', message: 'The body must be a JSON object.' }]);
  }
  const hidden = hiddenProblems(body);
  if (hidden.length) throw ApiError.validation(hidden);
  const instance = plainToInstance(type, body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    throw ApiError.validation(
      errors.flatMap((e) =>
        Object.values(e.constraints ?? {}).map((message) => ({
          field: e.property,
          message: message.replace(/^property (\S+) should not exist$/, 'unknown field $1'),
        })),
      ),
    );
  }
  return instance;
}

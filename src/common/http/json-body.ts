import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../api-error';

/** The largest body the service reads (16 KiB). */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * The deepest nesting of objects and arrays a body may have. The contract's deepest object (a
 * WebAuthn response inside `passkey`) is four levels deep; anything far deeper is refused before
 * it is parsed, so no later step (class-transformer, the validators) ever walks it.
 */
export const MAX_BODY_DEPTH = 10;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const unsupportedMediaType = (message = 'Send the body as application/json.'): ApiError =>
  new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', message);

const invalidBody = (message: string): ApiError =>
  ApiError.validation([{ field: 'body', message }]);

/**
 * The charset parameter of a Content-Type header, lower-cased, without quotes; undefined when
 * there is none.
 */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  for (const parameter of contentType.split(';').slice(1)) {
    const eq = parameter.indexOf('=');
    if (eq === -1) continue;
    if (parameter.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return parameter
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return undefined;
}

/**
 * Refuses what the service cannot read as it is sent: another charset than UTF-8, or a body in
 * a Content-Encoding (compressed) — both 415.
 */
export function assertReadableEncoding(headers: {
  'content-type'?: string;
  'content-encoding'?: string;
}): void {
  const charset = charsetOf(headers['content-type']);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw unsupportedMediaType('Send the body as application/json in UTF-8.');
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw unsupportedMediaType('Send the body without a Content-Encoding.');
  }
}

/**
 * The nesting depth of JSON text, counted without parsing (brackets inside strings do not
 * count); stops counting once `limit` is passed.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/**
 * Reads a JSON body: UTF-8 only (invalid byte sequences are refused, never replaced with
 * U+FFFD), at most MAX_BODY_DEPTH levels deep, valid JSON, and an object. An empty body is no
 * body.
 */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw invalidBody('The body is not valid UTF-8.');
  }
  if (jsonDepthExceeds(text, MAX_BODY_DEPTH)) {
    throw invalidBody(`The body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidBody('The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidBody('The body must be a JSON object.');
  }
  return value;
}

/** The content type of JSON answers, as fastify sends with JSON it serialises itself. */
export const JSON_UTF8 = 'application/json; charset=utf-8';

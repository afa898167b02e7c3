import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { MessageVariables } from './variables/message.variables';
import { WebAuthnConfigError, webauthnSettings } from './webauthn';

/**
 * Every setting the service reads (config/variables/, by area). Validated once at start; a bad
 * value stops the start with one line that names the variable. Defaults are the contract's.
 */
export class EnvironmentVariables extends MessageVariables {}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** Type checks come first: `PORT=abc` is "not a whole number", not "too large". */
const TYPE_CONSTRAINTS: Record<string, string> = {
  isInt: 'must be a whole number',
  isBoolean: 'must be true or false',
};

function describe(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  const typeCheck = Object.keys(TYPE_CONSTRAINTS).find((name) => name in constraints);
  const messages = typeCheck
    ? [`${error.property} ${TYPE_CONSTRAINTS[typeCheck]}`]
    : Object.values(constraints);
  const shown =
    typeof error.value === 'string' && /SECRET|TOKEN|PASSWORD/.test(error.property)
      ? '(hidden)'
      : JSON.stringify(error.value);
  return `${error.property}: ${messages[0] ?? 'is invalid'} (got ${shown})`;
}

/** Validates raw environment values. Throws a ConfigurationError whose message names the variable. */
const WITH_DEFAULTS = Object.keys(new EnvironmentVariables());
const OPTIONAL = [
  'APP_SECRET',
  'SMTP_URL',
  'SMS_WEBHOOK_URL',
  'SMS_WEBHOOK_TOKEN',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_FROM',
  'METRICS_TOKEN',
  'TOTP_ISSUER',
  'WEBAUTHN_RP_ID',
  'WEBAUTHN_ORIGINS',
];
export const ENVIRONMENT_KEYS = [
  ...new Set([...WITH_DEFAULTS, ...OPTIONAL]),
] as (keyof EnvironmentVariables)[];

export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const input: Record<string, unknown> = {};
  for (const key of ENVIRONMENT_KEYS) {
    const value = raw[key];
    // An empty value of an optional setting counts as unset.
    if (value === undefined || (value === '' && OPTIONAL.includes(key))) continue;
    input[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigurationError(`Invalid configuration: ${describe(errors[0])}`);
  }
  const production = env.NODE_ENV === 'production';
  if (production && !env.APP_SECRET) {
    throw new ConfigurationError(
      'Invalid configuration: APP_SECRET is required when NODE_ENV=production',
    );
  }
  if (production && env.SMS_PROVIDER === 'log') {
    throw new ConfigurationError(
      'Invalid configuration: SMS_PROVIDER=log is not allowed when NODE_ENV=production (use webhook or twilio)',
    );
  }
  if (production && !env.SMTP_URL) {
    throw new ConfigurationError(
      'Invalid configuration: SMTP_URL is required when NODE_ENV=production (the log transport is for development only)',
    );
  }
  if (env.NODE_ENV !== 'test' && env.BCRYPT_ROUNDS < 10) {
    throw new ConfigurationError(
      'Invalid configuration: BCRYPT_ROUNDS must be at least 10 outside tests',
    );
  }
  if (env.SMS_PROVIDER === 'webhook' && !env.SMS_WEBHOOK_URL) {
    throw new ConfigurationError(
      'Invalid configuration: SMS_WEBHOOK_URL is required when SMS_PROVIDER=webhook',
    );
  }
  if (env.SMS_PROVIDER === 'twilio') {
    for (const key of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const) {
      if (!env[key]) {
        throw new ConfigurationError(
          `Invalid configuration: ${key} is required when SMS_PROVIDER=twilio`,
        );
      }
    }
  }
  checkWebAuthn(env);
  return env;
}

/** The passkeys' relying party must work in a browser: checked at start like the rest. */
function checkWebAuthn(env: EnvironmentVariables): void {
  try {
    webauthnSettings({
      publicUrl: env.APP_PUBLIC_URL,
      rpId: env.WEBAUTHN_RP_ID,
      origins: env.WEBAUTHN_ORIGINS,
    });
  } catch (error) {
    if (error instanceof WebAuthnConfigError) {
      throw new ConfigurationError(`Invalid configuration: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Reads `.env` from the working directory (values already in the environment win) and validates
 * the result. The only place that reads process.env.
 */
export function loadEnvironment(path = '.env'): EnvironmentVariables {
  const fromFile = existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {};
  return validateEnvironment({ ...fromFile, ...process.env });
}

import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * The WebAuthn response JSON a frontend posts (PublicKeyCredential.toJSON()), read member by
 * member: only what verification uses is kept, so members browsers add over time are ignored,
 * while a missing or mistyped member is a 400 before any verification runs.
 */

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const TRANSPORTS: AuthenticatorTransportFuture[] = [
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
];
const ATTACHMENTS = ['platform', 'cross-platform'] as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function base64url(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max && BASE64URL.test(value)
    ? value
    : undefined;
}

/** The credential's members common to both ceremonies, or undefined when one is wrong. */
function credential(value: unknown): { id: string; rawId: string; response: Json } | undefined {
  if (!isObject(value) || value.type !== 'public-key' || !isObject(value.response)) return;
  const id = base64url(value.id, 1400);
  if (!id || value.rawId !== id) return;
  return { id, rawId: id, response: value.response };
}

function attachment(value: Json): { authenticatorAttachment?: (typeof ATTACHMENTS)[number] } {
  const found = ATTACHMENTS.find((a) => a === value.authenticatorAttachment);
  return found ? { authenticatorAttachment: found } : {};
}

/** An AuthenticationResponseJSON with the members verification uses, or null. */
export function readAuthenticationResponse(value: unknown): AuthenticationResponseJSON | null {
  const common = credential(value);
  if (!common) return null;
  const { response } = common;
  const clientDataJSON = base64url(response.clientDataJSON, 8192);
  const authenticatorData = base64url(response.authenticatorData, 8192);
  const signature = base64url(response.signature, 1024);
  // Absent, null or empty: the authenticator sent no user handle.
  const noHandle = response.userHandle == null || response.userHandle === '';
  const userHandle = noHandle ? undefined : base64url(response.userHandle, 128);
  if (!clientDataJSON || !authenticatorData || !signature) return null;
  if (!noHandle && userHandle === undefined) return null;
  return {
    id: common.id,
    rawId: common.rawId,
    type: 'public-key',
    response: {
      clientDataJSON,
      authenticatorData,
      signature,
      ...(userHandle ? { userHandle } : {}),
    },
    clientExtensionResults: {},
    ...attachment(value as Json),
  };
}

/** A RegistrationResponseJSON with the members verification uses, or null. */
export function readRegistrationResponse(value: unknown): RegistrationResponseJSON | null {
  const common = credential(value);
  if (!common) return null;
  const { response } = common;
  const clientDataJSON = base64url(response.clientDataJSON, 8192);
  const attestationObject = base64url(response.attestationObject, 12288);
  if (!clientDataJSON || !attestationObject) return null;
  // The browser's order; transports this service does not know are left out.
  const transports = Array.isArray(response.transports)
    ? [...new Set(response.transports as unknown[])].filter(
        (t): t is AuthenticatorTransportFuture => TRANSPORTS.includes(t as never),
      )
    : [];
  return {
    id: common.id,
    rawId: common.rawId,
    type: 'public-key',
    response: { clientDataJSON, attestationObject, transports },
    clientExtensionResults: {},
    ...attachment(value as Json),
  };
}

const EXPECTED = {
  authentication:
    'a WebAuthn AuthenticationResponseJSON: id and rawId (equal, base64url), type "public-key", response.clientDataJSON, response.authenticatorData and response.signature (base64url), response.userHandle optional',
  registration:
    'a WebAuthn RegistrationResponseJSON: id and rawId (equal, base64url), type "public-key", response.clientDataJSON and response.attestationObject (base64url)',
};

/**
 * On a body member that carries a WebAuthn response: it must have the shape `kind` needs. Other
 * members inside it are not looked at (the DTO declares it an object, so the unknown-field check
 * stops at its edge).
 */
export function IsWebAuthnResponse(
  kind: 'authentication' | 'registration',
  options?: ValidationOptions,
): PropertyDecorator {
  const read = kind === 'authentication' ? readAuthenticationResponse : readRegistrationResponse;
  return (target: object, property: string | symbol) =>
    registerDecorator({
      name: 'isWebAuthnResponse',
      target: target.constructor,
      propertyName: property as string,
      options,
      validator: {
        validate: (value: unknown) => read(value) !== null,
        defaultMessage: () => `${String(property)} must be ${EXPECTED[kind]}`,
      },
    });
}

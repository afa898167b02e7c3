import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The WebAuthn JSON shapes as the OpenAPI document describes them (WebAuthn Level 3 §5.1.8,
 * §5.4, §5.5): what the options carry and what a frontend posts back. Documentation only; the
 * responses are read by webauthn-json.ts, which ignores members it does not use.
 */

const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];
const BASE64URL = 'base64url';

export class CredentialDescriptorJson {
  @ApiProperty({ description: 'A credential id.', format: BASE64URL })
  id!: string;

  @ApiProperty({ enum: ['public-key'] })
  type!: 'public-key';

  @ApiPropertyOptional({ enum: TRANSPORTS, isArray: true })
  transports?: string[];
}

class RelyingPartyJson {
  @ApiProperty({ example: 'app.example.com', description: 'WEBAUTHN_RP_ID.' })
  id!: string;

  @ApiProperty({ example: 'app.example.com' })
  name!: string;
}

class UserEntityJson {
  @ApiProperty({
    format: BASE64URL,
    description: 'The user handle: opaque, stable per user, no personal data.',
  })
  id!: string;

  @ApiProperty({ example: 'ana@example.com' })
  name!: string;

  @ApiProperty({ example: 'Ana Müller' })
  displayName!: string;
}

class CredentialParameterJson {
  @ApiProperty({ example: -7, description: 'A COSE algorithm identifier.' })
  alg!: number;

  @ApiProperty({ enum: ['public-key'] })
  type!: 'public-key';
}

class AuthenticatorSelectionJson {
  @ApiPropertyOptional({ enum: ['discouraged', 'preferred', 'required'] })
  residentKey?: string;

  @ApiPropertyOptional()
  requireResidentKey?: boolean;

  @ApiPropertyOptional({ enum: ['discouraged', 'preferred', 'required'] })
  userVerification?: string;
}

/** PublicKeyCredentialCreationOptionsJSON: for navigator.credentials.create(). */
export class CreationOptionsJson {
  @ApiProperty({ type: RelyingPartyJson })
  rp!: RelyingPartyJson;

  @ApiProperty({ type: UserEntityJson })
  user!: UserEntityJson;

  @ApiProperty({ format: BASE64URL, description: '32 random bytes, kept by the server.' })
  challenge!: string;

  @ApiProperty({ type: CredentialParameterJson, isArray: true })
  pubKeyCredParams!: CredentialParameterJson[];

  @ApiPropertyOptional({ example: 300000 })
  timeout?: number;

  @ApiPropertyOptional({
    type: CredentialDescriptorJson,
    isArray: true,
    description: "The user's passkeys (one authenticator registers once).",
  })
  excludeCredentials?: CredentialDescriptorJson[];

  @ApiPropertyOptional({ type: AuthenticatorSelectionJson })
  authenticatorSelection?: AuthenticatorSelectionJson;

  @ApiPropertyOptional({ enum: ['none', 'indirect', 'direct', 'enterprise'] })
  attestation?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  extensions?: Record<string, unknown>;
}

/** PublicKeyCredentialRequestOptionsJSON: for navigator.credentials.get(). */
export class RequestOptionsJson {
  @ApiProperty({ format: BASE64URL, description: '32 random bytes, kept by the server.' })
  challenge!: string;

  @ApiPropertyOptional({ example: 300000 })
  timeout?: number;

  @ApiPropertyOptional({ example: 'app.example.com' })
  rpId?: string;

  @ApiPropertyOptional({
    type: CredentialDescriptorJson,
    isArray: true,
    description: "This user's passkeys.",
  })
  allowCredentials?: CredentialDescriptorJson[];

  @ApiPropertyOptional({ enum: ['discouraged', 'preferred', 'required'] })
  userVerification?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  extensions?: Record<string, unknown>;
}

class AttestationResponseJson {
  @ApiProperty({ format: BASE64URL })
  clientDataJSON!: string;

  @ApiProperty({ format: BASE64URL })
  attestationObject!: string;

  @ApiPropertyOptional({ enum: TRANSPORTS, isArray: true })
  transports?: string[];
}

class AssertionResponseJson {
  @ApiProperty({ format: BASE64URL })
  clientDataJSON!: string;

  @ApiProperty({ format: BASE64URL })
  authenticatorData!: string;

  @ApiProperty({ format: BASE64URL })
  signature!: string;

  @ApiPropertyOptional({ format: BASE64URL, nullable: true, type: String })
  userHandle?: string | null;
}

class PublicKeyCredentialJson {
  @ApiProperty({ format: BASE64URL, description: 'The credential id (equal to rawId).' })
  id!: string;

  @ApiProperty({ format: BASE64URL })
  rawId!: string;

  @ApiProperty({ enum: ['public-key'] })
  type!: 'public-key';

  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'] })
  authenticatorAttachment?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  clientExtensionResults?: Record<string, unknown>;
}

/** RegistrationResponseJSON: what navigator.credentials.create() gives, as toJSON() writes it. */
export class RegistrationResponseJson extends PublicKeyCredentialJson {
  @ApiProperty({ type: AttestationResponseJson })
  response!: AttestationResponseJson;
}

/** AuthenticationResponseJSON: what navigator.credentials.get() gives, as toJSON() writes it. */
export class AuthenticationResponseJson extends PublicKeyCredentialJson {
  @ApiProperty({ type: AssertionResponseJson })
  response!: AssertionResponseJson;
}

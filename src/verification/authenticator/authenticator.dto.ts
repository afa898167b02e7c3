import { ApiProperty } from '@nestjs/swagger';

/** A pending authenticator enrollment: shown once, never again. */
export class AuthenticatorEnrollmentDto {
  @ApiProperty({
    example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    description: 'The TOTP secret, base32 (160 bits), for apps that take it typed in.',
  })
  secret!: string;

  @ApiProperty({
    example:
      'otpauth://totp/app.example.com:ana%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=app.example.com&algorithm=SHA1&digits=6&period=30',
    description: 'The key URI the app scans (label percent-encoded; issuer TOTP_ISSUER).',
  })
  otpauthUri!: string;

  @ApiProperty({ description: 'A QR code of otpauthUri as an SVG document, made on the server.' })
  qrCodeSvg!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'The enrollment ends unconfirmed at this time.',
  })
  expiresAt!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: String,
    isArray: true,
    example: ['K7M2Q-9XW4T', '3HV8N-PD2ZA'],
    description: 'The new codes (every older code stopped working), shown this once.',
  })
  recoveryCodes!: string[];
}

import { ApiProperty } from '@nestjs/swagger';
import { Passkey } from './passkey.entity';
import { transportsOf } from './passkey-options.service';

const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

/** A passkey as "My profile" shows it: never the key or the counter. */
export class PasskeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Chrome on macOS' })
  name!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastUsedAt!: string | null;

  @ApiProperty({
    description: 'Whether the passkey is backed up (synced to other devices), as last reported.',
  })
  backedUp!: boolean;

  @ApiProperty({ enum: TRANSPORTS, isArray: true, example: ['internal', 'hybrid'] })
  transports!: string[];

  static from(passkey: Passkey): PasskeyDto {
    return {
      id: passkey.id,
      name: passkey.name,
      createdAt: passkey.createdAt.toISOString(),
      lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
      backedUp: passkey.backedUp,
      transports: transportsOf(passkey),
    };
  }
}

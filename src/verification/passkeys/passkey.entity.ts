import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { User } from '../../users/user.entity';

const bigintNumber = { to: (v: number) => v, from: (v: string | number) => Number(v) };

/**
 * A user's passkey (a WebAuthn public-key credential). Nothing here is secret: the public key
 * checks signatures that only the user's authenticator can make. The signature counter is the
 * highest the authenticator reported; one that does not increase is refused (a cloned key).
 */
@Entity('passkeys')
export class Passkey {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  /** The credential id, base64url (at most 1023 bytes, WebAuthn §5.8.3); unique across users. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 1400 })
  credentialId!: string;

  /** The credential's public key as a COSE_Key, base64url. */
  @Column({ type: 'text' })
  publicKey!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  counter!: number;

  /** Transports the browser reported (usb, nfc, ble, hybrid, internal…), as a JSON array. */
  @Column({ type: 'varchar', length: 200, default: '[]' })
  transports!: string;

  /** singleDevice or multiDevice (may be synced). */
  @Column({ type: 'varchar', length: 16 })
  deviceType!: string;

  /** Whether the credential is backed up (synced); reported anew at every use. */
  @Column({ type: 'boolean', default: false })
  backedUp!: boolean;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @CreateDateColumn({ type: Date })
  createdAt!: Date;

  @Column({ type: Date, nullable: true })
  lastUsedAt!: Date | null;
}

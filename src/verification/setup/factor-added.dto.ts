import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../users/user.dto';
import { PasskeyDto } from '../passkeys/passkey.dto';

/** What finishing the enrollment of a strong factor answers (the factor's own DTO adds more). */
export class StrongFactorAddedDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({
    type: String,
    isArray: true,
    nullable: true,
    example: ['K7M2Q-9XW4T', '3HV8N-PD2ZA'],
    description:
      '10 new recovery codes, shown this once, when the user had none left (their first strong factor); else null.',
  })
  recoveryCodes!: string[] | null;
}

/** The authenticator app is active. */
export class AuthenticatorConfirmedDto extends StrongFactorAddedDto {}

/** The passkey is active. */
export class PasskeyAddedDto extends StrongFactorAddedDto {
  @ApiProperty({ type: PasskeyDto })
  passkey!: PasskeyDto;
}

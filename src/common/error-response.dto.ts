import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

/** The one error shape of every route. */
export class ErrorResponseDto {
  @ApiProperty({ example: 401 })
  statusCode!: number;

  @ApiProperty({ example: 'invalid_code', description: 'Stable machine-readable error code.' })
  code!: string;

  @ApiProperty({ example: 'The security code is not correct.' })
  message!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present on validation_failed.' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ example: 2, description: 'Present on invalid_code.' })
  attemptsLeft?: number;

  @ApiPropertyOptional({
    example: 30,
    description: 'Seconds; present on too_many_requests (also in Retry-After).',
  })
  retryAfter?: number;

  @ApiPropertyOptional({ description: 'Present on internal_error; also in the log line.' })
  errorId?: string;
}

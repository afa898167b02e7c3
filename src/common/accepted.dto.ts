import { ApiProperty } from '@nestjs/swagger';

/** The body of a 202: the request was taken; what follows happens by email. */
export class AcceptedDto {
  @ApiProperty({ example: 'accepted', enum: ['accepted'] })
  status!: 'accepted';
}

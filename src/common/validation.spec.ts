import { ArgumentMetadata } from '@nestjs/common';
import { IsString } from 'class-validator';
import { ApiError } from './api-error';
import { StrictValidationPipe } from './validation';

class NameDto {
  @IsString()
  name!: string;
}

describe('StrictValidationPipe', () => {
  const pipe = new StrictValidationPipe();
  const body: ArgumentMetadata = { type: 'body', metatype: NameDto };

  it("passes a custom decorator's value on as it is, without a promise", () => {
    const auth = Object.freeze({ userId: 'u1' });
    for (const metatype of [Object, NameDto, undefined]) {
      expect(pipe.transform(auth, { type: 'custom', metatype })).toBe(auth);
    }
  });

  it('still checks bodies: unknown fields, wrong types and non-objects are refused', async () => {
    await expect(pipe.transform({ name: 'Ann' }, body)).resolves.toEqual({ name: 'Ann' });
    for (const bad of [{ name: 1 }, { name: 'Ann', role: 'admin' }, [], 'text', null]) {
      await expect(pipe.transform(bad, body)).rejects.toBeInstanceOf(ApiError);
    }
  });
});

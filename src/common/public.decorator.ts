import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** The route needs no session (the global session guard lets it through). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError } from '../common/api-error';
import { ApiErrors, ApiSession } from '../common/api-docs';
import { AuthContext, CurrentAuth } from '../common/auth.decorators';
import { UserDto } from './user.dto';
import { UsersService } from './users.service';

@ApiTags('My profile')
@ApiSession()
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors()
  async me(@CurrentAuth() auth: AuthContext): Promise<UserDto> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw ApiError.unauthenticated();
    return UserDto.from(user);
  }
}

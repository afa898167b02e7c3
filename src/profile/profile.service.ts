import { Injectable } from '@nestjs/common';
import { AuthContext } from '../auth/sessions/auth-context';
import { SecurityEventsService } from '../users/events/security-events.service';
import { UserDto } from '../users/user.dto';
import { SecurityEventDto } from './profile.dto';

export const DEFAULT_EVENTS_LIMIT = 50;

/** Reading "My profile": the signed-in user and their security history. */
@Injectable()
export class ProfileService {
  constructor(private readonly events: SecurityEventsService) {}

  /** The session check has just loaded the user: no second query on this hot route. */
  me(auth: AuthContext): UserDto {
    return UserDto.from(auth.user, auth.factors);
  }

  async listEvents(userId: string, limit = DEFAULT_EVENTS_LIMIT): Promise<SecurityEventDto[]> {
    const events = await this.events.listRecent(userId, limit);
    return events.map((event) => SecurityEventDto.from(event));
  }
}

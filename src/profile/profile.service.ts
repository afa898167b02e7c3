import { Injectable } from '@nestjs/common';
import { AuthContext } from '../auth/sessions/auth-context';
import { SecurityEventsService } from '../users/events/security-events.service';
import { UserDto } from '../users/user.dto';
import { SecurityEventDto } from './profile.dto';

export const DEFAULT_EVENTS_LIMIT = 50;

/** Reading "My profile": the signed-in user and their security history. */
@Injectable()
export class ProfileService {
  /**
   * The JSON of each session check's answer, made once: a cached AuthContext is frozen and
   * answers many requests until a change of its user drops it, and so does its text.
   */
  private readonly views = new WeakMap<AuthContext, string>();

  constructor(private readonly events: SecurityEventsService) {}

  /**
   * The signed-in user as the JSON text of a UserDto. The session check has just loaded the user:
   * no second query on this hot route, and no serialisation per request either.
   */
  meJson(auth: AuthContext): string {
    let view = this.views.get(auth);
    if (view === undefined) {
      view = JSON.stringify(UserDto.from(auth.user, auth.factors));
      this.views.set(auth, view);
    }
    return view;
  }

  async listEvents(userId: string, limit = DEFAULT_EVENTS_LIMIT): Promise<SecurityEventDto[]> {
    const events = await this.events.listRecent(userId, limit);
    return events.map((event) => SecurityEventDto.from(event));
  }
}

import { Injectable } from '@nestjs/common';
import { Database, Tx } from '../../database/database.service';
import { UserDto } from '../../users/user.dto';
import { User } from '../../users/user.entity';
import { UsersService } from '../../users/users.service';
import { FactorSummaries } from './factor-summaries.service';

/** Users as the API shows them: the user's row (users) with the second factors they have. */
@Injectable()
export class UserViews {
  constructor(
    private readonly db: Database,
    private readonly users: UsersService,
    private readonly summaries: FactorSummaries,
  ) {}

  /** The user as they are now, or null when they are gone. */
  async current(userId: string): Promise<UserDto | null> {
    const user = await this.users.findById(userId);
    return user ? this.of(this.db.manager, user) : null;
  }

  /** `user` with their second factors as the unit of work sees them. */
  async of(tx: Tx, user: User): Promise<UserDto> {
    return UserDto.from(user, await this.summaries.of(tx, user.id));
  }

  async ofMany(users: User[]): Promise<UserDto[]> {
    const factors = await this.summaries.ofMany(
      this.db.manager,
      users.map((u) => u.id),
    );
    return users.map((user) => UserDto.from(user, factors.get(user.id)!));
  }
}

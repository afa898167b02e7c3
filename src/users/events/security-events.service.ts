import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ClientInfo } from '../../common/request-context';
import { SecurityEvent, SecurityEventType } from './security-event.entity';

/** The user's security history ("My profile" → events). */
@Injectable()
export class SecurityEventsService {
  constructor(
    @InjectRepository(SecurityEvent) private readonly events: Repository<SecurityEvent>,
  ) {}

  async record(
    userId: string,
    type: SecurityEventType,
    client: ClientInfo | null,
    details: Record<string, string | number | boolean | null> = {},
    manager: EntityManager = this.events.manager,
  ): Promise<void> {
    const event = manager.create(SecurityEvent, {
      userId,
      type,
      ip: client?.ip ?? null,
      userAgent: client?.userAgent ?? null,
      // Set here, to the millisecond: the database default is whole seconds on SQLite, which
      // would leave events of the same second in no particular order.
      createdAt: new Date(),
    });
    event.details = details;
    await manager.insert(SecurityEvent, event);
  }

  listRecent(userId: string, limit: number): Promise<SecurityEvent[]> {
    return this.events.find({
      where: { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}

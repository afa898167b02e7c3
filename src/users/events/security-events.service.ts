import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Tx } from '../../database/database.service';
import { ClientInfo } from '../../common/request-context';
import { SecurityEvent, SecurityEventType } from './security-event.entity';

export type EventDetails = Record<string, string | number | boolean | null>;

/** The only writer of `security_events`: the user's security history ("My profile" → events). */
@Injectable()
export class SecurityEventsService {
  constructor(
    @InjectRepository(SecurityEvent) private readonly events: Repository<SecurityEvent>,
  ) {}

  async record(
    tx: Tx,
    userId: string,
    type: SecurityEventType,
    client: ClientInfo | null,
    details: EventDetails = {},
  ): Promise<void> {
    const event = tx.create(SecurityEvent, {
      userId,
      type,
      ip: client?.ip ?? null,
      userAgent: client?.userAgent ?? null,
      // Set here, to the millisecond: the database default is whole seconds on SQLite, which
      // would leave events of the same second in no particular order.
      createdAt: new Date(),
    });
    event.details = details;
    await tx.insert(SecurityEvent, event);
  }

  listRecent(userId: string, limit: number): Promise<SecurityEvent[]> {
    return this.events.find({
      where: { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }
}

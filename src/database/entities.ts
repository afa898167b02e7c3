import { Session } from '../auth/sessions/session.entity';
import { SecurityEvent } from '../users/events/security-event.entity';
import { ThrottleCounter } from './throttle-counter.entity';
import { TrustedDevice } from '../devices/trusted-device.entity';
import { OutboxMessage } from '../notifications/outbox-message.entity';
import { Account } from '../users/account.entity';
import { LinkToken } from '../users/link-tokens/link-token.entity';
import { User } from '../users/user.entity';
import { Challenge } from '../verification/challenges/challenge.entity';

export const ENTITIES = [
  Account,
  User,
  LinkToken,
  Session,
  SecurityEvent,
  ThrottleCounter,
  TrustedDevice,
  Challenge,
  OutboxMessage,
];

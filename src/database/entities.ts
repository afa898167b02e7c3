import { Session } from '../auth/session.entity';
import { SecurityEvent } from '../users/security-event.entity';
import { ThrottleCounter } from './throttle-counter.entity';
import { TrustedDevice } from '../devices/trusted-device.entity';
import { OutboxMessage } from '../notifications/outbox-message.entity';
import { Account } from '../users/account.entity';
import { LinkToken } from '../users/link-token.entity';
import { User } from '../users/user.entity';
import { Challenge } from '../verification/challenge.entity';

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

import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { NotificationsWorkerModule } from './notifications/notifications-worker.module';

/** APP_ROLE=worker: the queue consumers, with only /health/* over HTTP. */
@Module({
  imports: [CoreModule, NotificationsWorkerModule],
})
export class WorkerModule {}

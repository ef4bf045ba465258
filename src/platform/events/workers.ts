import type { AppContext } from '../context.js';
import { EventDispatcher } from './dispatcher.js';
import { WebhookSender } from './webhook-sender.js';

/** The running event machinery of a worker process. */
export interface EventWorkers {
  /** Register in-process listeners here (`dispatcher.on('order.*', …)`); every worker process must do the same. */
  readonly dispatcher: EventDispatcher;
  readonly sender: WebhookSender;
  stop(): Promise<void>;
}

/** Starts the outbox dispatcher and the webhook sender of a worker process (API-only processes do not call it). */
export function startEventWorkers(ctx: AppContext): EventWorkers {
  const dispatcher = new EventDispatcher({ database: ctx.database, logger: ctx.logger, metrics: ctx.metrics });
  const sender = new WebhookSender({
    database: ctx.database,
    logger: ctx.logger,
    metrics: ctx.metrics,
    secrets: ctx.secrets,
    allowPrivateTargets: ctx.config.webhookAllowPrivateTargets,
  });
  dispatcher.start();
  sender.start();
  return {
    dispatcher,
    sender,
    async stop() {
      // Nothing is lost by stopping: undispatched events and unsent deliveries wait in the database.
      await dispatcher.stop();
      await sender.stop();
    },
  };
}

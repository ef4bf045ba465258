import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance (own registry, so tests can build many apps). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly jobsProcessed: Counter<'name' | 'outcome'>;
  readonly webhookDeliveries: Counter<'outcome'>;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'orderloop_' });
    this.httpDuration = new Histogram({
      name: 'orderloop_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.jobsProcessed = new Counter({
      name: 'orderloop_jobs_processed_total',
      help: 'Jobs processed by name and outcome',
      labelNames: ['name', 'outcome'],
      registers: [this.registry],
    });
    this.webhookDeliveries = new Counter({
      name: 'orderloop_webhook_deliveries_total',
      help: 'Outgoing webhook delivery attempts by outcome',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
  }

  /** Adds a gauge whose value is read when Prometheus scrapes. */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    if (this.registry.getSingleMetric(name)) this.registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }
}

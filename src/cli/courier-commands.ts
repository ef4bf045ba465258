import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { closeContext, createContext } from '../platform/create-context.js';
import { syncTenant } from '../integrations/bosta/bosta-sync.js';
import { runSimulatorCommand } from '../integrations/bosta/simulator/cli.js';
import { applyBostaEnvironment, defaultTenant } from './default-tenant.js';

/** `sync bosta` and `simulate bosta`. */
export function registerCourierCommands(program: Command): void {
  program
    .command('sync')
    .description('Synchronise with a courier')
    .command('bosta')
    .description('Run one Bosta sync now (incremental by default), with a progress bar; exits non-zero when it fails')
    .option('--full', 'page through every delivery (full reconcile) instead of since the watermark')
    .option('--tenant <slug>', 'tenant (default: the demo tenant or the only one)')
    .action(async (o: { full?: boolean; tenant?: string }) => {
      const config = loadConfig();
      const ctx = await createContext(config, {});
      try {
        const tenant = await defaultTenant(ctx, o.tenant);
        await applyBostaEnvironment(ctx, config, tenant);
        const bar = new SingleBar({
          format:
            'Bosta sync [{bar}] {percentage}% | page {value}/{total} | {deliveries} deliveries | ETA {eta_formatted}',
          hideCursor: true,
        });
        let started = false;
        const run = await syncTenant(ctx, tenant.id, {
          mode: o.full ? 'full' : 'incremental',
          trigger: 'cli',
          onProgress: (p) => {
            const total = Math.max(p.pagesTotal ?? p.pagesDone, p.pagesDone);
            if (!started) {
              bar.start(total, 0, { deliveries: 0 });
              started = true;
            }
            bar.setTotal(total);
            bar.update(p.pagesDone, { deliveries: p.deliveriesSeen });
          },
        });
        if (started) bar.stop();
        console.log(
          `Run ${run.id} ${run.status}: ${run.deliveriesSeen} deliveries (${run.created} new, ${run.updated} updated, ${run.unchanged} unchanged) in ${run.pagesDone} pages`,
        );
        if (run.status !== 'completed') {
          console.error(`Sync failed: ${run.error}. The next run resumes from page ${run.cursor.page}.`);
          process.exitCode = 1;
        }
      } finally {
        await closeContext(ctx);
      }
    });

  program
    .command('simulate')
    .description('Run a provider simulator (a real HTTP server) to try Orderloop without an account')
    .command('bosta')
    .description('Start the Bosta simulator')
    .option('--port <port>', 'port to listen on', '4010')
    .option('--host <host>', 'host to bind', '127.0.0.1')
    .option('--deliveries <n>', 'deliveries to generate', '10000')
    .option('--seed <n>', 'seed of the generated data', '42')
    .option('--api-key <key>', 'API key clients must send')
    .option('--webhook <url>', 'account webhook URL')
    .option('--webhook-header <name:value>', 'custom header sent with each webhook')
    .action(async (o) => {
      const sim = await runSimulatorCommand({
        port: o.port,
        host: o.host,
        deliveries: o.deliveries,
        seed: o.seed,
        apiKey: o.apiKey,
        webhook: o.webhook,
        webhookHeader: o.webhookHeader,
      });
      const stop = async () => {
        await sim.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}

#!/usr/bin/env node
import { Command, Option } from 'commander';
import { backup } from './cli/backup.js';
import { registerAdminCommands } from './cli/admin-commands.js';
import { registerCourierCommands } from './cli/courier-commands.js';
import { type ServeRole, serve } from './cli/serve.js';
import { ConfigError, loadConfig } from './config.js';
import { connectDatabase } from './platform/db/connect.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { tuneHeap } from './platform/heap-tuning.js';

tuneHeap();

const program = new Command()
  .name('orderloop')
  .description('Orderloop: the operations CRM for merchants who ship through a courier')
  .showHelpAfterError();

program
  .command('serve')
  .description('Run the server: API, job worker and scheduler (split them with --role)')
  .addOption(new Option('--role <role>', 'what this process runs').choices(['all', 'api', 'worker']).default('all'))
  .option('--no-demo', 'do not create the demo tenant on an empty database')
  .action(async (o: { role: ServeRole; demo: boolean }) => {
    const config = loadConfig();
    const running = await serve(config, o.role, { demo: o.demo && config.demo });
    if (running.url) process.stdout.write(`Orderloop is running at ${running.url}  (API docs: ${running.url}/docs)\n`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      running.ctx.logger.info({ signal }, 'shutting down');
      await running.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => {
    const database = connectDatabase(loadConfig().databaseUrl);
    try {
      const applied = await migrateToLatest(database);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date');
    } finally {
      await database.close();
    }
  });

program
  .command('backup')
  .description('SQLite: online backup to a file. PostgreSQL: print the pg_dump command')
  .option('--out <file>', 'where to write the backup')
  .action(async (o: { out?: string }) => {
    const config = loadConfig();
    const result = await backup(config, o.out);
    console.log(config.databaseUrl.startsWith('postgres') ? `Run:\n  ${result}` : `Backup written to ${result}`);
  });

registerAdminCommands(program);
registerCourierCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`orderloop: ${(err as Error).message}\n`);
  process.exit(1);
});

/**
 * Entry point: read config, build, listen; on SIGTERM/SIGINT stop taking requests, let in-flight ones
 * finish, close connections and exit. A bad configuration value prints one line and exits 1.
 */
import { buildApp } from './app';
import { closeContext, createContext } from './bootstrap';
import { ConfigError, parseConfig } from './config';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const ctx = await createContext(config);
  const app = await buildApp(ctx);

  const housekeeping = setInterval(() => {
    void Promise.all([ctx.services.wallet.deleteExpiredKeys(), ctx.services.auth.deleteDeadSessions()]).catch(
      (error: unknown) => app.log.warn({ err: error }, 'housekeeping failed'),
    );
  }, 3_600_000);
  housekeeping.unref();

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    clearInterval(housekeeping);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void app
      .close()
      .then(() => closeContext(ctx))
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      database: ctx.database.kind,
      cache: ctx.cache.kind,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
    },
    `MetaGameplay is up: ${address}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`MetaGameplay could not start: ${message}\n`);
  }
  process.exit(1);
});

/**
 * Entry point: read config, build (bootstrap.ts), listen (the background jobs start with the app); on
 * SIGTERM/SIGINT stop taking requests, let in-flight ones finish, stop the jobs, close connections, stop the
 * embedded Postgres (if it is ours) and exit. A bad configuration value
 * or a failed start prints one line and exits 1.
 */
import { buildApp } from './app';
import { closeContext, createContext } from './bootstrap';
import { ConfigError, parseConfig } from './config';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  // A signal during start-up (an initdb, migrations) is remembered and honoured once the server is up,
  // so what the start has begun (the embedded Postgres) is stopped properly rather than orphaned.
  let requested: string | null = null;
  let onSignal = (signal: string) => {
    requested ??= signal;
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  const ctx = await createContext(config);
  let app: Awaited<ReturnType<typeof buildApp>>;
  let address: string;
  try {
    app = await buildApp(ctx);
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // A failed start stops what it started (the embedded Postgres among them) before exiting.
    await closeContext(ctx).catch(() => undefined);
    throw error;
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void app
      .close()
      .then(() => closeContext(ctx))
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  onSignal = shutdown;

  app.log.info(
    {
      database: ctx.database.kind,
      cache: ctx.cache.kind,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
    },
    `MetaGameplay is up: ${address}`,
  );
  if (requested) shutdown(requested);
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

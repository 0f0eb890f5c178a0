/**
 * Entry point of the console game: `npm run console -- [--server URL] [--lang en|ru]`.
 * Parses the options, builds the API client (whose retry notices feed the status line), takes over
 * the terminal and runs the Ink app until the player quits.
 */
// Must stay the first import: it runs before Ink loads (see the module).
import './interactive-env';
import { ApiClient, type RetryInfo } from '@metagameplay/client';
import { render } from 'ink';
import { App, type RetryListener } from './app';
import { CrashGuard } from './components/crash-guard';
import { parseConsoleConfig } from './config';
import { messages } from '@metagameplay/game';
import { enterFullScreen, installCrashHandlers } from './terminal';

function main(): void {
  const parsed = parseConsoleConfig(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n${messages[parsed.lang].cli.usage}\n`);
    process.exit(2);
  }
  const { config } = parsed;
  const t = messages[config.lang];
  if (config.help) {
    process.stdout.write(`${t.cli.usage}\n`);
    return;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(`${t.cli.notATerminal}\n`);
    process.exit(1);
  }

  const listeners = new Set<RetryListener>();
  const api = new ApiClient({
    baseUrl: config.serverUrl,
    timeoutMs: 10_000,
    retry: { retries: 4, baseDelayMs: 500, maxDelayMs: 4000 },
    onRetry: (info: RetryInfo) => {
      for (const listener of listeners) listener({ attempt: info.attempt, maxAttempts: info.maxAttempts });
    },
  });
  const subscribeRetry = (listener: RetryListener): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  const terminal = enterFullScreen(process.stdout, process.stdin);
  const crash = installCrashHandlers(terminal, t.cli.crashed, Boolean(process.env.METAGAMEPLAY_DEBUG));
  const app = render(
    <CrashGuard onCrash={crash}>
      <App api={api} t={t} subscribeRetry={subscribeRetry} serverUrl={config.serverUrl} />
    </CrashGuard>,
    { exitOnCtrlC: true },
  );
  app.waitUntilExit().then(
    () => {
      terminal.restore();
      process.stdout.write(`${t.cli.goodbye}\n`);
      // Pending retries or keep-alive sockets must not hold the player at an empty prompt.
      process.exit(0);
    },
    () => {
      terminal.restore();
      process.stderr.write(`${t.cli.crashed}\n`);
      process.exit(1);
    },
  );
}

main();

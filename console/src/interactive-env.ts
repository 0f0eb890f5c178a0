/**
 * Imported first by main.tsx, before Ink: Ink decides once, when it loads, whether it runs in CI (from
 * CI / CONTINUOUS_INTEGRATION) and then draws only a final frame. The game is interactive whenever it
 * has a terminal, so on a TTY those variables are dropped before Ink reads them.
 */
if (process.stdout.isTTY) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}

export {};

/**
 * The terminal around the game: the alternate screen (so views replace each other and the shell's
 * scrollback is left as it was), and the last line of defence — any uncaught error restores the
 * terminal and prints one friendly line instead of a stack trace.
 */

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[2J\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

export interface Terminal {
  /** Leaves the alternate screen and cooked mode; safe to call more than once. */
  restore(): void;
}

export function enterFullScreen(stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): Terminal {
  stdout.write(ENTER_ALT_SCREEN);
  let restored = false;
  return {
    restore() {
      if (restored) return;
      restored = true;
      try {
        if (stdin.isTTY) stdin.setRawMode(false);
      } catch {
        // The stream may already be closed; nothing left to restore then.
      }
      stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    },
  };
}

/**
 * Installs process-level handlers: an uncaught exception or unhandled rejection restores the terminal,
 * prints `message` (and, only when METAGAMEPLAY_DEBUG is set, the error) and exits with status 1.
 * Returns that same crash function for errors caught elsewhere (a render error).
 */
export function installCrashHandlers(
  terminal: Terminal,
  message: string,
  debug: boolean,
): (error: unknown) => void {
  const crash = (error: unknown): void => {
    terminal.restore();
    process.stderr.write(`${message}\n`);
    if (debug)
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const leave = (): void => {
    terminal.restore();
    process.exit(130);
  };
  process.on('SIGTERM', leave);
  process.on('SIGHUP', leave);
  return crash;
}

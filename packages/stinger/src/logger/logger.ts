import pino from "pino";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace";

/**
 * Lodestar-style logger: `(message, context, error)`. Context is structured (JSON) and scoped per module with
 * `child`. Secrets never reach it: keys, shares and passwords are not passed as context, and the paths below are
 * redacted as a second line of defence.
 */
export type Logger = {
  error(message: string, context?: Record<string, unknown>, error?: unknown): void;
  warn(message: string, context?: Record<string, unknown>, error?: unknown): void;
  info(message: string, context?: Record<string, unknown>): void;
  debug(message: string, context?: Record<string, unknown>): void;
  child(context: Record<string, unknown>): Logger;
};

const REDACT = ["password", "secret", "share", "privateKey", "seed", "*.password", "*.secret", "*.share", "*.seed"];

export type LoggerOptions = {
  level?: LogLevel;
  /** Destination file descriptor or stream; defaults to stderr so stdout stays free for command output. */
  destination?: pino.DestinationStream;
  context?: Record<string, unknown>;
};

export function createLogger(opts: LoggerOptions = {}): Logger {
  const base = pino(
    {
      level: opts.level ?? "info",
      base: opts.context ?? {},
      redact: { paths: REDACT, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return wrap(base);
}

function wrap(p: pino.Logger): Logger {
  const withError = (ctx: Record<string, unknown> | undefined, error: unknown) =>
    error === undefined ? (ctx ?? {}) : { ...ctx, err: error };
  return {
    error: (msg, ctx, err) => p.error(withError(ctx, err), msg),
    warn: (msg, ctx, err) => p.warn(withError(ctx, err), msg),
    info: (msg, ctx) => p.info(ctx ?? {}, msg),
    debug: (msg, ctx) => p.debug(ctx ?? {}, msg),
    child: (ctx) => wrap(p.child(ctx)),
  };
}

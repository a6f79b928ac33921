export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Exact secret values (API key, tokens): replaced wherever they appear in a line. */
  secrets?: readonly (string | undefined)[];
  write?: (line: string) => void;
  now?: () => number;
}

// Shapes of secrets we may not know the exact value of (a token echoed back by a fake, a header dump).
const SECRET_PATTERNS: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]+/g,
  /xapp-[A-Za-z0-9-]+/g,
  /(lucca\s+application=)[^\s"',;]+/gi,
  /("?authorization"?\s*[:=]\s*"?)(?:Bearer\s+)?[^\s"',;]+/gi,
];

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, prefix?: string) =>
      typeof prefix === 'string' ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}

/**
 * Errors are logged by name, code, status and message only: got errors carry the request
 * (headers included) on `options`, so the object itself must never be serialised.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const e = error as Error & { code?: unknown; response?: { statusCode?: number } };
  const out: Record<string, unknown> = { error: e.message, errorName: e.name };
  if (typeof e.code === 'string') out.errorCode = e.code;
  if (typeof e.response?.statusCode === 'number') out.status = e.response.statusCode;
  if (e.cause instanceof Error) out.cause = `${e.cause.name}: ${e.cause.message}`;
  return out;
}

export function createLogger(options: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const secrets = options.secrets ?? [];

  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < threshold) return;
    const record: Record<string, unknown> = {
      time: new Date(now()).toISOString(),
      level,
      msg: message,
      ...base,
    };
    for (const [key, value] of Object.entries(fields ?? {})) {
      record[key] = value instanceof Error ? describeError(value) : value;
    }
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch {
      line = JSON.stringify({ time: record.time, level, msg: message, note: 'fields not serialisable' });
    }
    write(redact(line, secrets));
  };

  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** For tests and libraries that want silence. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

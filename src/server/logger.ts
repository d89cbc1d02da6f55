import pino, { type Logger } from "pino";

/** The process logger: pino JSON lines on stdout at `level`. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "candela" } });
}

export type { Logger };

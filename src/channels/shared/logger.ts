// The slice of a pino logger the adapters use, so tests can pass a stub.
export type LogFn = (obj: Record<string, unknown>, msg: string) => void;

export interface ChannelLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

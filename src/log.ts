/** Structured logging (pino). Children carry the component name; secrets are redacted by path. */
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.KUBESTACK_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'kubestack-agent' },
    redact: {
      // A safety net for log calls that forgot src/redact.ts: credentials by key, and the
      // `graphics` parameter, which carries the VNC/SPICE password inside its text.
      paths: [
        'password',
        'passwd',
        '*.password',
        '*.passwd',
        '*.token',
        '*.userData',
        '*.user_data',
        'graphics',
        '*.graphics',
        'params.*.password',
        '*.params.password',
        '*.params.graphics',
      ],
      censor: '[redacted]',
    },
  });
}

/** The process-wide root logger; tests and libraries may pass their own instead. */
export const rootLogger: Logger = createLogger();

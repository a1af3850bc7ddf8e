import { Logger } from '@nestjs/common';
import type { MessagingLog } from '#messaging';

/** Messaging reports through the app's logger (JSON lines via pino in the apps). */
export function nestMessagingLog(context = 'messaging'): MessagingLog {
  const logger = new Logger(context);
  return (level, message, fields = {}) => {
    const entry = { msg: message, ...fields };
    if (level === 'error') logger.error(entry);
    else if (level === 'warn') logger.warn(entry);
    else logger.log(entry);
  };
}

import { dlqTopic } from '#contracts';
import type { BusMessage, MessageBus, MessageHeaders, ReceivedMessage } from './message-bus.js';

/**
 * A dead letter is the original message (key, value and headers untouched) on `<topic>.dlq`,
 * with `dlq-*` headers saying what failed, where and when. Replaying removes those headers and
 * publishes the message to its original topic again.
 */
export const DEAD_LETTER_HEADERS = {
  error: 'dlq-error',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumer: 'dlq-consumer',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

const PREFIX = 'dlq-';
const MAX_ERROR_LENGTH = 2000;

/** Consumer group that records how far each dead-letter topic has been replayed. */
export const DEAD_LETTER_REPLAY_GROUP = 'dead-letter-replay';

export function deadLetter(message: ReceivedMessage, error: unknown, consumer: string, attempts: number): BusMessage {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    topic: dlqTopic(message.topic),
    key: message.key,
    value: message.value,
    headers: {
      ...withoutDeadLetterHeaders(message.headers),
      [DEAD_LETTER_HEADERS.error]: reason.slice(0, MAX_ERROR_LENGTH),
      [DEAD_LETTER_HEADERS.originalTopic]: message.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(message.partition),
      [DEAD_LETTER_HEADERS.originalOffset]: message.offset,
      [DEAD_LETTER_HEADERS.consumer]: consumer,
      [DEAD_LETTER_HEADERS.attempts]: String(attempts),
      [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}

export function withoutDeadLetterHeaders(headers: MessageHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(PREFIX)));
}

/**
 * Publishes up to `limit` dead letters of `topic` (the original topic, not the `.dlq` one) back to
 * it, oldest first, and returns how many. Each is replayed once: the replay group's position moves
 * past it. Consumers that had already handled a message skip it again by its event id.
 */
export async function replayDeadLetters(bus: MessageBus, topic: string, limit = 1000): Promise<number> {
  return bus.drain({
    group: DEAD_LETTER_REPLAY_GROUP,
    topic: dlqTopic(topic),
    limit,
    // `<topic>.dlq` only ever holds letters of `topic`, whatever a header claims.
    handle: (letter) => bus.publish([{ topic, key: letter.key, value: letter.value, headers: withoutDeadLetterHeaders(letter.headers) }]),
  });
}

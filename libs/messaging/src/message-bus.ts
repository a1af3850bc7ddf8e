/**
 * The messaging port: Kafka in production, an in-process bus for the embedded app and unit tests.
 * Messages are raw (bytes and string headers), so both adapters carry exactly what goes on the wire
 * and a consumer meets malformed messages the same way on either.
 */

export type MessageHeaders = Readonly<Record<string, string>>;

export interface BusMessage {
  readonly topic: string;
  /** Messages with the same key keep their order (Kafka: same partition). */
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: MessageHeaders;
}

export interface ReceivedMessage extends BusMessage {
  readonly partition: number;
  readonly offset: string;
}

export interface SubscribeOptions {
  /** Consumer group: each group gets every message once (at least once); members share partitions. */
  readonly group: string;
  readonly topics: readonly string[];
  /** A group with no committed position starts at the oldest retained message (default) or at the end. */
  readonly fromBeginning?: boolean;
  /**
   * Resolving commits the message; rejecting has it delivered again (after a pause). Handlers own
   * retries and dead-lettering, so they reject only when they could not even do that.
   */
  readonly handle: (message: ReceivedMessage) => Promise<void>;
  /**
   * When given, used instead of `handle`: consecutive messages of one partition (at most
   * MAX_HANDLE_BATCH), all committed when it resolves, all delivered again when it rejects.
   */
  readonly handleBatch?: (messages: readonly ReceivedMessage[]) => Promise<void>;
  /** Messages of a partition not yet handled by the group, reported as consumption moves on. */
  readonly onLag?: (topic: string, partition: number, lag: number) => void;
  /** Partitions of the group handled at once within this process (order holds within each). */
  readonly concurrency?: number;
}

export const MAX_HANDLE_BATCH = 200;

export interface BusSubscription {
  stop(): Promise<void>;
}

export interface DrainOptions {
  readonly group: string;
  readonly topic: string;
  /** At most this many messages are handled; the rest stay for the next drain. */
  readonly limit: number;
  readonly handle: (message: ReceivedMessage) => Promise<void>;
}

export interface MessageBus {
  readonly kind: 'kafka' | 'in-process';
  /** Creates the topics that are missing (partitions and replication from configuration). */
  ensureTopics(topics: readonly string[]): Promise<void>;
  /**
   * Resolves once every message is durably acknowledged, in order per key; rejects when any may
   * not have been, and the caller then sends them all again (consumers dedupe).
   */
  publish(messages: readonly BusMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<BusSubscription>;
  /**
   * Handles, for `group`, the messages `topic` holds now, then returns how many it handled: a
   * one-off pass such as replaying a dead-letter topic.
   */
  drain(options: DrainOptions): Promise<number>;
  close(): Promise<void>;
}

/** Nest injection token of the app's MessageBus. */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');

/** Where messaging reports what an operator should know (a Nest logger in apps, JSON lines elsewhere). */
export type MessagingLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export const silentLog: MessagingLog = () => undefined;

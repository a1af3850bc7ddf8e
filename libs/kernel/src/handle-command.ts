import type { Decider } from './decider.js';
import { fold } from './decider.js';
import { Conflict, WrongExpectedVersion } from './errors.js';
import type { AppendResult, EventStore, StreamAppend } from './event-store.js';
import type { DomainEvent, EventMetadata, NewEvent, RecordedEvent } from './events.js';
import type { IdGenerator } from './ids.js';
import { uuidGenerator } from './ids.js';

export interface HandleCommandOptions {
  readonly ids?: IdGenerator;
}

export interface CommandResult<Event extends DomainEvent, State> {
  readonly events: readonly Event[];
  readonly state: State;
  readonly append: AppendResult | null;
  /** The stream's events the command was decided on (none for a stream assumed new and found so). */
  readonly history: readonly RecordedEvent[];
}

/** One command for one stream, with the metadata its events carry. */
export interface StreamCommand<Command, Event extends DomainEvent, State> {
  readonly streamId: string;
  readonly decider: Decider<Command, Event, State>;
  readonly command: Command;
  readonly metadata: EventMetadata;
  /**
   * 'read' (the default): read and fold the stream, then decide. 'new', in `executeAll` only:
   * decide on the initial state and expect no stream, which needs no read first; a stream that
   * turns out to exist is then read and the command decided again on what it holds. For streams
   * that are nearly always new (one per received event).
   */
  readonly assume?: 'read' | 'new';
}

/** Per command of a batch: its result, or the Conflict its decider refused it with. */
export type CommandOutcome<Event extends DomainEvent, State> = CommandResult<Event, State> | Conflict;

export interface CommandExecutorOptions {
  readonly ids?: IdGenerator;
  /** Told what every commit stored (whole, once it is stored): the one place to count appends. */
  readonly onCommitted?: (appended: readonly AppendResult[]) => void;
}

export interface ExecuteAllOptions {
  /** Commands run at once when they end up judged one by one. */
  readonly concurrency?: number;
}

/** Streams found taken that are set aside before the rest of a multi-stream commit is tried again. */
const MAX_SET_ASIDE = 8;

/** PostgreSQL SQLSTATE of a deadlock: the statement was rolled back, so it may be tried another way. */
const DEADLOCK = '40P01';

// Commands of one batch differ in their types; the executor treats them alike.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = StreamCommand<any, DomainEvent, any>;

interface Planned {
  readonly cmd: AnyCommand;
  readonly history: readonly RecordedEvent[];
  readonly state: unknown;
  readonly decided: readonly DomainEvent[];
  readonly append: StreamAppend | null;
}

/**
 * The write path: read the stream, fold it, decide, and commit the new events with the expected
 * version read (optimistic concurrency; a concurrent writer makes the commit throw
 * WrongExpectedVersion, a Conflict, and nothing is stored). Appends that belong with the command,
 * such as the access decision that allowed it, go `alongside` in the same commit; when the command
 * decides nothing they are committed alone. Every append of the process goes through `commit`,
 * which tells `onCommitted` what was stored.
 */
export class CommandExecutor {
  private readonly ids: IdGenerator;
  private readonly onCommitted: ((appended: readonly AppendResult[]) => void) | undefined;

  constructor(
    readonly store: EventStore,
    options: CommandExecutorOptions = {},
  ) {
    this.ids = options.ids ?? uuidGenerator;
    this.onCommitted = options.onCommitted;
  }

  /**
   * Appends atomically: several streams in one `appendMany` where the store has it (otherwise one
   * after the other, and what was stored before a failure stays stored). Results in the order given.
   */
  async commit(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    if (appends.length === 1 || !this.store.appendMany) {
      const results: AppendResult[] = [];
      try {
        for (const a of appends) results.push(await this.store.append(a.streamId, a.events, a.expectedVersion));
      } finally {
        if (results.length > 0) this.onCommitted?.(results);
      }
      return results;
    }
    const results = await this.store.appendMany(appends);
    this.onCommitted?.(results);
    return results;
  }

  /** Runs one command; `alongside` is committed with its events, or alone when it decides none. */
  async execute<C, E extends DomainEvent, S>(
    command: StreamCommand<C, E, S>,
    alongside: readonly StreamAppend[] = [],
  ): Promise<CommandResult<E, S>> {
    const planned = await this.plan(command, 'read');
    const appended = await this.commit(planned.append ? [...alongside, planned.append] : alongside);
    return this.result(planned, planned.append ? appended[appended.length - 1]! : null) as CommandResult<E, S>;
  }

  /**
   * Runs commands on distinct streams, with `alongside`, in one commit where the store can append
   * to many streams at once. A stream found taken (not at the version expected) makes that attempt
   * store nothing; its command is set aside and the rest tried again, so one retried command among
   * many new ones does not send them all one by one. What is set aside, or left when the store
   * cannot append many, runs on its own, after `alongside` has been committed alone. A Conflict a
   * decider throws answers that command only; any other error fails the call. Outcomes in the
   * order given.
   */
  async executeAll(
    commands: readonly AnyCommand[],
    alongside: readonly StreamAppend[] = [],
    options: ExecuteAllOptions = {},
  ): Promise<CommandOutcome<DomainEvent, unknown>[]> {
    const outcomes = new Array<CommandOutcome<DomainEvent, unknown> | undefined>(commands.length);
    const planned = new Array<Planned | undefined>(commands.length);
    await Promise.all(
      commands.map(async (cmd, i) => {
        try {
          planned[i] = await this.plan(cmd, cmd.assume ?? 'read');
          if (!planned[i].append) outcomes[i] = this.result(planned[i], null);
        } catch (error) {
          outcomes[i] = refusedBy(error);
        }
      }),
    );
    let together = commands.map((_, i) => i).filter((i) => outcomes[i] === undefined);
    const taken = new Set<number>();
    let extra = [...alongside];
    for (let setAside = 0; this.store.appendMany && together.length + extra.length > 1 && setAside <= MAX_SET_ASIDE; setAside++) {
      try {
        const appended = await this.commit([...extra, ...together.map((i) => planned[i]!.append!)]);
        together.forEach((i, k) => (outcomes[i] = this.result(planned[i]!, appended[extra.length + k]!)));
        together = [];
        extra = [];
        break;
      } catch (error) {
        const found = error instanceof WrongExpectedVersion ? together.findIndex((i) => planned[i]!.cmd.streamId === error.streamId) : -1;
        if (found >= 0) {
          taken.add(together[found]!);
          together.splice(found, 1);
          continue;
        }
        if (!(error instanceof WrongExpectedVersion) && (error as { code?: string }).code !== DEADLOCK) throw error;
        break;
      }
    }
    for (const a of extra) await this.commit([a]);
    const alone = commands.map((_, i) => i).filter((i) => outcomes[i] === undefined);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency ?? 1, alone.length) }, async () => {
        while (next < alone.length) {
          const i = alone[next++]!;
          outcomes[i] = await this.runAlone(planned[i]!, taken.has(i)).catch(refusedBy);
        }
      }),
    );
    return outcomes as CommandOutcome<DomainEvent, unknown>[];
  }

  /** Reads one stream and folds it, for queries that need the authoritative state. */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<{ state: S; version: number }> {
    const events = await this.store.readStream(streamId);
    return { state: fold(decider, events as unknown as E[]), version: events.length };
  }

  /** Tried as planned first (unless already found taken); a stream assumed new and found taken is read and decided again. */
  private async runAlone(planned: Planned, knownTaken: boolean): Promise<CommandResult<DomainEvent, unknown>> {
    if (planned.history.length === 0 && planned.append && !knownTaken) {
      try {
        const [appended] = await this.commit([planned.append]);
        return this.result(planned, appended!);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion) || (planned.cmd.assume ?? 'read') !== 'new') throw error;
      }
    }
    const reread = knownTaken || planned.cmd.assume === 'new' ? await this.plan(planned.cmd, 'read') : planned;
    if (!reread.append) return this.result(reread, null);
    const [appended] = await this.commit([reread.append]);
    return this.result(reread, appended!);
  }

  private async plan(cmd: AnyCommand, assume: 'read' | 'new'): Promise<Planned> {
    const history = assume === 'new' ? [] : await this.store.readStream(cmd.streamId);
    const state: unknown = fold(cmd.decider, history as unknown as DomainEvent[]);
    const decided: readonly DomainEvent[] = cmd.decider.decide(cmd.command, state);
    const events: NewEvent[] = decided.map((e) => ({ eventId: this.ids.next(), type: e.type, data: e.data, metadata: cmd.metadata }));
    return {
      cmd,
      history,
      state,
      decided,
      append: events.length > 0 ? { streamId: cmd.streamId, events, expectedVersion: history.length } : null,
    };
  }

  private result(planned: Planned, append: AppendResult | null): CommandResult<DomainEvent, unknown> {
    const state = planned.decided.reduce((s, e) => planned.cmd.decider.evolve(s, e), planned.state);
    return { events: planned.decided, state, append, history: planned.history };
  }
}

/** A decider's Conflict answers its own command; a stream found at another version, or anything else, is thrown. */
function refusedBy(error: unknown): Conflict {
  if (error instanceof Conflict && !(error instanceof WrongExpectedVersion)) return error;
  throw error;
}

/** Runs one command on its own: see CommandExecutor.execute. */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  metadata: EventMetadata,
  options: HandleCommandOptions = {},
): Promise<CommandResult<Event, State>> {
  return new CommandExecutor(store, options).execute({ streamId, decider, command, metadata });
}

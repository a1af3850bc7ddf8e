import { sleep, until } from './app-process.js';
import { seconds } from './fault-figures.js';
import { ingestLoad } from './ingest-load.js';

export interface KillPlan {
  readonly kills: number;
  /** Acknowledgements to wait for before each kill, so every kill lands mid-load. */
  readonly acknowledgedBetweenKills: number;
  readonly ingestUrl: () => string;
  readonly token: string;
  /** SIGKILLs the apps under test (and waits for them to be gone). */
  readonly kill: () => Promise<void>;
  /** Starts them again on the same data and resolves when every one answers /health 200. */
  readonly restart: () => Promise<void>;
}

/** Ingest load while the apps are SIGKILLed and restarted `kills` times; returns what the load saw and each recovery time. */
export async function sigkillUnderLoad(plan: KillPlan) {
  const load = ingestLoad(plan.ingestUrl, plan.token, { clients: 8 });
  const recoverySeconds: number[] = [];
  const started = Date.now();
  try {
    for (let k = 0; k < plan.kills; k++) {
      const before = load.state.acknowledged.length;
      await until(
        () => load.state.acknowledged.length >= before + plan.acknowledgedBetweenKills,
        90_000,
        `${plan.acknowledgedBetweenKills} acknowledgements before kill ${k + 1}`,
      );
      await sleep(Math.random() * 300); // not always at the same point of a group commit
      const killedAt = Date.now();
      await plan.kill();
      await plan.restart();
      recoverySeconds.push(seconds(Date.now() - killedAt));
    }
    // Some load on the restarted apps too, so the last restart is shown to take writes.
    const after = load.state.acknowledged.length;
    await until(() => load.state.acknowledged.length >= after + 50, 60_000, 'acknowledgements after the last restart');
  } finally {
    await load.stop();
  }
  return { load: load.state, recoverySeconds, loadSeconds: seconds(Date.now() - started) };
}

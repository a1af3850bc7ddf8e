/** Shutdown work registered by bootstrap code outside Nest's providers. */
export class ShutdownHooks {
  private readonly hooks: (() => Promise<void>)[] = [];
  add(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }
  async onApplicationShutdown(): Promise<void> {
    for (const hook of this.hooks) await hook().catch(() => undefined);
  }
}

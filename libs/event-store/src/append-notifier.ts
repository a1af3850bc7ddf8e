/**
 * Wakes in-process pollers when this process appends, so subscribers need not spin; appends by
 * other processes are found on the next poll after the timeout.
 */
export class AppendNotifier {
  private readonly waiters = new Set<() => void>();

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
    });
  }

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

// The owner every published crate must have (`ownerTeam`, e.g. `github:org:team`):
// checked, and added when missing, once the crate is visible; the run waits for these
// checks before it reports.
import type { CrateEntry, RunContext } from './run-context';

export class OwnerChecks {
  private readonly tasks: Promise<void>[] = [];

  constructor(private readonly ctx: RunContext) {}

  /** Starts the check of `entry`'s owners (nothing without `ownerTeam`). */
  ensure(entry: CrateEntry): void {
    const login = this.ctx.options.ownerTeam;
    if (!login) return;
    this.tasks.push(this.check(entry, login));
  }

  /** Waits for every check started so far. */
  async settled(): Promise<void> {
    await Promise.all(this.tasks);
  }

  private async check(entry: CrateEntry, login: string): Promise<void> {
    const api = this.ctx.options.api!;
    const name = entry.crate.name;
    try {
      const owners = await api.owners(name);
      if (owners.some((x) => x.login === login)) {
        entry.result.owner = { login, result: 'present' };
      } else {
        await api.addOwners(name, [login]);
        entry.result.owner = { login, result: 'added' };
        this.ctx.emit({ type: 'owner', crate: name, login, result: 'added' });
      }
    } catch (err) {
      entry.result.owner = { login, result: 'failed', error: (err as Error).message };
      this.ctx.emit({ type: 'owner-failed', crate: name, login, error: (err as Error).message });
    }
  }
}

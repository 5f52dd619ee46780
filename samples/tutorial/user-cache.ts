// The tutorial's user cache: a periodic job that removes expired users every second.
import { injectable } from 'inversify';
import { Service } from 'mode-di';

/** Users by id, with a job that drops the expired ones every second. */
@injectable()
export class UserCache extends Service {
  readonly users = new Map<string, { name: string; expires: number }>();

  override onStart(): void {
    // Runs while the service runs; the sleep wakes early (and the loop ends) when it stops.
    this.addFuture(async () => {
      while (!this.shouldStop) {
        await this.sleep('1s');
        if (!this.shouldStop) this.removeExpiredUsers();
      }
    }, 'removeExpiredUsers');
  }

  removeExpiredUsers(): void {
    console.log('REMOVING EXPIRED USERS');
    const now = Date.now();
    for (const [id, user] of this.users) if (user.expires <= now) this.users.delete(id);
  }
}

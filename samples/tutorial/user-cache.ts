// The tutorial's user cache: a timer removes expired users every second.
import { injectable } from 'inversify';
import { Service, timer } from 'mode-di';

/** Users by id, with a timer that drops the expired ones every second. */
@injectable()
export class UserCache extends Service {
  readonly users = new Map<string, { name: string; expires: number }>();

  @timer('1s')
  removeExpiredUsers(): void {
    console.log('REMOVING EXPIRED USERS');
    const now = Date.now();
    for (const [id, user] of this.users) if (user.expires <= now) this.users.delete(id);
  }
}

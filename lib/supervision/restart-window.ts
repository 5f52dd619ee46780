// Restart intensity, as OTP counts it: restarts within a sliding window of time.

/** The restarts of one supervisor within the last `overMs`, against a limit of `maxRestarts`. */
export class RestartWindow {
  readonly #times: number[] = [];

  constructor(
    private readonly maxRestarts: number,
    private readonly overMs: number,
  ) {}

  /** How many restarts happened within the window ending at `now`. */
  count(now: number): number {
    while (this.#times.length > 0 && this.#times[0]! <= now - this.overMs) this.#times.shift();
    return this.#times.length;
  }

  /** Records a restart at `now` if the limit allows one more; returns whether it did. */
  admit(now: number): boolean {
    if (this.count(now) >= this.maxRestarts) return false;
    this.#times.push(now);
    return true;
  }
}

// The core of every supervisor: on a crash, restart (or give up on) a set of services within a restart budget, with backoff.
import { type HookError, StartError } from '../errors/lifecycle.js';
import { MaxRestartsExceededError, StopTimeoutError } from '../errors/supervision.js';
import type { CrashSupervisor } from '../lifecycle/host.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { startServices } from '../lifecycle/node-operations.js';
import type { ServiceRuntime } from '../lifecycle/runtime.js';
import { sleepOn } from '../utils/clock.js';
import { backoffDelay, type RestartPolicy, type RestartType, type SupervisionStrategy } from './policy.js';
import { RestartWindow } from './restart-window.js';

/** What a supervisor is told by whoever made it (a Mode-style supervisor service, or an app's declarations). */
export interface SupervisorSetup {
  readonly name: string;
  readonly strategy: SupervisionStrategy;
  readonly policy: RestartPolicy;
  /** The services a crash of `node` affects under `strategy` (the crashed one first). */
  affected(node: ServiceRuntime, strategy: SupervisionStrategy): ServiceRuntime[];
  /** A service's restart type (default `'permanent'`). */
  restartType?(node: ServiceRuntime): RestartType;
  /** Where a spent budget (or the `'crashing'` strategy) sends the crash: `true` when taken care of. */
  escalate(node: ServiceRuntime, error: Error): boolean;
  /** Mode's `replacement`: puts a new service in the crashed one's place (then started) instead of restarting it. */
  replace?(node: ServiceRuntime): Promise<ServiceRuntime>;
  /** Random numbers in [0, 1) for the backoff's jitter (default `Math.random`). */
  random?(): number;
}

/**
 * Handles the crashes of the services given to it, one at a time: gives up on them or
 * restarts them (stop along the graph, backoff on the engine's clock, onRestart, start along
 * the graph), counting restarts in a sliding window; past the limit it escalates. Restarted
 * services keep their identity. Nothing restarts once the application stops.
 */
export class Supervisor implements CrashSupervisor {
  readonly #window: RestartWindow;
  /** Per crashed service: how many restarts in a row (reset once it ran `resetAfter`), and when it last started again. */
  readonly #streaks = new Map<ServiceRuntime, { count: number; since: number }>();
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: Lifecycle,
    readonly setup: SupervisorSetup,
  ) {
    this.#window = new RestartWindow(setup.policy.maxRestarts, setup.policy.overMs);
  }

  /** Takes `node`'s crash while the application runs; the work happens in turn, after earlier crashes. */
  handle(node: ServiceRuntime, error: Error): boolean {
    if (this.engine.state !== 'running') return false;
    if (this.setup.strategy === 'crashing') return this.setup.escalate(node, error);
    this.#queue = this.#queue.then(() => this.#react(node, error));
    return true;
  }

  async #react(node: ServiceRuntime, error: Error): Promise<void> {
    const { engine, setup } = this;
    // A restart of a whole group may already have brought this one back.
    if (engine.state !== 'running' || node.state === 'running') return;
    const forfeit = setup.strategy.startsWith('forfeit-') || setup.restartType?.(node) === 'temporary';
    if (forfeit) {
      const services = setup.affected(node, setup.strategy === 'forfeit-one-for-all' ? 'forfeit-one-for-all' : 'forfeit-one-for-one');
      engine.events.emit({ type: 'supervisor.gaveUp', supervisor: setup.name, service: node, services, error });
      await this.#stop(services);
      return;
    }
    const now = engine.clock.now();
    if (!this.#window.admit(now)) {
      const spent = new MaxRestartsExceededError(setup.name, node.label, setup.policy.maxRestarts, setup.policy.overMs, error);
      engine.events.emit({ type: 'supervisor.escalating', supervisor: setup.name, service: node, error: spent });
      if (!setup.escalate(node, spent)) engine.crashApp(node, spent);
      return;
    }
    const services = setup.affected(node, setup.strategy);
    const delayMs = backoffDelay(setup.policy, this.#streak(node, now), setup.random ?? Math.random);
    engine.events.emit({ type: 'supervisor.restarting', supervisor: setup.name, service: node, services, attempt: this.#window.count(now), maxRestarts: setup.policy.maxRestarts, delayMs, error });
    await this.#stop(services);
    if (delayMs > 0 && !(await this.#backoff(node, delayMs))) return;
    await this.#restart(node, services);
  }

  /** The crash count in a row of `node` (1 for a first crash, or one after `resetAfter` running), counted. */
  #streak(node: ServiceRuntime, now: number): number {
    const streak = this.#streaks.get(node);
    const count = streak && now - streak.since < this.setup.policy.resetAfterMs ? streak.count + 1 : 1;
    this.#streaks.set(node, { count, since: now });
    return count;
  }

  /** Waits out the backoff with `node` shown as restarting; `false` when the application stopped meanwhile. */
  async #backoff(node: ServiceRuntime, delayMs: number): Promise<boolean> {
    const { engine } = this;
    const stopping = new AbortController();
    const off = engine.events.on('app.stopping', () => stopping.abort());
    node.state = 'restarting';
    try {
      return (await sleepOn(engine.clock, delayMs, stopping.signal)) && engine.state === 'running';
    } finally {
      off();
      if (node.state === 'restarting') node.state = 'shutdown';
    }
  }

  /** onRestart, then a start along the graph; a failure stops what started again and counts as a new crash. */
  async #restart(node: ServiceRuntime, services: ServiceRuntime[]): Promise<void> {
    const { engine, setup } = this;
    let failures: HookError[] = [];
    try {
      if (setup.replace) {
        const replacement = await setup.replace(node);
        services = services.map((s) => (s === node ? replacement : s));
      } else {
        for (const service of [...services].sort((a, b) => a.index - b.index)) await service.restarting();
      }
      if (engine.state !== 'running') return;
      failures = await startServices(engine, services, () => engine.state !== 'running');
    } catch (error) {
      failures = error instanceof StartError ? [...error.errors] : [error as HookError];
    }
    // The crashed service's streak of restarts resets once it has run `resetAfter` from now.
    const streak = this.#streaks.get(node);
    if (streak && node.state === 'running') streak.since = engine.clock.now();
    if (failures.length === 0) return;
    await engine.stopServices(services.filter((s) => engine.startedOrder.has(s)));
    const failed = services.find((s) => s.label === failures[0]!.service) ?? node;
    // The restart itself failed: another crash, under the same budget.
    if (!this.handle(failed, failures[0]!)) engine.crashApp(failed, failures[0]!);
  }

  /** Stops `services` along the graph; a stop that hangs past the policy's stop timeout is abandoned. */
  async #stop(services: ServiceRuntime[]): Promise<void> {
    const { engine } = this;
    const timeoutMs = this.setup.policy.stopTimeoutMs;
    let timer = engine.clock.setTimeout(function abandonHung() {
      for (const service of services) {
        if (service.state !== 'stopping') continue;
        service.abandonStop(new StopTimeoutError(service.label, timeoutMs));
        engine.events.emit({ type: 'service.stopAbandoned', service, timeoutMs });
      }
      timer = engine.clock.setTimeout(abandonHung, timeoutMs);
    }, timeoutMs);
    try {
      await engine.stopServices(services.filter((s) => s.state !== 'init' && s.state !== 'shutdown'));
    } finally {
      engine.clock.clearTimeout(timer);
    }
  }
}

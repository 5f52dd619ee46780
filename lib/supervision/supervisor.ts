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

/** Each app's supervision turn: supervisors stop and start services one reaction at a time. */
const turns = new WeakMap<Lifecycle, Promise<unknown>>();

/** Runs `work` after every supervision step of `engine` queued before it; never rejects. */
function inTurn<T>(engine: Lifecycle, work: () => Promise<T>): Promise<T | undefined> {
  const next = (turns.get(engine) ?? Promise.resolve()).then(work).catch((error: unknown) => {
    // A supervisor's own mistake must not stall the others: it becomes the app's crash.
    engine.crashApp(engine.graph.nodes[0]!, error instanceof Error ? error : new Error(String(error)));
    return undefined;
  });
  turns.set(engine, next);
  return next;
}

/** The services of both lists, once each, in order. */
function union(first: readonly ServiceRuntime[], second: readonly ServiceRuntime[]): ServiceRuntime[] {
  return [...new Set([...first, ...second])];
}

/** `services` and whatever they need, transitively, that is not running. */
function withDependencies(engine: Lifecycle, services: readonly ServiceRuntime[]): ServiceRuntime[] {
  const all = new Set(services);
  for (const service of services) for (const i of engine.graph.closureOf(engine.adopt(service))) if (engine.graph.nodes[i]!.state !== 'running') all.add(engine.graph.nodes[i]!);
  return [...all];
}

/** What a supervisor is told by whoever made it (a Mode-style supervisor service, or an app's declarations). */
export interface SupervisorSetup {
  readonly name: string;
  readonly strategy: SupervisionStrategy;
  readonly policy: RestartPolicy;
  /** The services a crash of `node` affects under `strategy` (the crashed one first). */
  affected(node: ServiceRuntime, strategy: SupervisionStrategy): ServiceRuntime[];
  /** A service's restart type (default `'permanent'`). */
  restartType?(node: ServiceRuntime): RestartType;
  /**
   * Where a spent budget (or the `'crashing'` strategy) sends the crash, with the services
   * this supervisor had stopped for it (the parent restarts those too): `true` when taken care of.
   */
  escalate(node: ServiceRuntime, error: Error, stopped: readonly ServiceRuntime[]): boolean;
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

  constructor(
    private readonly engine: Lifecycle,
    readonly setup: SupervisorSetup,
  ) {
    this.#window = new RestartWindow(setup.policy.maxRestarts, setup.policy.overMs);
  }

  /**
   * Takes `node`'s crash while the application runs; `also` are services already stopped for
   * it that its restart must bring back too. The work happens in turn with every supervisor's
   * of the app.
   */
  handle(node: ServiceRuntime, error: Error, also: readonly ServiceRuntime[] = []): boolean {
    if (this.engine.state !== 'running') return false;
    if (this.setup.strategy === 'crashing') return this.setup.escalate(node, error, also);
    void this.#react(node, error, also);
    return true;
  }

  /** Decide and stop, back off, restart: the stop and the restart in the app's supervision turn, the backoff outside it. */
  async #react(node: ServiceRuntime, error: Error, also: readonly ServiceRuntime[]): Promise<void> {
    const plan = await inTurn(this.engine, () => this.#decide(node, error, also));
    if (!plan) return;
    if (plan.delayMs > 0 && !(await this.#backoff(node, plan.delayMs))) return;
    await inTurn(this.engine, () => this.#restart(node, plan.services));
  }

  /** Gives up, escalates, or stops what will be restarted: resolves with the restart to make, if any. */
  async #decide(node: ServiceRuntime, error: Error, also: readonly ServiceRuntime[]): Promise<{ services: ServiceRuntime[]; delayMs: number } | undefined> {
    const { engine, setup } = this;
    // A restart of a whole group (or a dependent's start) may already have brought them back.
    if (engine.state !== 'running' || [node, ...also].every((s) => s.state === 'running')) return undefined;
    const forfeit = setup.strategy.startsWith('forfeit-') || setup.restartType?.(node) === 'temporary';
    if (forfeit) {
      const services = union(setup.affected(node, setup.strategy === 'forfeit-one-for-all' ? 'forfeit-one-for-all' : 'forfeit-one-for-one'), also);
      engine.events.emit({ type: 'supervisor.gaveUp', supervisor: setup.name, service: node, services, error });
      await this.#stop(services);
      return undefined;
    }
    const services = union(setup.affected(node, setup.strategy), also);
    const now = engine.clock.now();
    if (!this.#window.admit(now)) {
      const spent = new MaxRestartsExceededError(setup.name, node.label, setup.policy.maxRestarts, setup.policy.overMs, error);
      engine.events.emit({ type: 'supervisor.escalating', supervisor: setup.name, service: node, error: spent });
      if (!setup.escalate(node, spent, also)) engine.crashApp(node, spent);
      return undefined;
    }
    const delayMs = backoffDelay(setup.policy, this.#streak(node, now), setup.random ?? Math.random);
    engine.events.emit({ type: 'supervisor.restarting', supervisor: setup.name, strategy: setup.strategy, service: node, services, attempt: this.#window.count(now), maxRestarts: setup.policy.maxRestarts, delayMs, error });
    await this.#stop(services);
    return { services, delayMs };
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

  /**
   * onRestart, then a start along the graph of the services and whatever they need that is
   * not running (another supervisor may be backing it off: a dependent's start brings it back
   * early). Members already running again are left alone. A failure stops what started again
   * and counts as a new crash.
   */
  async #restart(node: ServiceRuntime, services: ServiceRuntime[]): Promise<void> {
    const { engine, setup } = this;
    if (engine.state !== 'running') return;
    let failures: HookError[] = [];
    let starting = services;
    try {
      if (setup.replace) {
        const replacement = await setup.replace(node);
        starting = services.map((s) => (s === node ? replacement : s));
      }
      starting = withDependencies(engine, starting);
      // One that crashed again meanwhile: the restart of all of them starts over, as a new one (counted, backed off).
      const crashedAgain = starting.find((s) => s.state === 'crashed');
      if (crashedAgain) {
        if (!this.handle(crashedAgain, crashedAgain.crashReason ?? new Error(`${crashedAgain.label} crashed`), starting)) engine.crashApp(crashedAgain, crashedAgain.crashReason!);
        return;
      }
      for (const service of [...services].sort((a, b) => a.index - b.index)) if (service.state !== 'running' && !setup.replace) await service.restarting();
      if (engine.state !== 'running') return;
      failures = await startServices(engine, starting, () => engine.state !== 'running');
    } catch (error) {
      failures = error instanceof StartError ? [...error.errors] : [error as HookError];
    }
    // The crashed service's streak of restarts resets once it has run `resetAfter` from now.
    const streak = this.#streaks.get(node);
    if (streak && node.state === 'running') streak.since = engine.clock.now();
    if (failures.length === 0) return;
    await engine.stopServices(starting.filter((s) => engine.startedOrder.has(s)));
    const failed = starting.find((s) => s.label === failures[0]!.service) ?? node;
    // The restart itself failed: another crash, under the same budget, restarting all of them again.
    if (!this.handle(failed, failures[0]!, starting)) engine.crashApp(failed, failures[0]!);
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

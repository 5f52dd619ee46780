// Mode's supervisors: services that start the services given to them and restart them (or give up) when they crash.
import { ServiceStateError } from '../errors/usage.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { runtimeOf, type ServiceRuntime } from '../lifecycle/runtime.js';
import { forgetDependency, Service } from '../service/service.js';
import { affectedInList } from './affected.js';
import { type RestartPolicy, type RestartPolicyOptions, restartPolicy, type SupervisionStrategy } from './policy.js';
import { Supervisor } from './supervisor.js';

/**
 * Options of a Mode-style supervisor: the restart policy (Mode's names), and Mode's
 * `replacement`.
 * @example
 * ```ts
 * new OneForOneSupervisor({ maxRestarts: 3, over: '1m', replacement: (old, index) => new Worker(index) });
 * ```
 * @category Supervision
 */
export interface SupervisorOptions extends RestartPolicyOptions {
  /** Makes a new service to take a crashed one's place (at its index in the list) instead of restarting it. */
  replacement?: (service: Service, index: number) => Service | Promise<Service>;
  /** Random numbers in [0, 1) for the backoff's jitter (default `Math.random`). */
  random?: () => number;
}

/**
 * The base of Mode's supervisors: a `Service` that starts the services `add`ed to it (they
 * start before it and stop after it, like dependencies it owns) and handles their crashes
 * with its strategy, at most `maxRestarts` within `over`. Past that it crashes itself with a
 * `MaxRestartsExceededError`, for its own supervisor (or the application) to handle.
 * Defaults never allow a restart storm: 5 restarts within 60 s, the first at once, then a
 * backoff from 1 s doubling to 30 s (Mode's default of 100 a second is one).
 *
 * @example
 * ```ts
 * const supervisor = new OneForOneSupervisor({ maxRestarts: 5, over: '1m' });
 * supervisor.add(new Consumer(), new Producer());
 * await supervisor.start();
 * ```
 * @category Supervision
 */
export class SupervisorStrategy extends Service {
  /** The strategy applied to a crash (each subclass names its own). */
  readonly strategy: SupervisionStrategy = 'one-for-one';
  /** How the beacon draws it. */
  readonly beaconKind = 'supervisor' as const;
  /** The checked restart policy. */
  readonly policy: RestartPolicy;
  readonly #services: Service[] = [];
  readonly #options: SupervisorOptions;
  #core: Supervisor | undefined;

  /** @throws {@link SupervisionPolicyError} for a policy that cannot work. */
  constructor(options: SupervisorOptions = {}) {
    super();
    this.#options = options;
    this.policy = restartPolicy(options, new.target.name);
  }

  /** The services it supervises, in the order they were added. */
  get services(): readonly Service[] {
    return this.#services;
  }

  /**
   * Supervises `services`: each becomes a dependency this supervisor owns (it starts before
   * the supervisor, or at once if the supervisor already runs) and its `supervisor`.
   * @throws {@link ServiceStateError} for a service that already has a supervisor.
   */
  add(...services: Service[]): this {
    for (const service of services) {
      if (service.supervisor) throw new ServiceStateError(service.label, `${service.label} is already supervised by ${service.supervisor.label}; discard() it there first.`);
      this.#services.push(service);
      this.#attach(service);
      if (this.started) void this.addRuntimeDependency(service).catch((error: unknown) => service.crash(error));
      else this.addDependency(service);
    }
    return this;
  }

  /** Stops supervising `services` (they keep running; they are no longer its dependencies). */
  discard(...services: Service[]): void {
    for (const service of services) {
      const at = this.#services.indexOf(service);
      if (at < 0) continue;
      this.#services.splice(at, 1);
      service.supervisor = undefined;
      service.runtime.supervisor = undefined;
      forgetDependency(this.runtime, service.runtime);
    }
  }

  #attach(service: Service): void {
    service.supervisor = this;
    service.runtime.supervisor = { handle: (node, error) => this.#supervisor().handle(node, error) };
  }

  /** The core supervisor, made once this service belongs to an engine. */
  #supervisor(): Supervisor {
    const engine = this.runtime.host as Lifecycle;
    this.#core ??= new Supervisor(engine, {
      name: this.label,
      strategy: this.strategy,
      policy: this.policy,
      affected: (node, strategy) => affectedInList(engine, node, strategy, this.#services.map((s) => s.runtime)),
      escalate: (_node, error) => {
        this.crash(error);
        return true;
      },
      ...(this.#options.random ? { random: this.#options.random } : {}),
      ...(this.#options.replacement ? { replace: (node: ServiceRuntime) => this.#replace(node) } : {}),
    });
    return this.#core;
  }

  /** Mode's replacement: a new service takes the crashed one's place in the list and in the graph. */
  async #replace(node: ServiceRuntime): Promise<ServiceRuntime> {
    const old = this.#services.find((s) => s.runtime === node);
    if (!old) return node;
    const index = this.#services.indexOf(old);
    const fresh = await this.#options.replacement!(old, index);
    this.discard(old);
    this.#services.splice(index, 0, fresh);
    this.#attach(fresh);
    const engine = this.runtime.host as Lifecycle;
    this.runtime.addChild(runtimeOf(fresh));
    engine.link(this.runtime, runtimeOf(fresh), 'owned');
    return runtimeOf(fresh);
  }
}

/**
 * Restarts a crashed service (and the children it owns); the others are untouched.
 * @example
 * ```ts
 * new OneForOneSupervisor().add(new Consumer());
 * ```
 * @category Supervision
 */
export class OneForOneSupervisor extends SupervisorStrategy {
  override readonly strategy: SupervisionStrategy = 'one-for-one';
}

/**
 * When one service crashes, stops every service it supervises, then starts them all again.
 * @example
 * ```ts
 * new OneForAllSupervisor().add(new Reader(), new Writer());
 * ```
 * @category Supervision
 */
export class OneForAllSupervisor extends SupervisorStrategy {
  override readonly strategy: SupervisionStrategy = 'one-for-all';
}

/**
 * OTP's rest_for_one: restarts the crashed service and every service added after it.
 * @example
 * ```ts
 * new RestForOneSupervisor().add(new Connection(), new Session());
 * ```
 * @category Supervision
 */
export class RestForOneSupervisor extends SupervisorStrategy {
  override readonly strategy: SupervisionStrategy = 'rest-for-one';
}

/**
 * Gives up on a crashed service: stops it, no restart; the others keep running.
 * @example
 * ```ts
 * new ForfeitOneForOneSupervisor().add(new BestEffortCache());
 * ```
 * @category Supervision
 */
export class ForfeitOneForOneSupervisor extends SupervisorStrategy {
  override readonly strategy: SupervisionStrategy = 'forfeit-one-for-one';
}

/**
 * Gives up on every service it supervises when one crashes: stops them all, no restart.
 * @example
 * ```ts
 * new ForfeitOneForAllSupervisor().add(new Reader(), new Writer());
 * ```
 * @category Supervision
 */
export class ForfeitOneForAllSupervisor extends SupervisorStrategy {
  override readonly strategy: SupervisionStrategy = 'forfeit-one-for-all';
}

/**
 * Restarts nothing: a crash goes through to this supervisor's own supervisor, or stops the
 * application (Mode's "poison pill").
 * @example
 * ```ts
 * new CrashingSupervisor().add(new MustNeverFail());
 * ```
 * @category Supervision
 */
export class CrashingSupervisor extends SupervisorStrategy {
  override readonly strategy: SupervisionStrategy = 'crashing';
}

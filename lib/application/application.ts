// The lifecycle manager: a container (or a Mode-style service tree) planned, started and stopped along its graph.
import { AppBeacon } from '../beacon/app-beacon.js';
import { Container, ContainerModule, type ContainerOptions, type ServiceIdentifier } from 'inversify';
import { StopError } from '../errors/lifecycle.js';
import { UsageError } from '../errors/usage.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import { type AppState, Lifecycle, type LifecycleOptions } from '../lifecycle/lifecycle.js';
import { runtimeOf } from '../lifecycle/runtime.js';
import { Shutdowner } from '../lifecycle/shutdowner.js';
import { superviseDeclared, type SupervisionOptions } from '../supervision/declared.js';
import type { Readiness, ServiceNode } from '../lifecycle/state.js';
import type { Unsubscribe } from '../utils/event-bus.js';
import { nameOf } from './bindings.js';
import { planContainer, planEntries } from './container-plan.js';
import { adoptContainer } from './adopt.js';
import { explainLoadError, getBound } from './resolution.js';
import { chosenServices, declaredDependencies } from './selection.js';
import { computePlan, type Plan } from './plan.js';
import { AppReadiness } from './readiness.js';
import { serviceByLabel } from './service-lookup.js';
import { isModuleList, targetError } from './target.js';
import { planTree } from './tree-plan.js';

/**
 * What an {@link Application} runs: container module(s), a container, or a Mode-style service.
 * @example
 * ```ts
 * const target: ApplicationTarget = [storageModule, webModule];
 * ```
 * @category Lifecycle
 */
export type ApplicationTarget = ContainerModule | readonly ContainerModule[] | Container | object;

/**
 * Options of an {@link Application}.
 * @example
 * ```ts
 * new Application(appModule, { concurrency: 4, hookTimeout: '30s', supervisor: { strategy: 'one-for-one' } });
 * ```
 * @category Lifecycle
 */
export interface ApplicationOptions extends LifecycleOptions {
  /**
   * Dependencies the container cannot see, by service identifier: e.g. what a
   * `toDynamicValue` factory pulls in with `ctx.get`. Each listed service starts first.
   * @example
   * ```ts
   * new Application(appModule, { dependencies: [['report', [Database, Cache]]] });
   * ```
   */
  dependencies?: Iterable<readonly [ServiceIdentifier, readonly ServiceIdentifier[]]>;
  /** Start only these services and what they need (the CLI's `--services`). */
  services?: readonly ServiceIdentifier[];
  /** Options of the container built from container modules (e.g. `{ defaultScope: 'Singleton' }`). */
  container?: ContainerOptions;
  /**
   * App-wide supervision: crashed services are restarted by `strategy` instead of stopping the
   * app (the default, `'crashing'`). Classes may declare their own with `@supervised()`.
   * @example
   * ```ts
   * new Application(appModule, { supervisor: { strategy: 'rest-for-one', maxRestarts: 5, over: '1m' } });
   * ```
   */
  supervisor?: SupervisionOptions;
}

/**
 * Runs an application: plans the dependency graph from the container's bindings (without
 * creating anything), then starts each service as soon as everything it depends on is
 * running, and stops in reverse. A failed start stops whatever had started.
 *
 * @example
 * ```ts
 * const app = new Application(appModule);          // a ContainerModule, an array, or a Container
 * await app.start();
 * app.get(PageViewCache);                           // the running instance
 * await app.stop();
 * ```
 * @example Mode style, no container
 * ```ts
 * const app = new Application(new AppService());
 * ```
 * @category Lifecycle
 */
export class Application implements AsyncDisposable {
  /** The container (`undefined` for a Mode-style service tree). */
  readonly container: Container | undefined;
  readonly #root: object | undefined;
  readonly #modules: readonly ContainerModule[];
  readonly #options: ApplicationOptions;
  readonly #engine: Lifecycle;
  #loaded: Promise<void> | undefined;
  #built = false;
  #shutdowner: Shutdowner | undefined;
  readonly #beacon: AppBeacon;
  readonly #readiness: AppReadiness;

  constructor(target: ApplicationTarget, options: ApplicationOptions = {}) {
    this.#options = options;
    this.#engine = new Lifecycle(options);
    this.#readiness = new AppReadiness(this.#engine);
    if (target instanceof Container) {
      this.container = target;
      this.#modules = [];
    } else if (target instanceof ContainerModule || isModuleList(target)) {
      this.container = new Container(options.container);
      this.#modules = target instanceof ContainerModule ? [target] : target;
    } else if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      this.container = undefined;
      this.#modules = [];
      this.#root = target;
    } else {
      throw targetError(target);
    }
    this.#beacon = new AppBeacon(this);
  }

  /** The application's state: `init`, `starting`, `running`, `stopping`, `shutdown` or `crashed`. */
  get state(): AppState {
    return this.#engine.state;
  }

  /** Why the application crashed (a service crashed with no supervisor to restart it). */
  get crashReason(): Error | undefined {
    return this.#engine.crashReason;
  }

  /**
   * Whether the app can take traffic: `not ready` until the first start finishes and from the
   * moment a stop begins; `ready` while every service runs; `degraded` while some service does
   * not (crashed, restarting or backing off under a supervisor, given up on, or stopped on its
   * own). Each change is also an `app.readiness` event.
   * @example
   * ```ts
   * app.on('app.readiness', ({ readiness, previous }) => console.log(`${previous} -> ${readiness}`));
   * ```
   */
  get readiness(): Readiness {
    return this.#readiness.current;
  }

  /** The services of the running graph, in binding order (empty before `start()`). */
  get services(): readonly ServiceNode[] {
    return this.#engine.graph.nodes;
  }

  /**
   * Asks the application to stop from inside, with an exit code for the Worker. The same
   * object is bound in the container: inject `Shutdowner` by type.
   */
  get shutdowner(): Shutdowner {
    return (this.#shutdowner ??= new Shutdowner((request) => this.#engine.requestShutdown(request)));
  }

  /**
   * The beacon: the app's resolution graph, live (states, depths, restarts, start durations,
   * how each dependency arose), and the root of the service tree. Draw it with
   * `renderGraph(app.beacon, 'graph.svg')`; before `start()`, `await app.beacon.planned()`
   * gives the graph `start()` would build.
   * @example
   * ```ts
   * app.on('app.started', () => renderGraph(app.beacon, 'image.png').catch(console.error));
   * ```
   */
  get beacon(): AppBeacon {
    return this.#beacon;
  }

  /** @internal The engine, for the Worker and supervision. */
  get engine(): Lifecycle {
    return this.#engine;
  }

  /**
   * Subscribes to the engine's lifecycle events; returns a function that unsubscribes.
   * @example
   * ```ts
   * app.on('service.started', (e) => metrics.observe(e.service.label, e.durationMs));
   * ```
   */
  on(listener: (event: LifecycleEvent) => void): Unsubscribe;
  on<K extends LifecycleEvent['type']>(type: K, listener: (event: Extract<LifecycleEvent, { type: K }>) => void): Unsubscribe;
  on(a: unknown, b?: unknown): Unsubscribe {
    const bus = this.#engine.events;
    return typeof a === 'function' ? bus.on(a as (event: LifecycleEvent) => void) : bus.on(a as LifecycleEvent['type'], b as never);
  }

  /**
   * The instance bound to `id` (for lifecycle services: the running singleton).
   * @throws {@link UnboundServiceError} when nothing is bound to `id`.
   */
  get<T>(id: ServiceIdentifier<T>): T {
    if (!this.container) throw new UsageError('This application runs a service tree, not a container: it has nothing to get().');
    if (this.#modules.length && !this.#built) {
      throw new UsageError(`get(${nameOf(id)}) called before start(): the container modules are loaded, and the services created, by start(). Await app.start() first.`);
    }
    return getBound(this.container, id);
  }

  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      const container = this.container;
      if (!container) return;
      // Bound first: a binding added after the modules would clear the container's caches.
      if (!container.isBound(Shutdowner)) container.bind(Shutdowner).toConstantValue(this.shutdowner);
      if (this.#modules.length) await container.loadAsync(...this.#modules).catch(explainLoadError);
    })();
    return this.#loaded;
  }

  /**
   * What `start()` would do, without creating or starting anything: the services, the waves
   * that can start together, the sequential order, and the critical path.
   * @throws {@link PlanError} (a cycle, a missing binding, a lifecycle class not bound as a singleton).
   */
  async plan(): Promise<Plan> {
    if (this.#root) return planTree(runtimeOf(this.#root));
    await this.#load();
    const declared = declaredDependencies(this.#options.dependencies);
    const plan = planContainer(this.container!, declared);
    const members = chosenServices(plan, this.#options.services);
    const position = new Map(members.map((m, i) => [m, i]));
    return computePlan(
      planEntries(plan, members, declared),
      members.map((m) => plan.depsOf(m).map((d) => position.get(d)!)),
    );
  }

  /** Creates the instances and builds the engine's graph (once). */
  async #build(): Promise<void> {
    if (this.#built) return;
    const engine = this.#engine;
    if (this.#root) {
      engine.root = runtimeOf(this.#root);
      engine.adopt(engine.root);
    } else {
      await this.#load();
      await adoptContainer(engine, this.container!, declaredDependencies(this.#options.dependencies), this.#options.services);
    }
    superviseDeclared(engine, this.#options.supervisor);
    this.#built = true;
  }

  /**
   * Plans, creates the singletons, and starts every service along the graph. A `stop()`
   * meanwhile (even before the services are created) halts it and stops what started.
   * @throws {@link PlanError} before anything is created, for graph mistakes.
   * @throws {@link ResolutionError} when the container cannot create a service (nothing started).
   * @throws {@link StartError} when a hook fails or times out; whatever had started was stopped.
   * @throws {@link StartInterruptedError} when `stop()` was called before the start finished.
   */
  start(): Promise<void> {
    return this.#engine.startAll(() => this.#build());
  }

  /**
   * Stops every service, each only after everything that depends on it has stopped.
   * Every service is stopped even when some fail. During a start, halts it instead.
   * @throws {@link StopError} listing the failures, after everything stopped.
   */
  async stop(): Promise<void> {
    const errors = await this.#engine.stopAll();
    if (errors.length) throw new StopError(errors);
  }

  /**
   * Stop → `onRestart` → start for every service, transactional like `start()`.
   * @throws {@link StartError} when the new start fails (everything is stopped again).
   */
  restart(): Promise<void> {
    return this.#engine.restartAll();
  }

  /**
   * Stop → `onRestart` → start for the one service labelled `label` (and the dependencies it
   * owns), plain injectables included; what depends on it keeps running. A failed restart
   * stops what it started again and crashes the app (as a supervisor's would).
   * @example
   * ```ts
   * await app.restartService('PageViewCache');
   * ```
   * @throws {@link UnknownServiceError} / {@link AmbiguousServiceError} when the label names no single service.
   * @throws {@link StartError} when the new start fails; {@link StopError} when its stop failed.
   */
  async restartService(label: string): Promise<void> {
    const errors = await this.#engine.restartNode(serviceByLabel(this.#engine, label));
    if (errors.length) throw new StopError(errors);
  }

  /**
   * Stops the one service labelled `label` (and the dependencies it owns that nothing else
   * running needs); what depends on it keeps running, and the app is `degraded` until it runs
   * again (`restartService`).
   * @example
   * ```ts
   * await app.stopService('Feed');
   * app.readiness; // 'degraded'
   * ```
   * @throws {@link UnknownServiceError} / {@link AmbiguousServiceError} when the label names no single service.
   * @throws {@link StopError} listing the failures, after it stopped.
   */
  async stopService(label: string): Promise<void> {
    const errors = await this.#engine.stopNode(serviceByLabel(this.#engine, label));
    if (errors.length) throw new StopError(errors);
  }

  /** Resolves when the application has stopped, whether by `stop()`, a crash or a failed start. */
  waitUntilStopped(): Promise<void> {
    return this.#engine.waitUntilStopped();
  }

  /** `await using app = new Application(…)` stops it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

// The lifecycle manager: a container (or a Mode-style service tree) planned, started and stopped along its graph.
import type { Binding } from '@inversifyjs/core';
import { AppBeacon } from '../beacon/app-beacon.js';
import { Container, ContainerModule, type ContainerOptions, type ServiceIdentifier } from 'inversify';
import { ResolutionError, StopError } from '../errors/lifecycle.js';
import { CycleError, MissingMetadataError, ModuleLoadError } from '../errors/plan.js';
import { UsageError } from '../errors/usage.js';
import { findCycle } from '../lifecycle/graph.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import { type AppState, Lifecycle, type LifecycleOptions } from '../lifecycle/lifecycle.js';
import { runtimeOf, ServiceRuntime } from '../lifecycle/runtime.js';
import { Shutdowner } from '../lifecycle/shutdowner.js';
import { superviseDeclared, type SupervisionOptions } from '../supervision/declared.js';
import type { ServiceNode } from '../lifecycle/state.js';
import type { Unsubscribe } from '../utils/event-bus.js';
import { nameOf, unwrapId } from './bindings.js';
import { type ContainerPlan, planContainer, planEntries } from './container-plan.js';
import { computePlan, type Plan, type PlanEntry } from './plan.js';

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
  /** Start only these services and what they need (the CLI's `--service`). */
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

function isModuleList(target: unknown): target is readonly ContainerModule[] {
  return Array.isArray(target) && target.every((m) => m instanceof ContainerModule);
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

  constructor(target: ApplicationTarget, options: ApplicationOptions = {}) {
    this.#options = options;
    this.#engine = new Lifecycle(options);
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
      throw new UsageError(
        `An Application runs a ContainerModule, an array of them, a Container, or a service object; got ${Array.isArray(target) ? 'an array that is not all ContainerModules' : String(target)}.`,
      );
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

  /** The instance bound to `id` (for lifecycle services: the running singleton). */
  get<T>(id: ServiceIdentifier<T>): T {
    if (!this.container) throw new UsageError('This application runs a service tree, not a container: it has nothing to get().');
    if (this.#modules.length && !this.#built) {
      throw new UsageError(`get(${nameOf(id)}) called before start(): the container modules are loaded, and the services created, by start(). Await app.start() first.`);
    }
    return this.container.get(id);
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

  #declared(): Map<ServiceIdentifier, ServiceIdentifier[]> {
    const declared = new Map<ServiceIdentifier, ServiceIdentifier[]>();
    for (const [id, deps] of this.#options.dependencies ?? []) {
      const key = unwrapId(id);
      declared.set(key, [...(declared.get(key) ?? []), ...deps]);
    }
    return declared;
  }

  /** The planned nodes to run (in binding order): all, or the `services` option's roots and what they need. */
  #members(plan: ContainerPlan): number[] {
    const roots = this.#options.services;
    if (!roots?.length) return [...Array(plan.size).keys()];
    const chosen = new Uint8Array(plan.size);
    const queue: number[] = [];
    const choose = (index: number) => {
      if (chosen[index]) return;
      chosen[index] = 1;
      queue.push(index);
    };
    for (const id of roots) {
      let found = false;
      for (let i = 0; i < plan.size; i++) {
        if (plan.serviceIdentifier(i) === id || plan.label(i) === id) {
          found = true;
          choose(i);
        }
      }
      if (!found) {
        const known = Array.from({ length: plan.size }, (_, i) => plan.label(i)).join(', ');
        throw new UsageError(`No service ${nameOf(id)} to start: it is not bound. Bound services: ${known || 'none'}.`);
      }
    }
    for (let head = 0; head < queue.length; head++) plan.depsOf(queue[head]!).forEach(choose);
    return queue.sort((a, b) => a - b);
  }

  /**
   * What `start()` would do, without creating or starting anything: the services, the waves
   * that can start together, the sequential order, and the critical path.
   * @throws {@link PlanError} (a cycle, a missing binding, a lifecycle class not bound as a singleton).
   */
  async plan(): Promise<Plan> {
    if (this.#root) return planTree(runtimeOf(this.#root));
    await this.#load();
    const declared = this.#declared();
    const plan = planContainer(this.container!, declared);
    const members = this.#members(plan);
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
      const container = this.container!;
      const plan = planContainer(container, this.#declared());
      const members = this.#members(plan);
      await resolveSingletons(container, plan, members);
      const position = new Int32Array(plan.size);
      for (const i of members) {
        const instance = instanceOf(plan.bindings[i]!);
        position[i] = engine.adopt(instance !== null && typeof instance === 'object' ? runtimeOf(instance) : new ServiceRuntime(undefined, plan.label(i)));
      }
      const { edgeStart, edgeTo } = plan;
      for (const i of members) for (let e = edgeStart[i]!; e < edgeStart[i + 1]!; e++) engine.graph.link(position[i]!, position[edgeTo[e]!]!, plan.kindOf(e));
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

  /** Resolves when the application has stopped, whether by `stop()`, a crash or a failed start. */
  waitUntilStopped(): Promise<void> {
    return this.#engine.waitUntilStopped();
  }

  /** `await using app = new Application(…)` stops it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** Turns inversify's errors while loading modules into typed errors that say what to do. */
function explainLoadError(error: unknown): never {
  const message = error instanceof Error ? error.message : '';
  const missing = /missing metadata on type "([^"]+)"/.exec(message);
  if (missing) throw new MissingMetadataError(missing[1]!);
  throw new ModuleLoadError(error);
}

function instanceOf(binding: Binding): unknown {
  if (binding.type === 'ConstantValue') return binding.value;
  if ('cache' in binding && binding.cache.isRight) return binding.cache.value;
  return undefined;
}

const NO_TAGS = new Map<never, never>();
const NO_ANCESTOR = () => undefined;

/** Whether a plain `get` of the binding's identifier (no name, no tags, no parent) would pick it. */
function resolvableAlone(binding: Binding): boolean {
  try {
    return binding.isSatisfiedBy({ name: undefined, tags: NO_TAGS, serviceIdentifier: binding.serviceIdentifier, getAncestor: NO_ANCESTOR });
  } catch {
    return false;
  }
}

/** Creates every singleton to run, in binding order, so each node has its instance. */
async function resolveSingletons(container: Container, plan: ContainerPlan, members: readonly number[]): Promise<void> {
  const done = new Set<unknown>();
  for (let k = 0; k < members.length; k++) {
    const i = members[k]!;
    const binding = plan.bindings[i]!;
    // Most are created by now, with the first service that needed them.
    if (instanceOf(binding) !== undefined) continue;
    const singleton = binding.type === 'ConstantValue' || ('scope' in binding && binding.scope === 'Singleton');
    if (!singleton) continue;
    const id = binding.serviceIdentifier;
    const shared = plan.shared(i);
    // An identifier bound once is met once; a shared one is resolved whole (getAllAsync), once.
    if (shared) {
      if (done.has(id)) continue;
      done.add(id);
    }
    try {
      // Plain getAsync is about twice as fast as with { optional: true }; use it when it cannot miss.
      if (!shared && resolvableAlone(binding)) await container.getAsync(id);
      else await container.getAllAsync(id, { optional: true });
    } catch (error) {
      throw new ResolutionError(plan.label(i), error);
    }
  }
}

/** The plan of a Mode-style tree (a service and the children it owns), without adopting it. */
function planTree(root: ServiceRuntime): Plan {
  const nodes: ServiceRuntime[] = [];
  const index = new Map<ServiceRuntime, number>();
  const visit = (n: ServiceRuntime) => {
    if (index.has(n)) return;
    index.set(n, nodes.length);
    nodes.push(n);
    n.children.forEach(visit);
  };
  visit(root);
  const deps = nodes.map((n) => n.children.map((c) => index.get(c)!));
  const cycle = findCycle(deps);
  if (cycle) throw new CycleError(cycle.map((i) => nodes[i]!.label));
  const entries: PlanEntry[] = nodes.map((n) => ({
    label: n.label,
    dependencies: n.children.map((c) => ({ label: c.label, via: 'addDependency', kind: 'owned' as const, index: index.get(c)! })),
    hooks: n.lifecycle.hookNames,
    kind: 'Service',
    hasLifecycle: n.hasLifecycle,
  }));
  return computePlan(entries, deps);
}

// What a class declares about its lifecycle (hooks, background work, ordering), merged over inheritance.
import type { ServiceIdentifier } from 'inversify';
import type { Clock } from '../utils/clock.js';

/** The lifecycle hooks, in the order a first start runs them (stop hooks after). */
export const HOOK_NAMES = ['onFirstStart', 'onStart', 'onStarted', 'onStop', 'onShutdown', 'onRestart'] as const;

/**
 * One of Mode's lifecycle callbacks.
 * @example
 * ```ts
 * const phase: HookName = 'onStart';
 * ```
 * @useDeclaredType
 * @category Services
 */
export type HookName = (typeof HOOK_NAMES)[number];

/** A method that runs in one lifecycle phase, as a class declares it. */
export interface HookSpec {
  readonly phase: HookName;
  readonly method: string | symbol;
  /** Overrides the application's default hook timeout (milliseconds). */
  readonly timeoutMs?: number | undefined;
}

/** A hook of one concrete class: the function to call on its instances. */
export interface BoundHook extends HookSpec {
  readonly fn: Function;
  /** Whether the function declares a parameter: then it is given an AbortSignal. */
  readonly takesSignal: boolean;
}

/**
 * What background work gets from the engine while its service runs.
 * @example
 * ```ts
 * const run = (target: object, context: BackgroundContext) => runTimer(tick, '1s', { signal: context.signal, clock: context.clock });
 * ```
 */
export interface BackgroundContext {
  /** Aborts when the service begins to stop (or crashes). */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** The service's label, for messages. */
  readonly service: string;
  /** Reports something worth a log line (e.g. an overlapping timer) as a lifecycle event. */
  warn(message: string): void;
  /** Reports a debug-level note. */
  debug(message: string): void;
}

/**
 * Long-running work bound to a running service (a task, a timer, a cron job). `run` starts
 * after `onStart`, must settle soon after `signal` aborts, and crashes the service if it
 * rejects for any other reason.
 * @example
 * ```ts
 * declareBackground(Poller, { kind: 'task', name: 'poll', method: 'poll', run: (target, ctx) => (target as Poller).poll(ctx.signal) });
 * ```
 */
export interface BackgroundSpec {
  readonly kind: string;
  readonly name: string;
  readonly method: string | symbol;
  run(target: object, context: BackgroundContext): Promise<void>;
}

/** The resolved lifecycle of one class, inherited declarations included. */
export interface ClassLifecycle {
  readonly hooks: Readonly<Record<HookName, readonly BoundHook[]>>;
  readonly background: readonly BackgroundSpec[];
  readonly dependsOn: readonly ServiceIdentifier[];
  /** Whether the class takes part in the lifecycle (a hook, background work, or a `Service`): it must be a singleton. */
  readonly hasLifecycle: boolean;
  /** Whether the class extends a base with overridable hooks (`Service`): its `label` names it. */
  readonly isService: boolean;
  /** Names of the hooks and background work the class has, for messages and plans. */
  readonly hookNames: readonly string[];
}

/** What one class declares itself. Lists are replaced on each declaration, never changed in place. */
interface OwnDeclarations {
  hooks: Record<HookName, readonly BoundHook[]>;
  background: readonly BackgroundSpec[];
  dependsOn: readonly ServiceIdentifier[];
}

const own = new WeakMap<Function, OwnDeclarations>();
const resolved = new WeakMap<Function, { readonly version: number; readonly lifecycle: ClassLifecycle }>();
/** Base classes whose same-named methods are hooks when a subclass overrides them (`Service`). */
const overridableBases = new Set<Function>();
/** Bumped by every declaration: a resolved lifecycle of an older version is merged again. */
let version = 0;
/** Every empty list (most phases of most classes) is this one. */
const NONE: readonly never[] = Object.freeze([]);

/** One empty list per phase (a literal: an object built key by key would be a slow dictionary). */
function phaseLists<T>(): Record<HookName, readonly T[]> {
  return { onFirstStart: NONE, onStart: NONE, onStarted: NONE, onStop: NONE, onShutdown: NONE, onRestart: NONE };
}

function declarationsOf(ctor: Function): OwnDeclarations {
  let decl = own.get(ctor);
  if (!decl) {
    decl = { hooks: phaseLists(), background: NONE, dependsOn: NONE };
    own.set(ctor, decl);
  }
  version++;
  return decl;
}

/** `list` with `item` added, or in place of an entry for the same method (a re-declaration): a new list. */
function putByMethod<T extends { readonly method: string | symbol }>(list: readonly T[], item: T): T[] {
  const at = list.findIndex((entry) => entry.method === item.method);
  return at < 0 ? [...list, item] : list.map((entry, i) => (i === at ? item : entry));
}

/** Records a hook method (the decorated function) on a class. Used by the `@onStart`-style decorators. */
export function declareHook(ctor: Function, spec: HookSpec & { readonly fn: Function }): void {
  const decl = declarationsOf(ctor);
  decl.hooks[spec.phase] = putByMethod(decl.hooks[spec.phase], bound(spec, spec.fn));
}

/** Records background work on a class. Used by `@task`, `@timer` and `@crontab`. */
export function declareBackground(ctor: Function, spec: BackgroundSpec): void {
  const decl = declarationsOf(ctor);
  decl.background = putByMethod(decl.background, spec);
}

/** Records ordering dependencies the container cannot see. Used by `@dependsOn`. */
export function declareDependsOn(ctor: Function, ids: readonly ServiceIdentifier[]): void {
  const decl = declarationsOf(ctor);
  decl.dependsOn = [...decl.dependsOn, ...ids];
}

/**
 * Marks a base class whose hook-named methods (`onStart`, …) count as hooks in subclasses
 * that override them. `Service` registers itself.
 */
export function declareOverridableHooks(base: Function): void {
  overridableBases.add(base);
  version++;
}

/** The name a hook is reported under: the phase for `Service` overrides, else the method name. */
export function hookName(hook: HookSpec): string {
  return hook.method === hook.phase ? hook.phase : String(hook.method);
}

/** The lifecycle of `ctor`, merged from its base classes (base first). Cached until the next declaration. */
export function lifecycleOf(ctor: Function): ClassLifecycle {
  const cached = resolved.get(ctor);
  if (cached?.version === version) return cached.lifecycle;
  const lifecycle = merge(ctor);
  resolved.set(ctor, { version, lifecycle });
  return lifecycle;
}

function bound(spec: HookSpec, fn: Function): BoundHook {
  return { phase: spec.phase, method: spec.method, timeoutMs: spec.timeoutMs, fn, takesSignal: fn.length > 0 };
}

/** A resolved lifecycle; its hook names are made when first asked for (plans and messages only). */
class Lifecycle implements ClassLifecycle {
  readonly hasLifecycle: boolean;
  #hookNames: string[] | undefined;

  constructor(
    readonly hooks: Readonly<Record<HookName, readonly BoundHook[]>>,
    readonly background: readonly BackgroundSpec[],
    readonly dependsOn: readonly ServiceIdentifier[],
    readonly isService: boolean,
  ) {
    this.hasLifecycle = isService || background.length > 0 || HOOK_NAMES.some((phase) => hooks[phase].length > 0);
  }

  get hookNames(): readonly string[] {
    if (!this.#hookNames) {
      this.#hookNames = [];
      for (const phase of HOOK_NAMES) for (const h of this.hooks[phase]) this.#hookNames.push(h.method === phase ? phase : `${String(h.method)} (${phase})`);
      for (const b of this.background) this.#hookNames.push(`${b.name} (${b.kind})`);
    }
    return this.#hookNames;
  }
}

/**
 * `lifecycle` with `added` at the end of `phase`: a new lifecycle, for one instance (its
 * class's is shared). The application adds a singleton's inversify teardown this way.
 */
export function withHooks(lifecycle: ClassLifecycle, phase: HookName, added: readonly BoundHook[]): ClassLifecycle {
  return new Lifecycle({ ...lifecycle.hooks, [phase]: [...lifecycle.hooks[phase], ...added] }, lifecycle.background, lifecycle.dependsOn, lifecycle.isService);
}

function merge(ctor: Function): ClassLifecycle {
  const chain: Function[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.unshift(c);
  const base = chain.find((c) => overridableBases.has(c));
  const declared = chain.filter((c) => own.has(c));
  // A class that inherits nothing (most): its own lists, as they are.
  if (!base && declared.length <= 1 && (declared.length === 0 || declared[0] === ctor)) {
    const decl = own.get(ctor);
    return new Lifecycle({ ...(decl?.hooks ?? phaseLists()) }, decl?.background ?? NONE, decl?.dependsOn ?? NONE, false);
  }
  const proto = ctor.prototype as Record<string | symbol, unknown>;
  const hooks = phaseLists<BoundHook>();
  let background: readonly BackgroundSpec[] = NONE;
  const dependsOn: ServiceIdentifier[] = [];
  if (base) {
    // A subclass of Service overriding a phase method: that method is the phase's first hook.
    const baseProto = base.prototype as Record<string, unknown>;
    for (const phase of HOOK_NAMES) {
      if (typeof proto[phase] === 'function' && proto[phase] !== baseProto[phase]) hooks[phase] = [bound({ phase, method: phase }, proto[phase] as Function)];
    }
  }
  for (const c of declared) {
    const decl = own.get(c)!;
    for (const phase of HOOK_NAMES) {
      for (const spec of decl.hooks[phase]) {
        // The class's own declaration calls the decorated function; an inherited one may be overridden.
        const fn = c === ctor ? spec.fn : proto[spec.method];
        if (typeof fn === 'function') hooks[phase] = putByMethod(hooks[phase], fn === spec.fn ? spec : bound(spec, fn));
      }
    }
    for (const spec of decl.background) background = putByMethod(background, spec);
    dependsOn.push(...decl.dependsOn);
  }
  return new Lifecycle(hooks, background, dependsOn, base !== undefined);
}

// What a class declares about its lifecycle (hooks, background work, ordering), merged over inheritance.
import type { ServiceIdentifier } from 'inversify';
import type { Clock } from '../utils/clock.js';

/** The lifecycle hooks, in the order a first start runs them (stop hooks after). */
export const HOOK_NAMES = ['onFirstStart', 'onStart', 'onStarted', 'onStop', 'onShutdown', 'onRestart'] as const;

/** One of Mode's lifecycle callbacks. */
export type HookName = (typeof HOOK_NAMES)[number];

/** A method that runs in one lifecycle phase. */
export interface HookSpec {
  readonly phase: HookName;
  readonly method: string | symbol;
  /** Overrides the application's default hook timeout (milliseconds). */
  readonly timeoutMs?: number;
  /** The decorated function, as the declaring class defines it (subclasses may override it). */
  readonly fn?: Function;
}

/** What background work gets from the engine while its service runs. */
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
 */
export interface BackgroundSpec {
  readonly kind: string;
  readonly name: string;
  readonly method: string | symbol;
  run(target: object, context: BackgroundContext): Promise<void>;
}

/**
 * A hook resolved for one concrete class: its function looked up once. (A keyed lookup on
 * the instance at every call is megamorphic across many classes: ~1 µs each at 100,000.)
 */
export interface BoundHook extends HookSpec {
  readonly fn: Function;
  /** Whether the function declares a parameter (and so is given an AbortSignal). */
  readonly takesSignal: boolean;
}

/** The resolved lifecycle of one class, inherited declarations included. */
export interface ClassLifecycle {
  readonly hooks: Readonly<Record<HookName, readonly BoundHook[]>>;
  readonly background: readonly BackgroundSpec[];
  readonly dependsOn: readonly ServiceIdentifier[];
  /** Whether the class takes part in the lifecycle (a hook, background work, or a `Service`): it must be a singleton. */
  readonly hasLifecycle: boolean;
  /** Whether there is anything to run (a hook or background work). */
  readonly hasWork: boolean;
  /** Whether the class extends a base with overridable hooks (`Service`): its `label` names it. */
  readonly isService: boolean;
  /** Names of the hooks the class has, for messages. */
  readonly hookNames: readonly string[];
  /**
   * The class's only start work when that is one `onStart` hook with no timeout of its own (no
   * `onFirstStart`, `onStarted` or background work): the engine's short path. Else `undefined`.
   */
  readonly soleStart: BoundHook | undefined;
  /** Likewise the class's only stop work: one `onStop` hook, no `onShutdown`, no background work, no timeout. */
  readonly soleStop: BoundHook | undefined;
}

const EMPTY: readonly never[] = Object.freeze([]);
const HAS_WORK = 1;
const HAS_LIFECYCLE = 2;
const IS_SERVICE = 4;
const NO_HOOKS: readonly BoundHook[] = EMPTY;
const NO_BACKGROUND: readonly BackgroundSpec[] = EMPTY;
const NO_IDS: readonly ServiceIdentifier[] = EMPTY;

/**
 * `list` without the entries `drop` matches, then `item`, as a new array of exactly that
 * length. A spread or push would leave 16 spare slots (~130 bytes) in each class's lists.
 */
function replaced<T>(list: readonly T[], drop: (entry: T) => boolean, item: T): T[] {
  const kept = list.length === 0 ? list : list.filter((entry) => !drop(entry));
  return kept.length === 0 ? [item] : kept.concat([item]);
}

/** `hook` unless it sets its own timeout. */
function untimed(hook: BoundHook): BoundHook | undefined {
  return hook.timeoutMs === undefined ? hook : undefined;
}

/**
 * A lifecycle record: hook lists by phase (fields of the record itself, one object less per
 * class), background work, ordering, and what they add up to. Lists are replaced, never pushed
 * to (a pushed-to array keeps 17 slots). Empty parts share one frozen array.
 */
class LifecycleRecord implements ClassLifecycle, Record<HookName, readonly BoundHook[]> {
  onFirstStart: readonly BoundHook[] = NO_HOOKS;
  onStart: readonly BoundHook[] = NO_HOOKS;
  onStarted: readonly BoundHook[] = NO_HOOKS;
  onStop: readonly BoundHook[] = NO_HOOKS;
  onShutdown: readonly BoundHook[] = NO_HOOKS;
  onRestart: readonly BoundHook[] = NO_HOOKS;
  background: readonly BackgroundSpec[] = NO_BACKGROUND;
  dependsOn: readonly ServiceIdentifier[] = NO_IDS;
  soleStart: BoundHook | undefined = undefined;
  soleStop: BoundHook | undefined = undefined;
  /** {@link HAS_WORK}, {@link HAS_LIFECYCLE}, {@link IS_SERVICE}: one field, not three (per class). */
  #bits = 0;

  get hasLifecycle(): boolean {
    return (this.#bits & HAS_LIFECYCLE) !== 0;
  }

  get hasWork(): boolean {
    return (this.#bits & HAS_WORK) !== 0;
  }

  get isService(): boolean {
    return (this.#bits & IS_SERVICE) !== 0;
  }

  set isService(value: boolean) {
    this.#bits = value ? this.#bits | IS_SERVICE : this.#bits & ~IS_SERVICE;
  }
  #names: string[] | undefined = undefined;

  get hooks(): Record<HookName, readonly BoundHook[]> {
    return this;
  }

  get hookNames(): readonly string[] {
    if (!this.#names) {
      const names: string[] = [];
      for (const phase of HOOK_NAMES) for (const h of this[phase]) names.push(h.method === phase ? phase : `${String(h.method)} (${phase})`);
      for (const b of this.background) names.push(`${b.name} (${b.kind})`);
      this.#names = names;
    }
    return this.#names;
  }

  /** Sets `hasWork`, `hasLifecycle`, `soleStart` and `soleStop` from the lists. */
  summarize(): this {
    // Field by field: a keyed loop over the phase names is a megamorphic load each until optimized.
    const hookCount = this.onFirstStart.length + this.onStart.length + this.onStarted.length + this.onStop.length + this.onShutdown.length + this.onRestart.length;
    const hasWork = hookCount > 0 || this.background.length > 0;
    const quiet = this.background.length === 0;
    this.soleStart = quiet && this.onStart.length === 1 && this.onFirstStart.length + this.onStarted.length === 0 ? untimed(this.onStart[0]!) : undefined;
    this.soleStop = quiet && this.onStop.length === 1 && this.onShutdown.length === 0 ? untimed(this.onStop[0]!) : undefined;
    this.#bits = (this.#bits & ~(HAS_WORK | HAS_LIFECYCLE)) | (hasWork ? HAS_WORK : 0) | (hasWork || this.isService ? HAS_LIFECYCLE : 0);
    return this;
  }
}

/**
 * What one class declares itself (its own hooks, each already bound to the decorated function).
 * A class that inherits nothing (most) uses this record as its resolved lifecycle: no second
 * record and no copied lists per class.
 */
class OwnDeclarations extends LifecycleRecord {
  /** The class's resolved lifecycle (possibly this record), until a declaration changes. */
  resolved: ClassLifecycle | undefined = undefined;
  /** Whether `lifecycleOf` has handed this record out as the class's lifecycle (then it never changes). */
  given = false;
}

const own = new WeakMap<Function, OwnDeclarations>();
const resolved = new WeakMap<Function, ClassLifecycle>();
/** Base classes whose same-named methods are hooks when a subclass overrides them (Service). */
const overridableBases = new Set<Function>();

/**
 * The declarations of `ctor`, ready to change. A record already handed out as the class's
 * lifecycle may be held by services: it is left as it is and a copy takes its place.
 */
function declarations(ctor: Function): OwnDeclarations {
  let decl = own.get(ctor);
  if (decl !== undefined && decl.given) {
    // The lists (never changed in place) are shared; the flags are summarized again below.
    decl = Object.assign(new OwnDeclarations(), decl);
    decl.given = false;
    own.set(ctor, decl);
  } else if (!decl) {
    decl = new OwnDeclarations();
    own.set(ctor, decl);
  }
  return decl;
}

/** Whether `ctor` has no base class to inherit a lifecycle from (and is not an overridable base). */
function standalone(ctor: Function): boolean {
  return Object.getPrototypeOf(ctor) === Function.prototype && !overridableBases.has(ctor);
}

/**
 * After a declaration: the record's summary, and for a class with no base, the record as its
 * resolved lifecycle, are brought up to date now, while the record is fresh in the CPU's
 * caches. Done later, at the first start, it was a cache miss per list and hook of every
 * class: planning 10,000 classes took ~12 ms longer (about 1 µs a class).
 */
function settle(ctor: Function, decl: OwnDeclarations): void {
  decl.summarize();
  decl.resolved = standalone(ctor) ? decl : undefined;
}

/** Records a hook method (the decorated function) on a class. Used by the `@onStart`-style decorators. */
export function declareHook(ctor: Function, spec: HookSpec & { readonly fn: Function }): void {
  const decl = declarations(ctor);
  // Stored already bound to its function: the class's own lifecycle then uses it as is.
  const stored: BoundHook = { phase: spec.phase, method: spec.method, timeoutMs: spec.timeoutMs, fn: spec.fn, takesSignal: spec.fn.length > 0 };
  decl[spec.phase] = replaced(decl[spec.phase], (h) => h.method === spec.method, stored);
  settle(ctor, decl);
}

/** Records background work on a class. Used by `@task`, `@timer` and `@crontab`. */
export function declareBackground(ctor: Function, spec: BackgroundSpec): void {
  const decl = declarations(ctor);
  decl.background = replaced(decl.background, (b) => b.method === spec.method, spec);
  settle(ctor, decl);
}

/** Records ordering dependencies the container cannot see. Used by `@dependsOn`. */
export function declareDependsOn(ctor: Function, ids: readonly ServiceIdentifier[]): void {
  const decl = declarations(ctor);
  decl.dependsOn = decl.dependsOn.concat(ids);
  settle(ctor, decl);
}

/**
 * Marks a base class whose hook-named methods (`onStart`, …) count as hooks in subclasses
 * that override them. `Service` registers itself.
 */
export function declareOverridableHooks(base: Function): void {
  overridableBases.add(base);
  const decl = own.get(base);
  if (decl && !decl.given) decl.resolved = undefined;
}

/** The hook of a `Service` subclass overriding a phase method: one shared spec per phase. */
const OVERRIDES = Object.fromEntries(HOOK_NAMES.map((phase) => [phase, Object.freeze({ phase, method: phase })])) as Record<HookName, HookSpec>;

/** A lifecycle merged from a class and its bases. */
class MergedLifecycle extends LifecycleRecord {
  readonly #proto: Record<string | symbol, unknown>;

  constructor(ctor: Function) {
    super();
    this.#proto = ctor.prototype as Record<string | symbol, unknown>;
  }

  /**
   * Adds a hook or, for a method already hooked in this phase, replaces it (a subclass
   * re-declaring it). `own` says the class itself declared it: then the decorated function is
   * the one to call, with no lookup; an inherited hook is looked up, as a subclass may override it.
   */
  addHook(spec: HookSpec, own: boolean): void {
    const fn = own && spec.fn ? spec.fn : this.#proto[spec.method];
    if (typeof fn !== 'function') return;
    // declareHook stores every spec with a function already bound: reuse it when that is the function.
    const bound: BoundHook = fn === spec.fn ? (spec as BoundHook) : { phase: spec.phase, method: spec.method, timeoutMs: spec.timeoutMs, fn, takesSignal: fn.length > 0 };
    const list = this[spec.phase];
    // No closures or spreads: this runs for every hook of every class (100,000 classes in the benchmark).
    let same = -1;
    for (let i = 0; i < list.length; i++) if (list[i]!.method === spec.method) same = i;
    if (list.length === 0) {
      this[spec.phase] = [bound];
    } else {
      const next = list.slice();
      if (same >= 0) next[same] = bound;
      else next.push(bound);
      this[spec.phase] = next;
    }
  }
}

/** The lifecycle of `ctor`, merged from its base classes (base first). Cached per class. */
export function lifecycleOf(ctor: Function): ClassLifecycle {
  const ownDecl = own.get(ctor);
  if (ownDecl) {
    // A class with no base has it already (settled as declared).
    const known = ownDecl.resolved;
    if (known) {
      if (known === ownDecl) ownDecl.given = true;
      return known;
    }
  } else {
    const result = resolved.get(ctor);
    if (result) return result;
  }
  let base: Function | undefined;
  // The chain, derived class first; most classes have no base, so no array unless needed.
  let chain: Function[] | undefined;
  let inherited = false;
  let depth = 0;
  for (let c: unknown = ctor; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (depth === 1) chain = [ctor, c];
    else if (depth > 1) chain!.push(c);
    if (depth > 0 && own.has(c)) inherited = true;
    depth++;
    if (!base && overridableBases.has(c)) base = c;
  }
  if (ownDecl && !inherited && !base) {
    // Nothing inherited: the class's own declarations are its lifecycle.
    ownDecl.resolved = ownDecl.summarize();
    ownDecl.given = true;
    return ownDecl;
  }
  const record = new MergedLifecycle(ctor);
  if (base) {
    record.isService = true;
    const proto = ctor.prototype as Record<string, unknown>;
    const baseProto = base.prototype as Record<string, unknown>;
    for (const phase of HOOK_NAMES) if (proto[phase] !== baseProto[phase]) record.addHook(OVERRIDES[phase], false);
  }
  for (let i = depth - 1; i >= 0; i--) {
    const decl = i === 0 ? ownDecl : own.get(chain![i]!);
    if (!decl) continue;
    for (let p = 0; p < HOOK_NAMES.length; p++) {
      const hooks = decl[HOOK_NAMES[p]!];
      for (let k = 0; k < hooks.length; k++) record.addHook(hooks[k]!, i === 0);
    }
    for (let k = 0; k < decl.background.length; k++) {
      const spec = decl.background[k]!;
      record.background = replaced(record.background, (b) => b.method === spec.method, spec);
    }
    if (decl.dependsOn.length) record.dependsOn = record.dependsOn.concat(decl.dependsOn);
  }
  record.summarize();
  if (ownDecl) ownDecl.resolved = record;
  else resolved.set(ctor, record);
  return record;
}

// Supervision declared for a DI app: per class (@supervised) and app-wide (Application's `supervisor` option).
import { DecoratorError } from '../errors/usage.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { ServiceRuntime } from '../lifecycle/runtime.js';
import { affectedOnGraph } from './affected.js';
import { type RestartPolicyOptions, type RestartType, restartPolicy, STRATEGIES, type SupervisionStrategy } from './policy.js';
import { Supervisor } from './supervisor.js';

/**
 * App-wide supervision (`new Application(m, { supervisor: … })`): the strategy for every
 * service, and the restart policy.
 * @example
 * ```ts
 * new Application(appModule, { supervisor: { strategy: 'rest-for-one', maxRestarts: 5, over: '1m' } });
 * ```
 * @category Supervision
 */
export interface SupervisionOptions extends RestartPolicyOptions {
  /** What to do when a service crashes. */
  strategy: SupervisionStrategy;
  /** Random numbers in [0, 1) for the backoff's jitter (default `Math.random`). */
  random?: () => number;
}

/**
 * Options of {@link supervised}: a strategy, a restart policy, OTP's restart type, and a
 * `group` (the services a `'one-for-all'` restarts together; the whole app when none).
 * @example
 * ```ts
 * @supervised({ strategy: 'one-for-all', group: 'storage' })
 * ```
 * @category Supervision
 */
export interface SupervisedOptions extends RestartPolicyOptions {
  /** What to do when the service crashes. Default `'one-for-one'`. */
  strategy?: SupervisionStrategy;
  /** OTP's restart type: whether a crash (or a stop by itself) restarts it. Default `'permanent'`. */
  restart?: RestartType;
  /** The services a `'one-for-all'` restarts together: those declaring the same group (the whole app when none). */
  group?: string;
}

const declarations = new WeakMap<Function, SupervisedOptions>();
/** Whether any class declared @supervised (with none, and no app-wide option, there is nothing to set up). */
let anyDeclared = false;

function checkStrategy(strategy: unknown, where: string): void {
  if (!STRATEGIES.includes(strategy as SupervisionStrategy)) throw new DecoratorError(`${where} got strategy ${JSON.stringify(strategy)}; use one of ${STRATEGIES.map((s) => `'${s}'`).join(', ')}.`);
}

/**
 * Declares how crashes of this class's service are handled: restarted by `strategy` under a
 * restart policy (no restart unless declared; when declared, at most 5 within 60 s with
 * backoff). Past its budget the crash escalates to the app-wide supervisor, if one is
 * declared, and otherwise stops the app.
 * @throws {@link SupervisionPolicyError} at declaration for a policy that cannot work.
 * @example
 * ```ts
 * @supervised({ strategy: 'rest-for-one', maxRestarts: 3, over: '1m' })
 * @injectable() class Db { @onStart() connect() { … } }
 * ```
 * @category Supervision
 */
export function supervised(options: SupervisedOptions = {}): ClassDecorator {
  if (typeof options !== 'object' || options === null) throw new DecoratorError(`@supervised() takes an options object such as { strategy: 'one-for-one' }, got ${String(options)}.`);
  const where = '@supervised()';
  checkStrategy(options.strategy ?? 'one-for-one', where);
  if (options.restart !== undefined && !['permanent', 'transient', 'temporary'].includes(options.restart)) {
    throw new DecoratorError(`${where} got restart ${JSON.stringify(options.restart)}; use 'permanent', 'transient' or 'temporary'.`);
  }
  return (target) => {
    restartPolicy(options, `@supervised() on ${target.name}`);
    declarations.set(target, options);
    anyDeclared = true;
  };
}

/** The `@supervised` declaration of `ctor` or its nearest base. */
function declarationOf(ctor: Function | undefined): SupervisedOptions | undefined {
  for (let c: unknown = ctor; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    const found = declarations.get(c);
    if (found) return found;
  }
  return undefined;
}

/**
 * Gives the services of `engine` their supervisors: a class's `@supervised` declaration
 * (one supervisor per group, or per class), escalating to the app-wide one; else the app-wide
 * one; else none (a crash stops the app). Services that already have one (Mode-style
 * supervisors) keep it.
 */
export function superviseDeclared(engine: Lifecycle, appWide: SupervisionOptions | undefined): void {
  if (!appWide && !anyDeclared) return;
  const nodes = engine.graph.nodes;
  const random = appWide?.random;
  if (appWide) checkStrategy(appWide.strategy, 'The supervisor option of Application');
  const app = appWide && new Supervisor(engine, {
    name: "the application's supervisor",
    strategy: appWide.strategy,
    policy: restartPolicy(appWide, 'the supervisor option of Application'),
    affected: (node, strategy) => affectedOnGraph(engine, node, strategy, nodes),
    restartType: (node) => declarationOf(node.instance?.constructor)?.restart ?? 'permanent',
    escalate: () => false,
    ...(random ? { random } : {}),
  });
  const groups = new Map<string, Supervisor>();
  for (const node of nodes) {
    if (node.supervisor) continue;
    const declared = declarationOf(node.instance?.constructor);
    if (!declared) {
      node.supervisor = app;
      continue;
    }
    const key = declared.group ?? `class ${node.label}`;
    let group = groups.get(key);
    if (!group) {
      const members = (): ServiceRuntime[] => (declared.group ? nodes.filter((n) => declarationOf(n.instance?.constructor)?.group === declared.group) : [...nodes]);
      group = new Supervisor(engine, {
        name: declared.group ? `the supervisor of group ${declared.group}` : `the supervisor of ${node.label}`,
        strategy: declared.strategy ?? 'one-for-one',
        policy: restartPolicy(declared, `@supervised() on ${node.label}`),
        affected: (crashed, strategy) => affectedOnGraph(engine, crashed, strategy, members()),
        restartType: (n) => declarationOf(n.instance?.constructor)?.restart ?? 'permanent',
        escalate: (crashed, error, stopped) => app?.handle(crashed, error, stopped) ?? false,
        ...(random ? { random } : {}),
      });
      groups.set(key, group);
    }
    node.supervisor = group;
  }
}

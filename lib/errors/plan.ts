// Errors found while planning the dependency graph, before anything starts.
import { UsageError } from './usage.js';

/**
 * A problem with the dependency graph itself, found before any service starts.
 * @example
 * ```ts
 * try { await app.plan(); } catch (e) { if (e instanceof PlanError) console.error(e.message); }
 * ```
 * @category Errors
 */
export class PlanError extends UsageError {}

/**
 * The dependency graph has a cycle. `cycle` lists the labels, first repeated last; `links`,
 * when the cycle runs through a container's bindings, says how each one needs the next
 * (`constructor parameter #0`, `@dependsOn`, …). The advice offers only fixes that work: a
 * `LazyServiceIdentifier` or property injection does not break a cycle (inversify refuses to
 * create one either), a factory does.
 * @example
 * ```ts
 * new CycleError(['Reports', 'Ledger', 'Reports'], ['constructor parameter #0', '@dependsOn']);
 * ```
 * @category Errors
 */
export class CycleError extends PlanError {
  constructor(
    /** The labels around the cycle, the first repeated last: `['A', 'B', 'A']`. */
    readonly cycle: readonly string[],
    /** How each label needs the next (`constructor parameter #0`, `@dependsOn`, …), when known. */
    readonly links?: readonly string[],
  ) {
    const [first, second] = cycle;
    const how = links?.length ? ` ${links.map((via, i) => `${cycle[i]} needs ${cycle[i + 1]} through ${via}`).join('; ')}.` : '';
    const remove = 'remove one of these dependencies, or move what both sides need into a third service';
    super(
      links
        ? `Dependency cycle: ${cycle.join(' -> ')}.${how} Services must form a DAG, and inversify cannot create a cycle either ` +
            `(a LazyServiceIdentifier or property injection does not break one). Break it: ${remove}; or, if ${first} uses ${second} only ` +
            `once both run, inject a factory instead: bind('${second}Factory').toFactory((ctx) => () => ctx.get(${second})) and ` +
            `@inject('${second}Factory') in ${first} (the graph then does not order them).`
        : `Dependency cycle: ${cycle.join(' -> ')}. Services must form a DAG: ${remove}.`,
    );
  }
}

/**
 * A service injects something that has no binding. `chain` is the path from a root service
 * down to the missing identifier.
 * @example
 * ```ts
 * try { await app.start(); } catch (e) { if (e instanceof MissingBindingError) console.error(`bind ${e.missing}`); }
 * ```
 * @category Errors
 */
export class MissingBindingError extends PlanError {
  constructor(
    /** The identifier nothing is bound to. */
    readonly missing: string,
    /** The labels from a root service down to the one that injects `missing`. */
    readonly chain: readonly string[],
    detail: string,
  ) {
    super(`No binding for ${missing}, needed by ${chain.join(' -> ')}. ${detail}`);
  }
}

/**
 * A class with lifecycle hooks is bound in a scope that would create several instances (found
 * when planning), or a `toDynamicValue` binding in such a scope made a value with hooks (found
 * when it is made). `message` replaces the class's wording for the second case.
 * @example
 * ```ts
 * bind(Webserver).toSelf().inSingletonScope(); // not inTransientScope(): a ScopeError at start
 * ```
 * @category Errors
 */
export class ScopeError extends PlanError {
  constructor(
    /** The label of the service bound in the wrong scope. */
    readonly service: string,
    /** The scope it is bound in (`'Transient'` or `'Request'`). */
    readonly scope: string,
    message?: string,
  ) {
    super(
      message ??
        `${service} has lifecycle hooks but is bound in ${scope} scope, which would create a new, ` +
          `never-started instance at every injection. Lifecycle services are singletons: ` +
          `bind(${service}).toSelf().inSingletonScope().`,
    );
  }
}

/**
 * A class's constructor takes parameters the container cannot resolve by type: it was
 * compiled without `emitDecoratorMetadata` (tsx and esbuild drop it), or a parameter is typed
 * with an interface or primitive (emitted as `Object`), and it carries no `@inject`.
 * @example
 * ```ts
 * constructor(@inject(CONFIG) private readonly config: Config) {} // an interface needs a token
 * ```
 * @category Errors
 */
export class MissingMetadataError extends PlanError {
  constructor(
    /** The label of the class whose parameters cannot be resolved. */
    readonly service: string,
  ) {
    super(
      `${service} has constructor parameters the container cannot resolve by type. Either a parameter is typed with an ` +
        `interface or primitive (TypeScript emits it as Object): inject it by token with @inject(TOKEN); or the class is not ` +
        `marked @injectable() (TypeScript emits parameter types only for a decorated class): add @injectable() above ` +
        `"class ${service}"; or the class was compiled without "experimentalDecorators" and "emitDecoratorMetadata" (tsx and ` +
        `esbuild drop the metadata): run it with \`mode-di run\`, tsc or swc.`,
    );
  }
}

/**
 * A container module threw while loading its bindings.
 * @example
 * ```ts
 * try { await app.start(); } catch (e) { if (e instanceof ModuleLoadError) console.error(e.cause); }
 * ```
 * @category Errors
 */
export class ModuleLoadError extends PlanError {
  constructor(cause: unknown) {
    super(`Loading the container modules failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Services bound with `toDynamicValue` have no declared dependencies: what their factories
 * get from the container is invisible to the graph, so nothing orders them. `chains` holds,
 * for each, the way from a root service down to it. `mode-di plan` reports it.
 * @example
 * ```ts
 * new Application(appModule, { dependencies: [['report', [Database]]] }); // declares what 'report' needs
 * ```
 * @category Errors
 */
export class UnseenDependenciesError extends PlanError {
  constructor(
    /** For each unseen service, the labels from a root service down to it (it comes last). */
    readonly chains: ReadonlyArray<readonly string[]>,
  ) {
    const each = chains.map((chain) => `${chain.at(-1)} (toDynamicValue${chain.length > 1 ? `, needed by ${chain.join(' -> ')}` : ''})`);
    const one = chains.length === 1;
    super(
      `${each.join('; ')} ${one ? 'makes its value' : 'make their values'} in code, so the graph cannot see what ` +
        `${one ? 'it gets' : 'they get'} from the container and cannot start that first. Declare what ${one ? 'it needs' : 'each needs'} in ` +
        `the Application's dependencies option, e.g. new Application(modules, { dependencies: [[${JSON.stringify(chains[0]?.at(-1) ?? 'id')}, [Database]]] }) ` +
        `(an empty list if it needs nothing), and export that Application as the module's default.`,
    );
  }
}

// A stand-in for @inversifyjs/plugin-dispose (not on the registry these specs install from): the same calls through the same public APIs.
import { type Binding, type DeactivationParams, getClassMetadata, resolveBindingsDeactivations } from '@inversifyjs/core';
import { Plugin, type PluginApi } from '@inversifyjs/plugin';
import type { Container } from 'inversify';

/**
 * What `PluginDispose` of `@inversifyjs/plugin-dispose` does when `container[Symbol.asyncDispose]()`
 * is awaited: inversify's own deactivation (`resolveBindingsDeactivations` of `@inversifyjs/core`:
 * `@preDestroy` methods, the binding's `onDeactivation`, the container's handlers) of every
 * singleton binding holding a value, one after another. Bindings stay bound and their values
 * cached, so a second dispose would deactivate them again: that is what mode-di must not
 * repeat after its own stop.
 */
export class DisposePlugin extends Plugin<Container> {
  load(api: PluginApi): void {
    api.define(Symbol.asyncDispose, () => this.#dispose());
  }

  async #dispose(): Promise<void> {
    const { bindingService, deactivationService } = this._context;
    const params: DeactivationParams = {
      getBindings: (id) => bindingService.get(id),
      getBindingsFromModule: (moduleId) => bindingService.getByModuleId(moduleId),
      getClassMetadata,
      getDeactivations: (id) => deactivationService.get(id),
    };
    const singletons: Binding[] = [];
    for (const id of bindingService.getBoundServices()) {
      for (const binding of bindingService.get(id) ?? []) if (binding.type !== 'ServiceRedirection' && binding.scope === 'Singleton') singletons.push(binding);
    }
    for (const binding of singletons) await resolveBindingsDeactivations(params, [binding]);
  }
}

/** `container` with the dispose plugin registered, typed with the method it adds. */
export function withDisposePlugin(container: Container): Container & AsyncDisposable {
  container.register(DisposePlugin);
  return container as Container & AsyncDisposable;
}

// Test helpers: a container module binding classes as singletons, and an event recorder.
import { ContainerModule, type Newable } from 'inversify';
import type { Application, LifecycleEvent } from '../../lib/index.js';

/** A module binding each class to itself as a singleton, in the order given. */
export function singletons(...classes: Newable[]): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const c of classes) bind(c).toSelf().inSingletonScope();
  });
}

/** Records `type:label` for every service event an application emits. */
export function recordEvents(app: Application, types?: readonly string[]): string[] {
  const seen: string[] = [];
  app.on((e: LifecycleEvent) => {
    if (types && !types.includes(e.type)) return;
    seen.push('service' in e ? `${e.type}:${e.service.label}` : e.type);
  });
  return seen;
}

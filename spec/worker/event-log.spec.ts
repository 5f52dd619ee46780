// Which lifecycle events become which log lines: services with a lifecycle at INFO, plain injectables at DEBUG.
import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../lib/lifecycle/events.js';
import { runtimeOf, ServiceRuntime } from '../../lib/lifecycle/runtime.js';
import { onStop, Service, timer } from '../../lib/index.js';
import { logLifecycleEvent } from '../../lib/worker/event-log.js';

class Plain {}
class Hooked {
  @onStop() close() {}
}
class Ticking {
  @timer('1s') tick() {}
}
class Mode extends Service {}

function linesFor(service: ServiceRuntime): string[] {
  const lines: string[] = [];
  const sink = (level: string, label: string, _depth: number, message: string) => lines.push(`${level} ${label} ${message}`);
  for (const event of [
    { type: 'service.stopping', service },
    { type: 'service.stopped', service, durationMs: 1, errors: [] },
  ] as LifecycleEvent[])
    logLifecycleEvent(event, sink);
  return lines;
}

describe('lifecycle event lines', () => {
  it.each([
    ['a plain injectable', new Plain(), false],
    ['a class with hooks', new Hooked(), true],
    ['a class with background work', new Ticking(), true],
    ['a Service', new Mode(), true],
  ])('%s: hasLifecycle is %s, and its stop lines are at that level', (_what, instance, expected) => {
    const runtime = runtimeOf(instance);
    expect(runtime.hasLifecycle).toBe(expected);
    const level = expected ? 'info' : 'debug';
    expect(linesFor(runtime)).toEqual([`${level} ${runtime.label} Stopping...`, `${level} ${runtime.label} -Stopped!`]);
  });

  it('a node with no instance (a binding of many values) has no lifecycle', () => {
    expect(new ServiceRuntime(undefined, 'Values').hasLifecycle).toBe(false);
  });
});

describe("Mode's mundane level (test_mundane_level)", () => {
  it("logs a Service's Starting... at INFO by default, and at DEBUG when it sets mundaneLevel = 'debug'", () => {
    class MundaneLogsDefault extends Service {}
    class MundaneLogsDebug extends Service {
      override mundaneLevel = 'debug' as const;
    }
    const levels = [new MundaneLogsDefault(), new MundaneLogsDebug()].map((service) => {
      const seen: string[] = [];
      logLifecycleEvent({ type: 'service.starting', service: runtimeOf(service) }, (level, _label, _depth, message) => seen.push(`${level} ${message}`));
      return seen;
    });
    expect(levels).toEqual([['info Starting...'], ['debug Starting...']]);
  });
});

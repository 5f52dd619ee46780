// What an Application can run, and a one-line error for anything else.
import { ContainerModule } from 'inversify';
import { ApplicationTargetError } from '../errors/usage.js';

/** Whether `target` is an array of container modules only. */
export function isModuleList(target: unknown): target is readonly ContainerModule[] {
  return Array.isArray(target) && target.every((m) => m instanceof ContainerModule);
}

/** What a target an Application cannot run was, in one line (never a class's source). */
export function targetError(target: unknown): ApplicationTargetError {
  if (typeof target === 'function') {
    const name = target.name || '(anonymous)';
    // A class, or a constructor function named like one.
    if (/^class\b/.test(Function.prototype.toString.call(target)) || /^[A-Z]/.test(name)) {
      return new ApplicationTargetError(`the class ${name}`, `Pass an instance (new Application(new ${name}())) or a ContainerModule that binds it.`);
    }
    return new ApplicationTargetError(`a function (${name})`, 'Call it, or export what it makes.');
  }
  if (Array.isArray(target)) {
    const bad = target.findIndex((m) => !(m instanceof ContainerModule));
    return new ApplicationTargetError(`an array whose item #${bad} is not a ContainerModule (${describeValue(target[bad])})`);
  }
  return new ApplicationTargetError(describeValue(target));
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value !== 'object') return `a ${typeof value} (${String(value)})`;
  return `an instance of ${value.constructor?.name ?? 'Object'}`;
}

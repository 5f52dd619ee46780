export { ModeError } from './mode-error.js';
export * from './usage.js';
export * from './plan.js';
export * from './lifecycle.js';
export * from './beacon.js';
export * from './supervision.js';

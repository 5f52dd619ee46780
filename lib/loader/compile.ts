// Compiles one TypeScript file to ESM with decorator metadata (swc), the way tsc would with experimentalDecorators.
import { createRequire } from 'node:module';

type Swc = typeof import('@swc/core');

let swc: Swc | undefined;
let version: string | undefined;
const require = createRequire(import.meta.url);

/**
 * The identity of the compiler and its settings; part of every cache key, so upgrading swc
 * or changing {@link compileTypeScript}'s options invalidates cached output.
 *
 * @example
 * ```ts
 * compilerId(); // 'swc@1.16.22;esm;es2022;legacy-decorators+metadata;v1'
 * ```
 */
export function compilerId(): string {
  if (version === undefined) {
    try {
      version = (require('@swc/core/package.json') as { version: string }).version;
    } catch {
      version = 'unknown';
    }
  }
  return `swc@${version};esm;es2022;legacy-decorators+metadata;v1`;
}

/**
 * Compiles TypeScript source to an ES2022 ES module with legacy decorators and
 * `design:*` metadata (what `experimentalDecorators` + `emitDecoratorMetadata` give under
 * tsc), class fields assigned in the constructor (`useDefineForClassFields: false`) and an
 * inline source map, so stack traces point at the `.ts` lines. No tsconfig is read.
 *
 * @example
 * ```ts
 * const js = compileTypeScript('export const x: number = 1;', '/app/x.ts');
 * ```
 * @throws the compiler's error (see {@link describeCompileError}) on a syntax error.
 */
export function compileTypeScript(source: string, filename: string): string {
  swc ??= require('@swc/core') as Swc;
  return swc.transformSync(source, {
    filename,
    swcrc: false,
    configFile: false,
    sourceMaps: 'inline',
    isModule: true,
    module: { type: 'es6' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: filename.endsWith('.tsx') },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
  }).code;
}

/**
 * The useful part of a compiler error: swc's diagnostic with its code frame, without the
 * native backtrace that follows it.
 *
 * @example
 * ```ts
 * describeCompileError(error); // "x Expression expected\n ,-[/app/x.ts:1:1] …"
 * ```
 */
export function describeCompileError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const cut = text.search(/\n\s*\n\s*(Caused by:|Stack backtrace:)/);
  return (cut >= 0 ? text.slice(0, cut) : text).replace(/\s+$/, '');
}

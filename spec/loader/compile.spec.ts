// swc compilation of user TypeScript: ESM out, legacy decorators with design:* metadata, inline source maps.
import { describe, expect, it } from 'vitest';
import { compilerId, compileTypeScript, describeCompileError } from '../../lib/loader/compile.js';

const source = `
import { injectable } from 'inversify';
import { Cache } from './cache.js';
import type { Options } from './options.js';

@injectable()
export class App {
  name!: string;
  constructor(readonly cache: Cache, private readonly options: Options) {}
}
export default new App(new Cache(), {});
`;

describe('compileTypeScript', () => {
  const code = compileTypeScript(source, '/app/app.ts');

  it('keeps ES module syntax, and the import a decorator needs at run time', () => {
    expect(code).toMatch(/^import \{ injectable \} from 'inversify';$/m);
    expect(code).toMatch(/^import \{ Cache \} from '\.\/cache\.js';$/m);
    expect(code).not.toContain('./options.js');
    expect(code).toMatch(/^export default new App/m);
  });

  it('emits legacy decorators with design:paramtypes, as tsc with emitDecoratorMetadata does', () => {
    expect(code).toContain('_ts_decorate([');
    expect(code).toMatch(/_ts_metadata\("design:paramtypes", \[\s*typeof Cache === "undefined" \? Object : Cache,\s*typeof Options === "undefined" \? Object : Options\s*\]\)/);
  });

  it('does not define fields that have no initializer (useDefineForClassFields: false)', () => {
    expect(code).not.toMatch(/^\s+name;$/m);
  });

  it('ends with an inline source map naming the .ts file', () => {
    const map = /\/\/# sourceMappingURL=data:application\/json;base64,(.+)$/.exec(code.trimEnd());
    expect(map).not.toBeNull();
    expect(JSON.parse(Buffer.from(map![1]!, 'base64').toString('utf8'))).toMatchObject({ sources: [expect.stringContaining('app.ts')] });
  });

  it("reports syntax errors with swc's code frame, without its native backtrace", () => {
    let error: unknown;
    try {
      compileTypeScript('const x: number = ;\n', '/app/bad.ts');
    } catch (e) {
      error = e;
    }
    const text = describeCompileError(error);
    expect(text).toMatch(/x Expression expected/);
    expect(text).toContain('/app/bad.ts:1:1');
    expect(text).not.toMatch(/Caused by|Stack backtrace/);
  });

  it('names the compiler and its settings for cache keys', () => {
    expect(compilerId()).toMatch(/^swc@\d+\.\d+\.\d+;esm;es2022;legacy-decorators\+metadata;v\d+$/);
  });
});

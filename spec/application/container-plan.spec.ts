// Planning reads injection metadata without resolving; classes that inject nothing skip the read.
import { Container, inject, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { metadataKeyHolds, planContainer } from '../../lib/application/container-plan.js';

describe('planContainer', () => {
  it("finds inversify's class metadata where it expects it (else every class takes the slow path)", () => {
    expect(metadataKeyHolds).toBe(true);
  });

  it('gives a class without metadata or constructor parameters no edges, and still reads the others', () => {
    class Leaf {}
    @injectable()
    class Middle {
      @inject(Leaf) leaf!: Leaf;
    }
    @injectable()
    class Top {
      constructor(@inject(Middle) readonly middle: Middle) {}
    }
    const container = new Container();
    container.bind(Top).toSelf().inSingletonScope();
    container.bind(Middle).toSelf().inSingletonScope();
    container.bind(Leaf).toSelf().inSingletonScope();
    const nodes = planContainer(container, new Map());
    expect(nodes.map((n) => [n.label, n.deps.map((e) => `${nodes[e.to]!.label} via ${e.via}`)])).toEqual([
      ['Top', ['Middle via constructor parameter #0']],
      ['Middle', ['Leaf via property leaf']],
      ['Leaf', []],
    ]);
  });
});

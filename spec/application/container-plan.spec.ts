// Planning reads injection metadata without resolving anything; classes without it inject nothing.
import { Container, inject, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { planContainer } from '../../lib/application/container-plan.js';
import { dependsOn } from '../../lib/index.js';

describe('planContainer', () => {
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
    const plan = planContainer(container, new Map());
    const described = Array.from({ length: plan.size }, (_, i) => {
      const edges: string[] = [];
      const kinds = plan.kinds(i);
      for (let e = plan.edgeStart[i]!; e < plan.edgeStart[i + 1]!; e++) edges.push(`${plan.label(plan.edgeTo[e]!)} via ${plan.via(e)} (${kinds[e - plan.edgeStart[i]!]})`);
      return [plan.label(i), edges];
    });
    expect(described).toEqual([
      ['Top', ['Middle via constructor parameter #0 (injected)']],
      ['Middle', ['Leaf via property leaf (injected)']],
      ['Leaf', []],
    ]);
  });

  it('gives edge kinds in order', () => {
    @injectable()
    class Leaf {}
    @injectable()
    class Side {}
    @injectable()
    @dependsOn(Side)
    class Top {
      constructor(@inject(Leaf) readonly leaf: Leaf) {}
    }
    @injectable()
    class Other {
      constructor(@inject(Leaf) readonly leaf: Leaf) {}
    }
    const container = new Container();
    for (const C of [Top, Other, Leaf, Side]) container.bind(C).toSelf().inSingletonScope();
    const plan = planContainer(container, new Map());
    expect(plan.kinds(0)).toEqual(['injected', 'declared']);
    expect(plan.kinds(1)).toEqual(['injected']);
    expect(plan.kinds(2)).toEqual([]);
  });
});

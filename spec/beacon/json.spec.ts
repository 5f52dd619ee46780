// The snapshot as JSON data for tools.
import { describe, expect, it } from 'vitest';
import { toJSON } from '../../lib/index.js';
import { awkwardApp, modeTree, node } from './fixtures.js';

describe('toJSON', () => {
  it('keeps every field of every node and edge, with a format version', () => {
    const data = toJSON(modeTree);
    expect(data.version).toBe(1);
    expect(data.nodes).toEqual(modeTree.nodes);
    expect(data.edges).toEqual(modeTree.edges);
  });

  it('survives JSON.stringify and JSON.parse, awkward labels included', () => {
    expect(JSON.parse(JSON.stringify(toJSON(awkwardApp)))).toEqual({ version: 1, ...awkwardApp });
  });

  it('leaves out optional fields that are not set, and fields a snapshot should not carry', () => {
    const withExtras = { ...node('Web'), instance: { huge: true } } as ReturnType<typeof node>;
    const [written] = toJSON({ nodes: [withExtras], edges: [] }).nodes;
    expect(Object.keys(written!)).toEqual(['id', 'label', 'state', 'depth', 'kind', 'restartCount']);
  });

  it('returns a copy: changing the snapshot afterwards does not change it', () => {
    const nodes = [node('Web')];
    const data = toJSON({ nodes, edges: [] });
    nodes.push(node('Late'));
    expect(data.nodes).toHaveLength(1);
  });
});

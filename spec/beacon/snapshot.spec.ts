// The snapshot's checks: unique ids, edges between known nodes, and telling snapshots from graphs.
import { describe, expect, it } from 'vitest';
import { asGraph, BeaconSnapshotError, isBeaconSnapshot, toDot, toJSON, toMermaid } from '../../lib/index.js';
import { checkSnapshot } from '../../lib/beacon/snapshot.js';
import { edge, node, tutorialApp } from './fixtures.js';

describe('checkSnapshot', () => {
  it('returns each node position by id', () => {
    expect([...checkSnapshot(tutorialApp)]).toEqual([
      ['AppService', 0],
      ['Websockets', 1],
      ['Webserver', 2],
      ['UserCache', 3],
    ]);
  });

  it('rejects a node id used twice, naming it', () => {
    const snapshot = { nodes: [node('Cache'), node('Cache')], edges: [] };
    expect(() => checkSnapshot(snapshot)).toThrow(BeaconSnapshotError);
    expect(() => checkSnapshot(snapshot)).toThrow('Beacon node id "Cache" is used twice');
  });

  it('rejects an edge to a node the snapshot does not have, naming both ends', () => {
    const snapshot = { nodes: [node('App')], edges: [edge('App', 'Ghost')] };
    expect(() => checkSnapshot(snapshot)).toThrow('Beacon edge "App" -> "Ghost" names node "Ghost", which is not in the snapshot');
  });

  it('rejects nodes without a string id or label', () => {
    expect(() => checkSnapshot({ nodes: [{ ...node('x'), id: 7 as unknown as string }], edges: [] })).toThrow('Beacon node #0 has no string id');
    expect(() => checkSnapshot({ nodes: [{ ...node('x'), label: undefined as unknown as string }], edges: [] })).toThrow(
      'Beacon node "x" has no string label',
    );
  });

  it('is applied by every exporter', () => {
    const bad = { nodes: [node('App')], edges: [edge('Ghost', 'App')] };
    for (const exporter of [asGraph, toDot, toMermaid, toJSON]) expect(() => exporter(bad)).toThrow(BeaconSnapshotError);
  });
});

describe('isBeaconSnapshot', () => {
  it('accepts an object with nodes and edges arrays', () => {
    expect(isBeaconSnapshot(tutorialApp)).toBe(true);
    expect(isBeaconSnapshot({ nodes: [], edges: [] })).toBe(true);
  });

  it('rejects a ts-graphviz graph, which has nodes and edges too', () => {
    const graph = asGraph(tutorialApp);
    expect(Array.isArray(graph.nodes) && Array.isArray(graph.edges)).toBe(true);
    expect(isBeaconSnapshot(graph)).toBe(false);
  });

  it('rejects DOT text, null and half a snapshot', () => {
    for (const value of ['digraph {}', null, undefined, 42, { nodes: [] }, { edges: [] }]) expect(isBeaconSnapshot(value)).toBe(false);
  });
});

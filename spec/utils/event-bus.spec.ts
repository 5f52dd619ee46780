// The typed event stream.
import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../lib/index.js';

type E = { type: 'a'; n: number } | { type: 'b'; s: string };

describe('EventBus', () => {
  it('delivers events in subscription order, filtered by type when asked', () => {
    const bus = new EventBus<E>();
    const seen: string[] = [];
    bus.on((e) => seen.push(`all:${e.type}`));
    bus.on('b', (e) => seen.push(`b:${e.s}`));
    bus.emit({ type: 'a', n: 1 });
    bus.emit({ type: 'b', s: 'x' });
    expect(seen).toEqual(['all:a', 'all:b', 'b:x']);
  });

  it('reports whether anyone listens, and unsubscribes', () => {
    const bus = new EventBus<E>();
    expect(bus.hasListeners).toBe(false);
    const off = bus.on(() => {});
    expect(bus.hasListeners).toBe(true);
    off();
    expect(bus.hasListeners).toBe(false);
  });

  it('keeps going when a listener throws, reporting a process warning', () => {
    const bus = new EventBus<E>();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const seen: number[] = [];
    bus.on(() => {
      throw new Error('bad listener');
    });
    bus.on('a', (e) => seen.push(e.n));
    bus.emit({ type: 'a', n: 7 });
    expect(seen).toEqual([7]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('A listener of the "a" event threw: Error: bad listener'), 'ModeListenerWarning');
    warn.mockRestore();
  });

  it('lets a listener unsubscribe while the event is being delivered', () => {
    const bus = new EventBus<E>();
    const seen: string[] = [];
    const off = bus.on(() => {
      seen.push('first');
      off();
    });
    bus.on(() => seen.push('second'));
    bus.emit({ type: 'a', n: 1 });
    bus.emit({ type: 'a', n: 2 });
    expect(seen).toEqual(['first', 'second', 'second']);
  });
});

import { describe, expect, it } from 'vitest';
import { movableBuffers } from '../../../src/store/movable';

describe('movableBuffers: only arrays that own their whole memory are moved to another thread', () => {
  it('moves an array that owns its buffer, and keeps pooled, sliced and shared ones', () => {
    const own = new Float64Array(4);
    const pooled = Buffer.from('a small buffer lives in the shared pool');
    const slice = new Uint8Array(16).subarray(4, 8);
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const wholeBuffer = Buffer.alloc(64 * 1024); // larger than the pool: owns its memory
    expect(pooled.byteOffset !== 0 || pooled.byteLength !== pooled.buffer.byteLength).toBe(true);
    const moved = movableBuffers([own, pooled, slice, shared, wholeBuffer]);
    expect(moved).toEqual([own.buffer, wholeBuffer.buffer]);
  });

  it('a moved buffer is gone from the sender, a kept one is still readable', () => {
    const own = new Uint8Array([1, 2, 3]);
    const pooled = Buffer.from([4, 5, 6]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage({ own, pooled }, movableBuffers([own, pooled]));
    port1.close();
    port2.close();
    expect(own.byteLength).toBe(0); // detached: moved, not copied
    expect([...pooled]).toEqual([4, 5, 6]);
  });
});

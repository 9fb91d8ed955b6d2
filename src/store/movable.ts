/**
 * Which typed arrays can be moved to another thread instead of copied: those that own their whole
 * ArrayBuffer. A small Buffer may sit in Node's shared pool (an offset into a larger buffer others use),
 * and a SharedArrayBuffer is shared already: neither is ever moved.
 */
export function movableBuffers(views: readonly ArrayBufferView[]): ArrayBuffer[] {
  return views
    .filter((v) => v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer)
    .map((v) => v.buffer as ArrayBuffer);
}

/**
 * Collects the items added under one key during the current tick and hands them to `flush` together, once, after the
 * tick (`queueMicrotask` for work emitted synchronously, `setImmediate` for work completing over several promise
 * turns): duties of one slot and type become one batch, messages of one slot one beacon node call.
 */
export function perTick<T>(
  flush: (items: T[]) => void,
  later: (run: () => void) => void = queueMicrotask,
): (key: string, item: T) => void {
  const pending = new Map<string, T[]>();
  return (key, item) => {
    const list = pending.get(key);
    if (list !== undefined) return void list.push(item);
    pending.set(key, [item]);
    later(() => {
      const items = pending.get(key) ?? [];
      pending.delete(key);
      flush(items);
    });
  };
}

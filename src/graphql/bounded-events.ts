/**
 * A consumer's view of `source` that never lets it lag without bound: events are taken from `source` as they come
 * and queued for the consumer; when `capacity` events are waiting, the oldest is dropped (`onDrop` is told), so a
 * slow subscriber loses its oldest undelivered events instead of growing memory or stalling the publisher.
 * Returning the result stops `source`.
 * @param capacity most events held for the consumer (≥ 1)
 */
export function boundedEvents<T>(source: AsyncIterableIterator<T>, capacity: number, onDrop: () => void): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let finished = false;
  const finish = () => {
    finished = true;
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  void (async () => {
    try {
      for await (const event of source) {
        if (finished) break;
        if (waiting !== undefined) {
          const deliver = waiting;
          waiting = undefined;
          deliver({ value: event, done: false });
          continue;
        }
        if (queue.length >= capacity) {
          queue.shift();
          onDrop();
        }
        queue.push(event);
      }
    } finally {
      finish();
    }
  })();
  const iterator: AsyncIterableIterator<T> = {
    next(): Promise<IteratorResult<T>> {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift() as T, done: false });
      if (finished) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    async return(): Promise<IteratorResult<T>> {
      finish();
      queue.length = 0;
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

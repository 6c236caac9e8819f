/**
 * A push-to-pull bridge: producers `push` and `end` (or `fail`), one consumer iterates. Never
 * blocks a producer; what is pushed after the end is dropped.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: Error) => void } | null = null;
  #ended = false;
  #failure: Error | null = null;

  get ended(): boolean {
    return this.#ended;
  }

  push(item: T): void {
    if (this.#ended) return;
    if (this.#waiter) {
      const { resolve } = this.#waiter;
      this.#waiter = null;
      resolve({ value: item, done: false });
    } else {
      this.#items.push(item);
    }
  }

  /** No more items; the consumer gets the queued ones first. */
  end(): void {
    this.#finish(null);
  }

  /** The consumer gets the queued items, then `error`. */
  fail(error: Error): void {
    this.#finish(error);
  }

  #finish(failure: Error | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = failure;
    if (this.#waiter) {
      const { resolve, reject } = this.#waiter;
      this.#waiter = null;
      if (failure) reject(failure);
      else resolve({ value: undefined, done: true });
      this.#failure = null;
    }
  }

  #next(): Promise<IteratorResult<T>> {
    if (this.#items.length > 0) return Promise.resolve({ value: this.#items.shift()!, done: false });
    if (this.#ended) {
      const failure = this.#failure;
      this.#failure = null;
      return failure ? Promise.reject(failure) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return { next: () => this.#next() };
  }
}

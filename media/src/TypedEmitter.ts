import { EventEmitter } from 'node:events';

type EventMap = Record<string, unknown[]>;

/**
 * Typed events after mediasoup's EnhancedEventEmitter: `safeEmit` never lets a listener's error
 * escape into the media object that emitted it.
 */
export class TypedEmitter<E extends EventMap> extends EventEmitter {
  safeEmit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    try {
      return super.emit(event, ...args);
    } catch (error) {
      try {
        super.emit('listenererror', event, error);
      } catch {
        // A failing error listener must not break the emitter either.
      }
      return true;
    }
  }

  override on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.once(event, listener as (...args: unknown[]) => void);
  }

  override off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }
}

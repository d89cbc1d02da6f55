import { DomainError } from "../domain/errors";
import { isBreakerRejection, isBreakerTimeout, unavailable } from "./breaker-errors";
import type { GuardedDependency } from "./circuit-breaker";

/**
 * Wraps every method of `target` so each call runs through `breaker`: an open breaker, a timeout, or an
 * error `isOutage` recognizes becomes DomainError UNAVAILABLE naming `dependency` (fail fast, retry
 * later); DomainErrors and other errors pass through unchanged.
 * @param cancelOnTimeout when true, every call gets one more argument after its own: an AbortSignal that
 *   aborts (reason: an AbortError) when the breaker times the call out, so that the work itself stops, not
 *   only the wait for it. The methods of `target` must then take an optional AbortSignal after their
 *   parameters, and callers must pass every parameter before it.
 */
export function guardCalls<T extends object>(
  target: T,
  breaker: GuardedDependency,
  dependency: string,
  isOutage: (error: unknown) => boolean,
  cancelOnTimeout = false,
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const member = Reflect.get(object, property, receiver) as unknown;
      if (typeof member !== "function") return member;
      return async (...parameters: unknown[]) => {
        const controller = cancelOnTimeout ? new AbortController() : undefined;
        const call = controller === undefined ? parameters : [...parameters, controller.signal];
        try {
          return await breaker.run(() => (member as (...values: unknown[]) => Promise<unknown>).apply(object, call));
        } catch (error) {
          if (isBreakerTimeout(error)) controller?.abort();
          if (error instanceof DomainError) throw error;
          if (isBreakerRejection(error) || isOutage(error)) throw unavailable(dependency, error);
          throw error;
        }
      };
    },
  });
}

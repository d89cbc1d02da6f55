import { DomainError } from "../domain/errors";
import { isBreakerRejection, unavailable } from "./breaker-errors";
import type { GuardedDependency } from "./circuit-breaker";

/**
 * Wraps every method of `target` so each call runs through `breaker`: an open breaker, a timeout, or an
 * error `isOutage` recognizes becomes DomainError UNAVAILABLE naming `dependency` (fail fast, retry
 * later); DomainErrors and other errors pass through unchanged.
 */
export function guardCalls<T extends object>(target: T, breaker: GuardedDependency, dependency: string, isOutage: (error: unknown) => boolean): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const member = Reflect.get(object, property, receiver) as unknown;
      if (typeof member !== "function") return member;
      return async (...parameters: unknown[]) => {
        try {
          return await breaker.run(() => (member as (...values: unknown[]) => Promise<unknown>).apply(object, parameters));
        } catch (error) {
          if (error instanceof DomainError) throw error;
          if (isBreakerRejection(error) || isOutage(error)) throw unavailable(dependency, error);
          throw error;
        }
      };
    },
  });
}

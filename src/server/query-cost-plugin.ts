import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { LRUCache } from "lru-cache";
import { costLimitExceeded, queryCost } from "../graphql/query-cost";

/** Costs remembered, by query text hash, operation and variables: repeated requests skip the walk (~30 µs). */
const REMEMBERED_COSTS = 1_000;

/**
 * Apollo plugin refusing, before execution, every operation whose cost (graphql/query-cost.ts: the bars and
 * values its fields would touch, aliases included, arguments coerced against the request's variables) exceeds
 * `maxCost`, with code QUERY_TOO_COMPLEX and HTTP status 400. Runs for every request (the cost depends on the
 * variables), after validation and before any resolver; the cost of a request seen before is remembered.
 */
export function queryCostPlugin<Context extends BaseContext>(maxCost: number): ApolloServerPlugin<Context> {
  const costs = new LRUCache<string, number>({ max: REMEMBERED_COSTS });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName, queryHash }) {
          const key = `${queryHash}\n${operationName ?? ""}\n${JSON.stringify(request.variables ?? {})}`;
          let cost = costs.get(key);
          if (cost === undefined) {
            cost = queryCost(schema, document, request.variables, operationName ?? undefined);
            if (cost !== undefined) costs.set(key, cost);
          }
          if (cost !== undefined && cost > maxCost) throw costLimitExceeded(cost, maxCost);
        },
      };
    },
  };
}

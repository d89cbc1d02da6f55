import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { queryCost } from "../graphql/query-cost";
import { queryTooComplex } from "../graphql/query-limits";

/**
 * Apollo plugin refusing, before execution, every operation whose cost (graphql/query-cost.ts: the bars and
 * values its fields would touch, aliases included, arguments coerced against the request's variables) exceeds
 * `maxCost`, with code QUERY_TOO_COMPLEX and HTTP status 400. Runs for every request (the cost depends on the
 * variables), after validation and before any resolver.
 */
export function queryCostPlugin<Context extends BaseContext>(maxCost: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const cost = queryCost(schema, document, request.variables, operationName ?? undefined);
          if (cost !== undefined && cost > maxCost) {
            throw queryTooComplex(
              "maxCost",
              maxCost,
              `Query cost limit of ${maxCost} exceeded, found ${cost} (bars in the requested ranges × (1 + features or specs), plus warm-up bars, summed over every field).`,
            );
          }
        },
      };
    },
  };
}

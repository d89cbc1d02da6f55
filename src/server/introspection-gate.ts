import type { ApolloServerPlugin } from "@apollo/server";
import { BREAK, type DocumentNode, visit } from "graphql";
import { Scope } from "../access/api-key";
import { authorize } from "../access/authorization";
import { DomainError, ErrorCode } from "../domain/errors";
import type { RequestContext } from "../graphql/context";
import { withHttpStatus } from "../graphql/errors";

/** Whether a document asks for the schema (`__schema` or `__type`, fragments included); `__typename` does not. */
function asksForSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === "__schema" || node.name.value === "__type") {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Apollo plugin: introspection needs what a query needs, so in production mode (anonymous reads off) only a key with
 * the `read` scope may read the schema; clients generate code from the committed schema.graphql instead. Refused
 * requests get UNAUTHENTICATED (HTTP 401) or FORBIDDEN (403) before anything runs.
 */
export function introspectionGate(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!asksForSchema(document)) return;
          try {
            authorize(contextValue.access, [Scope.READ], "Introspection (or the committed schema.graphql)");
          } catch (refusal) {
            if (!(refusal instanceof DomainError)) throw refusal;
            throw withHttpStatus(refusal, refusal.code === ErrorCode.FORBIDDEN ? 403 : 401);
          }
        },
      };
    },
  };
}

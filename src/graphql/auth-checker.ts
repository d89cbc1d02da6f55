import type { AuthCheckerFn } from "type-graphql";
import type { Scope } from "../access/api-key";
import { authorize } from "../access/authorization";
import type { RequestContext } from "./context";

/**
 * type-graphql's authChecker for `@Authorized(Scope.X)`: lets the field resolve when the request holds one of
 * the scopes, and otherwise throws the DomainError (UNAUTHENTICATED or FORBIDDEN) that formatError passes on.
 * It never returns false, so type-graphql's own generic "Access denied!" errors never reach clients.
 */
export const authChecker: AuthCheckerFn<RequestContext, Scope> = ({ context, info }, scopes) => {
  authorize(context.access, scopes, info.fieldName);
  return true;
};

import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { dateOnlyInstant } from "../domain/instant";

/**
 * An input as a Date: an RFC 3339 date-time with a zone (graphql-scalars' DateTimeISO, e.g. "2024-01-01T09:30:00Z" or
 * "2024-01-01T10:30:00+01:00"), or a date alone ("2024-01-01"), read as 00:00 UTC of that day.
 * @throws GraphQLError saying which forms are accepted (answered BAD_USER_INPUT)
 */
function parseDateTimeInput(value: unknown): Date {
  const date = typeof value === "string" ? dateOnlyInstant(value) : undefined;
  if (date !== undefined) return new Date(date);
  try {
    return GraphQLDateTimeISO.parseValue(value) as Date;
  } catch {
    const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : typeof value;
    throw new GraphQLError(`DateTimeISO cannot represent ${shown}: write an ISO-8601 date-time with a zone ("2024-01-01T09:30:00Z") or a date ("2024-01-01", read as 00:00 UTC).`);
  }
}

/**
 * Candela's `DateTimeISO` scalar (the name clients know; every Date argument and field): serialized as an ISO-8601
 * UTC string with milliseconds, parsed from a date-time with a zone or from a date alone (00:00 UTC).
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTimeISO",
  description:
    'An instant, serialized as ISO-8601 in UTC ("2024-01-01T09:30:00.000Z"). Input: an RFC 3339 date-time with a zone ' +
    '("2024-01-01T09:30:00Z", "2024-01-01T10:30:00+01:00"), or a date alone ("2024-01-01"), read as 00:00 UTC of that day.',
  serialize: (value) => GraphQLDateTimeISO.serialize(value) as string,
  parseValue: parseDateTimeInput,
  parseLiteral(node: ValueNode) {
    if (node.kind !== Kind.STRING) throw new GraphQLError(`DateTimeISO must be a string such as "2024-01-01T00:00:00Z" or "2024-01-01".`, { nodes: node });
    return parseDateTimeInput(node.value);
  },
});

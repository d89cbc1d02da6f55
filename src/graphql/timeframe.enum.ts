import { registerEnumType } from "type-graphql";
import { Timeframe } from "../domain/timeframe";

registerEnumType(Timeframe, {
  name: "Timeframe",
  description: "Bar duration. Bars open on the UTC grid of their timeframe (1d bars at 00:00 UTC).",
  valuesConfig: {
    M1: { description: "1 minute (CSV/CLI label 1m)" },
    M5: { description: "5 minutes (5m)" },
    M15: { description: "15 minutes (15m)" },
    M30: { description: "30 minutes (30m)" },
    H1: { description: "1 hour (1h)" },
    H4: { description: "4 hours (4h), opening at 00, 04, 08, 12, 16, 20 UTC" },
    D1: { description: "1 day (1d), opening at 00:00 UTC" },
  },
});

export { Timeframe };

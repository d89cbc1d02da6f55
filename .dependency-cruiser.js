/**
 * Layer rules of DESIGN.md as code: each layer of src/ imports only from the layers above it
 * (domain, indicators, features, store, ingest, graphql, server, cli), and the pure layers import no I/O.
 * Checked by test/architecture/layers.test.ts.
 */
const LAYERS = ["domain", "indicators", "features", "store", "ingest", "graphql", "server", "cli"];

const layerRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `${layer}-imports-only-layers-above`,
  severity: "error",
  comment: `src/${layer} may import only from ${LAYERS.slice(0, index).join(", ") || "nothing else in src"}.`,
  from: { path: `(^|/)src/${layer}/` },
  to: { path: `(^|/)src/(${LAYERS.slice(index + 1).join("|")})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "pure-layers-import-no-packages",
      severity: "error",
      comment: "domain and indicators are pure: no I/O, no framework (luxon is time-zone arithmetic only).",
      from: { path: "(^|/)src/(domain|indicators)/" },
      to: { dependencyTypes: ["npm", "npm-dev", "core"], pathNot: "node_modules/luxon/" },
    },
    {
      name: "features-use-ports-not-adapters",
      severity: "error",
      comment: "features talk to storage only through the ports they define.",
      from: { path: "(^|/)src/features/" },
      to: { path: "node_modules/(pg|@prisma|ioredis|express|@apollo|type-graphql)/" },
    },
    {
      name: "resolvers-do-not-reach-storage",
      severity: "error",
      comment: "GraphQL resolvers stay thin and call services, never Prisma or pg.",
      from: { path: "(^|/)src/graphql/" },
      to: { path: "node_modules/(pg|@prisma)/" },
    },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/store/postgres/generated/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};

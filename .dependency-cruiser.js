/**
 * Layer rules of DESIGN.md as code, checked by test/architecture/layers.test.ts. Each layer of src/ imports
 * only from the layers before it in LAYERS; platform/ (facts about the running installation) may be imported by
 * any layer but the pure ones. Inside store/, the adapters of one technology never import another's.
 */
const LAYERS = ["domain", "indicators", "features", "access", "resilience", "ingest", "store", "providers", "graphql", "server", "cli"];

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
      comment:
        "domain and indicators are pure: no I/O, no framework (luxon is time-zone arithmetic only; nyse-holidays computes the exchange's holidays by their rules, nothing else).",
      from: { path: "(^|/)src/(domain|indicators)/" },
      to: { dependencyTypes: ["npm", "npm-dev", "core"], pathNot: "node_modules/(luxon|nyse-holidays)/" },
    },
    {
      name: "pure-layers-import-no-platform",
      severity: "error",
      comment: "domain and indicators know nothing of the installation they run in.",
      from: { path: "(^|/)src/(domain|indicators)/" },
      to: { path: "(^|/)src/platform/" },
    },
    {
      name: "services-use-ports-not-adapters",
      severity: "error",
      comment: "features, access and ingest talk to storage and the network only through the ports they define.",
      from: { path: "(^|/)src/(features|access|ingest)/" },
      to: { path: "node_modules/(pg|@prisma|ioredis|express|@apollo|type-graphql|opossum)/" },
    },
    {
      name: "postgres-and-redis-adapters-stay-apart",
      severity: "error",
      comment: "store/redis and store/postgres (with store/offline and store/registry, which run on PostgreSQL) never import each other.",
      from: { path: "(^|/)src/store/redis/" },
      to: { path: "(^|/)src/store/(postgres|offline|registry)/" },
    },
    {
      name: "postgres-adapters-do-not-import-redis",
      severity: "error",
      comment: "store/postgres, store/offline and store/registry never import store/redis.",
      from: { path: "(^|/)src/store/(postgres|offline|registry)/" },
      to: { path: "(^|/)src/store/redis/" },
    },
    {
      name: "memory-adapters-are-standalone",
      severity: "error",
      comment: "store/memory (the in-process fallbacks) needs neither PostgreSQL nor Redis.",
      from: { path: "(^|/)src/store/memory/" },
      to: { path: "(^|/)src/store/(postgres|offline|registry|redis)/|node_modules/(pg|@prisma|ioredis)/" },
    },
    {
      name: "resolvers-do-not-reach-storage",
      severity: "error",
      comment: "GraphQL resolvers stay thin and call services, never Prisma, pg or Redis.",
      from: { path: "(^|/)src/graphql/" },
      to: { path: "node_modules/(pg|@prisma|ioredis)/" },
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

/**
 * Imported first by `serve`: libraries read NODE_ENV once, when they load. The server is the production
 * entry point, so NODE_ENV defaults to "production" there (an explicit value is kept). It matters for
 * speed: outside production, graphql-js follows every failed `instanceof` with a check for a second copy
 * of itself, which cost about 7% of a latestFeatures request in the load benchmark.
 */
process.env.NODE_ENV ??= "production";

/** Jest runs TypeScript through ts-jest (CommonJS); `npm run typecheck` is the type check. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
  // The generated Prisma client imports its siblings with a .js suffix.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  globalSetup: "<rootDir>/test/global-setup.ts",
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
  testTimeout: 60000,
};

import { LoneAnonymousOperationRule, parse, specifiedRules, validate } from "graphql";
import { buildSchemaWithoutServices } from "../../../src/graphql/schema";
import { readmeBlocks } from "../../support/readme";

// README blocks list several anonymous example operations side by side; each is valid on its own.
// (test/e2e/readme-examples.test.ts runs them against the quick start's server.)
const RULES = specifiedRules.filter((rule) => rule !== LoneAnonymousOperationRule);

describe("README example queries", () => {
  const blocks = readmeBlocks("graphql");

  it("exist", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((block) => [block.line, block.text]))("the block at README line %i is valid against the schema", async (_line, text) => {
    const schema = await buildSchemaWithoutServices();
    const errors = validate(schema, parse(text as string), RULES);
    expect(errors.map((error) => error.message)).toEqual([]);
  });
});

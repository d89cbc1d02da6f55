import { readFileSync } from "node:fs";
import path from "node:path";
import { LoneAnonymousOperationRule, parse, specifiedRules, validate } from "graphql";
import { buildSchemaWithoutServices } from "../../../src/graphql/schema";

const README = readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
// README blocks list several anonymous example operations side by side; each is valid on its own.
const RULES = specifiedRules.filter((rule) => rule !== LoneAnonymousOperationRule);

describe("README example queries", () => {
  const blocks = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);

  it("exist", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((block, index) => [index + 1, block]))("block %i is valid against the schema", async (_index, block) => {
    const schema = await buildSchemaWithoutServices();
    const errors = validate(schema, parse(block as string), RULES);
    expect(errors.map((error) => error.message)).toEqual([]);
  });
});

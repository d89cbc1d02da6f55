import { writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { buildSchemaWithoutServices, printCandelaSchema } from "../graphql/schema";
import { PROJECT_ROOT } from "../platform/project-root";

/** `candela schema`: writes schema.graphql from the type-graphql code (no database needed). */
export function schemaCommand(): Command {
  return new Command("schema").description("write schema.graphql (the committed SDL) from the code").action(async () => {
    const schema = await buildSchemaWithoutServices();
    const file = path.join(PROJECT_ROOT, "schema.graphql");
    writeFileSync(file, printCandelaSchema(schema));
    console.log(`wrote ${file}`);
  });
}

import "reflect-metadata";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildSchemaWithoutServices, printCandelaSchema } from "../graphql/schema";
import { PROJECT_ROOT } from "../platform/project-root";

/** `npm run schema`: writes schema.graphql from the type-graphql code (no database needed). */
async function main(): Promise<void> {
  const schema = await buildSchemaWithoutServices();
  const file = path.join(PROJECT_ROOT, "schema.graphql");
  writeFileSync(file, printCandelaSchema(schema));
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(`candela schema: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

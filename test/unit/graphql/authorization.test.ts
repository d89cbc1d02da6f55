import "reflect-metadata";
import { getMetadataStorage } from "type-graphql";
import { buildSchemaWithoutServices } from "../../../src/graphql/schema";

describe("GraphQL authorization", () => {
  it("declares the scope of every query, mutation and subscription with @Authorized (fields without it would be open to anyone)", async () => {
    await buildSchemaWithoutServices();
    const storage = getMetadataStorage();
    const authorized = new Set(storage.authorizedFields.map((field) => `${field.target.name}.${field.fieldName}`));
    const rootFields = [...storage.queries, ...storage.mutations, ...storage.subscriptions].map((field) => `${field.target.name}.${field.methodName}`);
    expect(rootFields.length).toBeGreaterThan(0);
    expect(rootFields.filter((field) => !authorized.has(field))).toEqual([]);
  });
});

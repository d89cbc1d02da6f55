import { Command } from "commander";
import { FeaturePlanService, PlanAction, type PlanStep } from "../features/feature-plan.service";
import { FeatureRegistryService } from "../features/feature-registry.service";
import { createStoreAdapters } from "../store/store-adapters";
import { withDatabase } from "./cli-runtime";
import { readFeaturesFile } from "./features-file";

/**
 * `candela apply --file features.yml [--dry-run]` (`npm run apply -- ...`): prints the plan of a features file (create,
 * new version, unchanged, deprecate) and applies it; applying the same file again changes nothing. Exit codes: 0
 * applied (or planned, with --dry-run), 2 the file or a definition is refused (nothing is applied).
 */
export function applyCommand(): Command {
  return new Command("apply")
    .description("register the feature definitions of a features file (YAML) and deprecate the names it deprecates, idempotently")
    .requiredOption("--file <path>", "features file, e.g. features.yml")
    .option("--dry-run", "print the plan and change nothing", false)
    .action(async (options: { file: string; dryRun: boolean }) => {
      const entries = readFeaturesFile(options.file);
      await withDatabase(async (database) => {
        const stores = createStoreAdapters(database);
        try {
          const plans = new FeaturePlanService(stores.featureDefinitions, new FeatureRegistryService(stores.featureDefinitions));
          const steps = options.dryRun ? await plans.plan(entries) : await plans.apply(entries);
          printPlan(steps, options.dryRun);
        } finally {
          await stores.close();
        }
      });
    });
}

function printPlan(steps: readonly PlanStep[], dryRun: boolean): void {
  const width = Math.max(...steps.map((step) => step.name.length));
  const lines = steps.map((step) => {
    const version = step.version === undefined ? "" : ` -> ${step.name}@${step.version}`;
    const lifted = step.liftsDeprecation ? " (deprecation lifted)" : "";
    const reason = step.reason === undefined ? "" : `: ${step.reason}`;
    const input = step.input === undefined ? "" : ` (reads ${step.input})`;
    return `  ${step.name.padEnd(width)}  ${step.action}${version}${input}${lifted}${reason}`;
  });
  const changes = steps.filter((step) => step.action !== PlanAction.UNCHANGED && step.action !== PlanAction.STAYS_DEPRECATED).length;
  console.log([`${dryRun ? "Plan" : "Applied"} (${changes} change${changes === 1 ? "" : "s"}):`, ...lines].join("\n"));
}

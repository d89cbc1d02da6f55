-- A composed feature stores the chain of features it reads (definitions never change, so the chain is copied).
ALTER TABLE "feature_definition" ADD COLUMN "input" JSONB;

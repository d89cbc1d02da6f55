-- CreateTable
CREATE TABLE "feature_deprecation" (
    "name" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "deprecated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feature_deprecation_pkey" PRIMARY KEY ("name")
);

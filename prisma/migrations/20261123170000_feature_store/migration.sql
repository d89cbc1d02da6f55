-- CreateTable
CREATE TABLE "feature_definition" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "indicator" TEXT NOT NULL,
    "indicator_version" INTEGER NOT NULL,
    "parameters" JSONB NOT NULL,
    "output" TEXT NOT NULL,
    "timeframe" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "fingerprint" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feature_definition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feature_value_chunk" (
    "feature_id" INTEGER NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "first_open_time" TIMESTAMPTZ(3) NOT NULL,
    "last_open_time" TIMESTAMPTZ(3) NOT NULL,
    "open_times" BYTEA NOT NULL,
    "values" BYTEA NOT NULL,

    CONSTRAINT "feature_value_chunk_pkey" PRIMARY KEY ("feature_id","symbol","timeframe","first_open_time")
);

-- CreateTable
CREATE TABLE "feature_materialization" (
    "feature_id" INTEGER NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "through_open_time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feature_materialization_pkey" PRIMARY KEY ("feature_id","symbol","timeframe")
);

-- CreateIndex
CREATE INDEX "feature_definition_fingerprint_idx" ON "feature_definition"("fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "feature_definition_name_version_key" ON "feature_definition"("name", "version");

-- CreateIndex
CREATE INDEX "feature_value_chunk_symbol_timeframe_last_open_time_idx" ON "feature_value_chunk"("symbol", "timeframe", "last_open_time");

-- AddForeignKey
ALTER TABLE "feature_value_chunk" ADD CONSTRAINT "feature_value_chunk_feature_id_fkey" FOREIGN KEY ("feature_id") REFERENCES "feature_definition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_materialization" ADD CONSTRAINT "feature_materialization_feature_id_fkey" FOREIGN KEY ("feature_id") REFERENCES "feature_definition"("id") ON DELETE CASCADE ON UPDATE CASCADE;


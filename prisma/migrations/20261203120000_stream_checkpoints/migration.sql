-- CreateTable
CREATE TABLE "feature_stream_checkpoint" (
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "feature_list" TEXT NOT NULL,
    "features" JSONB NOT NULL,
    "through_open_time" TIMESTAMPTZ(3) NOT NULL,
    "revision" INTEGER NOT NULL,
    "bar_count" INTEGER NOT NULL,
    "state" BYTEA NOT NULL,
    "written_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "feature_stream_checkpoint_pkey" PRIMARY KEY ("symbol","timeframe","feature_list")
);

-- CreateTable
CREATE TABLE "backfill_job" (
    "id" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "from_open_time" TIMESTAMPTZ(3) NOT NULL,
    "to_open_time" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "missing_bars" INTEGER NOT NULL DEFAULT 0,
    "bars_fetched" INTEGER NOT NULL DEFAULT 0,
    "bars_stored" INTEGER NOT NULL DEFAULT 0,
    "confirmed_missing_bars" INTEGER NOT NULL DEFAULT 0,
    "reached_open_time" TIMESTAMPTZ(3),
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "backfill_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "backfill_job_started_at_idx" ON "backfill_job"("started_at");

-- CreateTable
CREATE TABLE "confirmed_gap" (
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "first_missing_open_time" TIMESTAMPTZ(3) NOT NULL,
    "last_missing_open_time" TIMESTAMPTZ(3) NOT NULL,
    "provider" TEXT NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "confirmed_gap_pkey" PRIMARY KEY ("symbol","timeframe","first_missing_open_time")
);

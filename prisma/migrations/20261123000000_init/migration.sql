-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "instrument" (
    "symbol" TEXT NOT NULL,
    "calendar_kind" TEXT NOT NULL DEFAULT 'ALWAYS_OPEN',
    "session_open_day" INTEGER,
    "session_open_time" TEXT,
    "session_close_day" INTEGER,
    "session_close_time" TEXT,
    "session_time_zone" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instrument_pkey" PRIMARY KEY ("symbol")
);

-- CreateTable
CREATE TABLE "bar" (
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "open_time" TIMESTAMPTZ(3) NOT NULL,
    "open" DOUBLE PRECISION NOT NULL,
    "high" DOUBLE PRECISION NOT NULL,
    "low" DOUBLE PRECISION NOT NULL,
    "close" DOUBLE PRECISION NOT NULL,
    "volume" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "bar_pkey" PRIMARY KEY ("symbol","timeframe","open_time")
);

-- AddForeignKey
ALTER TABLE "bar" ADD CONSTRAINT "bar_symbol_fkey" FOREIGN KEY ("symbol") REFERENCES "instrument"("symbol") ON DELETE CASCADE ON UPDATE CASCADE;


-- Bar sanity, enforced by the database too (Prisma does not model CHECK constraints):
-- a bar that passed ingest validation always satisfies these.
ALTER TABLE "bar" ADD CONSTRAINT "bar_timeframe_check" CHECK ("timeframe" IN ('1m', '5m', '15m', '30m', '1h', '4h', '1d'));
ALTER TABLE "bar" ADD CONSTRAINT "bar_ohlc_check" CHECK ("low" <= LEAST("open", "close") AND "high" >= GREATEST("open", "close") AND "low" > 0);
ALTER TABLE "bar" ADD CONSTRAINT "bar_volume_check" CHECK ("volume" >= 0);
ALTER TABLE "instrument" ADD CONSTRAINT "instrument_calendar_kind_check" CHECK ("calendar_kind" IN ('ALWAYS_OPEN', 'WEEKLY_SESSION'));

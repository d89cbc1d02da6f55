-- CreateTable
CREATE TABLE "series_state" (
    "symbol" TEXT NOT NULL,
    "timeframe" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "series_state_pkey" PRIMARY KEY ("symbol","timeframe")
);


-- AlterTable
ALTER TABLE "instrument" ADD COLUMN     "holiday_calendar" TEXT NOT NULL DEFAULT 'NONE';


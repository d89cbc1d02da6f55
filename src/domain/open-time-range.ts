/**
 * A range of bar open times in epoch milliseconds (UTC), inclusive at both ends: a bar belongs to it when
 * `from <= openTime <= to`.
 */
export interface OpenTimeRange {
  readonly from: number;
  readonly to: number;
}

/** Minimal typing of the `talib` npm package (native TA-Lib 0.4), the reference in indicator tests. */
declare module "talib" {
  /** `name`, the row range, input arrays (`inReal`, `high`, `low`, `close`, `volume`) and `optIn...` options. */
  export interface ExecuteParameters {
    name: string;
    startIdx: number;
    endIdx: number;
    [inputOrOption: string]: string | number | number[];
  }
  /** `begIndex`: first input row with an output (the lookback); `result`: output arrays from that row. */
  export interface ExecuteResult {
    begIndex: number;
    nbElement: number;
    result: Record<string, number[]>;
    error?: string;
  }
  /** Synchronous form (no callback). */
  export function execute(parameters: ExecuteParameters): ExecuteResult;
  export const version: string;
}

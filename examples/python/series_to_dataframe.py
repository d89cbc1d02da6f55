"""Loads one series of bars and features from Candela into a pandas DataFrame, for a training job.

Usage (python3 with requests and pandas; Debian: apt install python3-pandas python3-requests):

    CANDELA_URL=http://127.0.0.1:4000/graphql python3 examples/python/series_to_dataframe.py \
        BTCUSDT H1 2024-01-01T00:00:00Z 2024-02-01T00:00:00Z rsi_14 ema_20

Prints the DataFrame's shape and its last rows; `load_series` is the part to reuse. The index is the bars' open time
(UTC); columns are open, high, low, close, volume, then one per feature under the name it was asked for (its exact
definition, e.g. "rsi_14@1", is in `frame.attrs["features"]`). `asOf` makes the pull point-in-time: only bars closed at
or before it are returned, as a backtest at that moment would have seen them.
"""

import os
import sys

import pandas as pd
import requests

SERIES = """
query Series($symbol: String!, $timeframe: Timeframe!, $from: DateTimeISO!, $to: DateTimeISO!, $features: [String!]!, $asOf: DateTimeISO) {
  series(symbol: $symbol, timeframe: $timeframe, from: $from, to: $to, features: $features, asOf: $asOf) {
    asOf featureSetFingerprint openTimes open high low close volume
    features { feature { name reference } values }
  }
}
"""


def load_series(url, symbol, timeframe, start, end, features, as_of=None, api_key=None):
    """Returns a DataFrame indexed by open time (UTC) with OHLCV and one column per feature (NaN before warm-up).

    Raises RuntimeError with Candela's error codes and messages when the request is refused.
    """
    headers = {"content-type": "application/json"}
    if api_key:
        headers["authorization"] = f"Bearer {api_key}"
    variables = {"symbol": symbol, "timeframe": timeframe, "from": start, "to": end, "features": features, "asOf": as_of}
    response = requests.post(url, json={"query": SERIES, "variables": variables}, headers=headers, timeout=120)
    body = response.json()
    if body.get("errors"):
        raise RuntimeError("; ".join(f"{error.get('extensions', {}).get('code', 'ERROR')}: {error['message']}" for error in body["errors"]))
    series = body["data"]["series"]
    frame = pd.DataFrame(
        {column: series[column] for column in ("open", "high", "low", "close", "volume")},
        index=pd.DatetimeIndex(pd.to_datetime(series["openTimes"], utc=True), name="open_time"),
        dtype="float64",
    )
    for requested, column in zip(features, series["features"]):
        frame[requested] = pd.Series(column["values"], index=frame.index, dtype="float64")
    frame.attrs["features"] = {requested: column["feature"]["reference"] for requested, column in zip(features, series["features"])}
    frame.attrs["asOf"] = series["asOf"]
    frame.attrs["featureSetFingerprint"] = series["featureSetFingerprint"]
    return frame


def main(arguments):
    if len(arguments) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    symbol, timeframe, start, end, *features = arguments
    url = os.environ.get("CANDELA_URL", "http://127.0.0.1:4000/graphql")
    frame = load_series(url, symbol, timeframe, start, end, features, api_key=os.environ.get("CANDELA_API_KEY"))
    print(f"rows={len(frame)} columns={','.join(frame.columns)}")
    print(frame.tail().to_csv())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

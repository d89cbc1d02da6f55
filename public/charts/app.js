// Candela's catalogue and chart page: plain ES module, served by the server with its two vendored libraries
// (lightweight-charts, graphql-ws); every request goes to this server's /graphql.
import { CandlestickSeries, createChart, LineSeries } from "./vendor/lightweight-charts.mjs";

const GRAPHQL_PATH = "/graphql";
/** Bar duration of each timeframe, ms. */
const DURATION_MS = { M1: 60_000, M5: 300_000, M15: 900_000, M30: 1_800_000, H1: 3_600_000, H4: 14_400_000, D1: 86_400_000 };
/** Bars loaded at first, and each time the user scrolls back to the oldest one. */
const PAGE_BARS = 500;
const COLORS = ["#f5a623", "#4fc3f7", "#ba68c8", "#81c784", "#ff8a65", "#e57373"];

const element = (id) => document.getElementById(id);
const keyInput = element("api-key");
keyInput.value = sessionStorage.getItem("candela-api-key") ?? "";
keyInput.addEventListener("change", () => {
  sessionStorage.setItem("candela-api-key", keyInput.value);
  start();
});

/** Sends one GraphQL request; throws the server's error messages (with their codes). */
async function graphql(query, variables = {}) {
  const headers = { "content-type": "application/json" };
  if (keyInput.value) headers.authorization = `Bearer ${keyInput.value}`;
  const response = await fetch(GRAPHQL_PATH, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((error) => `${error.extensions?.code ?? "ERROR"}: ${error.message}`).join("; "));
  return body.data;
}

function showError(error) {
  element("error").textContent = error ? String(error.message ?? error) : "";
}

const seconds = (iso) => Date.parse(iso) / 1000;

/** The page's state: the catalogue, the charted series and its indicators. */
const state = { series: [], indicators: [], chart: undefined, candles: undefined, bars: [], overlays: [], live: undefined, loadingOlder: false, readinessTimer: undefined };

async function loadCatalogue() {
  const data = await graphql(`{
    instruments { symbol calendar { kind session } series { timeframe barCount firstOpenTime lastOpenTime gaps(first: 0) { count missingBars } } }
    featureDefinitions { reference indicator output fingerprint deprecationReason parameters { name value } }
    availableIndicators { id name group outputs { name } }
  }`);
  state.series = data.instruments.flatMap((instrument) => instrument.series.map((series) => ({ ...series, symbol: instrument.symbol, calendar: instrument.calendar })));
  state.indicators = data.availableIndicators;
  element("series-table").tBodies[0].replaceChildren(
    ...state.series.map((series) =>
      row([
        series.symbol,
        series.timeframe,
        series.barCount.toLocaleString("en-US"),
        series.firstOpenTime,
        series.lastOpenTime,
        series.calendar.session ?? series.calendar.kind,
        series.gaps.count === 0 ? "none" : `${series.gaps.count} (${series.gaps.missingBars.toLocaleString("en-US")} bars)`,
      ]),
    ),
  );
  element("features-table").tBodies[0].replaceChildren(
    ...data.featureDefinitions.map((definition) =>
      row([definition.reference, definition.indicator, definition.parameters.map((parameter) => `${parameter.name}=${parameter.value}`).join(", "), definition.output, definition.fingerprint.slice(0, 16), definition.deprecationReason ?? ""], 4),
    ),
  );
  element("series").replaceChildren(...state.series.map((series, index) => option(index, `${series.symbol} ${series.timeframe} (${series.barCount.toLocaleString("en-US")} bars)`)));
  element("indicator").replaceChildren(...state.indicators.flatMap((indicator) => indicator.outputs.map((output) => option(`${indicator.id}/${output.name}`, `${indicator.name}: ${output.name}`))));
  element("indicator").value = "sma/value";
}

function row(cells, fingerprintColumn) {
  const tr = document.createElement("tr");
  cells.forEach((cell, index) => {
    const td = document.createElement("td");
    td.textContent = cell;
    if (index === fingerprintColumn) td.className = "fingerprint";
    tr.append(td);
  });
  return tr;
}

function option(value, label) {
  const item = document.createElement("option");
  item.value = String(value);
  item.textContent = label;
  return item;
}

/** Bars and the chosen indicators' values of [from, to] (ISO open times), oldest first. */
async function fetchRange(series, from, to) {
  const specs = state.overlays.map((overlay) => ({ indicator: overlay.indicator, output: overlay.output }));
  const data = await graphql(
    `query($symbol: String!, $timeframe: Timeframe!, $from: DateTimeISO!, $to: DateTimeISO!, $specs: [IndicatorSpecInput!]!, $withIndicators: Boolean!) {
      bars(symbol: $symbol, timeframe: $timeframe, from: $from, to: $to, first: 5000) { nodes { openTime open high low close } }
      indicators(symbol: $symbol, timeframe: $timeframe, from: $from, to: $to, specs: $specs) @include(if: $withIndicators) { openTimes results { outputs { name values } } }
    }`,
    { symbol: series.symbol, timeframe: series.timeframe, from, to, specs, withIndicators: specs.length > 0 },
  );
  const bars = data.bars.nodes.map((bar) => ({ time: seconds(bar.openTime), open: bar.open, high: bar.high, low: bar.low, close: bar.close }));
  const lines = state.overlays.map((_overlay, index) => {
    if (!data.indicators) return [];
    const values = data.indicators.results[index].outputs[0].values;
    return data.indicators.openTimes.map((openTime, row) => (values[row] === null ? { time: seconds(openTime) } : { time: seconds(openTime), value: values[row] }));
  });
  return { bars, lines };
}

function selectedSeries() {
  return state.series[Number(element("series").value)];
}

/** Draws the selected series' newest PAGE_BARS bars and the indicators, and follows it live. */
async function drawSeries() {
  const series = selectedSeries();
  if (!series) return;
  state.chart?.remove();
  state.chart = createChart(element("chart"), { layout: { background: { color: "#10141b" }, textColor: "#d7dde8" }, grid: { vertLines: { color: "#1b2230" }, horzLines: { color: "#1b2230" } }, timeScale: { timeVisible: true } });
  state.candles = state.chart.addSeries(CandlestickSeries, { upColor: "#26a69a", downColor: "#ef5350", wickUpColor: "#26a69a", wickDownColor: "#ef5350", borderVisible: false });
  for (const overlay of state.overlays) overlay.line = undefined;
  const duration = DURATION_MS[series.timeframe];
  const to = Date.parse(series.lastOpenTime);
  const from = Math.max(Date.parse(series.firstOpenTime), to - (PAGE_BARS - 1) * duration);
  const { bars, lines } = await fetchRange(series, new Date(from).toISOString(), new Date(to).toISOString());
  state.bars = bars;
  state.candles.setData(bars);
  state.overlays.forEach((overlay, index) => {
    overlay.line = addLine(overlay, index);
    overlay.points = lines[index];
    overlay.line.setData(overlay.points);
  });
  state.chart.timeScale().subscribeVisibleLogicalRangeChange((range) => {
    if (range && range.from < 10) void loadOlder().catch(showError);
  });
  markDrawn();
  follow(series);
}

/** A line series for an indicator output: on the price pane when it is on the price's scale, else in a pane of its own. */
function addLine(overlay, index) {
  const pane = overlay.onPrice ? 0 : 1 + state.overlays.filter((other, position) => position < index && !other.onPrice).length;
  return state.chart.addSeries(LineSeries, { color: COLORS[index % COLORS.length], lineWidth: 2, priceLineVisible: false, lastValueVisible: false }, pane);
}

/** Prepends the PAGE_BARS bars before the oldest one drawn (scrolling back), until the series' first bar. */
async function loadOlder() {
  const series = selectedSeries();
  if (state.loadingOlder || state.bars.length === 0) return;
  const duration = DURATION_MS[series.timeframe];
  const to = state.bars[0].time * 1000 - duration;
  if (to < Date.parse(series.firstOpenTime)) return;
  state.loadingOlder = true;
  try {
    const from = Math.max(Date.parse(series.firstOpenTime), to - (PAGE_BARS - 1) * duration);
    const { bars, lines } = await fetchRange(series, new Date(from).toISOString(), new Date(to).toISOString());
    state.bars = [...bars, ...state.bars];
    state.candles.setData(state.bars);
    state.overlays.forEach((overlay, index) => {
      overlay.points = [...lines[index], ...overlay.points];
      overlay.line.setData(overlay.points);
    });
    markDrawn();
  } finally {
    state.loadingOlder = false;
  }
}

/** Records what is drawn on the page (for people and for the browser test). */
function markDrawn() {
  document.body.dataset.candles = String(state.bars.length);
  document.body.dataset.overlays = String(state.overlays.filter((overlay) => overlay.points?.some((point) => point.value !== undefined)).length);
  document.body.dataset.oldestBar = state.bars.length > 0 ? new Date(state.bars[0].time * 1000).toISOString() : "";
}

/** Follows the series: each closed bar over the barClosed subscription, and its readiness every 10 s. */
function follow(series) {
  state.live?.dispose();
  clearInterval(state.readinessTimer);
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  state.live = window.graphqlWs.createClient({ url: `${scheme}://${location.host}${GRAPHQL_PATH}`, connectionParams: keyInput.value ? { authorization: `Bearer ${keyInput.value}` } : {} });
  state.live.subscribe(
    { query: `subscription($symbol: String!, $timeframe: Timeframe!) { barClosed(symbol: $symbol, timeframe: $timeframe) { bars { openTime open high low close } } }`, variables: { symbol: series.symbol, timeframe: series.timeframe } },
    {
      next: ({ data }) => {
        for (const bar of data?.barClosed.bars ?? []) {
          const candle = { time: seconds(bar.openTime), open: bar.open, high: bar.high, low: bar.low, close: bar.close };
          if (candle.time < (state.bars.at(-1)?.time ?? 0)) continue;
          if (candle.time > (state.bars.at(-1)?.time ?? 0)) state.bars.push(candle);
          state.candles.update(candle);
        }
        markDrawn();
        void refreshNewestIndicators(series).catch(showError);
        void showReadiness(series).catch(showError);
      },
      error: showError,
      complete: () => undefined,
    },
  );
  void showReadiness(series).catch(showError);
  state.readinessTimer = setInterval(() => void showReadiness(series).catch(showError), 10_000);
}

/** Appends the indicators' values of the newest bar (after a live bar). */
async function refreshNewestIndicators(series) {
  if (state.overlays.length === 0 || state.bars.length === 0) return;
  const newest = new Date(state.bars.at(-1).time * 1000).toISOString();
  const { lines } = await fetchRange(series, newest, newest);
  state.overlays.forEach((overlay, index) => {
    for (const point of lines[index]) if (point.value !== undefined) overlay.line.update(point);
  });
}

async function showReadiness(series) {
  const { readiness } = await graphql(`query($symbol: String!, $timeframe: Timeframe!) { readiness(symbol: $symbol, timeframe: $timeframe) { status barsBehind } }`, { symbol: series.symbol, timeframe: series.timeframe });
  const badge = element("readiness");
  badge.className = `badge ${readiness.status}`;
  badge.textContent = readiness.barsBehind > 0 ? `${readiness.status} (${readiness.barsBehind} bars behind)` : readiness.status;
}

/** Moving averages and price bands are drawn over the candles; oscillators, volume and the rest in panes of their own. */
function drawnOnPrice(indicator, output) {
  return indicator.group === "TREND" || ["upper", "middle", "lower"].includes(output);
}

function addIndicator() {
  const [id, output] = element("indicator").value.split("/");
  const indicator = state.indicators.find((candidate) => candidate.id === id);
  state.overlays.push({ indicator: id, output, onPrice: drawnOnPrice(indicator, output) });
  renderIndicatorList();
  void drawSeries().catch(showError);
}

function renderIndicatorList() {
  element("indicator-list").replaceChildren(
    ...state.overlays.map((overlay) => {
      const chip = document.createElement("span");
      chip.className = "chip";
      chip.textContent = `${overlay.indicator}:${overlay.output}`;
      return chip;
    }),
  );
}

async function start() {
  showError(undefined);
  try {
    await loadCatalogue();
    const wanted = new URLSearchParams(location.search);
    const index = state.series.findIndex((series) => series.symbol === wanted.get("symbol") && series.timeframe === (wanted.get("timeframe") ?? series.timeframe));
    if (index >= 0) element("series").value = String(index);
    for (const spec of wanted.getAll("indicator")) {
      element("indicator").value = spec;
      const [id, output] = spec.split("/");
      const indicator = state.indicators.find((candidate) => candidate.id === id);
      const found = indicator?.outputs.find((candidate) => candidate.name === output);
      if (found) state.overlays.push({ indicator: id, output, onPrice: drawnOnPrice(indicator, output) });
    }
    renderIndicatorList();
    await drawSeries();
  } catch (error) {
    showError(error);
  }
}

element("series").addEventListener("change", () => void drawSeries().catch(showError));
element("add-indicator").addEventListener("click", addIndicator);
void start();

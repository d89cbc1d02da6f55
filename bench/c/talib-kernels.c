/*
 * talib-kernels.c — times the TA-Lib C kernels themselves, the ceiling Candela's batch path is
 * compared against.
 *
 * Built by bench/c-harness.ts with `gcc -O2` from the TA-Lib sources that the `talib` npm package
 * ships (node_modules/talib/src/lib/src/ta_func, ta_common), into bench/build/ (git-ignored).
 *
 * Usage: talib-kernels <bars.f64> <runs> <warmups> [<id>]
 *   bars.f64  raw little-endian doubles: the open, high, low, close and volume columns of n bars,
 *             one column after another (5 * n doubles), as written by bench/data.ts.
 *   id        only this kernel (e.g. "rsi"); all kernels when omitted.
 *
 * For each indicator: `warmups` untimed calls, then `runs` calls each timed with
 * clock_gettime(CLOCK_MONOTONIC); the median is reported. Every call's output is folded into a
 * global sink so the compiler cannot drop the work. Each kernel is timed in two ways:
 *
 *   KERNEL        outputs written into buffers allocated and page-faulted once, before timing
 *                 (the kernel's own speed; TA-Lib's internal temporary buffers are still malloc'd
 *                 per call, as TA-Lib does);
 *   KERNEL_FRESH  outputs in fresh zero pages mmap'd before and munmap'd after every call, inside the
 *                 timed region — what an API that returns newly allocated columns (Candela's
 *                 computeBatch, a new Float64Array per output) pays on top of the kernel.
 *
 * One machine-readable line per kernel and mode:
 *
 *   <KERNEL|KERNEL_FRESH> <id> <bars> <runs> <median_ns> <min_ns> <last_1>[,<last_2>...]
 *
 * where last_k is output k's value on the final bar (checked against Candela by the TS bench).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "ta_libc.h"

/* Keeps every call's result observable. */
volatile double g_sink = 0.0;

static double *g_open, *g_high, *g_low, *g_close, *g_volume;
static double *g_out[3];
/* Output buffers allocated and faulted in once, for the KERNEL mode. */
static double *g_reused[3];
static int g_n;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

/* One kernel call over all bars into g_out; returns its number of output columns. */
typedef int (*kernel_fn)(int *out_nb);

#define CHECK(call)                                                           \
  do {                                                                        \
    TA_RetCode rc_ = (call);                                                  \
    if (rc_ != TA_SUCCESS) {                                                  \
      fprintf(stderr, "%s failed with TA_RetCode %d\n", #call, (int)rc_);     \
      exit(2);                                                                \
    }                                                                         \
  } while (0)

static int k_sma(int *nb) { int b; CHECK(TA_SMA(0, g_n - 1, g_close, 20, &b, nb, g_out[0])); return 1; }
static int k_ema(int *nb) { int b; CHECK(TA_EMA(0, g_n - 1, g_close, 50, &b, nb, g_out[0])); return 1; }
static int k_wma(int *nb) { int b; CHECK(TA_WMA(0, g_n - 1, g_close, 20, &b, nb, g_out[0])); return 1; }
static int k_rsi(int *nb) { int b; CHECK(TA_RSI(0, g_n - 1, g_close, 14, &b, nb, g_out[0])); return 1; }
static int k_macd(int *nb) {
  int b;
  CHECK(TA_MACD(0, g_n - 1, g_close, 12, 26, 9, &b, nb, g_out[0], g_out[1], g_out[2]));
  return 3;
}
static int k_bbands(int *nb) {
  int b;
  CHECK(TA_BBANDS(0, g_n - 1, g_close, 20, 2.0, 2.0, TA_MAType_SMA, &b, nb, g_out[0], g_out[1], g_out[2]));
  return 3;
}
static int k_atr(int *nb) { int b; CHECK(TA_ATR(0, g_n - 1, g_high, g_low, g_close, 14, &b, nb, g_out[0])); return 1; }
static int k_stoch(int *nb) {
  int b;
  CHECK(TA_STOCH(0, g_n - 1, g_high, g_low, g_close, 14, 3, TA_MAType_SMA, 3, TA_MAType_SMA, &b, nb,
                 g_out[0], g_out[1]));
  return 2;
}
static int k_obv(int *nb) { int b; CHECK(TA_OBV(0, g_n - 1, g_close, g_volume, &b, nb, g_out[0])); return 1; }
static int k_roc(int *nb) { int b; CHECK(TA_ROC(0, g_n - 1, g_close, 10, &b, nb, g_out[0])); return 1; }

/* Kernel table: id, function, number of output columns. */
static const struct { const char *id; kernel_fn fn; int outputs; } KERNELS[] = {
  {"sma", k_sma, 1}, {"ema", k_ema, 1}, {"wma", k_wma, 1}, {"rsi", k_rsi, 1}, {"macd", k_macd, 3},
  {"bbands", k_bbands, 3}, {"atr", k_atr, 1}, {"stoch", k_stoch, 2}, {"obv", k_obv, 1}, {"roc", k_roc, 1},
};

/* Points the first `count` output columns at fresh anonymous (zero, not yet faulted) pages. */
static void map_fresh_outputs(int count) {
  for (int k = 0; k < count; k++) {
    g_out[k] = mmap(NULL, sizeof(double) * (size_t)g_n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g_out[k] == MAP_FAILED) { perror("mmap"); exit(2); }
  }
}

static void unmap_outputs(int count) {
  for (int k = 0; k < count; k++) munmap(g_out[k], sizeof(double) * (size_t)g_n);
}

/*
 * Times one kernel (warm-ups, then `runs` timed calls) and prints its line. With `fresh`, every call
 * gets newly mapped output pages and the mapping and unmapping are inside the timed region.
 */
static void time_kernel(size_t i, int runs, int warmups, int fresh, long long *samples) {
  int nb = 0;
  int outputs = KERNELS[i].outputs;
  double last[3] = {0, 0, 0};
  for (int r = -warmups; r < runs; r++) {
    long long t0 = now_ns();
    if (fresh) map_fresh_outputs(outputs);
    else for (int k = 0; k < 3; k++) g_out[k] = g_reused[k];
    KERNELS[i].fn(&nb);
    for (int k = 0; k < outputs; k++) last[k] = g_out[k][nb - 1];
    if (fresh) unmap_outputs(outputs);
    long long t1 = now_ns();
    g_sink += last[0];
    if (r >= 0) samples[r] = t1 - t0;
  }
  qsort(samples, (size_t)runs, sizeof(long long), cmp_ll);
  long long median = runs % 2 ? samples[runs / 2] : (samples[runs / 2 - 1] + samples[runs / 2]) / 2;
  printf("%s %s %d %d %lld %lld ", fresh ? "KERNEL_FRESH" : "KERNEL", KERNELS[i].id, g_n, runs, median, samples[0]);
  for (int k = 0; k < outputs; k++) printf(k ? ",%.17g" : "%.17g", last[k]);
  printf("\n");
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: %s <bars.f64> <runs> <warmups> [<id>]\n", argv[0]);
    return 1;
  }
  int runs = atoi(argv[2]), warmups = atoi(argv[3]);
  const char *only = argc == 5 ? argv[4] : NULL;
  if (runs < 1 || warmups < 0) { fprintf(stderr, "bad runs/warmups\n"); return 1; }

  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  if (bytes <= 0 || bytes % (5 * sizeof(double)) != 0) { fprintf(stderr, "bad input size %ld\n", bytes); return 1; }
  g_n = (int)(bytes / (5 * sizeof(double)));
  double *all = malloc((size_t)bytes);
  if (!all || fread(all, 1, (size_t)bytes, f) != (size_t)bytes) { fprintf(stderr, "read failed\n"); return 1; }
  fclose(f);
  g_open = all; g_high = all + g_n; g_low = all + 2 * (size_t)g_n; g_close = all + 3 * (size_t)g_n;
  g_volume = all + 4 * (size_t)g_n;
  (void)g_open;
  for (int k = 0; k < 3; k++) {
    g_reused[k] = malloc(sizeof(double) * (size_t)g_n);
    memset(g_reused[k], 0, sizeof(double) * (size_t)g_n); /* fault the pages in before timing */
  }

  CHECK(TA_Initialize());
  long long *samples = malloc(sizeof(long long) * (size_t)runs);

  int matched = 0;
  for (size_t i = 0; i < sizeof(KERNELS) / sizeof(KERNELS[0]); i++) {
    if (only && strcmp(only, KERNELS[i].id) != 0) continue;
    matched++;
    time_kernel(i, runs, warmups, 0, samples);
    time_kernel(i, runs, warmups, 1, samples);
  }
  if (matched == 0) { fprintf(stderr, "no kernel named %s\n", only); return 1; }
  fprintf(stderr, "sink %g\n", (double)g_sink);
  TA_Shutdown();
  return 0;
}

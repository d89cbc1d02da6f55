/*
 * talib-kernels.c — times the TA-Lib C kernels themselves, the ceiling Candela's batch path is
 * compared against.
 *
 * Built by bench/c-harness.ts with `gcc -O2` from the TA-Lib sources that the `talib` npm package
 * ships (node_modules/talib/src/lib/src/ta_func, ta_common), into bench/build/ (git-ignored).
 *
 * Usage: talib-kernels <bars.f64> <runs> <warmups>
 *   bars.f64  raw little-endian doubles: the open, high, low, close and volume columns of n bars,
 *             one column after another (5 * n doubles), as written by bench/data.ts.
 *
 * For each indicator: `warmups` untimed calls, then `runs` calls each timed with
 * clock_gettime(CLOCK_MONOTONIC); the median is reported. Every call's output is folded into a
 * global sink so the compiler cannot drop the work. Output, one machine-readable line per kernel:
 *
 *   KERNEL <id> <bars> <runs> <median_ns> <min_ns> <last_1>[,<last_2>...]
 *
 * where last_k is output k's value on the final bar (checked against Candela by the TS bench).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ta_libc.h"

/* Keeps every call's result observable. */
volatile double g_sink = 0.0;

static double *g_open, *g_high, *g_low, *g_close, *g_volume;
static double *g_out[3];
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

/* One kernel call over all bars; returns the number of outputs it wrote (the same every call). */
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

static const struct { const char *id; kernel_fn fn; } KERNELS[] = {
  {"sma", k_sma}, {"ema", k_ema}, {"wma", k_wma}, {"rsi", k_rsi}, {"macd", k_macd},
  {"bbands", k_bbands}, {"atr", k_atr}, {"stoch", k_stoch}, {"obv", k_obv}, {"roc", k_roc},
};

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <bars.f64> <runs> <warmups>\n", argv[0]);
    return 1;
  }
  int runs = atoi(argv[2]), warmups = atoi(argv[3]);
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
    g_out[k] = malloc(sizeof(double) * (size_t)g_n);
    memset(g_out[k], 0, sizeof(double) * (size_t)g_n); /* fault the pages in before timing */
  }

  CHECK(TA_Initialize());
  long long *samples = malloc(sizeof(long long) * (size_t)runs);

  for (size_t i = 0; i < sizeof(KERNELS) / sizeof(KERNELS[0]); i++) {
    int nb = 0, outputs = 0;
    for (int w = 0; w < warmups; w++) {
      outputs = KERNELS[i].fn(&nb);
      g_sink += g_out[0][nb - 1];
    }
    for (int r = 0; r < runs; r++) {
      long long t0 = now_ns();
      outputs = KERNELS[i].fn(&nb);
      long long t1 = now_ns();
      g_sink += g_out[0][nb - 1];
      samples[r] = t1 - t0;
    }
    qsort(samples, (size_t)runs, sizeof(long long), cmp_ll);
    long long median = runs % 2 ? samples[runs / 2] : (samples[runs / 2 - 1] + samples[runs / 2]) / 2;
    printf("KERNEL %s %d %d %lld %lld ", KERNELS[i].id, g_n, runs, median, samples[0]);
    for (int k = 0; k < outputs; k++) printf(k ? ",%.17g" : "%.17g", g_out[k][nb - 1]);
    printf("\n");
    fflush(stdout);
  }
  fprintf(stderr, "sink %g\n", (double)g_sink);
  TA_Shutdown();
  return 0;
}

/*
 * talib-kernels.c — times one TA-Lib C kernel, the ceiling Candela's batch path is compared against.
 *
 * Built by bench/c-harness.ts with `gcc -O2` from the TA-Lib sources that the `talib` npm package
 * ships (node_modules/talib/src/lib/src: every ta_func, the abstract interface and ta_common), into
 * bench/build/ (git-ignored).
 *
 * Usage: talib-kernels <bars.f64> <runs> <warmups> <id> <FUNCTION> [<name>=<value> ...]
 *   bars.f64  raw little-endian doubles: the open, high, low, close and volume columns of n bars,
 *             one column after another (5 * n doubles), as written by bench/data.ts.
 *   id        the label printed back (Candela's indicator id).
 *   FUNCTION  TA-Lib's function name without TA_, e.g. "MACD".
 *   name=value
 *             an input: `inReal=close` (a real input by TA-Lib's parameter name), or `high=low` (a price
 *             input's component: TA-Lib's open/high/low/close/volume read our column `value`; a price
 *             component not given reads the column of its own name);
 *             or an option: `optInTimePeriod=20` (TA-Lib's option name, integer or real as the
 *             function declares it; an option not given keeps TA-Lib's default).
 *
 * The function is called through TA-Lib's abstract interface (TA_CallFunc), set up once before any
 * call: TA_CallFunc dispatches to the same TA_<FUNCTION> as a direct call, adding a constant per call
 * (a function-pointer call and argument checks), not per bar.
 *
 * `warmups` untimed calls, then `runs` calls each timed with clock_gettime(CLOCK_MONOTONIC); the median
 * is reported. Every call's output is folded into a global sink so the compiler cannot drop the work.
 * The kernel is timed in two ways:
 *
 *   KERNEL        outputs written into buffers allocated and page-faulted once, before timing
 *                 (the kernel's own speed; TA-Lib's internal temporary buffers are still malloc'd
 *                 per call, as TA-Lib does);
 *   KERNEL_FRESH  outputs in fresh zero pages mmap'd before and munmap'd after every call, inside the
 *                 timed region — what an API that returns newly allocated columns (Candela's
 *                 computeBatch, a new Float64Array per output) pays on top of the kernel.
 *
 * One machine-readable line per mode:
 *
 *   <KERNEL|KERNEL_FRESH> <id> <bars> <runs> <median_ns> <min_ns> <last_1>[,<last_2>...]
 *
 * where last_k is output k's value (TA-Lib's output order) on the final bar (checked against Candela
 * by the TS bench).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include "ta_libc.h"

#define MAX_OUTPUTS 8

/* Keeps every call's result observable. */
volatile double g_sink = 0.0;

static double *g_column[5]; /* open, high, low, close, volume */
static const char *COLUMN_NAMES[5] = {"open", "high", "low", "close", "volume"};
static double *g_out[MAX_OUTPUTS];
/* Output buffers allocated and faulted in once, for the KERNEL mode. */
static double *g_reused[MAX_OUTPUTS];
static int g_n;
static int g_outputs;
static TA_ParamHolder *g_params;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

#define CHECK(call)                                                           \
  do {                                                                        \
    TA_RetCode rc_ = (call);                                                  \
    if (rc_ != TA_SUCCESS) {                                                  \
      fprintf(stderr, "%s failed with TA_RetCode %d\n", #call, (int)rc_);     \
      exit(2);                                                                \
    }                                                                         \
  } while (0)

/* Our column by name ("open" .. "volume"); exits on an unknown name. */
static double *column_named(const char *name) {
  for (int k = 0; k < 5; k++) if (strcmp(name, COLUMN_NAMES[k]) == 0) return g_column[k];
  fprintf(stderr, "unknown column %s\n", name);
  exit(1);
}

/* The value of `name=value` among the arguments, or NULL. */
static const char *argument(int argc, char **argv, const char *name) {
  size_t length = strlen(name);
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') return argv[i] + length + 1;
  }
  return NULL;
}

/* Every argument must name one of the function's inputs, price components or options. */
static void check_arguments(const TA_FuncHandle *handle, const TA_FuncInfo *info, int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    if (!eq) { fprintf(stderr, "bad argument %s (want name=value)\n", argv[i]); exit(1); }
    size_t length = (size_t)(eq - argv[i]);
    int known = 0;
    for (unsigned j = 0; j < info->nbInput && !known; j++) {
      const TA_InputParameterInfo *in;
      CHECK(TA_GetInputParameterInfo(handle, j, &in));
      if (in->type == TA_Input_Price) {
        for (int k = 0; k < 5; k++) known |= strlen(COLUMN_NAMES[k]) == length && strncmp(argv[i], COLUMN_NAMES[k], length) == 0;
      } else {
        known |= strlen(in->paramName) == length && strncmp(argv[i], in->paramName, length) == 0;
      }
    }
    for (unsigned j = 0; j < info->nbOptInput && !known; j++) {
      const TA_OptInputParameterInfo *opt;
      CHECK(TA_GetOptInputParameterInfo(handle, j, &opt));
      known |= strlen(opt->paramName) == length && strncmp(argv[i], opt->paramName, length) == 0;
    }
    if (!known) { fprintf(stderr, "%s takes no %.*s\n", info->name, (int)length, argv[i]); exit(1); }
  }
}

/* Sets up g_params for FUNCTION with the name=value arguments; returns the number of outputs. */
static int set_up(const char *function, int argc, char **argv) {
  const TA_FuncHandle *handle;
  const TA_FuncInfo *info;
  if (TA_GetFuncHandle(function, &handle) != TA_SUCCESS) { fprintf(stderr, "no TA-Lib function %s\n", function); exit(1); }
  CHECK(TA_GetFuncInfo(handle, &info));
  check_arguments(handle, info, argc, argv);
  CHECK(TA_ParamHolderAlloc(handle, &g_params)); /* options start at TA-Lib's defaults */

  for (unsigned i = 0; i < info->nbInput; i++) {
    const TA_InputParameterInfo *in;
    CHECK(TA_GetInputParameterInfo(handle, i, &in));
    if (in->type == TA_Input_Price) {
      double *price[5] = {NULL, NULL, NULL, NULL, NULL};
      const int flags[5] = {TA_IN_PRICE_OPEN, TA_IN_PRICE_HIGH, TA_IN_PRICE_LOW, TA_IN_PRICE_CLOSE, TA_IN_PRICE_VOLUME};
      for (int k = 0; k < 5; k++) {
        if (!(in->flags & flags[k])) continue;
        const char *given = argument(argc, argv, COLUMN_NAMES[k]);
        price[k] = column_named(given ? given : COLUMN_NAMES[k]);
      }
      if (in->flags & TA_IN_PRICE_OPENINTEREST) { fprintf(stderr, "%s reads open interest\n", function); exit(1); }
      CHECK(TA_SetInputParamPricePtr(g_params, i, price[0], price[1], price[2], price[3], price[4], NULL));
    } else if (in->type == TA_Input_Real) {
      const char *given = argument(argc, argv, in->paramName);
      if (!given) { fprintf(stderr, "%s needs %s=<column>\n", function, in->paramName); exit(1); }
      CHECK(TA_SetInputParamRealPtr(g_params, i, column_named(given)));
    } else {
      fprintf(stderr, "%s: integer input %s is not supported\n", function, in->paramName);
      exit(1);
    }
  }
  for (unsigned i = 0; i < info->nbOptInput; i++) {
    const TA_OptInputParameterInfo *opt;
    CHECK(TA_GetOptInputParameterInfo(handle, i, &opt));
    const char *given = argument(argc, argv, opt->paramName);
    if (!given) continue;
    if (opt->type == TA_OptInput_RealRange || opt->type == TA_OptInput_RealList) {
      CHECK(TA_SetOptInputParamReal(g_params, i, atof(given)));
    } else {
      CHECK(TA_SetOptInputParamInteger(g_params, i, atoi(given)));
    }
  }
  if (info->nbOutput > MAX_OUTPUTS) { fprintf(stderr, "%s has more than %d outputs\n", function, MAX_OUTPUTS); exit(1); }
  for (unsigned i = 0; i < info->nbOutput; i++) {
    const TA_OutputParameterInfo *out;
    CHECK(TA_GetOutputParameterInfo(handle, i, &out));
    if (out->type != TA_Output_Real) { fprintf(stderr, "%s: integer output %s is not supported\n", function, out->paramName); exit(1); }
  }
  return (int)info->nbOutput;
}

/* Points every output column at fresh anonymous (zero, not yet faulted) pages. */
static void map_fresh_outputs(void) {
  for (int k = 0; k < g_outputs; k++) {
    g_out[k] = mmap(NULL, sizeof(double) * (size_t)g_n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g_out[k] == MAP_FAILED) { perror("mmap"); exit(2); }
  }
}

static void unmap_outputs(void) {
  for (int k = 0; k < g_outputs; k++) munmap(g_out[k], sizeof(double) * (size_t)g_n);
}

/*
 * Times the kernel (warm-ups, then `runs` timed calls) and prints its line. With `fresh`, every call
 * gets newly mapped output pages and the mapping and unmapping are inside the timed region.
 */
static void time_kernel(const char *id, int runs, int warmups, int fresh, long long *samples) {
  int begin = 0, nb = 0;
  double last[MAX_OUTPUTS] = {0};
  for (int r = -warmups; r < runs; r++) {
    long long t0 = now_ns();
    if (fresh) map_fresh_outputs();
    else for (int k = 0; k < g_outputs; k++) g_out[k] = g_reused[k];
    for (int k = 0; k < g_outputs; k++) CHECK(TA_SetOutputParamRealPtr(g_params, (unsigned)k, g_out[k]));
    CHECK(TA_CallFunc(g_params, 0, g_n - 1, &begin, &nb));
    for (int k = 0; k < g_outputs; k++) last[k] = nb > 0 ? g_out[k][nb - 1] : 0.0 / 0.0;
    if (fresh) unmap_outputs();
    long long t1 = now_ns();
    g_sink += last[0];
    if (r >= 0) samples[r] = t1 - t0;
  }
  qsort(samples, (size_t)runs, sizeof(long long), cmp_ll);
  long long median = runs % 2 ? samples[runs / 2] : (samples[runs / 2 - 1] + samples[runs / 2]) / 2;
  printf("%s %s %d %d %lld %lld ", fresh ? "KERNEL_FRESH" : "KERNEL", id, g_n, runs, median, samples[0]);
  for (int k = 0; k < g_outputs; k++) printf(k ? ",%.17g" : "%.17g", last[k]);
  printf("\n");
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: %s <bars.f64> <runs> <warmups> <id> <FUNCTION> [<name>=<value> ...]\n", argv[0]);
    return 1;
  }
  int runs = atoi(argv[2]), warmups = atoi(argv[3]);
  const char *id = argv[4];
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
  for (int k = 0; k < 5; k++) g_column[k] = all + (size_t)k * (size_t)g_n;

  CHECK(TA_Initialize());
  g_outputs = set_up(argv[5], argc - 6, argv + 6);
  for (int k = 0; k < g_outputs; k++) {
    g_reused[k] = malloc(sizeof(double) * (size_t)g_n);
    memset(g_reused[k], 0, sizeof(double) * (size_t)g_n); /* fault the pages in before timing */
  }

  long long *samples = malloc(sizeof(long long) * (size_t)runs);
  time_kernel(id, runs, warmups, 0, samples);
  time_kernel(id, runs, warmups, 1, samples);
  fprintf(stderr, "sink %g\n", (double)g_sink);
  TA_ParamHolderFree(g_params);
  TA_Shutdown();
  return 0;
}

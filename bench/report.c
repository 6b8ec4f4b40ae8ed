/* hfbench tables: medians, ratios of medians, peak RSS, and the goals of
 * issue 4. Output is Markdown so it can go into docs/performance.md as is. */
#include "hfcpus.h"             /* first: it defines _GNU_SOURCE */
#include "report.h"

#include <glib.h>
#include <gst/gst.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MIB (1024.0 * 1024.0)

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

double
hfb_median (double *v, int n)
{
  qsort (v, n, sizeof (double), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
cpu_model (char *buf, size_t len)
{
  FILE *f = fopen ("/proc/cpuinfo", "r");
  char line[512];

  snprintf (buf, len, "unknown");
  if (!f)
    return;
  while (fgets (line, sizeof (line), f)) {
    char *p;
    if (strncmp (line, "model name", 10) == 0 && (p = strchr (line, ':'))) {
      snprintf (buf, len, "%s", g_strstrip (p + 1));
      break;
    }
  }
  fclose (f);
}

static void
print_load (const char *when)
{
  FILE *f = fopen ("/proc/loadavg", "r");
  char line[128] = "";
  if (f) {
    if (!fgets (line, sizeof (line), f))
      line[0] = '\0';
    fclose (f);
  }
  printf ("Load average %s: %s\n", when, g_strstrip (line));
}

void
hfb_report_init (HfbReport * rep, const HfbSettings * s, const char *cmdline,
    int quick)
{
  char model[256];
  struct utsname u;
  guint ma, mi, mic, nano;

  memset (rep, 0, sizeof (*rep));
  cpu_model (model, sizeof (model));
  uname (&u);
  gst_version (&ma, &mi, &mic, &nano);
  printf ("# hfbench%s\n\n", quick ? " (quick smoke run: numbers mean "
      "nothing)" : "");
  printf ("Command: `%s`\n\n", cmdline);
  printf ("CPU: %s, %ld online CPUs; kernel %s; GStreamer %u.%u.%u; "
      "threads=N uses N=%d\n\n", model, sysconf (_SC_NPROCESSORS_ONLN),
      u.release, ma, mi, mic, s->cores);
  printf ("Every encoder: quality %d, 4:2:0 where it can choose "
      "(the JPEG column shows what was written), accurate DCT for "
      "TurboJPEG and hfjpegenc, jpegenc's own default (ifast) for stock.\n\n",
      s->quality);
  print_load ("at start");
  printf ("\n");
  fflush (stdout);
}

HfbGroup *
hfb_report_new_group (HfbReport * rep)
{
  HfbGroup *g = g_new0 (HfbGroup, 1);

  g_assert (rep->n < HFB_MAX_GROUPS);
  g->baseline = g->limit1 = g->limitn = g->hf_inline = -1;
  g->hf_t1 = g->hf_tn = g->draw = g->encode = g->serial = -1;
  g->draw_n = g->defaults = g->one_cpu = g->scaling = g->two_cpu = -1;
  g->grid = -1;
  rep->groups[rep->n++] = g;
  return g;
}

static void
summarize (HfbGroup * g)
{
  int i, r, n_other = 0;
  double other = 0;

  for (i = 0; i < g->n; i++) {
    double v[HFB_MAX_ROUNDS], cpu[HFB_MAX_ROUNDS], util[HFB_MAX_ROUNDS];
    int nv = 0;
    g->status[i] = HFB_OK;
    g->rss_kib[i] = 0;
    for (r = 0; r < g->rounds; r++) {
      HfbResult *res = &g->results[i][r];
      if (res->status != HFB_OK) {
        if (g->status[i] != HFB_ERROR)
          g->status[i] = res->status;
        continue;
      }
      if (res->seconds > 0 && res->frames_out > 0) {
        cpu[nv] = 1000.0 * res->cpu_seconds / res->frames_out;
        /* CPU time over what the CPUs it may use could give in that wall
         * time: at most 1 by construction (per round, then the median). */
        util[nv] = res->cpu_seconds / (res->seconds * (g->cfg[i].cpus > 0 ?
                g->cfg[i].cpus : (int) hf_cpus_usable ()));
        v[nv++] = res->frames_out / res->seconds;
      }
      other += res->other_cores;
      n_other++;
      if (res->maxrss_kib > g->rss_kib[i])
        g->rss_kib[i] = res->maxrss_kib;
    }
    if (g->status[i] != HFB_OK || nv == 0) {
      g->median[i] = 0;
      continue;
    }
    g->median[i] = hfb_median (v, nv);
    g->cpu_ms[i] = hfb_median (cpu, nv);
    g->util[i] = hfb_median (util, nv);
    g->best[i] = v[nv - 1];
  }
  g->other_cores = n_other ? other / n_other : 0;
}

static gboolean
ok (const HfbGroup * g, int i)
{
  return i >= 0 && i < g->n && g->status[i] == HFB_OK && g->median[i] > 0;
}

/* Ratio of two rows' medians, or 0 when either is missing. */
static double
ratio (const HfbGroup * g, int a, int b)
{
  return ok (g, a) && ok (g, b) ? g->median[a] / g->median[b] : 0;
}

/* The same from the fastest round of each row: closest to what an idle
 * machine would show, when other programs are running. */
static double
ratio_best (const HfbGroup * g, int a, int b)
{
  return ok (g, a) && ok (g, b) ? g->best[a] / g->best[b] : 0;
}

static void
range (const HfbGroup * g, int i, char *buf, size_t len)
{
  double lo = 1e30, hi = 0;
  int r;
  for (r = 0; r < g->rounds; r++) {
    const HfbResult *res = &g->results[i][r];
    double v;
    if (res->status != HFB_OK || res->seconds <= 0)
      continue;
    v = res->frames_out / res->seconds;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  if (hi == 0)
    snprintf (buf, len, "-");
  else
    snprintf (buf, len, "%.1f–%.1f", lo, hi);
}

static const char *
fmt_ratio (double v, char *buf, size_t len)
{
  if (v <= 0)
    snprintf (buf, len, "-");
  else
    snprintf (buf, len, "%.2f", v);
  return buf;
}

/* The fps cell, or why there is none. */
static const char *
fps_cell (const HfbGroup * g, int i, char *buf, size_t len)
{
  if (g->status[i] == HFB_MISSING)
    snprintf (buf, len, "n/a (%s)", strstr (g->results[i][0].message,
            "filtered") ? "filtered out" : "element missing");
  else if (g->status[i] != HFB_OK)
    snprintf (buf, len, "FAILED: %s", g->results[i][0].message);
  else
    snprintf (buf, len, "%.1f", g->median[i]);
  return buf;
}

static double
rss_delta_mib (const HfbGroup * g, int i)
{
  if (g->baseline < 0 || g->rss_kib[g->baseline] == 0 || g->rss_kib[i] == 0)
    return -1e9;
  return (g->rss_kib[i] - g->rss_kib[g->baseline]) / 1024.0;
}

/* issue 4: at most 64 MiB + (queue-depth + threads + 2) frames */
static double
budget_mib (const HfbGroup * g, const HfbConfig * c)
{
  return 64.0 + (c->enc_depth + c->enc_threads + 2) * g->frame_bytes / MIB;
}

static int
best_stock (const HfbGroup * g)
{
  int i, best = -1;
  for (i = 0; i < g->n_stock; i++)
    if (ok (g, g->stock[i])
        && (best < 0 || g->median[g->stock[i]] > g->median[best]))
      best = g->stock[i];
  return best;
}

static const char *
fmt_ms (const HfbGroup * g, int i, char *buf, size_t len)
{
  if (!ok (g, i))
    snprintf (buf, len, "-");
  else
    snprintf (buf, len, "%.2f", g->cpu_ms[i]);
  return buf;
}

static const char *
jpeg_cell (const HfbGroup * g, int i, char *buf, size_t len)
{
  const HfbResult *r0 = &g->results[i][0];
  if (!ok (g, i) || i == g->baseline)
    snprintf (buf, len, "-");
  else if (r0->enc_input[0])
    snprintf (buf, len, "%s from %s", hfb_subsamp_name (r0->jpeg_subsamp),
        r0->enc_input);
  else
    snprintf (buf, len, "%s from RGBA", hfb_subsamp_name (r0->jpeg_subsamp));
  return buf;
}

/* The mean JPEG size of configuration i in KiB, or "-". */
static const char *
kib_cell (const HfbGroup * g, int i, char *buf, size_t len)
{
  const HfbResult *r0 = &g->results[i][0];

  if (ok (g, i) && r0->frames_out > 0)
    snprintf (buf, len, "%.0f", r0->bytes_out / (double) r0->frames_out
        / 1024.0);
  else
    snprintf (buf, len, "-");
  return buf;
}

static void
print_encode (const HfbGroup * g, const HfbSettings * s)
{
  int i, bs = best_stock (g);
  char a[64], b[64], c[64], f[160], rg[64], jp[64], cm[32];

  printf ("| configuration | fps (median) | range | ÷ TJ 1 thr | "
      "÷ TJ %d thr | ÷ best stock | CPU ms/frame | JPEG | KiB/frame | "
      "peak RSS Δ MiB (budget) |\n", s->cores);
  printf ("|---|--:|--:|--:|--:|--:|--:|---|--:|--:|\n");
  for (i = 0; i < g->n; i++) {
    const HfbConfig *cf = &g->cfg[i];
    char rss[64], kib[32];
    double dm = rss_delta_mib (g, i);

    range (g, i, rg, sizeof (rg));
    if (cf->kind == HFB_LIMIT || i == g->baseline || dm < -1e8)
      snprintf (rss, sizeof (rss), i == g->baseline && g->rss_kib[i] ?
          "(%.0f MiB total)" : "-", g->rss_kib[i] / 1024.0);
    else if (cf->enc_depth > 0)
      snprintf (rss, sizeof (rss), "%.1f (≤ %.0f)", dm, budget_mib (g, cf));
    else
      snprintf (rss, sizeof (rss), "%.1f", dm);
    if (i == g->baseline)
      snprintf (kib, sizeof (kib), "-");
    else
      kib_cell (g, i, kib, sizeof (kib));
    printf ("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
        cf->label, fps_cell (g, i, f, sizeof (f)), rg,
        i == g->baseline ? "-" : fmt_ratio (ratio (g, i, g->limit1), a, 64),
        i == g->baseline ? "-" : fmt_ratio (ratio (g, i, g->limitn), b, 64),
        i == g->baseline ? "-" : fmt_ratio (ratio (g, i, bs), c, 64),
        fmt_ms (g, i, cm, sizeof (cm)), jpeg_cell (g, i, jp, sizeof (jp)),
        kib, rss);
  }
  if (bs >= 0)
    printf ("\nBest stock pipeline here: %s.\n", g->cfg[bs].label);
  if (ok (g, g->limit1) && ok (g, g->hf_t1) && ok (g, g->hf_tn))
    printf ("\nCPU time per frame (less sensitive to other load than fps): "
        "hfjpegenc threads=1 %.2f ms, threads=%d %.2f ms, TurboJPEG loop "
        "%.2f ms: hfjpegenc spends %+.1f%% over the bare library.\n",
        g->cpu_ms[g->hf_t1], s->cores, g->cpu_ms[g->hf_tn],
        g->cpu_ms[g->limit1],
        100.0 * (g->cpu_ms[g->hf_t1] / g->cpu_ms[g->limit1] - 1.0));
}

static double
ms (const HfbGroup * g, int i)
{
  return ok (g, i) ? 1000.0 / g->median[i] : 0;
}

/* The fastest hand-tuned pair (hfdrawsrc threads x hfjpegenc threads). */
static int
best_pair (const HfbGroup * g)
{
  int i, best = -1;

  for (i = g->grid; g->grid >= 0 && i < g->grid + g->grid_n; i++)
    if (ok (g, i) && (best < 0 || g->median[i] > g->median[best]))
      best = i;
  return best;
}

/* Amdahl's serial fraction of the defaults, from their fps on 1 and 2
 * CPUs: with speedup S on 2 CPUs, f = 2 / S - 1. -1 when unknown. */
static double
serial_fraction (const HfbGroup * g)
{
  double sp = ratio (g, g->two_cpu, g->one_cpu);

  if (sp <= 0 || g->two_cpu == g->one_cpu)
    return -1;
  return CLAMP (2 / sp - 1, 0.0, 1.0);
}

/* The row of the defaults on exactly k CPUs, or -1. */
static int
defaults_on (const HfbGroup * g, int k)
{
  if (k == (int) hf_cpus_usable ())
    return g->defaults;
  for (int i = g->scaling; i >= 0 && i < g->scaling + g->scaling_n; i++)
    if (g->cfg[i].cpus == k)
      return i;
  return -1;
}

/* Amdahl's projection onto 4, 8 and 16 CPUs (and all of this machine's),
 * beside what the defaults measured where this machine has that many. */
static void
print_projection (const HfbGroup * g)
{
  const int all = (int) hf_cpus_usable ();
  double f = serial_fraction (g);
  int ks[40], n = 0;

  if (f < 0)
    return;
  printf ("\nProjection of the defaults onto more CPUs (Amdahl, serial "
      "fraction %.3f fitted on 1 and 2 CPUs):\n\n", f);
  printf ("| CPUs | projected fps | measured fps | measured ÷ projected |\n"
      "|--:|--:|--:|--:|\n");
  /* 4, 8, 16, the powers of two between 16 and all, and all. */
  for (int k = 4; k <= 16 || k < all; k *= 2)
    ks[n++] = k;
  if (all > 16 && ks[n - 1] != all)
    ks[n++] = all;
  for (int i = 0; i < n; i++) {
    double proj = g->median[g->one_cpu] / (f + (1 - f) / ks[i]);
    int row = defaults_on (g, ks[i]);

    if (row >= 0 && ok (g, row))
      printf ("| %d | %.0f | %.1f | %.2f |\n", ks[i], proj, g->median[row],
          g->median[row] / proj);
    else
      printf ("| %d | %.0f | - | - |\n", ks[i], proj);
  }
}

static void
print_e2e (const HfbGroup * g, const HfbSettings * s)
{
  double draw = g->cpu_ms[g->draw], enc = g->cpu_ms[g->encode];
  long cores = hf_cpus_usable ();
  int i, bp = best_pair (g);
  char fc[160], rg[64], cm[32];

  printf ("| configuration | fps (median) | range | ms/frame | "
      "CPU ms/frame | peak RSS Δ MiB vs 1-thread draw |\n");
  printf ("|---|--:|--:|--:|--:|--:|\n");
  for (i = 0; i < g->n; i++) {
    char rss[64];
    double dm = rss_delta_mib (g, i);
    range (g, i, rg, sizeof (rg));
    if (i == g->baseline || i == g->encode || dm < -1e8)
      snprintf (rss, sizeof (rss), "-");
    else
      snprintf (rss, sizeof (rss), "%.1f", dm);
    printf ("| %s | %s | %s | %.2f | %s | %s |\n", g->cfg[i].label,
        fps_cell (g, i, fc, sizeof (fc)), rg, ms (g, i),
        fmt_ms (g, i, cm, sizeof (cm)), rss);
  }
  if (!ok (g, g->draw) || !ok (g, g->encode))
    return;
  printf ("\nPaid alone, per frame: draw %.2f ms CPU (1 thread), encode "
      "%.2f ms CPU (queue-depth 1).\n\n", draw, enc);
  printf ("| pipeline | fps | fps ÷ CPU bound | CPU ÷ (draw + encode "
      "alone) | speedup over serial | ÷ best pair |\n");
  printf ("|---|--:|--:|--:|--:|--:|\n");
  for (i = g->defaults; i < g->n; i++) {
    if (!ok (g, i))
      continue;
    printf ("| %s | %.1f | %.2f | %.2f | %.2f | %.2f |\n", g->cfg[i].label,
        g->median[i], g->util[i], g->cpu_ms[i] / (draw + enc),
        ratio (g, i, g->serial), bp >= 0 ? ratio (g, i, bp) : 0);
  }
  printf ("\nfps ÷ CPU bound: the CPU bound is the CPUs the pipeline may "
      "use (%ld, or 1 with affinity) ÷ its CPU time per frame in the same "
      "round; the ratio is its CPU time ÷ (CPUs × wall time), at most 1.\n",
      cores);
  print_projection (g);
  (void) s;
}

static void
print_simple (const HfbGroup * g)
{
  int i;
  char f[160], rg[64];

  printf ("| configuration | fps (median) | range | ms/frame | peak RSS MiB "
      "| Δ vs first row |\n");
  printf ("|---|--:|--:|--:|--:|--:|\n");
  for (i = 0; i < g->n; i++) {
    range (g, i, rg, sizeof (rg));
    if (!ok (g, i) || !ok (g, 0)) {
      printf ("| %s | %s | - | - | - | - |\n", g->cfg[i].label,
          fps_cell (g, i, f, sizeof (f)));
      continue;
    }
    printf ("| %s | %s | %s | %.2f | %.1f | %.1f |\n", g->cfg[i].label,
        fps_cell (g, i, f, sizeof (f)), rg, ms (g, i),
        g->rss_kib[i] / 1024.0, (g->rss_kib[i] - g->rss_kib[0]) / 1024.0);
  }
  if (g->kind == HFB_GROUP_STATIC && ok (g, 0) && ok (g, 1))
    printf ("\nStatic ÷ animated throughput: %.1f\n", ratio (g, 1, 0));
  if (g->kind == HFB_GROUP_MEMORY && g->n == 4 && ok (g, 2) && ok (g, 3))
    printf ("\nEncoder memory above its input (Δ vs appsrc of the same "
        "length): %.1f MiB after %d frames, %.1f MiB after %d frames.\n",
        (g->rss_kib[2] - g->rss_kib[0]) / 1024.0, g->cfg[2].frames,
        (g->rss_kib[3] - g->rss_kib[1]) / 1024.0, g->cfg[3].frames);
}

/* Input formats: what gathering and colour conversion add to the CPU time
 * of a frame, over the zero-copy planar encode of the same pictures. */
static void
print_formats (const HfbGroup * g)
{
  int i;
  char f[160], rg[64], cm[32], kib[32];

  printf ("| input | fps (median) | range | CPU ms/frame | extra CPU "
      "÷ zero-copy | JPEG | KiB/frame |\n");
  printf ("|---|--:|--:|--:|--:|---|--:|\n");
  for (i = 0; i < g->n; i++) {
    int p = g->planar[i];
    char extra[32], jp[64];

    range (g, i, rg, sizeof (rg));
    if (p != i && ok (g, i) && ok (g, p))
      snprintf (extra, sizeof (extra), "%+.3f",
          g->cpu_ms[i] / g->cpu_ms[p] - 1.0);
    else
      snprintf (extra, sizeof (extra), "-");
    printf ("| %s | %s | %s | %s | %s | %s | %s |\n", g->cfg[i].label,
        fps_cell (g, i, f, sizeof (f)), rg, fmt_ms (g, i, cm, sizeof (cm)),
        extra, jpeg_cell (g, i, jp, sizeof (jp)), kib_cell (g, i, kib,
            sizeof (kib)));
  }
  printf ("\nOne encoder thread, inline (queue-depth=1): CPU time per frame "
      "is the encode's. Instruction counts (callgrind, docs/performance.md) "
      "measure the same without the noise.\n");
}

/* Slices: the latency of one frame at a time, and the defaults'
 * throughput, with and without bands. */
static void
print_slices (const HfbGroup * g)
{
  int i;
  char f[160], rg[64], cm[32], kib[32];

  printf ("| configuration | fps (median) | range | ms/frame (wall) | "
      "CPU ms/frame | KiB/frame |\n");
  printf ("|---|--:|--:|--:|--:|--:|\n");
  for (i = 0; i < g->n; i++) {

    range (g, i, rg, sizeof (rg));
    printf ("| %s | %s | %s | %.2f | %s | %s |\n", g->cfg[i].label,
        fps_cell (g, i, f, sizeof (f)), rg, ok (g, i) ? 1000.0 /
        g->median[i] : 0.0, fmt_ms (g, i, cm, sizeof (cm)),
        kib_cell (g, i, kib, sizeof (kib)));
  }
  printf ("\nWith queue-depth=1 the streaming thread waits for each frame, "
      "so the wall time per frame is its latency through the encoder. "
      "Latency with slices=2 ÷ without: %.2f; the defaults' throughput "
      "with slices=2 ÷ without: %.2f.\n", ratio (g, 0, 1),
      ratio (g, g->defaults + 1, g->defaults));
}

void
hfb_report_group (HfbReport * rep, HfbGroup * g, const HfbSettings * s)
{
  summarize (g);
  printf ("## %s\n\n", g->title);
  if (g->kind == HFB_GROUP_ENCODE || g->kind == HFB_GROUP_E2E
      || g->kind == HFB_GROUP_FORMATS || g->kind == HFB_GROUP_SLICES)
    printf ("%d frames per configuration, median of %d interleaved "
        "round(s).\n\n", g->frames, g->rounds);
  else
    printf ("%d round(s).\n\n", g->rounds);
  printf ("Other processes kept %.2f of %ld CPUs busy on average while this "
      "group ran.\n\n", g->other_cores, sysconf (_SC_NPROCESSORS_ONLN));
  switch (g->kind) {
    case HFB_GROUP_ENCODE:
      print_encode (g, s);
      break;
    case HFB_GROUP_E2E:
      print_e2e (g, s);
      break;
    case HFB_GROUP_FORMATS:
      print_formats (g);
      break;
    case HFB_GROUP_SLICES:
      print_slices (g);
      break;
    default:
      print_simple (g);
  }
  printf ("\n");
  fflush (stdout);
}

/* One row of the goals table. `best` is the same ratio from the fastest
 * rounds (0: not applicable). */
static void
goal (const char *what, double v, double best, double target,
    gboolean at_most, const char *note)
{
  const char *res = v <= 0 && !at_most ? "n/a" :
      (at_most ? v <= target : v >= target) ? "PASS" : "MISS";
  char val[32], bv[32];
  if (v <= 0 && !at_most)
    snprintf (val, sizeof (val), "-");
  else
    snprintf (val, sizeof (val), "%.2f", v);
  if (best > 0)
    snprintf (bv, sizeof (bv), "%.2f", best);
  else
    snprintf (bv, sizeof (bv), "-");
  printf ("| %s | %s %.2f | %s | %s | %s | %s |\n", what,
      at_most ? "≤" : "≥", target, val, res, bv, note ? note : "");
}

static HfbGroup *
find (HfbReport * rep, HfbGroupKind kind, const char *content, int width)
{
  int i;
  HfbGroup *best = NULL;
  for (i = 0; i < rep->n; i++) {
    HfbGroup *g = rep->groups[i];
    if (g->kind != kind || (content && g_strcmp0 (g->content, content)))
      continue;
    if (width > 0 && g->width == width)
      return g;
    if (!best || g->width > best->width)
      best = g;
  }
  return best;
}

static void
print_e2e_goals (HfbReport * rep)
{
  char note[160];
  int i;

  printf ("## Goals (issue 10: parallel drawing, fast defaults)\n\n");
  printf ("| ratio | goal | measured (medians) | result | from the fastest "
      "rounds | note |\n");
  printf ("|---|--:|--:|---|--:|---|\n");
  for (i = 0; i < rep->n; i++) {
    HfbGroup *e = rep->groups[i];
    int bp, nd;
    double mem;

    if (e->kind != HFB_GROUP_E2E || !ok (e, e->defaults))
      continue;
    bp = best_pair (e);
    goal ("defaults ÷ CPU bound", e->util[e->defaults], 0, 0.90, FALSE,
        e->title);
    snprintf (note, sizeof (note), "%s; best other pair: %s", e->title,
        bp >= 0 ? e->cfg[bp].label : "-");
    goal ("defaults ÷ best hand-tuned pair", ratio (e, e->defaults, bp),
        ratio_best (e, e->defaults, bp), 0.95, FALSE, note);
    goal ("defaults, all CPUs ÷ 1 CPU", ratio (e, e->defaults, e->one_cpu),
        ratio_best (e, e->defaults, e->one_cpu), 1.8, FALSE, e->title);
    /* Drawing scales where drawing dominates; the table has the rest. */
    if (strcmp (e->content, "heavy") == 0) {
      snprintf (note, sizeof (note), "%s; %s", e->title,
          e->cfg[e->draw_n].label);
      goal ("draw alone, N threads ÷ 1 thread", ratio (e, e->draw_n,
              e->draw), ratio_best (e, e->draw_n, e->draw), 1.8, FALSE, note);
    }
    nd = e->cfg[e->draw_n].draw_threads;
    mem = rss_delta_mib (e, e->draw_n);
    snprintf (note, sizeof (note), "%s; look-ahead %d + 1 frames of %.1f "
        "MiB", e->title, nd, e->frame_bytes / MIB);
    if (mem > -1e8)
      goal ("memory above threads=1, MiB", mem, 0,
          (nd + 1) * e->frame_bytes / MIB, TRUE, note);
  }
  printf ("\n");
}

void
hfb_report_goals (HfbReport * rep, const HfbSettings * s)
{
  HfbGroup *g = find (rep, HFB_GROUP_ENCODE, "detailed", 1920);
  HfbGroup *st = find (rep, HFB_GROUP_STATIC, NULL, 0);
  HfbGroup *mem = find (rep, HFB_GROUP_MEMORY, NULL, 0);
  HfbGroup *sl = find (rep, HFB_GROUP_SLICES, NULL, 0);
  char note[128];
  int i, n = s->cores;

  printf ("## Goals (issue 4)\n\n");
  if (g)
    printf ("Encode rows from \"%s\".\n\n", g->title);
  printf ("| ratio | goal | measured (medians) | result | from the fastest "
      "rounds | note |\n");
  printf ("|---|--:|--:|---|--:|---|\n");
  if (g) {
    int bs = best_stock (g);
    snprintf (note, sizeof (note), "N = %d", n);
    goal ("hfjpegenc threads=1 ÷ raw TurboJPEG 1 thread", ratio (g, g->hf_t1,
            g->limit1), ratio_best (g, g->hf_t1, g->limit1), 0.95, FALSE, NULL);
    goal ("hfjpegenc threads=N ÷ hfjpegenc threads=1", ratio (g, g->hf_tn,
            g->hf_t1), ratio_best (g, g->hf_tn, g->hf_t1), 1.8, FALSE, note);
    goal ("hfjpegenc threads=N ÷ raw TurboJPEG N threads", ratio (g,
            g->hf_tn, g->limitn), ratio_best (g, g->hf_tn, g->limitn), 0.90,
        FALSE, note);
    goal ("hfjpegenc threads=N ÷ best stock pipeline", ratio (g, g->hf_tn,
            bs), ratio_best (g, g->hf_tn, bs), 2.0, FALSE,
        bs >= 0 ? g->cfg[bs].label : NULL);
  }
  if (st)
    goal ("static composition ÷ animated, throughput", ratio (st, 1, 0),
        ratio_best (st, 1, 0), 10.0, FALSE, st->title);
  if (g) {
    double worst = 0, worst_budget = 0;
    for (i = 0; i < rep->n; i++) {
      HfbGroup *e = rep->groups[i];
      int j;
      if (e->kind != HFB_GROUP_ENCODE)
        continue;
      for (j = 0; j < e->n; j++) {
        double dm = rss_delta_mib (e, j), b;
        if (e->cfg[j].enc_depth <= 0 || !ok (e, j) || dm < -1e8)
          continue;
        b = budget_mib (e, &e->cfg[j]);
        if (worst_budget == 0 || dm / b > worst / worst_budget) {
          worst = dm;
          worst_budget = b;
        }
      }
    }
    if (worst_budget > 0) {
      snprintf (note, sizeof (note), "worst hfjpegenc row, budget %.0f MiB",
          worst_budget);
      goal ("memory above input frames, MiB", worst, 0, worst_budget, TRUE,
          note);
    }
  }
  if (mem && mem->n == 4 && ok (mem, 2) && ok (mem, 3)) {
    double growth = ((mem->rss_kib[3] - mem->rss_kib[1]) -
        (mem->rss_kib[2] - mem->rss_kib[0])) / 1024.0;
    snprintf (note, sizeof (note), "%d vs %d frames; allowance 4 MiB of "
        "allocator noise", mem->cfg[2].frames, mem->cfg[3].frames);
    goal ("encoder memory growth with stream length, MiB", growth, 0, 4.0,
        TRUE, note);
  }
  printf ("\n");
  if (sl && ok (sl, 0) && ok (sl, 1)) {
    printf ("## Goals (issue 12, slices)\n\n\"%s\": latency is the wall time "
        "of a frame with queue-depth=1.\n\n", sl->title);
    printf ("| ratio | goal | measured (medians) | result | from the fastest "
        "rounds | note |\n");
    printf ("|---|--:|--:|---|--:|---|\n");
    goal ("latency, slices=2 ÷ slices=1", ratio (sl, 0, 1), ratio_best (sl,
            0, 1), 0.6, TRUE, "queue-depth=1, threads=2");
    printf ("\n");
  }
  print_e2e_goals (rep);
  print_load ("at end");
  fflush (stdout);
}

/* hfbench: how fast hfjpegenc and hfdrawsrc are, next to the limit
 * (TurboJPEG in a plain loop) and to stock GStreamer, in one run.
 *
 * Every configuration runs in its own forked child: each starts from the
 * same memory image (the preloaded frames), cannot disturb the next one,
 * and its peak RSS comes from wait4(). Rounds interleave configurations
 * (A B C ..., A B C ...) so slow drift of a shared machine hits all alike;
 * the table shows medians, and every ratio is a ratio of medians of this
 * run. It asserts nothing about speed. It exits non-zero only when a
 * configuration fails or delivers the wrong number of frames. */
#define _GNU_SOURCE
#include "hfbench.h"
#include "hfcpus.h"
#include "report.h"

#include <errno.h>
#include <glib.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <turbojpeg.h>
#include <unistd.h>

static gint opt_frames = 240;
static gint opt_rounds = 5;
static gchar *opt_size = NULL;
static gint opt_quality = 85;
static gint opt_threads = 0;
static gboolean opt_full = FALSE;
static gboolean opt_quick = FALSE;
static gchar *opt_only = NULL;
static gchar *opt_content = NULL;
static gint opt_draw_frames = 150;
static gchar *opt_dump = NULL;
static gchar *opt_filter = NULL;

static GOptionEntry entries[] = {
  {"frames", 'n', 0, G_OPTION_ARG_INT, &opt_frames,
      "Frames per encode configuration (default 240); larger sizes than "
        "1920x1080 get proportionally fewer", "N"},
  {"rounds", 'r', 0, G_OPTION_ARG_INT, &opt_rounds,
      "Interleaved rounds; the median is reported (default 5)", "N"},
  {"size", 's', 0, G_OPTION_ARG_STRING, &opt_size,
      "Only this frame size (default 1280x720 and 1920x1080)", "WxH"},
  {"quality", 'q', 0, G_OPTION_ARG_INT, &opt_quality,
      "JPEG quality for every encoder (default 85)", "Q"},
  {"threads", 't', 0, G_OPTION_ARG_INT, &opt_threads,
      "N for the threads=N rows (default: the CPUs it may use)", "N"},
  {"draw-frames", 0, 0, G_OPTION_ARG_INT, &opt_draw_frames,
      "Frames per end-to-end configuration (default 150)", "N"},
  {"full", 0, 0, G_OPTION_ARG_NONE, &opt_full, "Add 3840x2160", NULL},
  {"quick", 0, 0, G_OPTION_ARG_NONE, &opt_quick,
      "Seconds-long smoke run: tiny frame counts, 1 round, 720p only", NULL},
  {"only", 0, 0, G_OPTION_ARG_STRING, &opt_only,
        "Comma-separated groups: encode, e2e, static, formats, slices, memory "
        "(default all)",
      "LIST"},
  {"filter", 0, 0, G_OPTION_ARG_STRING, &opt_filter,
        "Run only configurations whose label contains TEXT (for profiling)",
      "TEXT"},
  {"dump", 0, 0, G_OPTION_ARG_FILENAME, &opt_dump,
      "Write the first two input frames of each content and size as PPM "
        "files into DIR, then exit", "DIR"},
  {"content", 0, 0, G_OPTION_ARG_STRING, &opt_content,
      "flat, detailed or both (default both)", "C"},
  {NULL}
};

static int failures = 0;

static gboolean
want (const char *group)
{
  gchar **v;
  gboolean ok;
  if (opt_only == NULL)
    return TRUE;
  v = g_strsplit (opt_only, ",", -1);
  ok = g_strv_contains ((const gchar * const *) v, group);
  g_strfreev (v);
  return ok;
}

/* Busy CPU time of the whole machine, in seconds, from /proc/stat. */
static double
machine_busy_seconds (void)
{
  unsigned long long v[8] = { 0 };
  FILE *f = fopen ("/proc/stat", "r");
  long hz = sysconf (_SC_CLK_TCK);
  int n = 0;

  if (f) {
    n = fscanf (f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
        &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose (f);
  }
  if (n < 8 || hz <= 0)
    return -1;
  /* user nice system [idle iowait] irq softirq steal */
  return (double) (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / hz;
}

int
hfb_first_cpus (int *cpus, int max)
{
  cpu_set_t mine;
  int n = 0;

  if (sched_getaffinity (0, sizeof (mine), &mine) == 0)
    for (int k = 0; k < CPU_SETSIZE && n < max; k++)
      if (CPU_ISSET (k, &mine))
        cpus[n++] = k;
  return n;
}

/* Runs one configuration in a child process. */
static void
run_forked (const HfbConfig * c, const HfbFrames * f, const HfbSettings * s,
    HfbResult * r)
{
  int fds[2], st = 0;
  pid_t pid;
  struct rusage ru;
  ssize_t got = 0;
  double busy0, busy1, t0, wall;

  memset (r, 0, sizeof (*r));
  r->jpeg_subsamp = -1;
  if (pipe (fds) != 0) {
    r->status = HFB_ERROR;
    snprintf (r->message, sizeof (r->message), "pipe: %s", strerror (errno));
    return;
  }
  fflush (stdout);
  fflush (stderr);
  busy0 = machine_busy_seconds ();
  t0 = hfb_now ();
  pid = fork ();
  if (pid == 0) {
    HfbResult res;
    const char *p = (const char *) &res;
    size_t left = sizeof (res);
    memset (&res, 0, sizeof (res));
    res.jpeg_subsamp = -1;
    close (fds[0]);
    if (c->cpus > 0) {
      /* As taskset would, on the first c->cpus of the CPUs hfbench may
       * use: every thread it makes inherits the mask, and the elements'
       * "one per CPU" defaults see only these CPUs. */
      int cpus[CPU_SETSIZE], n = hfb_first_cpus (cpus, c->cpus);
      cpu_set_t set;
      CPU_ZERO (&set);
      for (int k = 0; k < n; k++)
        CPU_SET (cpus[k], &set);
      sched_setaffinity (0, sizeof (set), &set);
    }
    if (c->kind == HFB_LIMIT)
      hfb_run_limit (c, f, s, &res);
    else
      hfb_run_gst (c, f, s, &res);
    while (left > 0) {
      ssize_t w = write (fds[1], p, left);
      if (w <= 0)
        break;
      p += w;
      left -= (size_t) w;
    }
    _exit (0);
  }
  close (fds[1]);
  if (pid < 0) {
    close (fds[0]);
    r->status = HFB_ERROR;
    snprintf (r->message, sizeof (r->message), "fork: %s", strerror (errno));
    return;
  }
  while ((size_t) got < sizeof (*r)) {
    ssize_t n = read (fds[0], (char *) r + got, sizeof (*r) - (size_t) got);
    if (n <= 0)
      break;
    got += n;
  }
  close (fds[0]);
  while (wait4 (pid, &st, 0, &ru) < 0 && errno == EINTR);
  busy1 = machine_busy_seconds ();
  wall = hfb_now () - t0;
  if ((size_t) got != sizeof (*r)) {
    memset (r, 0, sizeof (*r));
    r->status = HFB_ERROR;
    if (WIFSIGNALED (st))
      snprintf (r->message, sizeof (r->message), "child killed by signal %d",
          WTERMSIG (st));
    else
      snprintf (r->message, sizeof (r->message), "child exited early (%d)",
          WEXITSTATUS (st));
  }
  r->maxrss_kib = ru.ru_maxrss;
  /* How much of the machine others used meanwhile: the noise indicator. */
  if (busy0 >= 0 && busy1 >= 0 && wall > 0) {
    double own = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
        ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
    r->other_cores = MAX (0.0, (busy1 - busy0 - own) / wall);
  }
  if (r->status == HFB_OK && r->frames_out != c->expect_frames) {
    r->status = HFB_ERROR;
    snprintf (r->message, sizeof (r->message),
        "%" G_GINT64_FORMAT " frames out, expected %d", r->frames_out,
        c->expect_frames);
  }
}

/* Runs the group's configurations in interleaved rounds. */
static void
run_group (HfbGroup * g, const HfbFrames * f, const HfbSettings * s)
{
  int round, i;

  for (round = 0; round < g->rounds; round++) {
    for (i = 0; i < g->n; i++) {
      HfbResult *r = &g->results[i][round];
      if (opt_filter && !strstr (g->cfg[i].label, opt_filter)
          && i != g->baseline) {
        memset (r, 0, sizeof (*r));
        r->status = HFB_MISSING;
        snprintf (r->message, sizeof (r->message), "filtered out");
        continue;
      }
      run_forked (&g->cfg[i], f, s, r);
      fprintf (stderr, "  [%s] round %d/%d  %-44s %s\n", g->title, round + 1,
          g->rounds, g->cfg[i].label,
          r->status == HFB_OK ? "ok" :
          r->status == HFB_MISSING ? "n/a" : r->message);
      if (r->status == HFB_ERROR)
        failures++;
    }
  }
}

static HfbConfig *
add (HfbGroup * g, const char *label, HfbKind kind)
{
  HfbConfig *c = &g->cfg[g->n++];
  g_assert (g->n <= HFB_MAX_CONFIGS);
  memset (c, 0, sizeof (*c));
  c->label = label;
  c->kind = kind;
  c->format = "RGBA";
  return c;
}

static HfbConfig *
add_enc (HfbGroup * g, const char *label, HfbKind kind, int q, int threads,
    int depth)
{
  HfbConfig *c = add (g, label, kind);
  /* threads -1: the element's default (one per CPU the process may use) */
  int t = threads >= 0 ? threads : (int) hf_cpus_usable ();

  c->chain = depth > 0 ?
      g_strdup_printf ("hfjpegenc quality=%d threads=%d queue-depth=%d", q,
      threads, depth) : threads >= 0 ?
      g_strdup_printf ("hfjpegenc quality=%d threads=%d", q, threads) :
      g_strdup_printf ("hfjpegenc quality=%d", q);
  c->enc_threads = t;
  /* queue-depth 0 means threads + 1, at least 2 */
  c->enc_depth = depth > 0 ? depth : MAX (2, t + 1);
  c->needs[0] = "hfjpegenc";
  return c;
}

static void
encode_group (HfbGroup * g, const HfbFrames * f, const HfbSettings * s,
    int frames)
{
  const int q = s->quality, n = s->cores;
  HfbConfig *c;

  c = add (g, "appsrc ! fakesink (baseline)", HFB_APPSRC);
  c->chain = g_strdup ("");
  g->baseline = 0;

  c = add (g, "TurboJPEG loop, 1 thread", HFB_LIMIT);
  c->tj_threads = 1;
  c->tj_flags = TJFLAG_ACCURATEDCT;
  g->limit1 = 1;
  c = add (g, g_strdup_printf ("TurboJPEG loop, %d threads", n), HFB_LIMIT);
  c->tj_threads = n;
  c->tj_flags = TJFLAG_ACCURATEDCT;
  g->limitn = 2;
  c = add (g, "TurboJPEG loop, 1 thread, fast DCT", HFB_LIMIT);
  c->tj_threads = 1;
  c->tj_flags = TJFLAG_FASTDCT;

  add_enc (g, "hfjpegenc queue-depth=1 (inline)", HFB_APPSRC, q, 1, 1);
  g->hf_inline = g->n - 1;
  add_enc (g, "hfjpegenc threads=1 (depth 2)", HFB_APPSRC, q, 1, 0);
  g->hf_t1 = g->n - 1;
  add_enc (g, g_strdup_printf ("hfjpegenc threads=%d (depth %d)", n,
          MAX (2, n + 1)), HFB_APPSRC, q, n, 0);
  g->hf_tn = g->n - 1;

  c = add (g, "jpegenc on RGBx", HFB_APPSRC);
  c->format = "RGBx";
  c->chain = g_strdup_printf ("jpegenc quality=%d", q);
  c->needs[0] = "jpegenc";
  g->stock[0] = g->n - 1;
  c = add (g, "videoconvert ! jpegenc", HFB_APPSRC);
  c->chain = g_strdup_printf ("videoconvert ! jpegenc quality=%d", q);
  c->needs[0] = "jpegenc";
  g->stock[1] = g->n - 1;
  c = add (g, "queue ! videoconvert ! queue ! jpegenc", HFB_APPSRC);
  c->chain = g_strdup_printf ("queue ! videoconvert ! queue ! "
      "jpegenc quality=%d", q);
  c->needs[0] = "jpegenc";
  g->stock[2] = g->n - 1;
  /* What a user who knows JPEG would write: 4:2:0 like ours. */
  c = add (g, "queue ! videoconvert ! I420 ! queue ! jpegenc", HFB_APPSRC);
  c->chain = g_strdup_printf ("queue ! videoconvert ! "
      "video/x-raw,format=I420 ! queue ! jpegenc quality=%d", q);
  c->needs[0] = "jpegenc";
  g->stock[3] = g->n - 1;
  g->n_stock = 4;

  for (int i = 0; i < g->n; i++) {
    g->cfg[i].frames = frames;
    g->cfg[i].expect_frames = frames;
  }
}

static void
dump_frames (const HfbFrames * f)
{
  int k, i;
  for (k = 0; k < 2 && k < f->n; k++) {
    char *path = g_strdup_printf ("%s/%s-%dx%d-%d.ppm", opt_dump, f->content,
        f->width, f->height, k);
    FILE *fp = fopen (path, "wb");
    if (fp) {
      fprintf (fp, "P6\n%d %d\n255\n", f->width, f->height);
      for (i = 0; i < f->width * f->height; i++)
        fwrite (f->data[k] + 4 * (size_t) i, 1, 3, fp);
      fclose (fp);
    }
    g_free (path);
  }
}

static int
scaled_frames (int w, int h)
{
  double v = (double) opt_frames * 1920.0 * 1080.0 / ((double) w * h);
  int n = (int) (v + 0.5);
  /* fewer frames for larger sizes, never more for smaller ones */
  if (n > opt_frames)
    n = opt_frames;
  return n < 8 ? 8 : n;
}

static void
bench_encode (const HfbSettings * s, int sizes[][2], int n_sizes,
    HfbReport * rep)
{
  const char *contents[2] = { "flat", "detailed" };
  int si, ci;

  for (si = 0; si < n_sizes; si++) {
    for (ci = 0; ci < 2; ci++) {
      HfbGroup *g;
      HfbFrames f;
      int w = sizes[si][0], h = sizes[si][1];
      int frames = opt_quick ? 12 : scaled_frames (w, h);

      if (opt_content && strcmp (opt_content, "both") != 0
          && strcmp (opt_content, contents[ci]) != 0)
        continue;
      g = hfb_report_new_group (rep);
      g->width = w;
      g->height = h;
      g->rounds = opt_rounds;
      g->title = g_strdup_printf ("%dx%d %s", w, h, contents[ci]);
      g->kind = HFB_GROUP_ENCODE;
      g->content = contents[ci];
      g->frame_bytes = 4.0 * w * h;
      fprintf (stderr, "making %d %s frames at %dx%d...\n", HFB_MAX_FRAMES,
          contents[ci], w, h);
      hfb_frames_make (&f, w, h, contents[ci], HFB_MAX_FRAMES);
      if (opt_dump) {
        dump_frames (&f);
        hfb_frames_free (&f);
        continue;
      }
      encode_group (g, &f, s, frames);
      g->frames = frames;
      run_group (g, &f, s);
      hfb_frames_free (&f);
      hfb_report_group (rep, g, s);
    }
  }
}

/* Draw alone (1 and N threads), encode alone, the serial pipeline, the
 * defaults (on all CPUs and on one), and the hand-tuned pairs of
 * hfdrawsrc threads x hfjpegenc threads from {1, N}. */
static void
e2e_group (HfbGroup * g, const HfbSettings * s, const char *composition,
    int frames)
{
  const int q = s->quality, n = s->cores;
  const int ncpu = (int) hf_cpus_usable ();
  const int counts[2] = { 1, n };
  HfbConfig *c;
  int i, d, e, k;

  c = add (g, "draw alone: hfdrawsrc threads=1 ! fakesink", HFB_DRAW);
  c->chain = g_strdup ("");
  c->draw_threads = 1;
  g->draw = g->baseline = g->n - 1;
  c = add (g, g_strdup_printf ("draw alone: hfdrawsrc threads=%d ! fakesink",
          n), HFB_DRAW);
  c->chain = g_strdup ("");
  c->draw_threads = n;
  g->draw_n = g->n - 1;
  add_enc (g, "encode alone: captured frames, queue-depth=1",
      HFB_DRAW_CAPTURED_ENCODE, q, 1, 1);
  g->encode = g->n - 1;
  c = add_enc (g, "serial: hfdrawsrc threads=1 ! hfjpegenc queue-depth=1",
      HFB_DRAW, q, 1, 1);
  c->draw_threads = 1;
  g->serial = g->n - 1;
  c = add_enc (g, "defaults: hfdrawsrc ! hfjpegenc", HFB_DRAW, q, -1, 0);
  g->defaults = g->n - 1;
  c = add_enc (g, "defaults on 1 CPU (affinity)", HFB_DRAW, q, -1, 0);
  c->cpus = 1;
  g->one_cpu = g->n - 1;
  /* With more than two CPUs, the defaults on 2, 4, 8, ... of them too:
   * the projection is fitted on 1 and 2 and checked against the rest. */
  g->scaling = g->n;
  for (k = 2; k < ncpu && k <= 32; k *= 2) {
    c = add_enc (g, g_strdup_printf ("defaults on %d CPUs (affinity)", k),
        HFB_DRAW, q, -1, 0);
    c->cpus = k;
  }
  g->scaling_n = g->n - g->scaling;
  g->two_cpu = g->scaling_n > 0 ? g->scaling : ncpu == 2 ? g->defaults : -1;
  g->grid = g->n;
  for (d = 0; d < 2; d++) {
    for (e = 0; e < 2; e++) {
      /* The pair the defaults resolve to would be the same configuration
       * measured twice: the better of two noisy samples of it is no
       * hand-tuned rival, so it is left out. */
      if (counts[d] == ncpu && counts[e] == ncpu)
        continue;
      c = add_enc (g, g_strdup_printf ("hfdrawsrc threads=%d ! hfjpegenc "
              "threads=%d", counts[d], counts[e]), HFB_DRAW, q, counts[e], 0);
      c->draw_threads = counts[d];
    }
  }
  g->grid_n = g->n - g->grid;
  for (i = 0; i < g->n; i++) {
    c = &g->cfg[i];
    c->needs[c->needs[0] ? 1 : 0] = "hfdrawsrc";
    c->composition = composition;
    c->frames = frames;
    c->expect_frames = frames;
  }
}

static void
bench_e2e (const HfbSettings * s, HfbReport * rep)
{
  const int frames = opt_quick ? 4 : opt_draw_frames;
  const char *names[4] = { "demo", "heavy", "balanced", "showcase" };
  int i;

  for (i = 0; i < 4; i++) {
    HfbGroup *g = hfb_report_new_group (rep);
    g->kind = HFB_GROUP_E2E;
    g->rounds = opt_rounds;
    g->title = g_strdup_printf ("end to end, %s composition", names[i]);
    g->width = 1920;
    g->height = 1080;
    g->frame_bytes = 1920.0 * 1080 * 4;
    g->content = names[i];
    /* The showcase (examples/compositions) has font files, pictures,
     * a clip, shadows and group layers. */
    e2e_group (g, s, i == 0 ? NULL : i == 1 ?
        hfb_composition_heavy (1920, 1080, 10) : i == 2 ?
        hfb_composition_balanced (1920, 1080, 10) :
        g_strdup ("location=" HFB_EXAMPLES_DIR "/showcase.xml"), frames);
    g->frames = frames;
    run_group (g, NULL, s);
    hfb_report_group (rep, g, s);
  }
}

static void
bench_static (const HfbSettings * s, HfbReport * rep)
{
  /* The whole composition is rendered, so its length is the frame count. */
  const int w = opt_quick ? 640 : 1920, h = opt_quick ? 360 : 1080;
  const int secs = opt_quick ? 1 : 10;
  const int frames = secs * 30;
  HfbGroup *g = hfb_report_new_group (rep);
  HfbConfig *c;
  int i;

  g->kind = HFB_GROUP_STATIC;
  g->rounds = opt_rounds;
  g->title = g_strdup_printf ("static vs animated, %dx%d, %d s", w, h, secs);
  g->width = w;
  g->height = h;
  g->frame_bytes = 4.0 * w * h;
  g->frames = frames;
  c = add_enc (g, "animated: hfdrawsrc ! hfjpegenc", HFB_DRAW, s->quality,
      s->cores, 0);
  c->composition = hfb_composition_static (w, h, secs, TRUE);
  c = add_enc (g, "static stretches: hfdrawsrc ! hfjpegenc", HFB_DRAW,
      s->quality, s->cores, 0);
  c->composition = hfb_composition_static (w, h, secs, FALSE);
  c = add (g, "static stretches: draw alone", HFB_DRAW);
  c->chain = g_strdup ("");
  c->composition = hfb_composition_static (w, h, secs, FALSE);
  for (i = 0; i < g->n; i++) {
    c = &g->cfg[i];
    c->needs[c->needs[0] ? 1 : 0] = "hfdrawsrc";
    c->frames = -1;
    c->expect_frames = frames;
  }
  g->baseline = 2;
  run_group (g, NULL, s);
  hfb_report_group (rep, g, s);
}

/* A group of `kind` over w x h detailed frames, opt_rounds rounds. */
static HfbGroup *
new_detailed_group (HfbReport * rep, HfbGroupKind kind, char *title, int w,
    int h, int frames)
{
  HfbGroup *g = hfb_report_new_group (rep);

  g->kind = kind;
  g->rounds = opt_rounds;
  g->title = title;
  g->width = w;
  g->height = h;
  g->frames = frames;
  g->frame_bytes = 4.0 * w * h;
  return g;
}

/* Runs the group on detailed frames of its size and reports it. */
static void
run_detailed (HfbGroup * g, HfbReport * rep, const HfbSettings * s)
{
  HfbFrames f;

  hfb_frames_make (&f, g->width, g->height, "detailed", HFB_MAX_FRAMES);
  run_group (g, &f, s);
  hfb_frames_free (&f);
  hfb_report_group (rep, g, s);
}

/* hfjpegenc fed the same pictures in the layouts it takes as they are
 * (planar), gathers (semi-planar, packed 4:2:2) or converts (colours
 * other than JFIF's), each against the zero-copy planar row of the same
 * subsampling. */
static void
bench_formats (const HfbSettings * s, HfbReport * rep)
{
  static const struct
  {
    const char *label, *format, *colorimetry;
    int planar;
  } rows[] = {
    {"I420, JFIF colours (zero-copy)", "I420", "1:4:0:0", 0},
    {"I420, BT.709 limited (converted)", "I420", "bt709", 0},
    {"NV12, JFIF colours (gathered)", "NV12", "1:4:0:0", 0},
    {"NV12, BT.709 limited (gathered, converted)", "NV12", "bt709", 0},
    {"Y42B, JFIF colours (zero-copy)", "Y42B", "1:4:0:0", 4},
    {"YUY2, JFIF colours (gathered)", "YUY2", "1:4:0:0", 4},
    {"YUY2, BT.709 limited (gathered, converted)", "YUY2", "bt709", 4},
  };
  const int w = opt_quick ? 1280 : 1920, h = opt_quick ? 720 : 1080;
  const int frames = opt_quick ? 12 : scaled_frames (w, h);
  HfbGroup *g = new_detailed_group (rep, HFB_GROUP_FORMATS,
      g_strdup_printf ("input formats, %dx%d detailed", w, h), w, h, frames);
  size_t i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    HfbConfig *c = add_enc (g, rows[i].label, HFB_APPSRC, s->quality, 1, 1);

    c->format = rows[i].format;
    c->colorimetry = rows[i].colorimetry;
    c->frames = c->expect_frames = frames;
    g->planar[i] = rows[i].planar;
  }
  run_detailed (g, rep, s);
}

/* An encoder row with `slices` bands per frame. */
static HfbConfig *
add_sliced (HfbGroup * g, const char *label, const HfbSettings * s,
    int threads, int depth, int slices, int frames)
{
  HfbConfig *c = add_enc (g, label, HFB_APPSRC, s->quality, threads, depth);
  char *chain = g_strdup_printf ("%s slices=%d", c->chain, slices);

  g_free (c->chain);
  c->chain = chain;
  c->frames = c->expect_frames = frames;
  return c;
}

/* Slices: one frame at a time (queue-depth=1), the streaming thread
 * waits for each frame, so the time per frame is its latency; and the
 * throughput of the defaults with and without slices. Rows 0 and 1 are
 * the latency goal's. */
static void
bench_slices (const HfbSettings * s, HfbReport * rep)
{
  const int w = opt_quick ? 1920 : 3840, h = opt_quick ? 1080 : 2160;
  const int frames = opt_quick ? 12 : scaled_frames (w, h);
  HfbGroup *g = new_detailed_group (rep, HFB_GROUP_SLICES,
      g_strdup_printf ("slices, %dx%d detailed", w, h), w, h, frames);
  add_sliced (g, "queue-depth=1 slices=1 (inline)", s, 1, 1, 1, frames);
  add_sliced (g, "queue-depth=1 slices=2 threads=2", s, 2, 1, 2, frames);
  if (s->cores > 2)
    add_sliced (g, g_strdup_printf ("queue-depth=1 slices=%d threads=%d",
            s->cores, s->cores), s, s->cores, 1, s->cores, frames);
  g->defaults = g->n;
  add_sliced (g, "defaults (slices=1)", s, -1, 0, 1, frames);
  add_sliced (g, "defaults, slices=2", s, -1, 0, 2, frames);
  run_detailed (g, rep, s);
}

static void
bench_memory (const HfbSettings * s, HfbReport * rep)
{
  /* The same encoder on N and 4N frames: peak RSS must not grow. */
  const int w = opt_quick ? 1280 : 1920, h = opt_quick ? 720 : 1080;
  const int n = opt_quick ? 12 : scaled_frames (w, h);
  HfbGroup *g = hfb_report_new_group (rep);
  HfbFrames f;
  HfbConfig *c;
  int i;

  g->kind = HFB_GROUP_MEMORY;
  g->rounds = 1;
  g->title = g_strdup_printf ("memory vs stream length, %dx%d detailed", w, h);
  g->width = w;
  g->height = h;
  g->frame_bytes = 4.0 * w * h;
  c = add (g, g_strdup_printf ("appsrc ! fakesink, %d frames", n), HFB_APPSRC);
  c->chain = g_strdup ("");
  c->frames = n;
  c = add (g, g_strdup_printf ("appsrc ! fakesink, %d frames", 4 * n),
      HFB_APPSRC);
  c->chain = g_strdup ("");
  c->frames = 4 * n;
  c = add_enc (g, g_strdup_printf ("hfjpegenc threads=%d, %d frames",
          s->cores, n), HFB_APPSRC, s->quality, s->cores, 0);
  c->frames = n;
  c = add_enc (g, g_strdup_printf ("hfjpegenc threads=%d, %d frames",
          s->cores, 4 * n), HFB_APPSRC, s->quality, s->cores, 0);
  c->frames = 4 * n;
  for (i = 0; i < g->n; i++)
    g->cfg[i].expect_frames = g->cfg[i].frames;
  g->baseline = 0;
  hfb_frames_make (&f, w, h, "detailed", HFB_MAX_FRAMES);
  run_group (g, &f, s);
  hfb_frames_free (&f);
  hfb_report_group (rep, g, s);
}

/* Lets `hfbench` run from the build tree without any environment. */
static void
default_plugin_path (const char *argv0)
{
  char exe[4096], *dir, *p;
  ssize_t n;

  if (g_getenv ("GST_PLUGIN_PATH_1_0") || g_getenv ("GST_PLUGIN_PATH"))
    return;
  n = readlink ("/proc/self/exe", exe, sizeof (exe) - 1);
  if (n <= 0)
    return;
  exe[n] = '\0';
  dir = g_path_get_dirname (exe);       /* <build>/bench */
  p = g_path_get_dirname (dir); /* <build> */
  g_free (dir);
  dir = g_strdup_printf ("%s/gst/hfdraw:%s/ext/turbojpeg", p, p);
  g_setenv ("GST_PLUGIN_PATH_1_0", dir, TRUE);
  g_free (dir);
  g_free (p);
}

int
main (int argc, char **argv)
{
  GOptionContext *ctx = g_option_context_new ("- hfjpegenc/hfdrawsrc "
      "benchmark");
  GError *err = NULL;
  HfbSettings s;
  HfbReport rep;
  int sizes[3][2] = { {1280, 720}, {1920, 1080}, {3840, 2160} };
  int n_sizes = 2;
  gchar *cmdline = g_strjoinv (" ", argv);

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    fprintf (stderr, "%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (opt_quick) {
    opt_rounds = 1;
    n_sizes = 1;
  }
  if (opt_full)
    n_sizes = 3;
  if (opt_size) {
    if (sscanf (opt_size, "%dx%d", &sizes[0][0], &sizes[0][1]) != 2
        || sizes[0][0] < 16 || sizes[0][1] < 16) {
      fprintf (stderr, "bad --size %s\n", opt_size);
      return 2;
    }
    n_sizes = 1;
  }
  if (opt_rounds < 1 || opt_rounds > HFB_MAX_ROUNDS || opt_frames < 1
      || opt_quality < 1 || opt_quality > 100) {
    fprintf (stderr, "bad --rounds, --frames or --quality\n");
    return 2;
  }
  s.quality = opt_quality;
  s.subsamp = TJSAMP_420;
  s.cores = opt_threads > 0 ? opt_threads : (int) hf_cpus_usable ();
  if (s.cores > 64)
    s.cores = 64;
  default_plugin_path (argv[0]);
  /* A child that dies must not take the parent with it through SIGPIPE. */
  signal (SIGPIPE, SIG_IGN);

  hfb_report_init (&rep, &s, cmdline, opt_quick);
  g_free (cmdline);
  if (want ("encode"))
    bench_encode (&s, sizes, n_sizes, &rep);
  if (want ("e2e"))
    bench_e2e (&s, &rep);
  if (want ("static"))
    bench_static (&s, &rep);
  if (want ("formats"))
    bench_formats (&s, &rep);
  if (want ("slices"))
    bench_slices (&s, &rep);
  if (want ("memory"))
    bench_memory (&s, &rep);
  if (want ("handoff"))
    hfb_bench_handoff (opt_rounds, opt_quick);
  hfb_report_goals (&rep, &s);

  if (failures) {
    fprintf (stderr, "%d configuration run(s) failed\n", failures);
    return 1;
  }
  return 0;
}

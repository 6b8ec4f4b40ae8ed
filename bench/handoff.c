/* The "handoff" group: what it costs this machine to write a frame that
 * another CPU has just read, as hfdrawsrc does when it draws into a pool
 * buffer that hfjpegenc encoded last (docs/performance.md, "hfdrawsrc:
 * handing frames between cores").
 *
 * A writer thread fills a 1920x1080 RGBA frame, a reader thread sums it,
 * over three frames in turn. Each thread's CPU time per frame is measured,
 * with both threads on one CPU and on two, and with ordinary and
 * streaming (non-temporal) stores. */
#define _GNU_SOURCE
#include "hfbench.h"
#include "report.h"

#include <glib.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define FRAME_BYTES ((size_t) 1920 * 1080 * 4)
#define N_BUFS 3

typedef struct
{
  uint8_t *buf[N_BUFS];
  int frames, streaming, cpu[2];
  GMutex lock;
  GCond cond;
  int written, read;            /* frames done by each side */
  double cpu_ms[2];
} Handoff;

static double
thread_cpu (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
pin (int cpu)
{
  cpu_set_t set;
  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  pthread_setaffinity_np (pthread_self (), sizeof (set), &set);
}

/* Waits until *counter reaches at least want. */
static void
wait_for (Handoff * h, const int *counter, int want)
{
  g_mutex_lock (&h->lock);
  while (*counter < want)
    g_cond_wait (&h->cond, &h->lock);
  g_mutex_unlock (&h->lock);
}

static void
advance (Handoff * h, int *counter)
{
  g_mutex_lock (&h->lock);
  (*counter)++;
  g_cond_broadcast (&h->cond);
  g_mutex_unlock (&h->lock);
}

static void
write_frame (uint32_t * d, uint32_t v, int streaming)
{
  size_t i = 0, n = FRAME_BYTES / 4;
#if defined(__SSE2__)
  if (streaming) {
    __m128i v4 = _mm_set1_epi32 ((int) v);
    for (; i + 4 <= n; i += 4)
      _mm_stream_si128 ((__m128i *) (d + i), v4);
    _mm_sfence ();
  }
#endif
  for (; i < n; i++)
    d[i] = v + (uint32_t) i;
}

static gpointer
writer (gpointer data)
{
  Handoff *h = data;
  double c0;

  pin (h->cpu[0]);
  c0 = thread_cpu ();
  for (int i = 0; i < h->frames; i++) {
    /* Buffer i % N_BUFS is free once the reader is done with frame i - N. */
    wait_for (h, &h->read, i - N_BUFS + 1);
    write_frame ((uint32_t *) h->buf[i % N_BUFS], (uint32_t) i, h->streaming);
    advance (h, &h->written);
  }
  h->cpu_ms[0] = 1e3 * (thread_cpu () - c0) / h->frames;
  return NULL;
}

static gpointer
reader (gpointer data)
{
  Handoff *h = data;
  volatile uint64_t sink = 0;
  double c0;

  pin (h->cpu[1]);
  c0 = thread_cpu ();
  for (int i = 0; i < h->frames; i++) {
    const uint64_t *s = (const uint64_t *) h->buf[i % N_BUFS];
    uint64_t sum = 0;
    wait_for (h, &h->written, i + 1);
    for (size_t k = 0; k < FRAME_BYTES / 8; k++)
      sum += s[k];
    sink += sum;
    advance (h, &h->read);
  }
  h->cpu_ms[1] = 1e3 * (thread_cpu () - c0) / h->frames;
  return NULL;
}

static void
run_once (int cpu_w, int cpu_r, int streaming, int frames, double out[2])
{
  Handoff h = { 0 };
  GThread *w, *r;

  h.frames = frames;
  h.streaming = streaming;
  h.cpu[0] = cpu_w;
  h.cpu[1] = cpu_r;
  g_mutex_init (&h.lock);
  g_cond_init (&h.cond);
  for (int i = 0; i < N_BUFS; i++) {
    h.buf[i] = g_malloc (FRAME_BYTES);
    memset (h.buf[i], 0, FRAME_BYTES);
  }
  w = g_thread_new ("handoff-w", writer, &h);
  r = g_thread_new ("handoff-r", reader, &h);
  g_thread_join (w);
  g_thread_join (r);
  for (int i = 0; i < N_BUFS; i++)
    g_free (h.buf[i]);
  g_mutex_clear (&h.lock);
  g_cond_clear (&h.cond);
  out[0] = h.cpu_ms[0];
  out[1] = h.cpu_ms[1];
}

void
hfb_bench_handoff (int rounds, int quick)
{
  static const struct
  {
    const char *label;
    int other_cpu, streaming;
  } rows[] = {
    {"written and read on one CPU", 0, 0},
    {"written on one CPU, read on another", 1, 0},
    {"streaming stores, read on another CPU", 1, 1},
  };
  const int n_rows = G_N_ELEMENTS (rows), frames = quick ? 6 : 300;
  double ms[G_N_ELEMENTS (rows)][2][HFB_MAX_ROUNDS],
      med[G_N_ELEMENTS (rows)][2];

  int cpu[2];

  printf ("\n## handoff, 1920x1080 RGBA frames (%d rounds)\n\n", rounds);
  if (hfb_first_cpus (cpu, 2) < 2) {
    printf ("Needs two CPUs; skipped.\n");
    return;
  }
  /* Rounds interleave the rows, like every other group. */
  for (int k = 0; k < rounds; k++)
    for (int i = 0; i < n_rows; i++) {
      double out[2];
      run_once (cpu[0], cpu[rows[i].other_cpu], rows[i].streaming, frames, out);
      ms[i][0][k] = out[0];
      ms[i][1][k] = out[1];
    }
  printf ("| configuration | write, CPU ms/frame | read, CPU ms/frame |\n"
      "|---|--:|--:|\n");
  for (int i = 0; i < n_rows; i++) {
    med[i][0] = hfb_median (ms[i][0], rounds);
    med[i][1] = hfb_median (ms[i][1], rounds);
    printf ("| %s | %.3f | %.3f |\n", rows[i].label, med[i][0], med[i][1]);
  }
  printf ("\nWriting a frame another CPU read last costs %.2f times writing "
      "one read on the same CPU; with streaming stores, %.2f times.\n",
      med[1][0] / med[0][0], med[2][0] / med[0][0]);
  printf ("\n");
}

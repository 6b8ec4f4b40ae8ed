/* The limit: TurboJPEG called in a plain loop, no GStreamer.
 *
 * Each thread owns a handle and an output buffer made before the clock
 * starts, and takes frames round-robin (thread t encodes i = t, t+T, ...).
 * This is as fast as these frames can be compressed with these settings. */
#include "hfbench.h"

#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>

typedef struct
{
  const HfbConfig *c;
  const HfbFrames *f;
  const HfbSettings *s;
  int index, stride;
  pthread_barrier_t *start;
  int64_t frames, bytes;
  int failed;
  char error[200];
} Worker;

double
hfb_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process: less disturbed than wall time when other
 * programs share the machine. */
double
hfb_cpu_now (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static void *
worker_main (void *data)
{
  Worker *w = data;
  const HfbFrames *f = w->f;
  tjhandle tj = tjInitCompress ();
  unsigned long cap = tjBufSize (f->width, f->height, w->s->subsamp);
  unsigned char *out = tjAlloc ((int) cap);
  int i;

  pthread_barrier_wait (w->start);
  if (tj == NULL || out == NULL) {
    w->failed = 1;
    snprintf (w->error, sizeof (w->error), "TurboJPEG init failed");
    goto done;
  }
  for (i = w->index; i < w->c->frames; i += w->stride) {
    unsigned long size = cap;
    if (tjCompress2 (tj, f->data[i % f->n], f->width, f->width * 4,
            f->height, TJPF_RGBA, &out, &size, w->s->subsamp,
            w->s->quality, w->c->tj_flags | TJFLAG_NOREALLOC) != 0) {
      w->failed = 1;
      snprintf (w->error, sizeof (w->error), "tjCompress2: %s",
          tjGetErrorStr2 (tj));
      break;
    }
    w->frames++;
    w->bytes += size;
  }
done:
  if (out)
    tjFree (out);
  if (tj)
    tjDestroy (tj);
  return NULL;
}

void
hfb_run_limit (const HfbConfig * c, const HfbFrames * f,
    const HfbSettings * s, HfbResult * r)
{
  int n = c->tj_threads, t;
  Worker workers[64];
  pthread_t tids[64];
  pthread_barrier_t start;
  double t0, c0;

  if (n < 1)
    n = 1;
  if (n > 64)
    n = 64;
  /* The main thread joins the barrier too, so the clock starts when every
   * worker exists and has its handle. */
  pthread_barrier_init (&start, NULL, n + 1);
  for (t = 0; t < n; t++) {
    memset (&workers[t], 0, sizeof (Worker));
    workers[t].c = c;
    workers[t].f = f;
    workers[t].s = s;
    workers[t].index = t;
    workers[t].stride = n;
    workers[t].start = &start;
    pthread_create (&tids[t], NULL, worker_main, &workers[t]);
  }
  pthread_barrier_wait (&start);
  t0 = hfb_now ();
  c0 = hfb_cpu_now ();
  for (t = 0; t < n; t++)
    pthread_join (tids[t], NULL);
  r->seconds = hfb_now () - t0;
  r->cpu_seconds = hfb_cpu_now () - c0;
  pthread_barrier_destroy (&start);

  r->status = HFB_OK;
  r->jpeg_subsamp = s->subsamp;
  r->jpeg_width = f->width;
  r->jpeg_height = f->height;
  for (t = 0; t < n; t++) {
    r->frames_out += workers[t].frames;
    r->bytes_out += workers[t].bytes;
    if (workers[t].failed) {
      r->status = HFB_ERROR;
      snprintf (r->message, sizeof (r->message), "%s", workers[t].error);
    }
  }
}

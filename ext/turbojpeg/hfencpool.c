/* hfencpool: the in-order queue of frames, its workers and the per-frame
 * watchdog. See hfencpool.h for the contract.
 *
 * Synchronisation is pthread_mutex_t / pthread_cond_t only, so that
 * ThreadSanitizer sees every hand-off (GLib's GMutex/GCond are futexes in
 * an uninstrumented library; see docs/design.md).
 *
 * Lifetime: the pool is reference-counted. The owner holds one reference
 * and each worker thread (detached) holds one. hf_enc_pool_free drops the
 * owner's reference after abandoning every frame; a worker stuck in a band
 * keeps the pool alive until it comes out, releases its abandoned frame
 * and exits. Whoever drops the last reference frees the pool.
 *
 * Frame slots: `depth` frames can be queued, and each worker can hold one
 * more, abandoned while one of its bands runs; so depth + n_workers slots
 * are enough for a push to find one, unless workers are stuck.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* pthread_setname_np */
#endif
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hfencpool.h"
#include "hfjpeg-testing.h"

#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef enum
{
  STATE_FREE = 0,               /* frame slots only */
  STATE_QUEUED,                 /* frames: some band is not done */
  STATE_RUNNING,                /* bands only */
  STATE_DONE,
} State;

typedef struct Frame Frame;
typedef struct Band Band;

/* One horizontal band of a frame: what a worker runs. */
struct Band
{
  Frame *frame;
  int index;
  State state;                  /* QUEUED, RUNNING or DONE */
  struct timespec started_at;   /* set when a worker picks it up */
  uint8_t *out;                 /* its part of the frame's output */
  size_t capacity;
  HfEncResult result;
  Band *next;                   /* in the run queue */
};

struct Frame
{
  /* All fields are protected by pool->lock, except params and layout,
   * which workers only read while the frame is queued (the caller cannot
   * free or reuse the slot then), and result, which the worker that
   * finishes the last band writes before the frame is DONE. */
  HfEncParams params;
  HfEncBands layout;
  Band *bands;                  /* layout.n_bands of them */
  HfEncResult result;
  State state;
  int bands_done, bands_running;
  gboolean abandoned;           /* only while a band is RUNNING */
  unsigned timeout_ms;          /* 0 = no watchdog */
  struct timespec queued_at;    /* CLOCK_MONOTONIC, set at push */
  void *user_data;
  HfEncReleaseFunc release;
  Frame *next;                  /* in the free list */
};

struct HfEncPool
{
  pthread_mutex_t lock;
  pthread_cond_t work;          /* a band was queued, or shutdown */
  /* Broadcast when a frame is pushed, done, popped or abandoned, and when
   * flushing changes. CLOCK_MONOTONIC: the watchdog waits on it. */
  pthread_cond_t changed;
  unsigned refs;                /* owner + live workers */
  gboolean shutdown;
  gboolean flushing;

  unsigned n_workers, depth, max_bands;
  HfEncCompressFunc compress;
  void *compress_data;
  HfEncoder *inline_enc;        /* without workers: the popping thread's */

  Frame *frames;                /* depth + n_workers slots */
  unsigned n_frames;
  Band *bands;                  /* max_bands for each slot */
  Frame *free_list;
  Frame **queue;                /* ring of `depth`: the frames in order */
  unsigned head, count;
  unsigned popped;              /* popped, not yet hf_enc_pool_pop_done */
  Band *run_head, *run_tail;    /* FIFO of QUEUED bands */
  /* When a worker last started or finished a band: a queued band's
   * watchdog counts from here (or from its push, if later), so it
   * measures "no progress", not time spent behind other frames. */
  struct timespec last_progress;
};

typedef struct
{
  HfEncPool *pool;
  HfEncoder *enc;
  unsigned index;
} WorkerArgs;

static gint live_pools;

static void
timespec_add_ms (struct timespec *ts, unsigned ms)
{
  ts->tv_sec += ms / 1000;
  ts->tv_nsec += (long) (ms % 1000) * 1000000L;
  if (ts->tv_nsec >= 1000000000L) {
    ts->tv_sec++;
    ts->tv_nsec -= 1000000000L;
  }
}

static gboolean
timespec_before (const struct timespec *a, const struct timespec *b)
{
  if (a->tv_sec != b->tv_sec)
    return a->tv_sec < b->tv_sec;
  return a->tv_nsec < b->tv_nsec;
}

guint
hf_enc_pool_live_count (void)
{
  return (guint) g_atomic_int_get (&live_pools);
}

static void
default_compress (HfEncoder * enc, const HfEncParams * params,
    const HfEncBands * b, int k, uint8_t * out, size_t out_capacity,
    HfEncResult * result, void *data)
{
  hf_encoder_compress_band (enc, params, b, k, out, out_capacity, result);
}

static void
pool_destroy (HfEncPool * pool)
{
  hf_encoder_free (pool->inline_enc);
  g_free (pool->frames);
  g_free (pool->bands);
  g_free (pool->queue);
  pthread_cond_destroy (&pool->changed);
  pthread_cond_destroy (&pool->work);
  pthread_mutex_destroy (&pool->lock);
  g_free (pool);
  g_atomic_int_add (&live_pools, -1);
}

/* Called with the lock held; returns TRUE if the caller must destroy. */
static gboolean
pool_unref_locked (HfEncPool * pool)
{
  g_assert (pool->refs > 0);
  return --pool->refs == 0;
}

static void
slot_free_locked (HfEncPool * pool, Frame * f)
{
  f->state = STATE_FREE;
  f->abandoned = FALSE;
  f->bands_done = f->bands_running = 0;
  f->user_data = NULL;
  f->release = NULL;
  f->next = pool->free_list;
  pool->free_list = f;
}

/* Takes the frame's queued bands out of the run queue. */
static void
run_remove_locked (HfEncPool * pool, Frame * f)
{
  Band **link = &pool->run_head;

  pool->run_tail = NULL;
  while (*link) {
    if ((*link)->frame == f) {
      (*link)->state = STATE_DONE;
      *link = (*link)->next;
    } else {
      pool->run_tail = *link;
      link = &(*link)->next;
    }
  }
}

/* Every band is done: the frame's result is the first failed band's, or
 * the bands' outputs moved together, in order. */
static void
join_bands (Frame * f)
{
  const int n = f->layout.n_bands;
  size_t at = 0;
  int k;

  for (k = 0; k < n; k++) {
    const Band *band = &f->bands[k];

    if (band->result.status != HF_ENC_OK) {
      f->result = band->result;
      if (n > 1)
        g_snprintf (f->result.error, sizeof (f->result.error),
            "band %d of %d: %s", k + 1, n, band->result.error);
      return;
    }
    if (band->out != f->params.out + at)
      memmove (f->params.out + at, band->out, band->result.size);
    at += band->result.size;
  }
  f->result.status = HF_ENC_OK;
  f->result.size = at;
  f->result.error[0] = '\0';
}

/* Runs the oldest queued band with enc; lock held, released around the
 * encode. The thread that finishes a frame's last band joins the bands;
 * the last one out of an abandoned frame releases it. */
static void
run_band_locked (HfEncPool * pool, HfEncoder * enc)
{
  Band *band = pool->run_head;
  Frame *f = band->frame;
  HfEncResult res;

  pool->run_head = band->next;
  if (pool->run_head == NULL)
    pool->run_tail = NULL;
  band->next = NULL;
  band->state = STATE_RUNNING;
  f->bands_running++;
  clock_gettime (CLOCK_MONOTONIC, &band->started_at);
  pool->last_progress = band->started_at;
  pthread_mutex_unlock (&pool->lock);

  pool->compress (enc, &f->params, &f->layout, band->index, band->out,
      band->capacity, &res, pool->compress_data);

  pthread_mutex_lock (&pool->lock);
  band->state = STATE_DONE;
  band->result = res;
  if (!f->abandoned && f->bands_done + 1 == f->layout.n_bands) {
    /* Still counted as running, so that an abandon meanwhile leaves the
     * memory alone. */
    pthread_mutex_unlock (&pool->lock);
    join_bands (f);
    pthread_mutex_lock (&pool->lock);
  }
  clock_gettime (CLOCK_MONOTONIC, &pool->last_progress);
  f->bands_running--;
  if (f->abandoned) {
    /* Nobody waits for it: free the slot, then give the caller's
     * resources back (outside the lock: release may do anything). */
    if (f->bands_running == 0) {
      void *user_data = f->user_data;
      HfEncReleaseFunc release = f->release;

      slot_free_locked (pool, f);
      pthread_mutex_unlock (&pool->lock);
      if (release)
        release (user_data);
      pthread_mutex_lock (&pool->lock);
    }
  } else if (++f->bands_done == f->layout.n_bands) {
    f->state = STATE_DONE;
    pthread_cond_broadcast (&pool->changed);
  }
}

static void *
worker_main (void *data)
{
  WorkerArgs *args = data;
  HfEncPool *pool = args->pool;
  HfEncoder *enc = args->enc;
  gboolean last;

#ifdef __GLIBC__
  {
    char name[16];

    /* Named so that top, gdb and perf show the encode threads. */
    g_snprintf (name, sizeof (name), "hfjpegenc-%u", args->index);
    pthread_setname_np (pthread_self (), name);
  }
#endif
  g_free (args);

  pthread_mutex_lock (&pool->lock);
  for (;;) {
    while (!pool->shutdown && pool->run_head == NULL)
      pthread_cond_wait (&pool->work, &pool->lock);
    if (pool->shutdown)
      break;
    run_band_locked (pool, enc);
  }
  last = pool_unref_locked (pool);
  pthread_mutex_unlock (&pool->lock);

  hf_encoder_free (enc);
  if (last)
    pool_destroy (pool);
  return NULL;
}

/* Gives up on one queued frame. If no worker is in it, it leaves the pool
 * now: returns TRUE with what the caller must release (outside the lock:
 * release may do anything). Otherwise it is marked, and the last band's
 * worker releases it when it comes out. */
static gboolean
abandon_locked (HfEncPool * pool, Frame * f, void **user_data,
    HfEncReleaseFunc * release)
{
  run_remove_locked (pool, f);
  if (f->bands_running > 0) {
    f->abandoned = TRUE;
    return FALSE;
  }
  *user_data = f->user_data;
  *release = f->release;
  slot_free_locked (pool, f);
  return TRUE;
}

HfEncPool *
hf_enc_pool_new (const HfEncPoolConfig * config, char *error, size_t error_len)
{
  const unsigned n_workers = config->n_workers;
  HfEncPool *pool;
  HfEncoder **encs;
  pthread_condattr_t cattr;
  pthread_attr_t tattr;
  unsigned i, started = 0, n_encs = MAX (n_workers, 1);
  int err = 0;

  if (config->depth < 1 || config->max_bands < 1) {
    if (error && error_len)
      g_snprintf (error, error_len, "need room for at least one frame and "
          "one band (got %u frames, %u bands)", config->depth,
          config->max_bands);
    return NULL;
  }

  /* Make every encoder first, so a TurboJPEG failure needs no thread
   * teardown. */
  encs = g_new0 (HfEncoder *, n_encs);
  for (i = 0; i < n_encs; i++) {
    encs[i] = hf_encoder_new (error, error_len);
    if (encs[i] == NULL) {
      while (i-- > 0)
        hf_encoder_free (encs[i]);
      g_free (encs);
      return NULL;
    }
  }

  pool = g_new0 (HfEncPool, 1);
  g_atomic_int_inc (&live_pools);
  pthread_mutex_init (&pool->lock, NULL);
  pthread_cond_init (&pool->work, NULL);
  pthread_condattr_init (&cattr);
  /* The watchdog must not jump with the wall clock. */
  pthread_condattr_setclock (&cattr, CLOCK_MONOTONIC);
  pthread_cond_init (&pool->changed, &cattr);
  pthread_condattr_destroy (&cattr);
  pool->n_workers = n_workers;
  pool->depth = config->depth;
  pool->max_bands = config->max_bands;
  pool->compress = config->compress ? config->compress : default_compress;
  pool->compress_data = config->compress_data;
  pool->n_frames = config->depth + n_workers;
  pool->frames = g_new0 (Frame, pool->n_frames);
  pool->bands = g_new0 (Band, (gsize) pool->n_frames * config->max_bands);
  pool->queue = g_new0 (Frame *, config->depth);
  for (i = pool->n_frames; i-- > 0;) {
    pool->frames[i].bands = pool->bands + (gsize) i *config->max_bands;
    slot_free_locked (pool, &pool->frames[i]);
  }
  pool->refs = 1;
  if (n_workers == 0) {
    pool->inline_enc = encs[0];
    g_free (encs);
    return pool;
  }

  pthread_attr_init (&tattr);
  pthread_attr_setdetachstate (&tattr, PTHREAD_CREATE_DETACHED);
  pthread_mutex_lock (&pool->lock);
  for (i = 0; i < n_workers; i++) {
    pthread_t thread;
    WorkerArgs *args = g_new (WorkerArgs, 1);

    args->pool = pool;
    args->enc = encs[i];
    args->index = i;
    err = pthread_create (&thread, &tattr, worker_main, args);
    if (err != 0) {
      g_free (args);
      break;
    }
    pool->refs++;
    started++;
  }
  pthread_mutex_unlock (&pool->lock);
  pthread_attr_destroy (&tattr);

  if (started < n_workers) {
    for (i = started; i < n_workers; i++)
      hf_encoder_free (encs[i]);
    g_free (encs);
    if (error && error_len)
      g_snprintf (error, error_len, "cannot start encode thread %u of %u: %s",
          started + 1, n_workers, g_strerror (err));
    hf_enc_pool_free (pool);
    return NULL;
  }
  g_free (encs);
  return pool;
}

void
hf_enc_pool_abandon (HfEncPool * pool)
{
  void **user_data;
  HfEncReleaseFunc *release;
  unsigned i, n = 0;

  g_return_if_fail (pool != NULL);

  /* Cold path: these two arrays are its only allocations. */
  user_data = g_new (void *, pool->depth);
  release = g_new (HfEncReleaseFunc, pool->depth);
  pthread_mutex_lock (&pool->lock);
  for (i = 0; i < pool->count; i++)
    if (abandon_locked (pool, pool->queue[(pool->head + i) % pool->depth],
            &user_data[n], &release[n]))
      n++;
  pool->head = pool->count = 0;
  pthread_cond_broadcast (&pool->changed);
  pthread_mutex_unlock (&pool->lock);

  for (i = 0; i < n; i++)
    if (release[i])
      release[i] (user_data[i]);
  g_free (user_data);
  g_free (release);
}

void
hf_enc_pool_free (HfEncPool * pool)
{
  gboolean last;

  if (pool == NULL)
    return;

  hf_enc_pool_abandon (pool);
  pthread_mutex_lock (&pool->lock);
  pool->shutdown = TRUE;
  /* Idle workers exit now; busy ones after their band. */
  pthread_cond_broadcast (&pool->work);
  last = pool_unref_locked (pool);
  pthread_mutex_unlock (&pool->lock);
  if (last)
    pool_destroy (pool);
}

/* The frame's current watchdog deadline; lock held, frame QUEUED. A
 * running band's is its own start + timeout. Queued bands': timeout after
 * the later of the push and the pool's last progress, so a deep queue
 * behind busy workers never expires, while a queue behind workers stuck
 * in (say) abandoned hung frames still does. Progress moves it later, so
 * a waiter recomputes it each time it wakes. Returns the band whose
 * deadline it is (NULL: none). */
static const Band *
frame_deadline_locked (HfEncPool * pool, Frame * f, struct timespec *deadline)
{
  const Band *first = NULL;
  struct timespec t;
  int k;

  for (k = 0; k < f->layout.n_bands; k++) {
    const Band *band = &f->bands[k];

    if (band->state == STATE_RUNNING)
      t = band->started_at;
    else if (band->state != STATE_QUEUED)
      continue;
    else if (timespec_before (&f->queued_at, &pool->last_progress))
      t = pool->last_progress;
    else
      t = f->queued_at;
    timespec_add_ms (&t, f->timeout_ms);
    if (first == NULL || timespec_before (&t, deadline)) {
      *deadline = t;
      first = band;
    }
  }
  return first;
}

/* Cuts the frame into bands and queues them, or makes the frame done at
 * once with the reason it cannot be encoded. Lock held. */
static void
queue_bands_locked (HfEncPool * pool, Frame * f)
{
  HfEncParams *p = &f->params;
  size_t at = 0;
  int k;

  f->state = STATE_QUEUED;
  if (!hf_enc_bands (p, &f->layout)) {
    g_snprintf (f->result.error, sizeof (f->result.error),
        "invalid frame size %dx%d or subsampling %d", p->width, p->height,
        p->subsamp);
  } else if ((unsigned) f->layout.n_bands > pool->max_bands) {
    g_snprintf (f->result.error, sizeof (f->result.error),
        "%d bands, but the pool was made for %u", f->layout.n_bands,
        pool->max_bands);
  } else {
    /* Each band writes to its own part of the output; one band, to all. */
    for (k = 0; k < f->layout.n_bands; k++) {
      Band *band = &f->bands[k];

      band->capacity = f->layout.n_bands == 1 ? p->out_capacity :
          hf_enc_band_capacity (p, &f->layout, k);
      band->out = p->out + at;
      at += band->capacity;
    }
    if (p->out && at <= p->out_capacity) {
      for (k = 0; k < f->layout.n_bands; k++) {
        Band *band = &f->bands[k];

        band->frame = f;
        band->index = k;
        band->state = STATE_QUEUED;
        band->next = NULL;
        if (pool->run_tail)
          pool->run_tail->next = band;
        else
          pool->run_head = band;
        pool->run_tail = band;
      }
      return;
    }
    g_snprintf (f->result.error, sizeof (f->result.error),
        "output buffer too small: %zu bytes, %d bands need %zu",
        p->out ? p->out_capacity : 0, f->layout.n_bands, at);
  }
  f->layout.n_bands = 0;
  f->result.status = HF_ENC_ERROR;
  f->state = STATE_DONE;
}

gboolean
hf_enc_pool_push (HfEncPool * pool, const HfEncParams * params,
    unsigned timeout_ms, void *user_data, HfEncReleaseFunc release)
{
  Frame *f;

  g_return_val_if_fail (pool != NULL, FALSE);

  pthread_mutex_lock (&pool->lock);
  f = pool->free_list;
  if (pool->count + pool->popped >= pool->depth || f == NULL) {
    pthread_mutex_unlock (&pool->lock);
    return FALSE;
  }
  pool->free_list = f->next;
  f->next = NULL;
  f->result.status = HF_ENC_OK;
  f->result.size = 0;
  f->result.error[0] = '\0';
  /* slot_free_locked left the counters at 0 and abandoned FALSE. */
  f->user_data = user_data;
  f->release = release;
  f->timeout_ms = timeout_ms;
  clock_gettime (CLOCK_MONOTONIC, &f->queued_at);
  if (params) {
    f->params = *params;
    queue_bands_locked (pool, f);
  } else {
    memset (&f->params, 0, sizeof (f->params));
    f->layout.n_bands = 0;
    f->state = STATE_DONE;
  }
  pool->queue[(pool->head + pool->count) % pool->depth] = f;
  pool->count++;
  /* One band, one worker. */
  if (f->layout.n_bands == 1)
    pthread_cond_signal (&pool->work);
  else if (f->layout.n_bands > 1)
    pthread_cond_broadcast (&pool->work);
  pthread_cond_broadcast (&pool->changed);
  pthread_mutex_unlock (&pool->lock);
  return TRUE;
}

gboolean
hf_enc_pool_wait_room (HfEncPool * pool, unsigned keep)
{
  gboolean room;

  g_return_val_if_fail (pool != NULL, FALSE);

  pthread_mutex_lock (&pool->lock);
  while (!pool->flushing && pool->count + pool->popped > keep)
    pthread_cond_wait (&pool->changed, &pool->lock);
  room = !pool->flushing;
  pthread_mutex_unlock (&pool->lock);
  return room;
}

HfEncStatus
hf_enc_pool_pop (HfEncPool * pool, HfEncResult * result, void **user_data)
{
  HfEncStatus status;
  gboolean was_running = FALSE;
  unsigned timeout_ms = 0;
  int band = 0, n_bands = 1;
  char where[32] = "";

  g_return_val_if_fail (pool != NULL && user_data != NULL, HF_ENC_ERROR);

  *user_data = NULL;
  pthread_mutex_lock (&pool->lock);
  for (;;) {
    const Band *late;
    struct timespec deadline, now;
    Frame *f;

    if (pool->flushing) {
      status = HF_ENC_FLUSHING;
      break;
    }
    if (pool->count == 0) {
      pthread_cond_wait (&pool->changed, &pool->lock);
      continue;
    }
    f = pool->queue[pool->head];
    if (f->state == STATE_DONE) {
      status = f->result.status;
      if (result)
        *result = f->result;
      *user_data = f->user_data;
      pool->head = (pool->head + 1) % pool->depth;
      pool->count--;
      pool->popped++;
      slot_free_locked (pool, f);
      pthread_cond_broadcast (&pool->changed);
      pthread_mutex_unlock (&pool->lock);
      return status;
    }
    if (pool->n_workers == 0) {
      /* Inline: the oldest frame's bands lead the run queue. */
      g_assert (pool->run_head && pool->run_head->frame == f);
      run_band_locked (pool, pool->inline_enc);
      continue;
    }
    late = f->timeout_ms ? frame_deadline_locked (pool, f, &deadline) : NULL;
    if (late == NULL) {
      pthread_cond_wait (&pool->changed, &pool->lock);
      continue;
    }
    clock_gettime (CLOCK_MONOTONIC, &now);
    if (!timespec_before (&now, &deadline)) {
      status = HF_ENC_TIMEOUT;
      *user_data = f->user_data;
      was_running = late->state == STATE_RUNNING;
      timeout_ms = f->timeout_ms;
      band = late->index;
      n_bands = f->layout.n_bands;
      break;
    }
    pthread_cond_timedwait (&pool->changed, &pool->lock, &deadline);
  }
  pthread_mutex_unlock (&pool->lock);

  if (result) {
    if (n_bands > 1)
      g_snprintf (where, sizeof (where), "band %d of %d: ", band + 1, n_bands);
    result->status = status;
    result->size = 0;
    if (status == HF_ENC_FLUSHING)
      g_strlcpy (result->error, "pool is flushing", sizeof (result->error));
    else if (was_running)
      g_snprintf (result->error, sizeof (result->error), "%sencode did not "
          "finish within %u ms", where, timeout_ms);
    else
      g_snprintf (result->error, sizeof (result->error), "%sencode did not "
          "start: no encode worker made progress for %u ms (all stuck?)",
          where, timeout_ms);
  }
  return status;
}

void
hf_enc_pool_pop_done (HfEncPool * pool)
{
  g_return_if_fail (pool != NULL);

  pthread_mutex_lock (&pool->lock);
  if (pool->popped == 0)
    g_critical ("hf_enc_pool_pop_done: no frame was popped");
  else
    pool->popped--;
  pthread_cond_broadcast (&pool->changed);
  pthread_mutex_unlock (&pool->lock);
}

void
hf_enc_pool_set_flushing (HfEncPool * pool, gboolean flushing)
{
  g_return_if_fail (pool != NULL);

  pthread_mutex_lock (&pool->lock);
  pool->flushing = flushing;
  pthread_cond_broadcast (&pool->changed);
  pthread_mutex_unlock (&pool->lock);
}

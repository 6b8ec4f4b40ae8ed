/* hfencpool: JPEG encode workers with in-order collection and a per-job
 * watchdog. See hfencpool.h for the contract.
 *
 * Synchronisation is pthread_mutex_t / pthread_cond_t only, so that
 * ThreadSanitizer sees every hand-off (GLib's GMutex/GCond are futexes in
 * an uninstrumented library; see docs/design.md).
 *
 * Lifetime: the pool is reference-counted. The owner holds one reference
 * and each worker thread (detached) holds one. hf_enc_pool_free drops the
 * owner's reference after abandoning every job; a worker stuck in a job
 * keeps the pool alive until it comes out, releases its abandoned job and
 * exits. Whoever drops the last reference frees the pool.
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
  JOB_FREE = 0,
  JOB_QUEUED,
  JOB_RUNNING,
  JOB_DONE,
} JobState;

typedef struct Band Band;

/* One horizontal band of a job's frame: what a worker runs. */
struct Band
{
  HfEncJob *job;
  int index;
  JobState state;               /* QUEUED, RUNNING or DONE */
  struct timespec started_at;   /* set when a worker picks it up */
  uint8_t *out;                 /* its part of the job's output */
  size_t capacity;
  HfEncResult result;
  Band *next;                   /* in the run queue */
};

struct HfEncJob
{
  /* All fields are protected by pool->lock, except params and bands
   * (layout), which workers only read while the job is alive (the caller
   * cannot free or reuse the slot then), and what the waiting thread
   * reads and writes once every band is done. */
  HfEncParams params;
  HfEncBands layout;
  Band *bands;                  /* layout.n_bands of them */
  HfEncResult result;           /* set when the job is done */
  JobState state;               /* QUEUED until every band is done */
  int bands_done, bands_running;
  gboolean abandoned;           /* only while a band is RUNNING */
  unsigned timeout_ms;          /* 0 = no watchdog */
  struct timespec queued_at;    /* CLOCK_MONOTONIC, set at submit */
  void *user_data;
  HfEncReleaseFunc release;
  pthread_cond_t done;          /* signalled when state becomes DONE */
  HfEncJob *next;               /* in the free list */
};

struct HfEncPool
{
  pthread_mutex_t lock;
  pthread_cond_t work;          /* a job was queued, or shutdown */
  unsigned refs;                /* owner + live workers */
  gboolean shutdown;
  gboolean flushing;

  HfEncJob *jobs;
  unsigned max_jobs, max_bands;
  Band *bands;                  /* max_bands for each job */
  HfEncJob *free_list;
  Band *queue_head, *queue_tail;        /* FIFO of QUEUED bands */
  /* When a worker last started or finished a job: a queued job's watchdog
   * counts from here (or from its submit, if later), so it measures "no
   * progress", not time spent behind other frames. */
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
pool_destroy (HfEncPool * pool)
{
  unsigned i;

  for (i = 0; i < pool->max_jobs; i++)
    pthread_cond_destroy (&pool->jobs[i].done);
  g_free (pool->jobs);
  g_free (pool->bands);
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
slot_free_locked (HfEncPool * pool, HfEncJob * job)
{
  job->state = JOB_FREE;
  job->abandoned = FALSE;
  job->bands_done = job->bands_running = 0;
  job->user_data = NULL;
  job->release = NULL;
  job->next = pool->free_list;
  pool->free_list = job;
}

/* Takes the job's queued bands out of the run queue. */
static void
queue_remove_locked (HfEncPool * pool, HfEncJob * job)
{
  Band **link = &pool->queue_head;

  pool->queue_tail = NULL;
  while (*link) {
    if ((*link)->job == job) {
      (*link)->state = JOB_DONE;
      *link = (*link)->next;
    } else {
      pool->queue_tail = *link;
      link = &(*link)->next;
    }
  }
}

/* Every band is done: the job's result is the first failed band's, or the
 * bands' outputs moved together, in order. */
static void
join_bands (HfEncJob * job)
{
  const int n = job->layout.n_bands;
  size_t at = 0;
  int k;

  for (k = 0; k < n; k++) {
    const Band *band = &job->bands[k];

    if (band->result.status != HF_ENC_OK) {
      job->result = band->result;
      if (n > 1)
        g_snprintf (job->result.error, sizeof (job->result.error),
            "band %d of %d: %s", k + 1, n, band->result.error);
      return;
    }
    if (band->out != job->params.out + at)
      memmove (job->params.out + at, band->out, band->result.size);
    at += band->result.size;
  }
  job->result.status = HF_ENC_OK;
  job->result.size = at;
  job->result.error[0] = '\0';
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
    Band *band;
    HfEncJob *job;
    HfEncResult res;

    while (!pool->shutdown && pool->queue_head == NULL)
      pthread_cond_wait (&pool->work, &pool->lock);
    if (pool->shutdown)
      break;

    band = pool->queue_head;
    pool->queue_head = band->next;
    if (pool->queue_head == NULL)
      pool->queue_tail = NULL;
    band->next = NULL;
    band->state = JOB_RUNNING;
    job = band->job;
    job->bands_running++;
    clock_gettime (CLOCK_MONOTONIC, &band->started_at);
    pool->last_progress = band->started_at;
    pthread_mutex_unlock (&pool->lock);

    hf_encoder_compress_band (enc, &job->params, &job->layout, band->index,
        band->out, band->capacity, &res);

    pthread_mutex_lock (&pool->lock);
    band->state = JOB_DONE;
    band->result = res;
    if (!job->abandoned && job->bands_done + 1 == job->layout.n_bands) {
      /* The last band joins the job's output. It still counts as running,
       * so that an abandon meanwhile leaves the memory alone. */
      pthread_mutex_unlock (&pool->lock);
      join_bands (job);
      pthread_mutex_lock (&pool->lock);
    }
    clock_gettime (CLOCK_MONOTONIC, &pool->last_progress);
    job->bands_running--;
    if (job->abandoned) {
      /* Nobody waits for it: the last band out frees the slot, then gives
       * the caller's resources back (outside the lock: release may do
       * anything). */
      if (job->bands_running == 0) {
        void *user_data = job->user_data;
        HfEncReleaseFunc release = job->release;

        slot_free_locked (pool, job);
        pthread_mutex_unlock (&pool->lock);
        if (release)
          release (user_data);
        pthread_mutex_lock (&pool->lock);
      }
    } else if (++job->bands_done == job->layout.n_bands) {
      job->state = JOB_DONE;
      pthread_cond_broadcast (&job->done);
    }
  }
  last = pool_unref_locked (pool);
  pthread_mutex_unlock (&pool->lock);

  hf_encoder_free (enc);
  if (last)
    pool_destroy (pool);
  return NULL;
}

/* Gives up on one live job. A job that never started or already finished
 * leaves the pool now: returns TRUE with what the caller must release
 * (outside the lock: release may do anything). Its queued bands leave the
 * run queue; while a band runs, the job is marked, and the last band's
 * worker releases it when it comes out. */
static gboolean
abandon_locked (HfEncPool * pool, HfEncJob * job, void **user_data,
    HfEncReleaseFunc * release)
{
  switch (job->state) {
    case JOB_QUEUED:
      queue_remove_locked (pool, job);
      if (job->bands_running > 0) {
        job->abandoned = TRUE;
        return FALSE;
      }
      /* fall through */
    case JOB_DONE:
      *user_data = job->user_data;
      *release = job->release;
      slot_free_locked (pool, job);
      return TRUE;
    default:
      return FALSE;
  }
}

/* Abandons every job; collects the releases to run outside the lock. */
static unsigned
abandon_all_locked (HfEncPool * pool, void **user_data,
    HfEncReleaseFunc * release)
{
  unsigned i, n = 0;

  for (i = 0; i < pool->max_jobs; i++)
    if (abandon_locked (pool, &pool->jobs[i], &user_data[n], &release[n]))
      n++;
  return n;
}

HfEncPool *
hf_enc_pool_new (unsigned n_workers, unsigned max_jobs, unsigned max_bands,
    char *error, size_t error_len)
{
  HfEncPool *pool;
  HfEncoder **encs;
  pthread_condattr_t cattr;
  pthread_attr_t tattr;
  unsigned i, started = 0;
  int err = 0;

  if (n_workers < 1 || max_jobs < 1 || max_bands < 1) {
    if (error && error_len)
      g_snprintf (error, error_len, "need at least one worker, one job and "
          "one band (got %u workers, %u jobs, %u bands)", n_workers,
          max_jobs, max_bands);
    return NULL;
  }

  /* Make every encoder first, so a TurboJPEG failure needs no thread
   * teardown. */
  encs = g_new0 (HfEncoder *, n_workers);
  for (i = 0; i < n_workers; i++) {
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
  pthread_condattr_init (&cattr);
  /* The watchdog must not jump with the wall clock. */
  pthread_condattr_setclock (&cattr, CLOCK_MONOTONIC);
  pthread_cond_init (&pool->work, NULL);
  pool->max_jobs = max_jobs;
  pool->max_bands = max_bands;
  pool->jobs = g_new0 (HfEncJob, max_jobs);
  pool->bands = g_new0 (Band, (gsize) max_jobs * max_bands);
  for (i = max_jobs; i-- > 0;) {
    pool->jobs[i].bands = pool->bands + (gsize) i *max_bands;
    pthread_cond_init (&pool->jobs[i].done, &cattr);
    slot_free_locked (pool, &pool->jobs[i]);
  }
  pthread_condattr_destroy (&cattr);
  pool->refs = 1;

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
hf_enc_pool_free (HfEncPool * pool)
{
  void **user_data;
  HfEncReleaseFunc *release;
  unsigned i, n;
  gboolean last;

  if (pool == NULL)
    return;

  /* Cold path: these two arrays are the only allocations, once per pool. */
  user_data = g_new (void *, pool->max_jobs);
  release = g_new (HfEncReleaseFunc, pool->max_jobs);

  pthread_mutex_lock (&pool->lock);
  n = abandon_all_locked (pool, user_data, release);
  pool->shutdown = TRUE;
  /* Idle workers exit now; busy ones after their job. */
  pthread_cond_broadcast (&pool->work);
  last = pool_unref_locked (pool);
  pthread_mutex_unlock (&pool->lock);

  for (i = 0; i < n; i++)
    if (release[i])
      release[i] (user_data[i]);
  g_free (user_data);
  g_free (release);

  if (last)
    pool_destroy (pool);
}

/* The job's current watchdog deadline; lock held, job QUEUED. A running
 * band's is its own start + timeout. Queued bands': timeout after the
 * later of the submit and the pool's last progress, so a deep queue
 * behind busy workers never expires, while a queue behind workers stuck
 * in (say) abandoned hung jobs still does. Progress moves it later, so a
 * waiter recomputes it each time it wakes. Returns the band whose
 * deadline it is. */
static const Band *
job_deadline_locked (HfEncPool * pool, HfEncJob * job,
    struct timespec *deadline)
{
  const Band *first = NULL;
  struct timespec t;
  int k;

  for (k = 0; k < job->layout.n_bands; k++) {
    const Band *band = &job->bands[k];

    if (band->state == JOB_RUNNING)
      t = band->started_at;
    else if (band->state != JOB_QUEUED)
      continue;
    else if (timespec_before (&job->queued_at, &pool->last_progress))
      t = pool->last_progress;
    else
      t = job->queued_at;
    timespec_add_ms (&t, job->timeout_ms);
    if (first == NULL || timespec_before (&t, deadline)) {
      *deadline = t;
      first = band;
    }
  }
  return first;
}

/* Cuts the job's frame into bands and queues them, or makes the job done
 * at once with the reason it cannot be encoded. Lock held. */
static void
queue_bands_locked (HfEncPool * pool, HfEncJob * job)
{
  HfEncParams *p = &job->params;
  size_t at = 0;
  int k;

  job->state = JOB_QUEUED;
  job->layout.n_bands = 0;
  if (!hf_enc_bands (p, &job->layout)) {
    g_snprintf (job->result.error, sizeof (job->result.error),
        "invalid frame size %dx%d or subsampling %d", p->width, p->height,
        p->subsamp);
  } else if ((unsigned) job->layout.n_bands > pool->max_bands) {
    g_snprintf (job->result.error, sizeof (job->result.error),
        "%d bands, but the pool was made for %u", job->layout.n_bands,
        pool->max_bands);
  } else {
    /* Each band writes to its own part of the output; one band, to all. */
    for (k = 0; k < job->layout.n_bands; k++) {
      Band *band = &job->bands[k];

      band->capacity = job->layout.n_bands == 1 ? p->out_capacity :
          hf_enc_band_capacity (p, &job->layout, k);
      band->out = p->out + at;
      at += band->capacity;
    }
    if (p->out && at <= p->out_capacity) {
      for (k = 0; k < job->layout.n_bands; k++) {
        Band *band = &job->bands[k];

        band->job = job;
        band->index = k;
        band->state = JOB_QUEUED;
        band->next = NULL;
        if (pool->queue_tail)
          pool->queue_tail->next = band;
        else
          pool->queue_head = band;
        pool->queue_tail = band;
      }
      return;
    }
    g_snprintf (job->result.error, sizeof (job->result.error),
        "output buffer too small: %zu bytes, %d bands need %zu",
        p->out ? p->out_capacity : 0, job->layout.n_bands, at);
  }
  job->layout.n_bands = 0;
  job->result.status = HF_ENC_ERROR;
  job->state = JOB_DONE;
}

HfEncJob *
hf_enc_pool_submit (HfEncPool * pool, const HfEncParams * params,
    unsigned timeout_ms, void *user_data, HfEncReleaseFunc release)
{
  HfEncJob *job;

  g_return_val_if_fail (pool != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  pthread_mutex_lock (&pool->lock);
  job = pool->free_list;
  if (job == NULL) {
    pthread_mutex_unlock (&pool->lock);
    return NULL;
  }
  pool->free_list = job->next;

  job->params = *params;
  job->result.status = HF_ENC_OK;
  job->result.size = 0;
  job->result.error[0] = '\0';
  job->abandoned = FALSE;
  job->bands_done = job->bands_running = 0;
  job->user_data = user_data;
  job->release = release;
  job->timeout_ms = timeout_ms;
  job->next = NULL;
  clock_gettime (CLOCK_MONOTONIC, &job->queued_at);
  queue_bands_locked (pool, job);
  /* One band, one worker. */
  if (job->layout.n_bands == 1)
    pthread_cond_signal (&pool->work);
  else if (job->layout.n_bands > 1)
    pthread_cond_broadcast (&pool->work);
  pthread_mutex_unlock (&pool->lock);
  return job;
}

gboolean
hf_enc_job_is_done (HfEncPool * pool, HfEncJob * job)
{
  gboolean done;

  g_return_val_if_fail (pool != NULL && job != NULL, FALSE);

  pthread_mutex_lock (&pool->lock);
  done = job->state == JOB_DONE;
  pthread_mutex_unlock (&pool->lock);
  return done;
}

HfEncStatus
hf_enc_job_wait (HfEncPool * pool, HfEncJob * job, HfEncResult * result)
{
  HfEncStatus status;
  gboolean was_running = FALSE;
  unsigned timeout_ms = 0;
  int band = 0, n_bands = 1;

  g_return_val_if_fail (pool != NULL && job != NULL, HF_ENC_ERROR);

  pthread_mutex_lock (&pool->lock);
  if (job->state == JOB_FREE) {
    pthread_mutex_unlock (&pool->lock);
    g_critical ("hf_enc_job_wait: job is not alive");
    return HF_ENC_ERROR;
  }
  for (;;) {
    const Band *late;
    struct timespec deadline, now;

    if (pool->flushing) {
      status = HF_ENC_FLUSHING;
      break;
    }
    if (job->state == JOB_DONE) {
      status = job->result.status;
      if (result)
        *result = job->result;
      pthread_mutex_unlock (&pool->lock);
      return status;
    }
    late = job->timeout_ms ? job_deadline_locked (pool, job, &deadline) : NULL;
    if (late == NULL) {
      pthread_cond_wait (&job->done, &pool->lock);
      continue;
    }
    clock_gettime (CLOCK_MONOTONIC, &now);
    if (!timespec_before (&now, &deadline)) {
      status = HF_ENC_TIMEOUT;
      was_running = late->state == JOB_RUNNING;
      timeout_ms = job->timeout_ms;
      band = late->index;
      n_bands = job->layout.n_bands;
      break;
    }
    pthread_cond_timedwait (&job->done, &pool->lock, &deadline);
  }
  pthread_mutex_unlock (&pool->lock);

  if (result) {
    char where[32] = "";

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
hf_enc_job_finish (HfEncPool * pool, HfEncJob * job)
{
  g_return_if_fail (pool != NULL && job != NULL);

  pthread_mutex_lock (&pool->lock);
  if (job->state != JOB_DONE) {
    pthread_mutex_unlock (&pool->lock);
    g_critical ("hf_enc_job_finish: job is not done; use hf_enc_job_abandon");
    return;
  }
  slot_free_locked (pool, job);
  pthread_mutex_unlock (&pool->lock);
}

void
hf_enc_job_abandon (HfEncPool * pool, HfEncJob * job)
{
  void *user_data = NULL;
  HfEncReleaseFunc release = NULL;

  g_return_if_fail (pool != NULL && job != NULL);

  pthread_mutex_lock (&pool->lock);
  if (job->state == JOB_FREE)
    g_critical ("hf_enc_job_abandon: job is not alive");
  else
    abandon_locked (pool, job, &user_data, &release);
  pthread_mutex_unlock (&pool->lock);

  if (release)
    release (user_data);
}

void
hf_enc_pool_set_flushing (HfEncPool * pool, gboolean flushing)
{
  unsigned i;

  g_return_if_fail (pool != NULL);

  pthread_mutex_lock (&pool->lock);
  pool->flushing = flushing;
  if (flushing) {
    /* Waiters sleep on their own job's condition. */
    for (i = 0; i < pool->max_jobs; i++)
      if (pool->jobs[i].state != JOB_FREE)
        pthread_cond_broadcast (&pool->jobs[i].done);
  }
  pthread_mutex_unlock (&pool->lock);
}

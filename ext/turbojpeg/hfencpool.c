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

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>

/* ---------------------------------------------------------------------- */
/* Single-threaded encoder                                                 */
/* ---------------------------------------------------------------------- */

struct HfEncoder
{
  tjhandle tj;
  /* Luma padded to whole chroma samples for odd-size planar input (see
   * pad_luma); grows once per larger frame size, then is reused. */
  uint8_t *scratch;
  size_t scratch_size;
};

size_t
hf_enc_max_size (int width, int height, int subsamp)
{
  guint64 padded;
  int mcuw, mcuh, chroma;
  unsigned long size;

  if (width < 1 || width > HF_ENC_MAX_SIDE || height < 1
      || height > HF_ENC_MAX_SIDE)
    return 0;
  if (subsamp < 0 || subsamp >= TJ_NUMSAMP)
    return 0;
  /* libjpeg-turbo 2.1 computes this product in int. Past INT_MAX it
   * overflows, and with TJFLAG_NOREALLOC the library would trust the
   * wrapped size (possibly far larger than our buffer): refuse such
   * frames (over about 357 Mpixel at 4:4:4) rather than risk an overrun. */
  mcuw = tjMCUWidth[subsamp];
  mcuh = tjMCUHeight[subsamp];
  chroma = subsamp == TJSAMP_GRAY ? 0 : 4 * 64 / (mcuw * mcuh);
  padded = (guint64) ((width + mcuw - 1) / mcuw * mcuw) *
      (guint64) ((height + mcuh - 1) / mcuh * mcuh) * (guint64) (2 + chroma);
  if (padded > G_MAXINT)
    return 0;
  size = tjBufSize (width, height, subsamp);
  if (size == (unsigned long) -1 || size != padded + 2048)
    return 0;
  return (size_t) size;
}

HfEncoder *
hf_encoder_new (char *error, size_t error_len)
{
  HfEncoder *enc;
  tjhandle tj;

  tj = tjInitCompress ();
  if (tj == NULL) {
    if (error && error_len)
      g_snprintf (error, error_len, "tjInitCompress failed: %s",
          tjGetErrorStr2 (NULL));
    return NULL;
  }
  enc = g_new0 (HfEncoder, 1);
  enc->tj = tj;
  return enc;
}

void
hf_encoder_free (HfEncoder * enc)
{
  if (enc == NULL)
    return;
  tjDestroy (enc->tj);
  g_free (enc->scratch);
  g_free (enc);
}

static void
set_error (HfEncResult * result, HfEncStatus status, const char *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static void
set_error (HfEncResult * result, HfEncStatus status, const char *fmt, ...)
{
  va_list args;

  result->status = status;
  result->size = 0;
  va_start (args, fmt);
  g_vsnprintf (result->error, sizeof (result->error), fmt, args);
  va_end (args);
}

static void
sleep_ms (unsigned ms)
{
  struct timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long) (ms % 1000) * 1000000L;
  /* Resume after signals so the injected hang lasts as long as asked. */
  while (nanosleep (&ts, &ts) == -1 && errno == EINTR);
}

/* Checks what TurboJPEG would not check, or would check too late: the
 * output capacity (TJFLAG_NOREALLOC makes it assume tjBufSize bytes) and
 * the plane pointers. */
static gboolean
validate_params (const HfEncParams * p, int out_subsamp, HfEncResult * result)
{
  size_t need;
  int n_planes, i;

  if (p->width < 1 || p->width > HF_ENC_MAX_SIDE || p->height < 1
      || p->height > HF_ENC_MAX_SIDE) {
    set_error (result, HF_ENC_ERROR, "invalid frame size %dx%d",
        p->width, p->height);
    return FALSE;
  }
  if (p->quality < 1 || p->quality > 100) {
    set_error (result, HF_ENC_ERROR, "invalid quality %d", p->quality);
    return FALSE;
  }
  if (out_subsamp < 0 || out_subsamp >= TJ_NUMSAMP) {
    set_error (result, HF_ENC_ERROR, "invalid subsampling %d", out_subsamp);
    return FALSE;
  }
  if (p->pixel_format == -1) {
    n_planes = out_subsamp == TJSAMP_GRAY ? 1 : 3;
  } else if (p->pixel_format >= 0 && p->pixel_format < TJPF_CMYK) {
    n_planes = 1;
  } else {
    set_error (result, HF_ENC_ERROR, "unsupported pixel format %d",
        p->pixel_format);
    return FALSE;
  }
  for (i = 0; i < n_planes; i++) {
    if (p->planes[i] == NULL) {
      set_error (result, HF_ENC_ERROR, "input plane %d is missing", i);
      return FALSE;
    }
  }
  need = hf_enc_max_size (p->width, p->height, out_subsamp);
  if (need == 0) {
    /* tjBufSize would overflow: TJFLAG_NOREALLOC could then overrun. */
    set_error (result, HF_ENC_ERROR, "a %dx%d frame is too large for "
        "libjpeg-turbo at this subsampling", p->width, p->height);
    return FALSE;
  }
  if (p->out == NULL || p->out_capacity < need) {
    set_error (result, HF_ENC_ERROR,
        "output buffer too small: %zu bytes, need %zu",
        p->out ? p->out_capacity : 0, need);
    return FALSE;
  }
  return TRUE;
}

static gboolean
grow_scratch (HfEncoder * enc, size_t need, const HfEncParams * p,
    HfEncResult * result)
{
  if (need <= enc->scratch_size)
    return TRUE;
  g_free (enc->scratch);
  enc->scratch_size = 0;
  enc->scratch = g_try_malloc (need);
  if (enc->scratch == NULL) {
    set_error (result, HF_ENC_ERROR, "cannot allocate %zu bytes of scratch "
        "for a %dx%d frame", need, p->width, p->height);
    return FALSE;
  }
  enc->scratch_size = need;
  return TRUE;
}

/* tjCompressFromYUVPlanes reads the luma plane rounded up to whole chroma
 * samples (tjPlaneWidth/Height of component 0: PAD (width, 2) for 4:2:2
 * and 4:2:0, PAD (height, 2) for 4:2:0), i.e. past the picture at odd
 * sizes: bytes outside the frame (or outside its memory) would reach the
 * JPEG. When that happens, copy luma into scratch with the last column
 * and row repeated, as libjpeg itself pads packed input. The chroma planes
 * are read exactly at their own size, so they are used in place. Returns
 * FALSE (with the result set) if the scratch cannot be allocated. */
static gboolean
pad_luma (HfEncoder * enc, const HfEncParams * p, int subsamp,
    const unsigned char **planes, int *strides, HfEncResult * result)
{
  int pw = tjPlaneWidth (0, p->width, subsamp);
  int ph = tjPlaneHeight (0, p->height, subsamp);
  /* TurboJPEG's conventions: 0 means unpadded, negative is bottom-up. */
  ptrdiff_t stride = p->strides[0] ? p->strides[0] : p->width;
  size_t need;
  int y;

  if (pw <= p->width && ph <= p->height)
    return TRUE;                /* even size: zero-copy */
  need = (size_t) pw * (size_t) ph;
  if (!grow_scratch (enc, need, p, result))
    return FALSE;
  for (y = 0; y < ph; y++) {
    uint8_t *dst = enc->scratch + (size_t) y * pw;

    if (y < p->height) {
      memcpy (dst, p->planes[0] + y * stride, p->width);
      if (pw > p->width)
        memset (dst + p->width, dst[p->width - 1], pw - p->width);
    } else {
      memcpy (dst, dst - pw, pw);
    }
  }
  planes[0] = enc->scratch;
  strides[0] = pw;
  return TRUE;
}

/* The three planes a frame is copied into in scratch: luma padded as
 * pad_luma does, then the two chroma planes. */
static gboolean
scratch_planes (HfEncoder * enc, const HfEncParams * p, int subsamp,
    HfYuvGeometry * g, uint8_t * dst[3], int strides[3],
    HfEncResult * result)
{
  g->width = p->width;
  g->height = p->height;
  g->dst_w = tjPlaneWidth (0, p->width, subsamp);
  g->dst_h = tjPlaneHeight (0, p->height, subsamp);
  g->chroma_w = tjPlaneWidth (1, p->width, subsamp);
  g->chroma_h = tjPlaneHeight (1, p->height, subsamp);
  g->shift_x = subsamp == TJSAMP_411 ? 2 : subsamp == TJSAMP_420
      || subsamp == TJSAMP_422;
  g->shift_y = subsamp == TJSAMP_420 || subsamp == TJSAMP_440;
  if (!grow_scratch (enc, (size_t) g->dst_w * g->dst_h + 2 * (size_t)
          g->chroma_w * g->chroma_h, p, result))
    return FALSE;
  dst[0] = enc->scratch;
  dst[1] = dst[0] + (size_t) g->dst_w * g->dst_h;
  dst[2] = dst[1] + (size_t) g->chroma_w * g->chroma_h;
  strides[0] = g->dst_w;
  strides[1] = strides[2] = g->chroma_w;
  return TRUE;
}

/* Semi-planar or packed input is gathered into scratch planes, and planar
 * input that is not in JFIF colours is converted into them (see
 * hfyuvconv.h). */
static gboolean
to_scratch (HfEncoder * enc, const HfEncParams * p, int subsamp,
    gboolean packed, const unsigned char **planes, int *strides,
    HfEncResult * result)
{
  HfYuvGeometry g;
  uint8_t *dst[3];
  const uint8_t *src[3];
  int src_stride[3], pixel_stride[3], i;

  if (!scratch_planes (enc, p, subsamp, &g, dst, strides, result))
    return FALSE;
  for (i = 0; i < 3; i++) {
    src[i] = p->planes[i];
    src_stride[i] = p->strides[i] ? p->strides[i] : tjPlaneWidth (i,
        p->width, subsamp);
    pixel_stride[i] = MAX (1, p->pixel_strides[i]);
    planes[i] = dst[i];
  }
  if (packed)
    hf_yuv_gather_frame (p->convert, src, src_stride, pixel_stride, dst,
        strides, &g);
  else
    hf_yuv_convert_frame (p->convert, src, src_stride, dst, strides, &g);
  return TRUE;
}

void
hf_encoder_compress (HfEncoder * enc, const HfEncParams * p,
    HfEncResult * result)
{
  unsigned char *buf;
  unsigned long size;
  int subsamp, ret;
  /* Accurate (islow) DCT, TurboJPEG's default: its SIMD versions are
   * bit-exact with the C code, so output is deterministic, and it is the
   * quality users expect from a quality setting. */
  const int flags = TJFLAG_NOREALLOC | TJFLAG_ACCURATEDCT;

  result->status = HF_ENC_OK;
  result->size = 0;
  result->error[0] = '\0';

  /* Gray input can only make a gray JPEG (libjpeg cannot turn one channel
   * into YCbCr), so the output subsampling follows the input. */
  subsamp = p->pixel_format == TJPF_GRAY ? TJSAMP_GRAY : p->subsamp;
  if (!validate_params (p, subsamp, result))
    return;

  switch (p->fault) {
    case HF_ENC_FAULT_ERROR:
      set_error (result, HF_ENC_ERROR, "injected encoder error (test hook)");
      return;
    case HF_ENC_FAULT_EMPTY:
      result->status = HF_ENC_EMPTY;
      return;
    case HF_ENC_FAULT_HANG:
      sleep_ms (p->fault_hang_ms);
      break;
    default:
      break;
  }

  buf = p->out;
  size = (unsigned long) p->out_capacity;
  if (p->pixel_format == -1) {
    const unsigned char *planes[HF_ENC_MAX_PLANES];
    int strides[HF_ENC_MAX_PLANES], i;

    for (i = 0; i < HF_ENC_MAX_PLANES; i++) {
      planes[i] = p->planes[i];
      strides[i] = p->strides[i];
    }
    gboolean packed = p->pixel_strides[0] > 1 || p->pixel_strides[1] > 1
        || p->pixel_strides[2] > 1, ok;

    if (packed || p->convert)
      ok = to_scratch (enc, p, subsamp, packed, planes, strides, result);
    else
      ok = pad_luma (enc, p, subsamp, planes, strides, result);
    if (!ok)
      return;
    ret = tjCompressFromYUVPlanes (enc->tj, planes, p->width, strides,
        p->height, subsamp, &buf, &size, p->quality, flags);
  } else {
    ret = tjCompress2 (enc->tj, p->planes[0], p->width, p->strides[0],
        p->height, p->pixel_format, &buf, &size, subsamp, p->quality, flags);
  }

  if (ret != 0) {
    set_error (result, HF_ENC_ERROR, "%s", tjGetErrorStr2 (enc->tj));
    return;
  }
  if (buf != p->out) {
    /* Cannot happen with TJFLAG_NOREALLOC; never hand out foreign memory. */
    set_error (result, HF_ENC_ERROR, "TurboJPEG moved the output buffer");
    return;
  }
  if (size == 0) {
    result->status = HF_ENC_EMPTY;
    return;
  }
  result->size = size;
}

/* ---------------------------------------------------------------------- */
/* Worker pool                                                             */
/* ---------------------------------------------------------------------- */

typedef enum
{
  JOB_FREE = 0,
  JOB_QUEUED,
  JOB_RUNNING,
  JOB_DONE,
} JobState;

struct HfEncJob
{
  /* All fields are protected by pool->lock, except params, which only the
   * worker reads while the job is RUNNING (the caller cannot free or
   * reuse the slot then). */
  HfEncParams params;
  HfEncResult result;
  JobState state;
  gboolean abandoned;           /* only while RUNNING */
  unsigned timeout_ms;          /* 0 = no watchdog */
  struct timespec queued_at;    /* CLOCK_MONOTONIC, set at submit */
  struct timespec started_at;   /* set when a worker picks it up */
  void *user_data;
  HfEncReleaseFunc release;
  pthread_cond_t done;          /* signalled when state becomes DONE */
  HfEncJob *next;               /* in the run queue or the free list */
};

struct HfEncPool
{
  pthread_mutex_t lock;
  pthread_cond_t work;          /* a job was queued, or shutdown */
  unsigned refs;                /* owner + live workers */
  gboolean shutdown;
  gboolean flushing;

  HfEncJob *jobs;
  unsigned max_jobs;
  HfEncJob *free_list;
  HfEncJob *queue_head, *queue_tail;    /* FIFO of QUEUED jobs */
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
  job->user_data = NULL;
  job->release = NULL;
  job->next = pool->free_list;
  pool->free_list = job;
}

static void
queue_remove_locked (HfEncPool * pool, HfEncJob * job)
{
  HfEncJob **link = &pool->queue_head, *prev = NULL;

  while (*link && *link != job) {
    prev = *link;
    link = &(*link)->next;
  }
  g_assert (*link == job);
  *link = job->next;
  if (pool->queue_tail == job)
    pool->queue_tail = prev;
  job->next = NULL;
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
    HfEncJob *job;
    HfEncResult res;

    while (!pool->shutdown && pool->queue_head == NULL)
      pthread_cond_wait (&pool->work, &pool->lock);
    if (pool->shutdown)
      break;

    job = pool->queue_head;
    pool->queue_head = job->next;
    if (pool->queue_head == NULL)
      pool->queue_tail = NULL;
    job->next = NULL;
    job->state = JOB_RUNNING;
    clock_gettime (CLOCK_MONOTONIC, &job->started_at);
    pool->last_progress = job->started_at;
    pthread_mutex_unlock (&pool->lock);

    hf_encoder_compress (enc, &job->params, &res);

    pthread_mutex_lock (&pool->lock);
    clock_gettime (CLOCK_MONOTONIC, &pool->last_progress);
    if (job->abandoned) {
      /* Nobody waits for it: free the slot, then give the caller's
       * resources back (outside the lock: release may do anything). */
      void *user_data = job->user_data;
      HfEncReleaseFunc release = job->release;

      slot_free_locked (pool, job);
      pthread_mutex_unlock (&pool->lock);
      if (release)
        release (user_data);
      pthread_mutex_lock (&pool->lock);
    } else {
      job->result = res;
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
 * (outside the lock: release may do anything). A running job is marked;
 * its worker releases it when it comes out. */
static gboolean
abandon_locked (HfEncPool * pool, HfEncJob * job, void **user_data,
    HfEncReleaseFunc * release)
{
  switch (job->state) {
    case JOB_QUEUED:
      queue_remove_locked (pool, job);
      /* fall through */
    case JOB_DONE:
      *user_data = job->user_data;
      *release = job->release;
      slot_free_locked (pool, job);
      return TRUE;
    case JOB_RUNNING:
      job->abandoned = TRUE;
      return FALSE;
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
hf_enc_pool_new (unsigned n_workers, unsigned max_jobs, char *error,
    size_t error_len)
{
  HfEncPool *pool;
  HfEncoder **encs;
  pthread_condattr_t cattr;
  pthread_attr_t tattr;
  unsigned i, started = 0;
  int err = 0;

  if (n_workers < 1 || max_jobs < 1) {
    if (error && error_len)
      g_snprintf (error, error_len, "need at least one worker and one job "
          "(got %u workers, %u jobs)", n_workers, max_jobs);
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
  pool->jobs = g_new0 (HfEncJob, max_jobs);
  for (i = max_jobs; i-- > 0;) {
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

/* The job's current watchdog deadline; lock held, job QUEUED or RUNNING.
 * Running: its own start + timeout. Queued: timeout after the later of its
 * submit and the pool's last progress, so a deep queue behind busy
 * workers never expires, while a queue behind workers stuck in (say)
 * abandoned hung jobs still does. Progress moves it later, so a waiter
 * recomputes it each time it wakes. */
static void
job_deadline_locked (HfEncPool * pool, HfEncJob * job,
    struct timespec *deadline)
{
  if (job->state == JOB_RUNNING) {
    *deadline = job->started_at;
  } else if (timespec_before (&job->queued_at, &pool->last_progress)) {
    *deadline = pool->last_progress;
  } else {
    *deadline = job->queued_at;
  }
  timespec_add_ms (deadline, job->timeout_ms);
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
  job->user_data = user_data;
  job->release = release;
  job->timeout_ms = timeout_ms;
  clock_gettime (CLOCK_MONOTONIC, &job->queued_at);
  job->state = JOB_QUEUED;
  job->next = NULL;
  if (pool->queue_tail)
    pool->queue_tail->next = job;
  else
    pool->queue_head = job;
  pool->queue_tail = job;
  /* One job, one worker. */
  pthread_cond_signal (&pool->work);
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

  g_return_val_if_fail (pool != NULL && job != NULL, HF_ENC_ERROR);

  pthread_mutex_lock (&pool->lock);
  if (job->state == JOB_FREE) {
    pthread_mutex_unlock (&pool->lock);
    g_critical ("hf_enc_job_wait: job is not alive");
    return HF_ENC_ERROR;
  }
  for (;;) {
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
    if (job->timeout_ms > 0) {
      struct timespec deadline, now;

      job_deadline_locked (pool, job, &deadline);
      clock_gettime (CLOCK_MONOTONIC, &now);
      if (!timespec_before (&now, &deadline)) {
        status = HF_ENC_TIMEOUT;
        was_running = job->state == JOB_RUNNING;
        timeout_ms = job->timeout_ms;
        break;
      }
      pthread_cond_timedwait (&job->done, &pool->lock, &deadline);
    } else {
      pthread_cond_wait (&job->done, &pool->lock);
    }
  }
  pthread_mutex_unlock (&pool->lock);

  if (result) {
    result->status = status;
    result->size = 0;
    if (status == HF_ENC_FLUSHING)
      g_strlcpy (result->error, "pool is flushing", sizeof (result->error));
    else if (was_running)
      g_snprintf (result->error, sizeof (result->error), "encode did not "
          "finish within %u ms", timeout_ms);
    else
      g_snprintf (result->error, sizeof (result->error), "encode did not "
          "start: no encode worker made progress for %u ms (all stuck?)",
          timeout_ms);
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

/* hfencpool: JPEG encode workers with in-order collection and a per-job
 * watchdog. Engine code: no GStreamer here (GLib types are fine).
 *
 * Threads and hand-offs use pthread mutexes and condition variables so that
 * ThreadSanitizer sees every synchronisation (see docs/design.md).
 *
 * Ownership: a job's resources (input pixels, output memory) belong to the
 * caller, described by user_data.  The pool never frees them itself except
 * through the release function, and it calls that function exactly once
 * for an abandoned job, from whichever thread last touches the job (the
 * worker finishing late, or the caller's thread when the job never started).
 *
 * Threads: every pool function may be called from any thread (one mutex
 * inside); set_flushing is meant to be called while another thread waits.
 * A job handle is used by one thread at a time and is invalid once
 * finished or abandoned. hf_enc_pool_free must not race with other calls
 * on the same pool: set flushing and let waiters return first.
 * The input planes and `out` must stay valid until the job is finished or
 * its release has run. release may run on a worker thread, even after
 * hf_enc_pool_free has returned: it must be thread-safe, must not call into
 * the pool, and must touch only what user_data owns (hold a reference on
 * anything else, e.g. the element).
 * An HfEncoder is not thread-safe: one per thread.
 */
#ifndef __HF_ENC_POOL_H__
#define __HF_ENC_POOL_H__

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "hfyuvconv.h"

G_BEGIN_DECLS

typedef enum
{
  HF_ENC_OK = 0,
  HF_ENC_ERROR,                 /* libjpeg-turbo failed; text in result */
  HF_ENC_EMPTY,                 /* the compressor produced 0 bytes */
  HF_ENC_TIMEOUT,               /* the job's watchdog expired */
  HF_ENC_FLUSHING,              /* the pool is flushing; the wait was cut */
} HfEncStatus;

/* Test-only fault injection; see gsthfjpegenc-private.h. */
typedef enum
{
  HF_ENC_FAULT_NONE = 0,
  HF_ENC_FAULT_ERROR,           /* report a compressor error */
  HF_ENC_FAULT_HANG,            /* sleep fault_hang_ms before encoding */
  HF_ENC_FAULT_EMPTY,           /* report success with 0 bytes */
} HfEncFault;

#define HF_ENC_MAX_PLANES 3

/* One frame to compress. Packed input: pixel_format is a TJPF_* value and
 * planes[0]/strides[0] describe it; the output uses `subsamp`.
 * YUV input: pixel_format is -1, planes[0..2]/strides[0..2] are where the
 * Y, U and V samples start and their row strides, pixel_strides[0..2] the
 * bytes from one sample to the next (0 or 1: a plane; 2 or 4: semi-planar
 * NV12/NV21 chroma or packed 4:2:2, which are gathered into scratch), and
 * `subsamp` is the input's own subsampling (TJSAMP_*); the output has
 * that subsampling.
 * TJPF_GRAY input always makes a gray JPEG, whatever `subsamp` says
 * (libjpeg cannot make YCbCr from one channel). */
typedef struct
{
  int width;
  int height;
  int pixel_format;
  int subsamp;
  int quality;                  /* 1..100 */
  const uint8_t *planes[HF_ENC_MAX_PLANES];
  int strides[HF_ENC_MAX_PLANES];
  int pixel_strides[HF_ENC_MAX_PLANES];
  uint8_t *out;                 /* caller-owned, never reallocated */
  size_t out_capacity;          /* >= hf_enc_max_size (w, h, subsamp) */
  /* Planar input that is not JFIF (full range, BT.601): converted into
   * the encoder's scratch first (hfyuvconv.h). NULL: used as it is. Must
   * stay valid until the job is done; read only. */
  const HfYuvConvert *convert;
  HfEncFault fault;
  unsigned fault_hang_ms;
} HfEncParams;

typedef struct
{
  HfEncStatus status;
  size_t size;                  /* bytes written to params.out */
  char error[256];              /* libjpeg-turbo's text, or ours */
} HfEncResult;

/* The largest width or height: libjpeg's JPEG_MAX_DIMENSION, since
 * jpeg_start_compress refuses larger sides. A bare number, so that caps
 * strings can be built from it with G_STRINGIFY. */
#define HF_ENC_MAX_SIDE 65500

/* The worst-case JPEG size (tjBufSize). 0 if the size is out of range:
 * width or height outside 1..HF_ENC_MAX_SIDE, a bad subsamp, or a frame so large
 * (over about 357 Mpixel at 4:4:4, 715 at 4:2:0) that libjpeg-turbo 2.1's
 * own tjBufSize overflows; such frames cannot be encoded safely. */
size_t hf_enc_max_size (int width, int height, int subsamp);

/* A single-threaded compressor that keeps its TurboJPEG handle between
 * frames. Used inline (queue-depth 1) and by each worker.
 * Planar input whose size is not a multiple of its chroma factors (odd
 * width at 4:2:2 and 4:2:0, odd height at 4:2:0) has its luma plane
 * copied into the encoder's scratch, padded with the last column and row
 * repeated: TurboJPEG would otherwise read luma past the picture (and
 * past the plane's memory when it is tight). Planar input with a convert
 * table is converted into the scratch, padded the same way. The scratch
 * grows to the largest such frame seen and is reused. Other input is
 * never copied. */
typedef struct HfEncoder HfEncoder;
HfEncoder *hf_encoder_new (char *error, size_t error_len);
void hf_encoder_free (HfEncoder * enc);
void hf_encoder_compress (HfEncoder * enc, const HfEncParams * params,
    HfEncResult * result);

typedef struct HfEncPool HfEncPool;
typedef struct HfEncJob HfEncJob;
typedef void (*HfEncReleaseFunc) (void *user_data);

/* n_workers >= 1 threads, each with its own HfEncoder for the pool's life.
 * max_jobs bounds the jobs alive at once (submitted and not yet finished
 * or released). Returns NULL with a message in error on failure. */
HfEncPool *hf_enc_pool_new (unsigned n_workers, unsigned max_jobs,
    char *error, size_t error_len);

/* Abandons every job (see hf_enc_job_abandon) and returns at once, without
 * waiting for a worker stuck in a job; the last worker out frees the rest. */
void hf_enc_pool_free (HfEncPool * pool);

/* Queues a copy of params. Never blocks: the caller keeps fewer than
 * max_jobs jobs alive. Returns NULL only when max_jobs jobs are alive.
 * timeout_ms (0 = none) is the job's watchdog, which measures the job's
 * own encode, not its time in the queue:
 * - running: it expires timeout_ms after a worker picked the job up;
 * - queued: it expires when no worker has started or finished any job for
 *   timeout_ms (counted from the later of that progress and this submit),
 *   so a job queued behind workers stuck in hung (e.g. abandoned) jobs
 *   still times out, while a deep queue of normal jobs never does. */
HfEncJob *hf_enc_pool_submit (HfEncPool * pool, const HfEncParams * params,
    unsigned timeout_ms, void *user_data, HfEncReleaseFunc release);

/* Non-blocking: has the job finished (successfully or not)? */
gboolean hf_enc_job_is_done (HfEncPool * pool, HfEncJob * job);

/* Blocks until the job is done, its watchdog expires (the deadline is
 * recomputed each time the wait wakes, see hf_enc_pool_submit) or the pool
 * is set flushing. On HF_ENC_OK, ERROR and EMPTY the result is filled in
 * and the job still exists: call hf_enc_job_finish. On TIMEOUT and FLUSHING
 * the job is still owned by the pool: call hf_enc_job_abandon when done
 * with it. On TIMEOUT the result's error says whether the job was running
 * or never started. */
HfEncStatus hf_enc_job_wait (HfEncPool * pool, HfEncJob * job,
    HfEncResult * result);

/* Returns a done job's slot to the pool. Does not call release. */
void hf_enc_job_finish (HfEncPool * pool, HfEncJob * job);

/* The caller gives up on the job. If it never started or already finished,
 * release(user_data) runs now on this thread; if a worker is inside it, the
 * worker calls release when it comes out, and discards the result. */
void hf_enc_job_abandon (HfEncPool * pool, HfEncJob * job);

/* While flushing, every hf_enc_job_wait returns HF_ENC_FLUSHING at once. */
void hf_enc_pool_set_flushing (HfEncPool * pool, gboolean flushing);

/* Pools created and not yet destroyed in this process (a pool outlives
 * hf_enc_pool_free while a worker is stuck in a job). For leak checks in
 * tests. */
guint hf_enc_pool_live_count (void);

G_END_DECLS

#endif /* __HF_ENC_POOL_H__ */

/* hfencpool: JPEG encode workers with a per-job watchdog. A job is one
 * frame; a frame with slices (HfEncParams.slices, see HfEncBands) is cut
 * into bands that workers encode in parallel, each into its own part of
 * the output, and the last band out joins them into one JPEG at the start
 * of `out`. Engine code: no GStreamer here (GLib types are fine).
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
 */
#ifndef __HF_ENC_POOL_H__
#define __HF_ENC_POOL_H__

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "hfencoder.h"

G_BEGIN_DECLS

typedef struct HfEncPool HfEncPool;
typedef struct HfEncJob HfEncJob;
typedef void (*HfEncReleaseFunc) (void *user_data);

/* n_workers >= 1 threads, each with its own HfEncoder for the pool's life.
 * max_jobs bounds the jobs alive at once (submitted and not yet finished
 * or released), max_bands the bands of one job. Returns NULL with a
 * message in error on failure. */
HfEncPool *hf_enc_pool_new (unsigned n_workers, unsigned max_jobs,
    unsigned max_bands, char *error, size_t error_len);

/* Abandons every job (see hf_enc_job_abandon) and returns at once, without
 * waiting for a worker stuck in a job; the last worker out frees the rest. */
void hf_enc_pool_free (HfEncPool * pool);

/* Queues a copy of params. Never blocks: the caller keeps fewer than
 * max_jobs jobs alive. Returns NULL only when max_jobs jobs are alive.
 * With more than one band, params.out_capacity must hold every band's
 * hf_enc_band_capacity (hf_enc_out_size is enough); a job that cannot be
 * encoded (too many bands, too small an output) is done at once, with
 * HF_ENC_ERROR and the reason.
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

G_END_DECLS

#endif /* __HF_ENC_POOL_H__ */

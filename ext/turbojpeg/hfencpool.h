/* hfencpool: the JPEG encode engine's in-order queue of frames, its
 * workers and a per-frame watchdog. Engine code: no GStreamer here (GLib
 * types are fine).
 *
 * A caller pushes frames at the tail and pops them at the head, in the
 * order pushed, each once it is encoded. Workers take the frames' bands
 * (HfEncParams.slices, see HfEncBands) in order and encode them in
 * parallel, each into its own part of the frame's output; the worker that
 * finishes a frame's last band joins them into one JPEG at the start of
 * `out`. A frame with nothing to encode (a repeat) is pushed done. With no
 * workers, popping encodes the oldest frame on the popping thread: the
 * same queue, inline.
 *
 * Threads and hand-offs use pthread mutexes and condition variables so
 * that ThreadSanitizer sees every synchronisation (see docs/design.md).
 * Every function may be called from any thread (one mutex inside), but
 * one thread at a time pops, and hf_enc_pool_free must not race with
 * other calls: set flushing and let waiters return first.
 *
 * Ownership: a frame's resources (input pixels, output memory) belong to
 * the caller, described by user_data. A popped frame is the caller's
 * again. An abandoned frame is released exactly once, by the release
 * function, from whichever thread last touches it: the caller's, or a
 * worker that finishes a band of it late. The input planes and `out` must
 * stay valid until the frame is popped or released. release may run on a
 * worker thread, even after hf_enc_pool_free has returned: it must be
 * thread-safe, must not call into the pool, and must touch only what
 * user_data owns (hold a reference on anything else, e.g. the element).
 */
#ifndef __HF_ENC_POOL_H__
#define __HF_ENC_POOL_H__

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "hfencoder.h"

G_BEGIN_DECLS

typedef struct HfEncPool HfEncPool;
typedef void (*HfEncReleaseFunc) (void *user_data);

/* What encodes band k of a frame: hf_encoder_compress_band's contract,
 * plus the data given at creation. Tests give their own, to make a frame
 * fail, hang or come out empty. */
typedef void (*HfEncCompressFunc) (HfEncoder * enc, const HfEncParams * params,
    const HfEncBands * b, int k, uint8_t * out, size_t out_capacity,
    HfEncResult * result, void *data);

typedef struct
{
  /* Encode threads, each with its own HfEncoder for the pool's life. 0:
   * none; hf_enc_pool_pop encodes on the popping thread, without a
   * watchdog. */
  unsigned n_workers;
  unsigned depth;               /* frames in the queue at most, >= 1 */
  unsigned max_bands;           /* bands of one frame at most, >= 1 */
  HfEncCompressFunc compress;   /* NULL: hf_encoder_compress_band */
  void *compress_data;
} HfEncPoolConfig;

/* NULL, with a message in error, on failure. */
HfEncPool *hf_enc_pool_new (const HfEncPoolConfig * config, char *error,
    size_t error_len);

/* Abandons every frame (see hf_enc_pool_abandon) and returns at once,
 * without waiting for a worker stuck in a band; the last worker out frees
 * the rest. */
void hf_enc_pool_free (HfEncPool * pool);

/* Appends a frame; never blocks. params NULL: a frame with nothing to
 * encode, done at once (HF_ENC_OK, size 0). With more than one band,
 * params.out_capacity must hold every band's hf_enc_band_capacity
 * (hf_enc_out_size is enough); a frame that cannot be encoded (too many
 * bands, too small an output) is done at once, with HF_ENC_ERROR and the
 * reason. Returns FALSE when `depth` frames are queued (or popped and
 * not yet done), or when every
 * frame slot is held by abandoned frames whose bands are still on
 * workers (all stuck). timeout_ms (0 = none) is the watchdog of each of
 * the frame's bands, which measures the band's own encode, not its time
 * in the queue:
 * - running: it expires timeout_ms after a worker picked the band up;
 * - queued: it expires when no worker has started or finished any band
 *   for timeout_ms (counted from the later of that progress and this
 *   push), so a frame queued behind workers stuck in hung (e.g.
 *   abandoned) frames still times out, while a deep queue of normal
 *   frames never does. */
gboolean hf_enc_pool_push (HfEncPool * pool, const HfEncParams * params,
    unsigned timeout_ms, void *user_data, HfEncReleaseFunc release);

/* Blocks while more than `keep` frames are queued. FALSE when the pool is
 * flushing (at once, or when it starts to). */
gboolean hf_enc_pool_wait_room (HfEncPool * pool, unsigned keep);

/* Blocks until the oldest frame is done, or its watchdog expires (the
 * deadline is recomputed each time the wait wakes, see hf_enc_pool_push),
 * or the pool is flushing; while no frame is queued it waits for one.
 * *user_data is the oldest frame's (NULL on FLUSHING).
 * - HF_ENC_OK, ERROR, EMPTY: the frame has left the queue and is the
 *   caller's again (release is not called); result is filled in. It still
 *   counts against `depth` (and for hf_enc_pool_wait_room) until
 *   hf_enc_pool_pop_done: a thread that drains sees it gone only once the
 *   caller has finished with it.
 * - HF_ENC_TIMEOUT: the frame stays queued; result's error names the band
 *   and says whether it ran too long or never started. Abandon it.
 * - HF_ENC_FLUSHING: nothing changed. */
HfEncStatus hf_enc_pool_pop (HfEncPool * pool, HfEncResult * result,
    void **user_data);

/* The caller has finished with the frame it popped last (see
 * hf_enc_pool_pop). */
void hf_enc_pool_pop_done (HfEncPool * pool);

/* Drops every queued frame. A frame no worker is in is released now, on
 * this thread; a frame with a band on a worker is released by that
 * worker when it comes out, and its result is discarded. */
void hf_enc_pool_abandon (HfEncPool * pool);

/* While flushing, every wait of hf_enc_pool_wait_room and hf_enc_pool_pop
 * returns at once. */
void hf_enc_pool_set_flushing (HfEncPool * pool, gboolean flushing);

G_END_DECLS

#endif /* __HF_ENC_POOL_H__ */

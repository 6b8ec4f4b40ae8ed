/* hfdrawsrc look-ahead: frames drawn in parallel, ahead of the streaming
 * thread, and handed back in frame order (docs/design.md, "hfdrawsrc
 * threading").
 *
 * Threads: every function is called from the streaming thread (or from
 * start/stop, which never run beside it); the workers only draw. Each
 * worker owns an HfRenderer. The composition is read-only while frames
 * are drawn: callers reset the look-ahead before they free or replace it.
 * Hand-offs use pthread mutexes and condition variables, which
 * ThreadSanitizer sees.
 */
#ifndef __GST_HF_DRAW_SRC_AHEAD_H__
#define __GST_HF_DRAW_SRC_AHEAD_H__

#include <gst/gst.h>
#include <gst/video/video.h>

#include "hfcomp.h"

G_BEGIN_DECLS

typedef struct _GstHfDrawAhead GstHfDrawAhead;

/* n_workers >= 1 drawing threads; at most `depth` frames queued. Returns
 * NULL with a message in error when a thread cannot be started. */
GstHfDrawAhead *gst_hf_draw_ahead_new (guint n_workers, guint depth,
    GError ** error);

/* Drops what is queued (see reset), stops and joins the workers. */
void gst_hf_draw_ahead_free (GstHfDrawAhead * ahead);

/* Room for one more frame? */
gboolean gst_hf_draw_ahead_has_room (GstHfDrawAhead * ahead);

/* Queues frame n, to be drawn at time t (seconds) of comp, scaled by
 * mode, into buf, a writable buffer for info. Takes buf. FALSE (buf
 * dropped) if it cannot be mapped. */
gboolean gst_hf_draw_ahead_submit (GstHfDrawAhead * ahead,
    const HfComposition * comp, HfScaleMode mode, const GstVideoInfo * info,
    HfCanvasFormat format, guint64 n, double t, GstBuffer * buf);

/* If frame n is the oldest queued, waits until it is drawn (drawing it on
 * the calling thread with `renderer` when no worker has started it) and
 * returns its buffer. NULL if frame n is not queued. */
GstBuffer *gst_hf_draw_ahead_take (GstHfDrawAhead * ahead, guint64 n,
    HfRenderer * renderer);

/* Drops every queued frame; returns once no worker draws any of them. */
void gst_hf_draw_ahead_reset (GstHfDrawAhead * ahead);

G_END_DECLS

#endif /* __GST_HF_DRAW_SRC_AHEAD_H__ */

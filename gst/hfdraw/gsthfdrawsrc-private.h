/* hfdrawsrc internals shared by its source files: gsthfdrawsrc.c (the
 * element: properties, state, drawing), gsthfdrawsrccaps.c (caps,
 * negotiation, allocation) and gsthfdrawsrcseek.c (seeking, seek refusal,
 * queries). */
#ifndef __GST_HF_DRAW_SRC_PRIVATE_H__
#define __GST_HF_DRAW_SRC_PRIVATE_H__

#include <gst/gst.h>
#include <gst/base/gstbasesrc.h>
#include <gst/video/video.h>

#include "gsthfdrawsrc.h"
#include "gsthfdrawsrcahead.h"
#include "gsthfstaticframe.h"
#include "hfcomp.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_hf_draw_src_debug);

/* hfdrawsrc is final and derives from GstBaseSrc directly: the parent
 * class for chaining up, from any of its files. */
#define PARENT_CLASS \
  GST_BASE_SRC_CLASS (g_type_class_peek (GST_TYPE_BASE_SRC))
#define PARENT_ELEMENT_CLASS \
  GST_ELEMENT_CLASS (g_type_class_peek (GST_TYPE_BASE_SRC))

struct _GstHfDrawSrc
{
  GstBaseSrc parent;

  /* Properties, under the object lock. */
  gchar *location;
  gchar *composition;
  guint threads;
  GstHfDrawSrcScaleMode scale_mode;
  gboolean loop;                /* read at start, like the above */

  /* What get_caps and queries need, under the object lock: set by start,
   * set_caps and stop, read from any thread. */
  gboolean have_comp;           /* a composition is loaded */
  gboolean is_demo;             /* ... and it is the demo (negotiable) */
  HfCompInfo comp_info;
  gchar *comp_name;             /* for messages: "PATH" quoted, or
                                 * "(composition property)"; NULL: demo */
  GstClockTime duration;        /* composition length in ns */
  gint fps_n, fps_d;            /* negotiated, or the composition's */
  guint64 n_total;              /* frames in the composition */
  gboolean negotiated;
  GstVideoInfo info;

  /* Streaming state: used by start/stop and by the streaming thread
   * (create, do_seek, set_caps), which never run at the same time. */
  HfComposition *comp;
  HfRenderer *renderer;
  HfCanvasFormat canvas_format;
  guint64 n;                    /* index of the next frame */
  guint64 n_out;                /* frames pushed since start (num-buffers) */

  /* Parallel drawing (threads > 1): frames up to n + lookahead are drawn
   * ahead by the workers; next_ahead is the next frame to consider. */
  GstHfDrawAhead *ahead;
  guint lookahead;
  guint64 next_ahead;

  /* The static-frame shortcut: the picture of the composition alone (no
   * draw-handler paint) at frame still.index, while the next frame may
   * reuse it. */
  GstHfStaticFrame still;

  /* is-live: running time of frame 0, fixed at the first frame. */
  gboolean live_base_valid;
  GstClockTime live_base;
};

/* PTS of frame n, relative to the composition start. Computed from the
 * counter alone, so timestamps never drift. */
static inline GstClockTime
frame_time (guint64 n, gint fps_n, gint fps_d)
{
  return gst_util_uint64_scale (n, (guint64) fps_d * GST_SECOND, fps_n);
}

/* The frame whose interval [frame_time (n), frame_time (n + 1)) contains
 * t. frame_time truncates to the nanosecond, so a plain floor of t x fps
 * can land one frame early on a frame's own PTS (33333333 ns at 30 fps is
 * frame 1): step forward while the next frame has started by t. */
static inline guint64
frame_at (GstClockTime t, gint fps_n, gint fps_d)
{
  guint64 n = gst_util_uint64_scale (t, fps_n, (guint64) fps_d * GST_SECOND);

  while (frame_time (n + 1, fps_n, fps_d) <= t)
    n++;
  return n;
}

static inline guint64
frame_count (GstClockTime duration, gint fps_n, gint fps_d)
{
  return gst_util_uint64_scale_ceil (duration, fps_n,
      (guint64) fps_d * GST_SECOND);
}

/* The composition time (seconds) that output frame n shows: with loop,
 * the composition restarts every n_total frames while n keeps counting. */
static inline double
comp_time (const GstHfDrawSrc * self, guint64 n, gint fps_n, gint fps_d)
{
  if (self->loop && self->n_total > 0)
    n %= self->n_total;
  return (double) frame_time (n, fps_n, fps_d) / GST_SECOND;
}

/* Can output frame n (> 0) show another picture than frame n - 1? A loop's
 * restart always can. */
static inline gboolean
frame_changes (const GstHfDrawSrc * self, guint64 n, gint fps_n, gint fps_d)
{
  if (self->loop && self->n_total > 0 && n % self->n_total == 0)
    return TRUE;
  return hf_composition_changes_between (self->comp,
      comp_time (self, n - 1, fps_n, fps_d), comp_time (self, n, fps_n,
          fps_d));
}

/* Drops the frames drawn ahead (seek, caps change). Streaming thread. */
static inline void
gst_hf_draw_src_reset_ahead (GstHfDrawSrc * self)
{
  if (self->ahead)
    gst_hf_draw_ahead_reset (self->ahead);
  self->next_ahead = self->n;
}

/* gsthfdrawsrcload.c: the composition of location or markup (neither:
 * the demo), its pictures decoded by GStreamer's decoders; NULL after
 * posting an ERROR that says what and where. */
HfComposition *gst_hf_draw_src_load (GstHfDrawSrc * self,
    const gchar * location, const gchar * markup);

/* gsthfdrawsrccaps.c */
GstCaps *gst_hf_draw_src_get_caps (GstBaseSrc * bsrc, GstCaps * filter);
GstCaps *gst_hf_draw_src_fixate (GstBaseSrc * bsrc, GstCaps * caps);
gboolean gst_hf_draw_src_negotiate (GstBaseSrc * bsrc);
gboolean gst_hf_draw_src_set_caps (GstBaseSrc * bsrc, GstCaps * caps);
gboolean gst_hf_draw_src_decide_allocation (GstBaseSrc * bsrc,
    GstQuery * query);

/* gsthfdrawsrcseek.c */
gboolean gst_hf_draw_src_is_seekable (GstBaseSrc * bsrc);
gboolean gst_hf_draw_src_do_seek (GstBaseSrc * bsrc, GstSegment * segment);
gboolean gst_hf_draw_src_query (GstBaseSrc * bsrc, GstQuery * query);
gboolean gst_hf_draw_src_event (GstBaseSrc * bsrc, GstEvent * event);
gboolean gst_hf_draw_src_send_event (GstElement * element, GstEvent * event);

G_END_DECLS

#endif /* __GST_HF_DRAW_SRC_PRIVATE_H__ */

/* hfdrawsrc: caps and allocation. Any size and framerate can be drawn; a
 * composition's own are preferred (offered first), the demo's defaults
 * are 1920x1080 at 30/1. Frames go into a video buffer pool. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/video/gstvideometa.h>
#include <gst/video/gstvideopool.h>

#include "gsthfdrawsrc-private.h"
#include "gsthfframealloc.h"

#define GST_CAT_DEFAULT gst_hf_draw_src_debug

/* The demo's defaults, where downstream leaves the choice to us. */

GstCaps *
gst_hf_draw_src_get_caps (GstBaseSrc * bsrc, GstCaps * filter)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  GstCaps *caps;

  caps = gst_pad_get_pad_template_caps (GST_BASE_SRC_PAD (bsrc));
  GST_OBJECT_LOCK (self);
  if (self->have_comp && !self->is_demo) {
    /* Its own size and rate first: downstream that accepts them gets
     * them; any other is drawn at that size (scale-mode) and rate. */
    GstCaps *own = gst_caps_copy (caps);

    gst_caps_set_simple (own,
        "width", G_TYPE_INT, self->comp_info.width,
        "height", G_TYPE_INT, self->comp_info.height,
        "framerate", GST_TYPE_FRACTION, self->comp_info.fps_n,
        self->comp_info.fps_d, NULL);
    caps = gst_caps_merge (own, caps);
  }
  GST_OBJECT_UNLOCK (self);

  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, caps,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (caps);
    caps = tmp;
  }
  return caps;
}

GstCaps *
gst_hf_draw_src_fixate (GstBaseSrc * bsrc, GstCaps * caps)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  gint w = HF_COMP_DEFAULT_WIDTH, h = HF_COMP_DEFAULT_HEIGHT,
      n = HF_COMP_DEFAULT_FPS, d = 1;
  GstStructure *s;

  /* Nearest to the composition's own, where downstream leaves a range. */
  GST_OBJECT_LOCK (self);
  if (self->have_comp && !self->is_demo) {
    w = self->comp_info.width;
    h = self->comp_info.height;
    n = self->comp_info.fps_n;
    d = self->comp_info.fps_d;
  }
  GST_OBJECT_UNLOCK (self);
  caps = gst_caps_make_writable (caps);
  caps = gst_caps_truncate (caps);
  s = gst_caps_get_structure (caps, 0);
  gst_structure_fixate_field_nearest_int (s, "width", w);
  gst_structure_fixate_field_nearest_int (s, "height", h);
  gst_structure_fixate_field_nearest_fraction (s, "framerate", n, d);
  /* The first format, RGBA, unless downstream restricted it. */
  gst_structure_fixate_field (s, "format");

  return PARENT_CLASS->fixate (bsrc, caps);
}

/* When downstream takes nothing we can draw (a format other than RGBA,
 * BGRA, RGBx or BGRx, a size above 16384, a rate outside 1/1000 to 1000),
 * GstBaseSrc alone reports only "not-negotiated"; say what each side
 * offers, before that generic error. A WARNING, so that one failure
 * gives one ERROR. */
gboolean
gst_hf_draw_src_negotiate (GstBaseSrc * bsrc)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  GstPad *pad = GST_BASE_SRC_PAD (bsrc);
  GstCaps *ours, *peer;
  gchar *name, *peer_str;
  HfCompInfo ci;
  gboolean fixed;

  if (PARENT_CLASS->negotiate (bsrc))
    return TRUE;

  GST_OBJECT_LOCK (self);
  fixed = self->have_comp && !self->is_demo;
  ci = self->comp_info;
  name = g_strdup (self->comp_name);
  GST_OBJECT_UNLOCK (self);

  ours = gst_pad_query_caps (pad, NULL);
  peer = gst_pad_peer_query_caps (pad, NULL);
  /* Only a mismatch of caps: other failures keep the base class's error. */
  if (fixed && name && !gst_caps_can_intersect (ours, peer)) {
    peer_str = gst_caps_is_empty (peer) ? g_strdup ("nothing") :
        gst_caps_to_string (peer);
    GST_ELEMENT_WARNING (self, CORE, NEGOTIATION,
        ("Composition %s is %dx%d at %d/%d fps; downstream accepts %s",
            name, ci.width, ci.height, ci.fps_n, ci.fps_d, peer_str),
        ("hfdrawsrc draws a composition at any size from 1 to %d and any "
            "rate from 1/%d to %d fps, in RGBA, BGRA, RGBx or BGRx; put "
            "videoconvert downstream for other formats. hfdrawsrc offers %"
            GST_PTR_FORMAT, HF_COMP_MAX_SIZE, HF_COMP_MAX_FPS,
            HF_COMP_MAX_FPS, ours));
    g_free (peer_str);
  }
  gst_caps_unref (ours);
  gst_caps_unref (peer);
  g_free (name);
  return FALSE;
}

gboolean
gst_hf_draw_src_set_caps (GstBaseSrc * bsrc, GstCaps * caps)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  GstVideoInfo info;
  HfCanvasFormat format;
  guint64 n;

  if (!gst_video_info_from_caps (&info, caps) || info.fps_n <= 0
      || info.fps_d <= 0)
    goto invalid;

  switch (GST_VIDEO_INFO_FORMAT (&info)) {
    case GST_VIDEO_FORMAT_RGBA:
      format = HF_CANVAS_RGBA;
      break;
    case GST_VIDEO_FORMAT_BGRA:
      format = HF_CANVAS_BGRA;
      break;
    case GST_VIDEO_FORMAT_RGBx:
      format = HF_CANVAS_RGBX;
      break;
    case GST_VIDEO_FORMAT_BGRx:
      format = HF_CANVAS_BGRX;
      break;
    default:
      goto invalid;
  }

  /* A new format or size invalidates the remembered picture. */
  if (!self->negotiated || !gst_video_info_is_equal (&info, &self->info))
    gst_hf_static_frame_clear (&self->still);

  GST_OBJECT_LOCK (self);
  n = self->n;
  /* A new framerate mid-stream keeps the composition time: the counter
   * restarts at the first frame at or after the current time. */
  if (self->negotiated && n > 0 && (info.fps_n != self->fps_n
          || info.fps_d != self->fps_d)) {
    GstClockTime t = frame_time (n, self->fps_n, self->fps_d);
    n = gst_util_uint64_scale_ceil (t, info.fps_n,
        (guint64) info.fps_d * GST_SECOND);
  }
  self->n = n;
  self->info = info;
  self->canvas_format = format;
  self->fps_n = info.fps_n;
  self->fps_d = info.fps_d;
  self->n_total = frame_count (self->duration, info.fps_n, info.fps_d);
  self->negotiated = TRUE;
  GST_OBJECT_UNLOCK (self);
  /* Frames drawn ahead have the old size, or the old numbering. */
  gst_hf_draw_src_reset_ahead (self);

  GST_DEBUG_OBJECT (self, "caps %" GST_PTR_FORMAT ", %" G_GUINT64_FORMAT
      " frames", caps, self->n_total);
  return TRUE;

invalid:
  GST_ERROR_OBJECT (self, "unusable caps %" GST_PTR_FORMAT, caps);
  return FALSE;
}

/* Frames go into a GstVideoBufferPool sized for the negotiated video. A
 * buffer whose memory is still kept as a static frame (exclusively locked
 * by us) when it comes back is discarded by the pool (it checks that the
 * memory is writable), so the pool never hands out memory that another
 * buffer still shows. */
gboolean
gst_hf_draw_src_decide_allocation (GstBaseSrc * bsrc, GstQuery * query)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  GstBufferPool *pool = NULL;
  GstStructure *config;
  GstCaps *caps;
  GstVideoInfo vinfo;
  guint size = 0, min = 0, max = 0;
  gboolean update, own_pool;

  gst_query_parse_allocation (query, &caps, NULL);
  if (!caps || !gst_video_info_from_caps (&vinfo, caps))
    return FALSE;

  update = gst_query_get_n_allocation_pools (query) > 0;
  if (update)
    gst_query_parse_nth_allocation_pool (query, 0, &pool, &size, &min, &max);
  size = MAX (size, (guint) vinfo.size);
  /* The frames drawn ahead hold buffers too (their acquire never waits,
   * but a bounded pool would leave the workers idle). */
  min += self->lookahead;
  if (max != 0)
    max = MAX (max, min);
  own_pool = pool == NULL;
  if (own_pool)
    pool = gst_video_buffer_pool_new ();

  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, caps, size, min, max);
  if (gst_query_find_allocation_meta (query, GST_VIDEO_META_API_TYPE, NULL))
    gst_buffer_pool_config_add_option (config,
        GST_BUFFER_POOL_OPTION_VIDEO_META);
  gst_buffer_pool_set_config (pool, config);

  if (update)
    gst_query_set_nth_allocation_pool (query, 0, pool, size, min, max);
  else
    gst_query_add_allocation_pool (query, pool, size, min, max);
  gst_object_unref (pool);
  /* Our own pool takes our frame memory, with downstream's parameters
   * (alignment, padding), unless downstream names an allocator; a pool
   * from downstream keeps its own memory. The base class configures the
   * pool with the query's first allocator. */
  if (own_pool) {
    GstAllocator *allocator = NULL;
    GstAllocationParams params;

    gst_allocation_params_init (&params);
    if (gst_query_get_n_allocation_params (query) > 0)
      gst_query_parse_nth_allocation_param (query, 0, &allocator, &params);
    if (allocator == NULL) {
      allocator = gst_hf_frame_allocator_get ();
      if (gst_query_get_n_allocation_params (query) > 0)
        gst_query_set_nth_allocation_param (query, 0, allocator, &params);
      else
        gst_query_add_allocation_param (query, allocator, &params);
    }
    gst_object_unref (allocator);
  }

  return PARENT_CLASS->decide_allocation (bsrc, query);
}

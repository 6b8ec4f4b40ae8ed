/* hfdrawsrc: seeking and queries. A seek the element cannot do is refused
 * before GstBaseSrc flushes, so a refusal has no side effects. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gsthfdrawsrc-private.h"

#define GST_CAT_DEFAULT gst_hf_draw_src_debug

gboolean
gst_hf_draw_src_is_seekable (GstBaseSrc * bsrc)
{
  return TRUE;
}

gboolean
gst_hf_draw_src_do_seek (GstBaseSrc * bsrc, GstSegment * segment)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  GstClockTime position;
  gint fps_n, fps_d;

  if (segment->rate < 0) {
    GST_WARNING_OBJECT (self, "reverse playback is not supported");
    return FALSE;
  }

  segment->time = segment->start;
  position = segment->position;

  GST_OBJECT_LOCK (self);
  fps_n = self->fps_n;
  fps_d = self->fps_d;
  /* The frame showing at the position, as videotestsrc and the CONVERT
   * query have it: a seek into a frame shows that frame (a seek into the
   * last one shows it too), and a seek to a frame's PTS lands on it. */
  if (fps_n > 0 && GST_CLOCK_TIME_IS_VALID (position))
    self->n = frame_at (position, fps_n, fps_d);
  else
    self->n = 0;
  self->live_base_valid = FALSE;
  GST_OBJECT_UNLOCK (self);

  gst_hf_static_frame_clear (&self->still);
  gst_hf_draw_src_reset_ahead (self);
  GST_DEBUG_OBJECT (self, "seek to %" GST_TIME_FORMAT ": frame %"
      G_GUINT64_FORMAT, GST_TIME_ARGS (position), self->n);
  return TRUE;
}

/* Converts between TIME, DEFAULT (frames) and, once negotiated, BYTES.
 * Called with the object lock. */
static gboolean
convert_locked (GstHfDrawSrc * self, GstFormat src_fmt, gint64 src_val,
    GstFormat dest_fmt, gint64 * dest_val)
{
  guint64 frames;
  gsize frame_size = self->negotiated ? GST_VIDEO_INFO_SIZE (&self->info)
      : 0;

  if (src_fmt == dest_fmt || src_val == -1) {
    *dest_val = src_val;
    return TRUE;
  }
  if (src_val < 0 || self->fps_n <= 0 || self->fps_d <= 0)
    return FALSE;

  switch (src_fmt) {
    case GST_FORMAT_DEFAULT:
      frames = src_val;
      break;
    case GST_FORMAT_TIME:
      frames = frame_at (src_val, self->fps_n, self->fps_d);
      break;
    case GST_FORMAT_BYTES:
      if (frame_size == 0)
        return FALSE;
      frames = src_val / frame_size;
      break;
    default:
      return FALSE;
  }

  switch (dest_fmt) {
    case GST_FORMAT_DEFAULT:
      *dest_val = frames;
      return TRUE;
    case GST_FORMAT_TIME:
      if (src_fmt == GST_FORMAT_BYTES)
        return FALSE;
      *dest_val = frame_time (frames, self->fps_n, self->fps_d);
      return TRUE;
    case GST_FORMAT_BYTES:
      if (frame_size == 0 || frames > G_MAXINT64 / frame_size)
        return FALSE;
      *dest_val = frames * frame_size;
      return TRUE;
    default:
      return FALSE;
  }
}

/* Whether the element can do this seek. GstBaseSrc asks do_seek only after
 * it has sent FLUSH_START and FLUSH_STOP downstream, and a refusal then
 * leaves the stream flushed without a new segment. So everything do_seek
 * and the conversion would refuse is checked here, before any of that. */
static gboolean
seek_is_supported (GstHfDrawSrc * self, GstEvent * event)
{
  gdouble rate;
  GstFormat format;
  GstSeekFlags flags;
  GstSeekType start_type, stop_type;
  gint64 start, stop, v;
  gboolean ok = TRUE;

  gst_event_parse_seek (event, &rate, &format, &flags, &start_type, &start,
      &stop_type, &stop);
  if (!(rate > 0.0)) {
    GST_WARNING_OBJECT (self, "refusing seek: rate %g, reverse playback is "
        "not supported", rate);
    return FALSE;
  }
  if (format == GST_FORMAT_TIME)
    return TRUE;
  if (format != GST_FORMAT_DEFAULT && format != GST_FORMAT_BYTES) {
    GST_WARNING_OBJECT (self, "refusing seek in format %s",
        gst_format_get_name (format));
    return FALSE;
  }
  /* GstBaseSrc converts absolute positions through CONVERT; they must
   * convert now (BYTES only once negotiated). Before start it keeps the
   * seek for later, and nothing is known yet. */
  GST_OBJECT_LOCK (self);
  if (self->have_comp) {
    if (start_type == GST_SEEK_TYPE_SET)
      ok = convert_locked (self, format, start, GST_FORMAT_TIME, &v);
    if (ok && stop_type == GST_SEEK_TYPE_SET)
      ok = convert_locked (self, format, stop, GST_FORMAT_TIME, &v);
  }
  GST_OBJECT_UNLOCK (self);
  if (!ok)
    GST_WARNING_OBJECT (self, "refusing seek: cannot convert %s positions",
        gst_format_get_name (format));
  return ok;
}

/* Seeks from downstream (the usual path: pipeline, sink, upstream). */
gboolean
gst_hf_draw_src_event (GstBaseSrc * bsrc, GstEvent * event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_SEEK
      && !seek_is_supported (GST_HF_DRAW_SRC (bsrc), event))
    return FALSE;
  return PARENT_CLASS->event (bsrc, event);
}

/* Seeks sent to the element itself, which GstBaseSrc performs without
 * going through its event vfunc. */
gboolean
gst_hf_draw_src_send_event (GstElement * element, GstEvent * event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_SEEK
      && !seek_is_supported (GST_HF_DRAW_SRC (element), event)) {
    gst_event_unref (event);
    return FALSE;
  }
  return PARENT_ELEMENT_CLASS->send_event (element, event);
}

gboolean
gst_hf_draw_src_query (GstBaseSrc * bsrc, GstQuery * query)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  gboolean res = FALSE;

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_DURATION:{
      GstFormat format;
      gint64 dur = -1;

      gst_query_parse_duration (query, &format, NULL);
      GST_OBJECT_LOCK (self);
      /* A loop has no duration: the query fails, as for a live stream. */
      if (self->have_comp && !self->loop) {
        if (format == GST_FORMAT_TIME) {
          dur = self->duration;
          res = TRUE;
        } else if (format == GST_FORMAT_DEFAULT) {
          dur = self->n_total;
          res = TRUE;
        } else {
          res = convert_locked (self, GST_FORMAT_DEFAULT, self->n_total,
              format, &dur);
        }
      }
      GST_OBJECT_UNLOCK (self);
      if (res)
        gst_query_set_duration (query, format, dur);
      break;
    }
    case GST_QUERY_CONVERT:{
      GstFormat src_fmt, dest_fmt;
      gint64 src_val, dest_val;

      gst_query_parse_convert (query, &src_fmt, &src_val, &dest_fmt, NULL);
      GST_OBJECT_LOCK (self);
      res = convert_locked (self, src_fmt, src_val, dest_fmt, &dest_val);
      GST_OBJECT_UNLOCK (self);
      if (res)
        gst_query_set_convert (query, src_fmt, src_val, dest_fmt, dest_val);
      break;
    }
    case GST_QUERY_LATENCY:{
      GstClockTime latency;

      /* A live frame is drawn before it is due: at most one frame late.
       * Frames are made on demand, so there is no maximum. Before caps (a
       * live source negotiates only in PLAYING, after the pipeline asked),
       * the composition's rate stands in. */
      GST_OBJECT_LOCK (self);
      res = self->fps_n > 0;
      latency = res ? frame_time (1, self->fps_n, self->fps_d) : 0;
      GST_OBJECT_UNLOCK (self);
      if (res)
        gst_query_set_latency (query, gst_base_src_is_live (bsrc), latency,
            GST_CLOCK_TIME_NONE);
      else
        res = PARENT_CLASS->query (bsrc, query);
      break;
    }
    default:
      res = PARENT_CLASS->query (bsrc, query);
      break;
  }
  return res;
}

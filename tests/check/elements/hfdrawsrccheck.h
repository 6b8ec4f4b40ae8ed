/* Compositions and helpers shared by the hfdrawsrc gst-check programs
 * (hfdrawsrc.c, hfdrawsrc-static.c). */
#ifndef __HF_DRAW_SRC_CHECK_H__
#define __HF_DRAW_SRC_CHECK_H__

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "hfcheck.h"

/* Compositions used below. COMP builds one from its root attributes and
 * its elements. */
#define COMP(w, h, fps, dur, bg, body) \
  "<composition width=\"" #w "\" height=\"" #h "\" fps=\"" fps "\" " \
  "duration=\"" dur "\" background=\"" bg "\">\n" body "</composition>\n"

/* A picture that never changes. */
#define STATIC_BODY \
  "  <rect x=\"8\" y=\"6\" width=\"30\" height=\"20\" fill=\"#e04020\" " \
  "data-start=\"0\" data-duration=\"1\"/>\n" \
  "  <ellipse cx=\"44\" cy=\"30\" rx=\"12\" ry=\"9\" fill=\"#20a0e080\" " \
  "data-start=\"0\" data-duration=\"1\"/>\n"

/* Moves all the time. */
#define MOVING_BODY \
  "  <rect x=\"0\" y=\"10\" width=\"16\" height=\"16\" fill=\"#f0c020\" " \
  "data-start=\"0\" data-duration=\"2\">\n" \
  "    <tween attr=\"x\" from=\"0\" to=\"48\" start=\"0\" duration=\"2\" " \
  "ease=\"power2.inOut\"/>\n" \
  "  </rect>\n" \
  "  <ellipse cx=\"32\" cy=\"34\" rx=\"10\" ry=\"8\" fill=\"#3080ff\" " \
  "data-start=\"0\" data-duration=\"2\">\n" \
  "    <tween attr=\"opacity\" from=\"0.2\" to=\"1\" start=\"0\" " \
  "duration=\"2\"/>\n" \
  "  </ellipse>\n"

/* Still until 0.5 s, moves during [0.5, 0.7], still again afterwards. */
#define TWEEN_START 0.5
#define TWEEN_BODY \
  "  <rect x=\"4\" y=\"10\" width=\"16\" height=\"16\" fill=\"#f0c020\" " \
  "data-start=\"0\" data-duration=\"1\">\n" \
  "    <tween attr=\"x\" from=\"4\" to=\"40\" start=\"0.5\" " \
  "duration=\"0.2\"/>\n" \
  "  </rect>\n"

static const gchar *static_comp G_GNUC_UNUSED =
    COMP (64, 48, "30", "1", "#204060", STATIC_BODY);
static const gchar *moving_comp G_GNUC_UNUSED =
    COMP (64, 48, "30", "2", "#102030", MOVING_BODY);
static const gchar *tween_comp G_GNUC_UNUSED =
    COMP (64, 48, "30", "1", "#204060", TWEEN_BODY);

#define FRAME_BYTES(w, h) ((gsize) (w) * (h) * 4)

static G_GNUC_UNUSED GstClockTime
pts_of (guint64 n, gint fps_n, gint fps_d)
{
  return gst_util_uint64_scale (n, (guint64) fps_d * GST_SECOND, fps_n);
}

static G_GNUC_UNUSED guint64
count_of (GstClockTime duration, gint fps_n, gint fps_d)
{
  return gst_util_uint64_scale_ceil (duration, fps_n,
      (guint64) fps_d * GST_SECOND);
}

static G_GNUC_UNUSED GstHarness *
harness_new (const gchar * comp, const gchar * sink_caps)
{
  GstHarness *h = gst_harness_new ("hfdrawsrc");

  if (comp)
    g_object_set (h->element, "composition", comp, NULL);
  if (sink_caps)
    gst_harness_set_sink_caps_str (h, sink_caps);
  gst_harness_play (h);
  return h;
}

/* Pulls every buffer up to EOS. Events and buffers are queued separately,
 * but EOS is queued after every buffer that preceded it. */
static G_GNUC_UNUSED GPtrArray *
harness_pull_all (GstHarness * h)
{
  GPtrArray *bufs = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_buffer_unref);
  GstBuffer *buf;
  GstEvent *ev;
  gboolean eos = FALSE;

  while (!eos) {
    ev = gst_harness_pull_event (h);
    fail_unless (ev != NULL, "no EOS");
    eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    gst_event_unref (ev);
  }
  while ((buf = gst_harness_try_pull (h)))
    g_ptr_array_add (bufs, buf);
  return bufs;
}

/* A pipeline hfdrawsrc ! capsfilter ! fakesink that collects what the sink
 * renders. comp is markup, or "location=PATH". */
typedef struct
{
  GstElement *pipe, *src, *sink;
  GPtrArray *bufs;
  GMutex lock;
} Run;

static G_GNUC_UNUSED void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Run * r)
{
  g_mutex_lock (&r->lock);
  g_ptr_array_add (r->bufs, gst_buffer_ref (buf));
  g_mutex_unlock (&r->lock);
}

static G_GNUC_UNUSED Run *
run_new (const gchar * comp, const gchar * caps)
{
  Run *r = g_new0 (Run, 1);
  GstElement *filter;

  g_mutex_init (&r->lock);
  r->bufs = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_buffer_unref);
  r->pipe = gst_pipeline_new (NULL);
  r->src = gst_element_factory_make ("hfdrawsrc", NULL);
  filter = gst_element_factory_make ("capsfilter", NULL);
  r->sink = gst_element_factory_make ("fakesink", NULL);
  fail_unless (r->src && filter && r->sink);
  /* "location=PATH" names a file; anything else is markup. */
  if (comp && g_str_has_prefix (comp, "location="))
    g_object_set (r->src, "location", comp + strlen ("location="), NULL);
  else if (comp)
    g_object_set (r->src, "composition", comp, NULL);
  if (caps) {
    GstCaps *c = gst_caps_from_string (caps);
    g_object_set (filter, "caps", c, NULL);
    gst_caps_unref (c);
  }
  g_object_set (r->sink, "signal-handoffs", TRUE, "sync", FALSE, NULL);
  g_signal_connect (r->sink, "handoff", G_CALLBACK (on_handoff), r);
  gst_bin_add_many (GST_BIN (r->pipe), r->src, filter, r->sink, NULL);
  fail_unless (gst_element_link_many (r->src, filter, r->sink, NULL));
  return r;
}

static G_GNUC_UNUSED void
run_free (Run * r)
{
  gst_element_set_state (r->pipe, GST_STATE_NULL);
  gst_object_unref (r->pipe);
  g_ptr_array_unref (r->bufs);
  g_mutex_clear (&r->lock);
  g_free (r);
}

/* Waits for one of types (or ERROR) on the bus and returns it. */
static G_GNUC_UNUSED GstMessage *
run_wait (Run * r, GstMessageType types)
{
  GstBus *bus = gst_element_get_bus (r->pipe);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      types | GST_MESSAGE_ERROR);

  gst_object_unref (bus);
  fail_unless (msg != NULL, "timed out");
  return msg;
}

static G_GNUC_UNUSED void
run_expect (Run * r, GstMessageType type)
{
  GstMessage *msg = run_wait (r, type);

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gst_message_parse_error (msg, &err, NULL);
    fail ("unexpected error: %s", err->message);
  }
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), type);
  gst_message_unref (msg);
}

/* Plays r to EOS and frees it; returns every frame it rendered. */
static G_GNUC_UNUSED GPtrArray *
run_to_eos (Run * r)
{
  GPtrArray *bufs;

  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  run_expect (r, GST_MESSAGE_EOS);
  bufs = g_ptr_array_ref (r->bufs);
  run_free (r);
  return bufs;
}

/* Renders the whole composition to fakesink; returns every frame. */
static G_GNUC_UNUSED GPtrArray *
full_render (const gchar * comp)
{
  return run_to_eos (run_new (comp, NULL));
}

/* Prerolls, seeks, plays to the end (EOS or SEGMENT_DONE); returns the
 * frames rendered after the seek. */
static G_GNUC_UNUSED GPtrArray *
seek_render (const gchar * comp, GstFormat format, GstSeekFlags flags,
    gint64 start, gint64 stop)
{
  Run *r = run_new (comp, NULL);
  GPtrArray *bufs;

  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (gst_element_get_state (r->pipe, NULL, NULL,
          GST_CLOCK_TIME_NONE), GST_STATE_CHANGE_SUCCESS);
  fail_unless (gst_element_seek (r->pipe, 1.0, format,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE | flags,
          GST_SEEK_TYPE_SET, start,
          stop == -1 ? GST_SEEK_TYPE_NONE : GST_SEEK_TYPE_SET, stop));
  fail_unless_equals_int (gst_element_get_state (r->pipe, NULL, NULL,
          GST_CLOCK_TIME_NONE), GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (r->bufs->len, 0);
  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  run_expect (r, (flags & GST_SEEK_FLAG_SEGMENT) ?
      GST_MESSAGE_SEGMENT_DONE : GST_MESSAGE_EOS);
  bufs = g_ptr_array_ref (r->bufs);
  run_free (r);
  return bufs;
}

#define BUF(arr, i) GST_BUFFER (g_ptr_array_index ((arr), (i)))

/* Both buffers hold one memory, the same: a repeated frame. */
static G_GNUC_UNUSED gboolean
same_memory (GstBuffer * a, GstBuffer * b)
{
  return gst_buffer_n_memory (a) == 1 && gst_buffer_n_memory (b) == 1
      && gst_buffer_peek_memory (a, 0) == gst_buffer_peek_memory (b, 0);
}

/* What a draw-signal handler paints: pixel (x, y) of the frame in buf, a
 * 4-byte format described by info, becomes the bytes px. */
static G_GNUC_UNUSED void
paint_pixel (GstBuffer * buf, GstVideoInfo * info, gint x, gint y,
    const guint8 px[4])
{
  GstVideoFrame frame;

  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_WRITE));
  memcpy ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
      + y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0) + x * 4, px, 4);
  gst_video_frame_unmap (&frame);
}

static G_GNUC_UNUSED guint
run_count (Run * r)
{
  guint n;

  g_mutex_lock (&r->lock);
  n = r->bufs->len;
  g_mutex_unlock (&r->lock);
  return n;
}

#endif /* __HF_DRAW_SRC_CHECK_H__ */

/* hfjpegenc: every finished frame goes out at once. A frame must not wait
 * for later input (an idle source, a single frame, the end of a segment),
 * and the latency the element reports must be what it really holds back.
 * Waits are bounded; no test asserts a duration.
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "hfcheck.h"

#define WAIT_S 10

static GstBuffer *
gray_frame (const GstVideoInfo * info, guint index)
{
  GstBuffer *buf = gst_buffer_new_and_alloc (GST_VIDEO_INFO_SIZE (info));

  gst_buffer_memset (buf, 0, (guint8) (index * 37), GST_VIDEO_INFO_SIZE (info));
  GST_BUFFER_PTS (buf) = index * GST_SECOND / 30;
  GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
  return buf;
}

/* Pulls one output buffer, waiting WAIT_S at most; NULL if none came. */
static GstBuffer *
pull_bounded (GstHarness * h)
{
  gint64 end = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  GstBuffer *b;

  while (!(b = gst_harness_try_pull (h)) && g_get_monotonic_time () < end)
    g_usleep (1000);
  return b;
}

/* With nothing more coming in, each frame still comes out: frame i is out
 * before frame i + 1 goes in, at every queue depth. */
HF_CHECK_TEST ("output", test_idle_source_gets_each_frame)
{
  const guint depths[] = { 1, 2, 4, 16 };
  GstVideoInfo info;
  guint d, i;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGBA, 64, 48);
  for (d = 0; d < G_N_ELEMENTS (depths); d++) {
    GstElement *enc = gst_element_factory_make ("hfjpegenc", NULL);
    GstCaps *caps = gst_video_info_to_caps (&info);
    GstHarness *h;

    /* queue-depth and threads are read at start. */
    g_object_set (enc, "queue-depth", depths[d], "threads", 2, NULL);
    h = gst_harness_new_with_element (enc, "sink", "src");
    gst_object_unref (enc);
    gst_harness_set_src_caps (h, caps);
    for (i = 0; i < 3; i++) {
      GstBuffer *out;

      fail_unless_equals_int (gst_harness_push (h, gray_frame (&info, i)),
          GST_FLOW_OK);
      out = pull_bounded (h);
      fail_unless (out != NULL, "depth %u: frame %u did not come out before "
          "the next input", depths[d], i);
      fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * GST_SECOND / 30);
      gst_buffer_unref (out);
    }
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* A non-live source that pushes one frame and nothing else prerolls. */
HF_CHECK_TEST ("output", test_single_frame_prerolls)
{
  GstElement *pipe, *src;
  GstVideoInfo info;
  GstCaps *caps;
  GstBuffer *buf;
  GstFlowReturn ret = GST_FLOW_ERROR;
  GError *err = NULL;

  pipe = gst_parse_launch ("appsrc name=src format=time ! hfjpegenc "
      "queue-depth=4 threads=2 ! fakesink", &err);
  fail_unless (pipe != NULL, "%s", err ? err->message : "?");
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGBA, 64, 48);
  caps = gst_video_info_to_caps (&info);
  g_object_set (src, "caps", caps, NULL);
  gst_caps_unref (caps);

  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PAUSED),
      GST_STATE_CHANGE_ASYNC);
  buf = gray_frame (&info, 0);
  g_signal_emit_by_name (src, "push-buffer", buf, &ret);
  gst_buffer_unref (buf);
  fail_unless_equals_int (ret, GST_FLOW_OK);
  fail_unless (gst_element_get_state (pipe, NULL, NULL,
          WAIT_S * GST_SECOND) == GST_STATE_CHANGE_SUCCESS,
      "a single frame did not preroll");

  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (pipe);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  guint buffers;
  gint buffers_at_done;         /* -1 until SEGMENT_DONE arrives */
} SinkCount;

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  SinkCount *c = data;

  g_mutex_lock (&c->lock);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    c->buffers++;
  else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_SEGMENT_DONE)
    c->buffers_at_done = (gint) c->buffers;
  else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_FLUSH_STOP)
    c->buffers = 0;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

/* A flushing segment seek over [0, 1 s) at 30 fps: all 30 frames reach the
 * sink, before SEGMENT_DONE, at every queue depth. */
HF_CHECK_TEST ("output", test_segment_done_after_every_frame)
{
  const guint depths[] = { 0, 1, 8, 16 };
  guint d;

  for (d = 0; d < G_N_ELEMENTS (depths); d++) {
    SinkCount c = { 0 };
    GstElement *pipe, *sink;
    GstPad *pad;
    GError *err = NULL;
    gchar *desc;
    gint64 end;

    g_mutex_init (&c.lock);
    g_cond_init (&c.cond);
    c.buffers_at_done = -1;
    desc = g_strdup_printf ("videotestsrc ! video/x-raw,format=RGBA,"
        "width=64,height=48,framerate=30/1 ! hfjpegenc queue-depth=%u "
        "threads=2 ! fakesink name=sink sync=false", depths[d]);
    pipe = gst_parse_launch (desc, &err);
    fail_unless (pipe != NULL, "%s", err ? err->message : "?");
    sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
    pad = gst_element_get_static_pad (sink, "sink");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
        count_probe, &c, NULL);

    fail_unless (gst_element_set_state (pipe, GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_FAILURE);
    fail_unless_equals_int (gst_element_get_state (pipe, NULL, NULL,
            WAIT_S * GST_SECOND), GST_STATE_CHANGE_SUCCESS);
    fail_unless (gst_element_seek (pipe, 1.0, GST_FORMAT_TIME,
            GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_SEGMENT, GST_SEEK_TYPE_SET, 0,
            GST_SEEK_TYPE_SET, GST_SECOND));
    fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);

    end = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
    g_mutex_lock (&c.lock);
    while (c.buffers_at_done < 0 && g_cond_wait_until (&c.cond, &c.lock, end));
    fail_unless_equals_int (c.buffers_at_done, 30);
    g_mutex_unlock (&c.lock);

    gst_element_set_state (pipe, GST_STATE_NULL);
    gst_object_unref (pad);
    gst_object_unref (sink);
    gst_object_unref (pipe);
    g_free (desc);
    g_mutex_clear (&c.lock);
    g_cond_clear (&c.cond);
  }
}

GST_END_TEST;

/* In a live pipeline the encoder adds no minimum latency: no frame waits
 * for later input (test_idle_source_gets_each_frame). */
HF_CHECK_TEST ("output", test_latency_is_what_is_held_back)
{
  GstElement *pipe, *src, *sink;
  GstQuery *q;
  GstPad *pad, *sinkpad;
  GstClockTime src_min, src_max, min, max;
  gboolean live;
  GError *err = NULL;

  pipe = gst_parse_launch ("videotestsrc name=src is-live=true ! "
      "video/x-raw,format=RGBA,width=64,height=48,framerate=30/1 ! "
      "hfjpegenc queue-depth=4 threads=2 ! fakesink name=sink", &err);
  fail_unless (pipe != NULL, "%s", err ? err->message : "?");
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  sinkpad = gst_element_get_static_pad (sink, "sink");
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (gst_element_get_state (pipe, NULL, NULL,
          WAIT_S * GST_SECOND), GST_STATE_CHANGE_SUCCESS);

  pad = gst_element_get_static_pad (src, "src");
  q = gst_query_new_latency ();
  fail_unless (gst_pad_query (pad, q));
  gst_query_parse_latency (q, &live, &src_min, &src_max);
  gst_query_unref (q);
  fail_unless (live);
  /* What the sink sees upstream: the source and the encoder. */
  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  gst_query_unref (q);
  fail_unless (live);
  fail_unless_equals_uint64 (min, src_min);
  /* videotestsrc can buffer without bound, so the sum stays unbounded; the
   * encoder's own maximum is checked in elements/hfjpegenc. */
  fail_unless_equals_uint64 (max, src_max);

  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sinkpad);
  gst_object_unref (sink);
  gst_object_unref (pad);
  gst_object_unref (src);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* Joins GStreamer's task threads (our output task, the sources' tasks)
 * before the test process exits: LeakSanitizer's exit-time scan has
 * crashed on a pool thread caught half way through exiting. */
static void
join_task_threads (void)
{
  gst_task_cleanup_all ();
}

static void
configure (TCase * tc)
{
  tcase_add_checked_fixture (tc, NULL, join_task_threads);
}

HF_CHECK_MAIN_WITH ("hfjpegenc-output", configure);

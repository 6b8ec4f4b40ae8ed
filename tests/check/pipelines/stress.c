/* Stress tests for hfdrawsrc ! hfjpegenc, deterministic and bounded:
 * state cycles, flushing seeks and EOS with frames in flight, injected
 * encode errors and a caps change mid-stream. Each ends with correct output
 * (frame counts, order by PTS, JPEG sizes) or an ERROR message. Random
 * choices come from a fixed-seed GRand, so a failure repeats.
 *
 * Frames are put "in flight" on purpose with the element's test-only fault
 * hook (gsthfjpegenc-private.h): a short HANG on one frame keeps a worker
 * busy while the test changes state, seeks, sends EOS or new caps. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "hfcheck.h"

#define FPS 30
#define FRAME_NS(i) gst_util_uint64_scale_int ((i), GST_SECOND, FPS)
#define WAIT_S 30               /* generous: a loaded 2-core machine */

/* A moving box: every frame differs, so every frame is
 * really encoded (no dedup). */
#define COMPOSITION(w, h, dur) \
  "<composition width=\"" #w "\" height=\"" #h "\" fps=\"30/1\" " \
  "duration=\"" #dur "\" background=\"#203040\">" \
  "<rect x=\"0\" y=\"4\" width=\"24\" height=\"16\" fill=\"#ff8000\">" \
  "<tween attr=\"x\" from=\"0\" to=\"" #w "\" start=\"0\" " \
  "duration=\"" #dur "\"/></rect></composition>"

/* ------------------------------------------------------------------ */
/* Collects what reaches the sink: buffer PTS in order, where each
 * FLUSH_STOP fell, and EOS. Filled by a pad probe on the streaming thread,
 * read by the test thread. */
typedef struct
{
  GMutex lock;
  GCond cond;
  GArray *pts;                  /* GstClockTime */
  GArray *flush_at;             /* guint: pts->len at each FLUSH_STOP */
  gboolean eos;
} Collector;

static void
collector_init (Collector * c)
{
  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  c->flush_at = g_array_new (FALSE, FALSE, sizeof (guint));
  c->eos = FALSE;
}

static void
collector_reset (Collector * c)
{
  g_mutex_lock (&c->lock);
  g_array_set_size (c->pts, 0);
  g_array_set_size (c->flush_at, 0);
  c->eos = FALSE;
  g_mutex_unlock (&c->lock);
}

static void
collector_clear (Collector * c)
{
  g_array_unref (c->pts);
  g_array_unref (c->flush_at);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
}

static GstPadProbeReturn
collect_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Collector *c = user_data;

  g_mutex_lock (&c->lock);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstClockTime pts = GST_BUFFER_PTS (GST_PAD_PROBE_INFO_BUFFER (info));
    g_array_append_val (c->pts, pts);
  } else if (info->type & GST_PAD_PROBE_TYPE_EVENT_BOTH) {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
    if (GST_EVENT_TYPE (ev) == GST_EVENT_FLUSH_STOP) {
      guint at = c->pts->len;
      g_array_append_val (c->flush_at, at);
    } else if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS) {
      c->eos = TRUE;
    }
  }
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

/* Waits until at least n buffers arrived after the last FLUSH_STOP (or in
 * total when there was none), or EOS. FALSE on timeout. */
static gboolean
collector_wait (Collector * c, guint n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&c->lock);
  for (;;) {
    guint base = c->flush_at->len ?
        g_array_index (c->flush_at, guint, c->flush_at->len - 1) : 0;
    if (c->eos || c->pts->len - base >= n)
      break;
    if (!g_cond_wait_until (&c->cond, &c->lock, deadline)) {
      ok = FALSE;
      break;
    }
  }
  g_mutex_unlock (&c->lock);
  return ok;
}

/* Asserts that pts[from..to) are frames first, first+1, ... */
static void
assert_contiguous (Collector * c, guint from, guint to, guint64 first_frame)
{
  guint i;

  for (i = from; i < to; i++) {
    GstClockTime pts = g_array_index (c->pts, GstClockTime, i);
    fail_unless_equals_uint64 (pts, FRAME_NS (first_frame + (i - from)));
  }
}

static GstElement *
make_pipeline (const gchar * composition, Collector * c)
{
  GstElement *pipe, *src, *sink;
  GstPad *pad;

  pipe = gst_parse_launch ("hfdrawsrc name=src ! hfjpegenc name=enc ! "
      "fakesink name=sink sync=false", NULL);
  fail_unless (pipe != NULL);
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  g_object_set (src, "composition", composition, NULL);
  gst_object_unref (src);
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_BOTH | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      collect_probe, c, NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  return pipe;
}

static GstElement *
get_enc (GstElement * pipe)
{
  GstElement *enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  fail_unless (enc != NULL);
  /* The bin holds a ref for the pipeline's life. */
  gst_object_unref (enc);
  return enc;
}

/* Fails the test on an ERROR message already on the bus. */
static void
assert_no_error (GstElement * pipe)
{
  GstMessage *msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipe),
      GST_MESSAGE_ERROR);

  if (msg != NULL) {
    GError *err = NULL;
    gchar *dbg = NULL;
    gst_message_parse_error (msg, &err, &dbg);
    fail ("unexpected error: %s (%s)", err->message, dbg ? dbg : "");
  }
}

/* ------------------------------------------------------------------ */
/* 500 NULL -> PLAYING -> NULL cycles of one pipeline, going back to NULL
 * with frames in flight (frame 2 hangs for a few ms in the encoder), after
 * 0, 1 or 2 frames reached the sink. Thread count and queue depth change
 * between cycles, as they may in NULL. */
#define N_CYCLES 500

HF_CHECK_TEST ("general", test_state_cycles)
{
  static const guint threads[] = { 1, 2, 8 };
  static const guint depths[] = { 0, 1, 2, 4 };
  GstHfJpegEncTestFault fault = { HF_ENC_FAULT_HANG, 2, 5, 0 };
  Collector c;
  GstElement *pipe, *enc;
  guint i;

  collector_init (&c);
  pipe = make_pipeline (COMPOSITION (64, 48, 100), &c);
  enc = get_enc (pipe);
  hf_check_fault_attach (enc, &fault);

  for (i = 0; i < N_CYCLES; i++) {
    guint want = i % 3, got;
    GstStateChangeReturn ret;

    g_object_set (enc, "threads", threads[i % 3],
        "queue-depth", depths[(i / 3) % 4], NULL);
    collector_reset (&c);
    ret = gst_element_set_state (pipe, GST_STATE_PLAYING);
    fail_if (ret == GST_STATE_CHANGE_FAILURE);
    fail_unless (collector_wait (&c, want), "cycle %u: no frames", i);
    assert_no_error (pipe);
    fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);

    /* Whatever arrived is frames 0.. in order, none twice. */
    g_mutex_lock (&c.lock);
    got = c.pts->len;
    fail_unless (got >= want);
    assert_contiguous (&c, 0, got, 0);
    g_mutex_unlock (&c.lock);
  }

  gst_object_unref (pipe);
  collector_clear (&c);
  /* A worker may still be inside the hanging frame, which it releases when
   * it comes out; let it, before the leak check at exit. */
  g_usleep (200 * 1000);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* Flushing, frame-accurate seeks from the test thread while frames are
 * being encoded (threads=2, queue-depth=4). After each FLUSH_STOP the sink
 * must see exactly the target frame, then the following ones in order;
 * after the last seek, every frame to the end, then EOS. */
#define N_SEEKS 40
#define SEEK_FRAMES 150         /* 5 s at 30 fps */

HF_CHECK_TEST ("general", test_flushing_seeks)
{
  GRand *rand = g_rand_new_with_seed (0x5eed);
  guint64 targets[N_SEEKS];
  Collector c;
  GstElement *pipe, *enc;
  GstMessage *msg;
  guint i;

  collector_init (&c);
  pipe = make_pipeline (COMPOSITION (160, 120, 5), &c);
  enc = get_enc (pipe);
  g_object_set (enc, "threads", 2, "queue-depth", 4, NULL);

  fail_if (gst_element_set_state (pipe, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (gst_element_get_state (pipe, NULL, NULL,
          WAIT_S * GST_SECOND), GST_STATE_CHANGE_SUCCESS);
  fail_if (gst_element_set_state (pipe, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);

  for (i = 0; i < N_SEEKS; i++) {
    /* Let 0..3 frames through, then seek; never past the end, so EOS
     * only comes after the last seek. */
    fail_unless (collector_wait (&c, g_rand_int_range (rand, 0, 4)));
    targets[i] = g_rand_int_range (rand, 0, SEEK_FRAMES - 10);
    fail_unless (gst_element_seek_simple (pipe, GST_FORMAT_TIME,
            GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
            FRAME_NS (targets[i])), "seek %u failed", i);
    assert_no_error (pipe);
  }

  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe),
      WAIT_S * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no EOS");
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);

  /* One FLUSH_STOP per seek; each run starts at its target and is
   * contiguous; the last runs to the end. */
  fail_unless_equals_int (c.flush_at->len, N_SEEKS);
  for (i = 0; i < N_SEEKS; i++) {
    guint from = g_array_index (c.flush_at, guint, i);
    guint to = i + 1 < N_SEEKS ?
        g_array_index (c.flush_at, guint, i + 1) : c.pts->len;
    if (i + 1 == N_SEEKS)
      fail_unless_equals_int (to - from, SEEK_FRAMES - targets[i]);
    assert_contiguous (&c, from, to, targets[i]);
  }
  fail_unless (c.eos);

  gst_object_unref (pipe);
  collector_clear (&c);
  g_rand_free (rand);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* Harness helpers: raw RGBA frames whose content differs per index. */
static GstBuffer *
make_frame (gint width, gint height, guint index)
{
  gsize size = (gsize) width * height * 4, i;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
  for (i = 0; i < size; i++)
    map.data[i] = (guint8) (i * 7 + index * 31 + (i >> 8));
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = FRAME_NS (index);
  GST_BUFFER_DURATION (buf) = FRAME_NS (1);
  return buf;
}

static GstHarness *
make_harness (guint threads, guint depth, GstHfJpegEncTestFault * fault)
{
  GstElement *enc = gst_element_factory_make ("hfjpegenc", NULL);
  GstHarness *h;

  fail_unless (enc != NULL);
  g_object_set (enc, "threads", threads, "queue-depth", depth, NULL);
  if (fault != NULL)
    hf_check_fault_attach (enc, fault);
  h = gst_harness_new_with_element (enc, "sink", "src");
  gst_object_unref (enc);
  return h;
}

/* Width and height from a baseline/progressive SOF marker; FALSE if none. */
static gboolean
jpeg_size (GstBuffer * buf, guint * width, guint * height)
{
  GstMapInfo map;
  gboolean found = FALSE;
  gsize i;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  fail_unless (map.size > 4 && map.data[0] == 0xFF && map.data[1] == 0xD8);
  for (i = 2; i + 9 < map.size; i++) {
    if (map.data[i] == 0xFF && map.data[i + 1] >= 0xC0
        && map.data[i + 1] <= 0xC2) {
      *height = map.data[i + 5] << 8 | map.data[i + 6];
      *width = map.data[i + 7] << 8 | map.data[i + 8];
      found = TRUE;
      break;
    }
  }
  gst_buffer_unmap (buf, &map);
  return found;
}

/* Pulls everything the harness holds: asserts n JPEGs of width x height
 * with PTS first_frame, first_frame+1, ...
 * (not "first": fail_unless_equals_uint64 declares a local of that name). */
static void
pull_frames (GstHarness * h, guint n, guint64 first_frame, guint width,
    guint height)
{
  guint i, w, hh;

  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_harness_try_pull (h);
    fail_unless (buf != NULL, "frame %u of %u missing", i, n);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf),
        FRAME_NS (first_frame + i));
    fail_unless (jpeg_size (buf, &w, &hh));
    fail_unless_equals_int (w, width);
    fail_unless_equals_int (hh, height);
    gst_buffer_unref (buf);
  }
}

static gboolean
harness_got_eos (GstHarness * h)
{
  GstEvent *ev;
  gboolean eos = FALSE;

  while ((ev = gst_harness_try_pull_event (h)) != NULL) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS)
      eos = TRUE;
    gst_event_unref (ev);
  }
  return eos;
}

/* ------------------------------------------------------------------ */
/* EOS after n = 0..queue-depth frames, for several depths and thread
 * counts. The last frame hangs briefly so it is surely still in flight
 * when EOS arrives. EOS must drain: n frames out, in order, then EOS. */
HF_CHECK_TEST ("general", test_eos_inflight)
{
  static const guint threads[] = { 1, 2, 8 };
  static const guint depths[] = { 1, 2, 3, 8 };
  guint t, d, n, i;

  for (t = 0; t < G_N_ELEMENTS (threads); t++) {
    for (d = 0; d < G_N_ELEMENTS (depths); d++) {
      for (n = 0; n <= depths[d]; n++) {
        GstHfJpegEncTestFault fault = { HF_ENC_FAULT_HANG, 0, 10, 0 };
        GstHarness *h;

        fault.frame_number = n > 0 ? n - 1 : 0;
        h = make_harness (threads[t], depths[d], &fault);
        gst_harness_set_src_caps_str (h, "video/x-raw,format=RGBA,"
            "width=32,height=24,framerate=30/1");
        for (i = 0; i < n; i++)
          fail_unless_equals_int (gst_harness_push (h, make_frame (32, 24,
                      i)), GST_FLOW_OK);
        fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
        fail_unless_equals_int (gst_harness_buffers_in_queue (h), n);
        pull_frames (h, n, 0, 32, 24);
        fail_unless (harness_got_eos (h), "threads %u depth %u n %u: no EOS",
            threads[t], depths[d], n);
        gst_harness_teardown (h);
      }
    }
  }
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* Injected encode failures (worker error, empty result, hung worker past
 * the watchdog) at a random frame, with threads = 1, 2 and 8, in a real
 * pipeline. Each run ends with an ERROR message (STREAM/ENCODE naming the
 * frame) and the frames before the failing one delivered in order. */
HF_CHECK_TEST ("general", test_injected_errors)
{
  static const guint threads[] = { 1, 2, 8 };
  static const HfEncFault faults[] = {
    HF_ENC_FAULT_ERROR, HF_ENC_FAULT_EMPTY, HF_ENC_FAULT_HANG,
  };
  GRand *rand = g_rand_new_with_seed (0xfa17);
  gboolean hung = FALSE;
  guint t, f, r;

  for (t = 0; t < G_N_ELEMENTS (threads); t++) {
    for (f = 0; f < G_N_ELEMENTS (faults); f++) {
      for (r = 0; r < 2; r++) {
        GstHfJpegEncTestFault fault = { faults[f], 0, 400, 0 };
        Collector c;
        GstElement *pipe, *enc;
        GstMessage *msg;
        GError *err = NULL;
        gchar *dbg = NULL, *num;

        fault.frame_number = g_rand_int_range (rand, 0, 40);
        collector_init (&c);
        pipe = make_pipeline (COMPOSITION (64, 48, 2), &c);
        enc = get_enc (pipe);
        /* The watchdog fires long before the hang ends. */
        g_object_set (enc, "threads", threads[t], "encode-timeout", 50, NULL);
        hf_check_fault_attach (enc, &fault);
        fail_if (gst_element_set_state (pipe, GST_STATE_PLAYING) ==
            GST_STATE_CHANGE_FAILURE);

        msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe),
            WAIT_S * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
        fail_unless (msg != NULL, "neither EOS nor ERROR");
        fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
        fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (enc));
        gst_message_parse_error (msg, &err, &dbg);
        fail_unless (g_error_matches (err, GST_STREAM_ERROR,
                GST_STREAM_ERROR_ENCODE), "%s", err->message);
        num = g_strdup_printf ("%" G_GUINT64_FORMAT, fault.frame_number);
        fail_unless (strstr (err->message, num) != NULL
            || (dbg != NULL && strstr (dbg, num) != NULL),
            "error does not name frame %s: %s / %s", num, err->message,
            dbg ? dbg : "");
        g_free (num);
        g_error_free (err);
        g_free (dbg);
        gst_message_unref (msg);
        fail_unless_equals_int (gst_element_set_state (pipe,
                GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);

        /* Frames before the failing one all arrived, in order. */
        fail_unless_equals_int (c.pts->len, fault.frame_number);
        assert_contiguous (&c, 0, c.pts->len, 0);

        gst_object_unref (pipe);
        collector_clear (&c);
        hung |= faults[f] == HF_ENC_FAULT_HANG;
      }
    }
  }
  /* A hung worker finishes its sleep after the element gave up on it and
   * then releases the frame; let that happen before the leak check. */
  if (hung)
    g_usleep (600 * 1000);
  g_rand_free (rand);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* New caps (size and format) while frames are in flight: the element
 * drains the old ones first, so every frame comes out, in order, each with
 * the size it was pushed with. */
HF_CHECK_TEST ("general", test_caps_change_inflight)
{
  GstHfJpegEncTestFault fault = { HF_ENC_FAULT_HANG, 4, 20, 0 };
  GstHarness *h = make_harness (2, 4, &fault);
  guint i;

  gst_harness_set_src_caps_str (h, "video/x-raw,format=RGBA,"
      "width=64,height=48,framerate=30/1");
  for (i = 0; i < 5; i++)
    fail_unless_equals_int (gst_harness_push (h, make_frame (64, 48, i)),
        GST_FLOW_OK);
  /* Frame 4 is still hanging in a worker here. */
  gst_harness_set_src_caps_str (h, "video/x-raw,format=BGRx,"
      "width=40,height=30,framerate=30/1");
  for (i = 5; i < 10; i++)
    fail_unless_equals_int (gst_harness_push (h, make_frame (40, 30, i)),
        GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 10);
  pull_frames (h, 5, 0, 64, 48);
  pull_frames (h, 5, 5, 40, 30);
  fail_unless (harness_got_eos (h));
  gst_harness_teardown (h);
}

GST_END_TEST;

HF_CHECK_MAIN ("stress");

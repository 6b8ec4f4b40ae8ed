/* hfjpegenc element tests (GstHarness). Output is decoded with TurboJPEG
 * and checked against the input; failures are injected through the
 * test-only hook in gsthfjpegenc-private.h.
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "hfcheck.h"
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <turbojpeg.h>

/* ---- helpers ------------------------------------------------------- */

/* A harness around a new hfjpegenc with the given properties, fed `info`'s
 * caps. The harness starts the element, so a fault (NULL: none) is
 * attached here, before. */
static GstHarness *
new_enc (GstHfJpegEncTestFault * fault, const GstVideoInfo * info,
    const gchar * first_prop, ...)
{
  GstElement *el = gst_element_factory_make ("hfjpegenc", NULL);
  GstHarness *h;
  va_list args;

  fail_unless (el != NULL, "hfjpegenc not found");
  /* threads and queue-depth are read at start, so set before playing. */
  va_start (args, first_prop);
  if (first_prop)
    g_object_set_valist (G_OBJECT (el), first_prop, args);
  va_end (args);
  if (fault)
    hf_check_fault_attach (el, fault);
  h = gst_harness_new_with_element (el, "sink", "src");
  gst_object_unref (el);
  gst_harness_set_src_caps (h, gst_video_info_to_caps (info));
  return h;
}

/* Writes component value v[c] into every pixel of every component; RGB
 * formats take R,G,B,A, YUV ones Y,U,V. Columns below noise_cols get
 * pseudo-random values instead, seeded by seed. */
static void
fill_frame (GstVideoFrame * f, const guint8 * v, guint noise_cols, guint32 seed)
{
  guint c, x, y;
  guint32 r = seed * 2654435761u + 1;

  for (c = 0; c < GST_VIDEO_FRAME_N_COMPONENTS (f); c++) {
    guint cw = GST_VIDEO_FRAME_COMP_WIDTH (f, c);
    guint ch = GST_VIDEO_FRAME_COMP_HEIGHT (f, c);
    guint ncw = (guint) ((guint64) noise_cols * cw / GST_VIDEO_FRAME_WIDTH (f));

    for (y = 0; y < ch; y++) {
      guint8 *row = GST_VIDEO_FRAME_COMP_DATA (f, c) +
          y * GST_VIDEO_FRAME_COMP_STRIDE (f, c);
      for (x = 0; x < cw; x++) {
        guint8 val = v[c];
        if (x < ncw) {
          r = r * 1103515245u + 12345u;
          val = (guint8) (r >> 16);
        }
        row[x * GST_VIDEO_FRAME_COMP_PSTRIDE (f, c)] = val;
      }
    }
  }
}

static GstBuffer *
make_buffer (const GstVideoInfo * info, const guint8 * v, guint noise_cols,
    guint32 seed, guint index)
{
  GstBuffer *buf = gst_buffer_new_and_alloc (GST_VIDEO_INFO_SIZE (info));
  GstVideoFrame f;

  gst_buffer_memset (buf, 0, 0, GST_VIDEO_INFO_SIZE (info));
  fail_unless (gst_video_frame_map (&f, info, buf, GST_MAP_WRITE));
  fill_frame (&f, v, noise_cols, seed);
  gst_video_frame_unmap (&f);
  GST_BUFFER_PTS (buf) = index * GST_SECOND / 30;
  GST_BUFFER_DTS (buf) = GST_BUFFER_PTS (buf);
  GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
  return buf;
}

/* Frame i of a sequence whose encode time varies: noise over a width that
 * changes from frame to frame, beside a flat colour unique to the frame. */
static GstBuffer *
varied_frame (const GstVideoInfo * info, guint i)
{
  guint8 v[4] = { (guint8) (i * 40), (guint8) (255 - i * 23),
    (guint8) (i * 71 + 30), 255
  };
  guint noise = GST_VIDEO_INFO_WIDTH (info) * ((i * 7) % 5) / 5;

  return make_buffer (info, v, noise, i, i);
}

/* Pushes varied frames from, ..., to - 1, each accepted. */
static void
push_varied (GstHarness * h, const GstVideoInfo * info, guint from, guint to)
{
  guint i;

  for (i = from; i < to; i++)
    fail_unless_equals_int (gst_harness_push (h, varied_frame (info, i)),
        GST_FLOW_OK);
}

static gboolean
saw_eos (GstHarness * h)
{
  GstEvent *ev;
  gboolean eos = FALSE;

  while ((ev = gst_harness_try_pull_event (h))) {
    eos |= GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    gst_event_unref (ev);
  }
  return eos;
}

/* Encodes n varied frames and returns the outputs in order. */
static GPtrArray *
encode_run (guint threads, guint depth, guint slices, guint restart, guint n,
    const GstVideoInfo * info)
{
  GstHarness *h = new_enc (NULL, info, "threads", threads, "queue-depth", depth,
      "slices", slices, "restart-interval", restart, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_buffer_unref);
  GstBuffer *b;

  push_varied (h, info, 0, n);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((b = gst_harness_try_pull (h)))
    g_ptr_array_add (out, b);
  fail_unless (saw_eos (h));
  gst_harness_teardown (h);
  return out;
}

static void
make_info (GstVideoInfo * info, GstVideoFormat format, gint w, gint h)
{
  fail_unless (gst_video_info_set_format (info, format, w, h));
  GST_VIDEO_INFO_FPS_N (info) = 30;
  GST_VIDEO_INFO_FPS_D (info) = 1;
}

/* Attaches a bus to a harnessed element so its messages can be read. */
static GstBus *
attach_bus (GstHarness * h)
{
  GstBus *bus = gst_bus_new ();

  gst_element_set_bus (h->element, bus);
  return bus;
}

/* ---- ordering, determinism, EOS ------------------------------------ */

HF_CHECK_TEST ("order", test_byte_identical_any_threads)
{
  const guint threads[] = { 1, 2, 4 }, depths[] = { 1, 2, 8 };
  const guint n = 12;
  GstVideoInfo info;
  GPtrArray *ref;
  tjhandle tj = tjInitCompress ();
  guint t, d, i;

  make_info (&info, GST_VIDEO_FORMAT_RGBA, 160, 96);
  ref = encode_run (1, 1, 1, 0, n, &info);
  fail_unless_equals_int (ref->len, n);

  /* The reference itself is what TurboJPEG makes of each frame. */
  for (i = 0; i < n; i++) {
    GstBuffer *in = varied_frame (&info, i);
    GstMapInfo map;
    guchar *jpeg = NULL;
    gulong size = 0;
    GstBuffer *direct;

    gst_buffer_map (in, &map, GST_MAP_READ);
    fail_unless (tjCompress2 (tj, map.data, 160, info.stride[0], 96,
            TJPF_RGBA, &jpeg, &size, TJSAMP_420, 85, TJFLAG_ACCURATEDCT) == 0);
    gst_buffer_unmap (in, &map);
    direct = gst_buffer_new_memdup (jpeg, size);
    fail_unless (hf_check_buffers_equal (direct, g_ptr_array_index (ref, i)),
        "frame %u differs from a direct TurboJPEG encode", i);
    gst_buffer_unref (direct);
    gst_buffer_unref (in);
    tjFree (jpeg);
  }
  tjDestroy (tj);

  for (t = 0; t < G_N_ELEMENTS (threads); t++) {
    for (d = 0; d < G_N_ELEMENTS (depths); d++) {
      GPtrArray *out = encode_run (threads[t], depths[d], 1, 0, n,
          &info);

      fail_unless_equals_int (out->len, n);
      for (i = 0; i < n; i++) {
        GstBuffer *b = g_ptr_array_index (out, i);
        fail_unless (hf_check_buffers_equal (b, g_ptr_array_index (ref, i)),
            "threads %u depth %u frame %u differs", threads[t], depths[d], i);
        fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * GST_SECOND / 30);
      }
      g_ptr_array_unref (out);
    }
  }
  g_ptr_array_unref (ref);
}

GST_END_TEST;

HF_CHECK_TEST ("order", test_eos_drains_every_in_flight_count)
{
  const guint depths[] = { 2, 4, 8 };
  GstVideoInfo info;
  guint d, k, i;

  make_info (&info, GST_VIDEO_FORMAT_BGRA, 64, 48);
  for (d = 0; d < G_N_ELEMENTS (depths); d++) {
    for (k = 0; k <= depths[d]; k++) {
      GstHarness *h =
          new_enc (NULL, &info, "threads", 2, "queue-depth", depths[d],
          NULL);

      push_varied (h, &info, 0, k);
      fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
      fail_unless_equals_int (gst_harness_buffers_in_queue (h), k);
      for (i = 0; i < k; i++) {
        GstBuffer *b = gst_harness_pull (h);
        fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * GST_SECOND / 30);
        gst_buffer_unref (b);
      }
      fail_unless (saw_eos (h), "no EOS after %u frames, depth %u", k,
          depths[d]);
      gst_harness_teardown (h);
    }
  }
}

GST_END_TEST;

HF_CHECK_TEST ("order", test_timestamps_flags_caps_latency)
{
  GstVideoInfo info;
  GstHarness *h;
  GstCaps *caps;
  GstStructure *s;
  GstClockTime min, max;
  guint i;
  gint v;

  make_info (&info, GST_VIDEO_FORMAT_I420, 64, 48);
  h = new_enc (NULL, &info, "threads", 2, "queue-depth", 4, NULL);
  for (i = 0; i < 6; i++) {
    GstBuffer *b = varied_frame (&info, i);
    GST_BUFFER_PTS (b) = 1000 + i * 7 * GST_MSECOND;
    GST_BUFFER_DTS (b) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_DURATION (b) = (i + 1) * GST_MSECOND;
    fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_OK);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (i = 0; i < 6; i++) {
    GstBuffer *b = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), 1000 + i * 7 * GST_MSECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (b), (i + 1) * GST_MSECOND);
    fail_if (GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_DELTA_UNIT));
    gst_buffer_unref (b);
  }

  caps = gst_pad_get_current_caps (h->sinkpad);
  s = gst_caps_get_structure (caps, 0);
  fail_unless (gst_structure_has_name (s, "image/jpeg"));
  fail_unless (gst_structure_get_int (s, "width", &v) && v == 64);
  fail_unless (gst_structure_get_int (s, "height", &v) && v == 48);
  fail_unless (gst_structure_get_int (s, "sof-marker", &v) && v == 0);
  fail_unless (gst_structure_has_field (s, "framerate"));
  fail_unless (gst_structure_has_field (s, "pixel-aspect-ratio"));
  gst_caps_unref (caps);

  /* No frame waits for later input; queue-depth 4 at 30 fps lets upstream
   * get three frames ahead. */
  gst_video_encoder_get_latency (GST_VIDEO_ENCODER (h->element), &min, &max);
  fail_unless_equals_uint64 (min, 0);
  fail_unless_equals_uint64 (max, gst_util_uint64_scale (3, GST_SECOND, 30));
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A caps change finishes the frames in flight with the old caps first. */
HF_CHECK_TEST ("order", test_caps_change_drains)
{
  GstHfJpegEncTestFault fault = { HF_ENC_FAULT_HANG, 0, 300, 0 };
  GstVideoInfo big, small;
  GstHarness *h;
  guint i;

  make_info (&big, GST_VIDEO_FORMAT_RGBA, 64, 48);
  make_info (&small, GST_VIDEO_FORMAT_Y444, 32, 24);
  /* Frame 0 is slow, so all three are in flight at the caps change. */
  h = new_enc (&fault, &big, "threads", 2, "queue-depth", 8, NULL);
  push_varied (h, &big, 0, 3);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_set_src_caps (h, gst_video_info_to_caps (&small));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 3);
  push_varied (h, &small, 3, 5);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 5);
  for (i = 0; i < 5; i++) {
    GstBuffer *b = gst_harness_pull (h);
    gint w, hh;
    guint8 *rgb = hf_check_decode_jpeg (b, &w, &hh);

    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * GST_SECOND / 30);
    fail_unless_equals_int (w, i < 3 ? 64 : 32);
    fail_unless_equals_int (hh, i < 3 ? 48 : 24);
    g_free (rgb);
    gst_buffer_unref (b);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- flush and state changes --------------------------------------- */

/* A flush as a seek upstream makes it: flush-start, flush-stop and a new
 * segment from 0. */
static void
push_flush (GstHarness * h)
{
  GstSegment seg;

  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&seg, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
}

HF_CHECK_TEST ("flush-and-state", test_flush_mid_stream)
{
  GstHfJpegEncTestFault fault = { HF_ENC_FAULT_HANG, 0, 300, 0 };
  GstVideoInfo info;
  GstHarness *h;
  GstBuffer *b;
  guint i;

  make_info (&info, GST_VIDEO_FORMAT_RGB, 64, 48);
  h = new_enc (&fault, &info, "threads", 2, "queue-depth", 4, NULL);
  /* Frame 0 hangs 300 ms, so frames 0-2 are all in flight at the flush. */
  push_varied (h, &info, 0, 3);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  push_flush (h);
  hf_enc_fault_set (&fault, HF_ENC_FAULT_NONE);
  push_varied (h, &info, 3, 8);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  /* Only the frames after the flush come out, in order and intact. */
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 5);
  for (i = 0; i < 5; i++) {
    gint w, hh;
    guint8 *rgb;

    b = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), (i + 3) * GST_SECOND / 30);
    rgb = hf_check_decode_jpeg (b, &w, &hh);
    fail_unless_equals_int (w, 64);
    fail_unless (ABS (rgb[(24 * 64 + 62) * 3] - (guint8) ((i + 3) * 40)) <= 8);
    g_free (rgb);
    gst_buffer_unref (b);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

typedef struct
{
  GstHarness *h;
  GstBuffer *buf;
  GstFlowReturn ret;
} PushCtx;

static gpointer
push_thread (gpointer data)
{
  PushCtx *ctx = data;

  ctx->ret = gst_harness_push (ctx->h, ctx->buf);
  return NULL;
}

/* Waits (20 s at most) until the engine has given buf back, so that
 * nothing is in flight at exit, then drops the caller's reference. */
static void
wait_released (GstBuffer * buf)
{
  guint i;

  for (i = 0; i < 400 && GST_MINI_OBJECT_REFCOUNT_VALUE (buf) > 1; i++)
    g_usleep (50 * 1000);
  fail_unless_equals_int (GST_MINI_OBJECT_REFCOUNT_VALUE (buf), 1);
  gst_buffer_unref (buf);
}

/* One worker, queue depth 2, frame 0 hangs 8 s: frame 0 is pushed (and
 * kept in buf0), then a thread pushes frame 1, which fills the queue and
 * so waits for frame 0. The tests act 0.2 s later; the long hang leaves
 * a slow or stalled machine room to act before it ends (once, under the
 * leaks stage, a push came back OK, as if a 4 s hang had ended first). */
typedef struct
{
  GstHfJpegEncTestFault fault;
  GstHarness *h;
  GstBuffer *buf0;
  PushCtx push;
  GThread *thread;
} HungPush;

static void
hung_push_start (HungPush * hp, gboolean dedup)
{
  GstVideoInfo info;

  hf_enc_fault_set (&hp->fault, HF_ENC_FAULT_HANG);
  hp->fault.frame_number = 0;
  hp->fault.hang_ms = 8000;
  hp->fault.band = 0;
  make_info (&info, GST_VIDEO_FORMAT_RGBA, 64, 48);
  hp->h =
      new_enc (&hp->fault, &info, "threads", 1, "queue-depth", 2, "dedup",
      dedup, NULL);
  hp->buf0 = varied_frame (&info, 0);
  fail_unless_equals_int (gst_harness_push (hp->h,
          gst_buffer_ref (hp->buf0)), GST_FLOW_OK);
  hp->push.h = hp->h;
  hp->push.buf = varied_frame (&info, 1);
  hp->thread = g_thread_new ("push", push_thread, &hp->push);
  g_usleep (200 * 1000);
}

/* The waiting push must have come back FLUSHING. */
static void
hung_push_join (HungPush * hp)
{
  g_thread_join (hp->thread);
  fail_unless_equals_int (hp->push.ret, GST_FLOW_FLUSHING);
}

/* The push came back while the worker still sleeps in frame 0: the
 * abandoned job still holds its input. Then the engine releases it. */
static void
hung_push_finish (HungPush * hp)
{
  fail_unless (GST_MINI_OBJECT_REFCOUNT_VALUE (hp->buf0) > 1);
  wait_released (hp->buf0);
  gst_harness_teardown (hp->h);
}

/* FLUSH_START must wake a streaming thread that waits for a hung worker. */
HF_CHECK_TEST ("flush-and-state", test_flush_wakes_waiting_thread)
{
  HungPush hp;

  hung_push_start (&hp, FALSE);
  fail_unless (gst_harness_push_event (hp.h, gst_event_new_flush_start ()));
  hung_push_join (&hp);
  fail_unless (gst_harness_push_event (hp.h, gst_event_new_flush_stop (TRUE)));
  hung_push_finish (&hp);
}

GST_END_TEST;

/* Going to NULL while the streaming thread waits for a hung worker must
 * return at once, and the late job must still be released. */
HF_CHECK_TEST ("flush-and-state", test_null_with_hung_worker)
{
  HungPush hp;

  /* dedup as the element's default (TRUE). */
  hung_push_start (&hp, TRUE);
  fail_unless_equals_int (gst_element_set_state (hp.h->element,
          GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
  hung_push_join (&hp);
  hung_push_finish (&hp);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  guint count;
} Handoffs;

static void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Handoffs * ho)
{
  g_mutex_lock (&ho->lock);
  ho->count++;
  g_cond_signal (&ho->cond);
  g_mutex_unlock (&ho->lock);
}

static guint
count_threads (void)
{
  gchar *status = NULL, *line;
  guint n = 0;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (line = strstr (status, "\nThreads:")))
    n = (guint) g_ascii_strtoull (line + 9, NULL, 10);
  g_free (status);
  return n;
}

HF_CHECK_TEST ("flush-and-state", test_state_cycles_with_frames_in_flight)
{
  GstElement *pipe, *sink;
  GstBus *bus;
  Handoffs ho = { 0 };
  guint cycle, base = 0, now = 0, i;
  GError *err = NULL;

  pipe = gst_parse_launch ("videotestsrc pattern=ball ! video/x-raw,"
      "format=RGBA,width=64,height=48,framerate=1000/1 ! hfjpegenc threads=2 "
      "queue-depth=4 ! fakesink name=sink sync=false signal-handoffs=true",
      &err);
  fail_unless (pipe != NULL, "%s", err ? err->message : "?");
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &ho);
  bus = gst_element_get_bus (pipe);
  g_mutex_init (&ho.lock);
  g_cond_init (&ho.cond);

  for (cycle = 0; cycle < 200; cycle++) {
    gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
    GstMessage *msg;

    g_mutex_lock (&ho.lock);
    ho.count = 0;
    g_mutex_unlock (&ho.lock);
    fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    /* Two frames out means more are in the encoder behind them. */
    g_mutex_lock (&ho.lock);
    while (ho.count < 2)
      if (!g_cond_wait_until (&ho.cond, &ho.lock, end))
        break;
    fail_unless (ho.count >= 2, "cycle %u: no output", cycle);
    g_mutex_unlock (&ho.lock);
    fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg == NULL, "cycle %u: error on the bus", cycle);
    gst_bus_set_flushing (bus, TRUE);
    gst_bus_set_flushing (bus, FALSE);
    if (cycle == 0)
      base = count_threads ();
  }
  /* Worker threads exit once their pool is freed: none pile up. */
  for (i = 0; i < 100; i++) {
    now = count_threads ();
    if (now <= base + 2)
      break;
    g_usleep (50 * 1000);
  }
  fail_unless (now <= base + 2, "%u threads after 200 cycles, %u after one",
      now, base);

  g_mutex_clear (&ho.lock);
  g_cond_clear (&ho.cond);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* What a property shows as text, for comparing before and after. */
static gchar *
prop_text (GstElement * el, const gchar * name)
{
  GValue v = G_VALUE_INIT;
  gchar *s;

  g_value_init (&v, g_object_class_find_property (G_OBJECT_GET_CLASS (el),
          name)->value_type);
  g_object_get_property (G_OBJECT (el), name, &v);
  s = g_strdup_value_contents (&v);
  g_value_unset (&v);
  return s;
}

/* The properties read at start are refused once the element runs, each
 * with a WARNING naming it and the state, and keep their values; one
 * read per frame (quality) changes without a warning. */
HF_CHECK_TEST ("flush-and-state", test_start_properties_fixed_while_playing)
{
  static const gchar *fixed[][2] = { {"threads", "5"}, {"queue-depth", "5"},
  {"slices", "5"}, {"snapshot", "true"}
  };
  GstVideoInfo info;
  GstHarness *h;
  GstBus *bus;
  guint i;
  gint quality;

  make_info (&info, GST_VIDEO_FORMAT_RGB, 64, 48);
  h = new_enc (NULL, &info, "threads", 2, "queue-depth", 3, NULL);
  bus = attach_bus (h);
  for (i = 0; i < G_N_ELEMENTS (fixed); i++) {
    gchar *before = prop_text (h->element, fixed[i][0]), *after, *quoted;
    GstMessage *msg;
    GError *err = NULL;

    gst_util_set_object_arg (G_OBJECT (h->element), fixed[i][0], fixed[i][1]);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
    fail_unless (msg != NULL, "no warning for %s", fixed[i][0]);
    gst_message_parse_warning (msg, &err, NULL);
    quoted = g_strdup_printf ("\"%s\"", fixed[i][0]);
    fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
            GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
    fail_unless (strstr (err->message, quoted) != NULL, "%s", err->message);
    fail_unless (strstr (err->message, "PLAYING") != NULL, "%s", err->message);
    after = prop_text (h->element, fixed[i][0]);
    fail_unless_equals_string (after, before);
    g_free (before);
    g_free (after);
    g_free (quoted);
    g_error_free (err);
    gst_message_unref (msg);
  }
  g_object_set (h->element, "quality", 20, NULL);
  g_object_get (h->element, "quality", &quality, NULL);
  fail_unless_equals_int (quality, 20);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  /* And the element encodes as configured before. */
  push_varied (h, &info, 0, 4);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 4);
  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

GST_END_TEST;

/* ---- failures ------------------------------------------------------ */

static gchar *
make_temp_dir (void)
{
  gchar *dir = g_dir_make_tmp ("hfjpegenc-XXXXXX", NULL);

  fail_unless (dir != NULL);
  return dir;
}

static void
remove_dir (gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d && (name = g_dir_read_name (d))) {
    gchar *p = g_build_filename (dir, name, NULL);
    g_unlink (p);
    g_free (p);
  }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
  g_free (dir);
}

/* The ERROR message: STREAM/ENCODE, naming the frame and the reason. */
static void
check_error (GstBus * bus, guint64 frame, const gchar * reason)
{
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *err = NULL;
  gchar *dbg = NULL, *want;

  fail_unless (msg != NULL, "no ERROR message on the bus");
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (g_error_matches (err, GST_STREAM_ERROR,
          GST_STREAM_ERROR_ENCODE), "wrong error: %s", err->message);
  want = g_strdup_printf ("frame %" G_GUINT64_FORMAT " (PTS ", frame);
  fail_unless (strstr (err->message, want) != NULL, "'%s' lacks '%s'",
      err->message, want);
  fail_unless (strstr (err->message, reason) != NULL, "'%s' lacks '%s'",
      err->message, reason);
  g_free (want);
  g_free (dbg);
  g_error_free (err);
  gst_message_unref (msg);
}

static guint32
be32 (const guint8 * p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8)
      | p[3];
}

/* frame-error-N.png is a PNG of the frame's size; the JSON names frame N. */
static void
check_dump (const gchar * dir, guint64 n, gboolean png, gint w, gint h)
{
  static const guint8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gchar *path, *data = NULL, *want;
  gsize len = 0;

  path = g_strdup_printf ("%s/frame-error-%" G_GUINT64_FORMAT ".png", dir, n);
  if (png) {
    fail_unless (g_file_get_contents (path, &data, &len, NULL), "no %s", path);
    fail_unless (len > 33 && memcmp (data, sig, 8) == 0);
    fail_unless (memcmp (data + 12, "IHDR", 4) == 0);
    fail_unless_equals_int (be32 ((guint8 *) data + 16), w);
    fail_unless_equals_int (be32 ((guint8 *) data + 20), h);
    g_free (data);
  } else {
    fail_if (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  g_free (path);

  path = g_strdup_printf ("%s/frame-error-%" G_GUINT64_FORMAT ".json", dir, n);
  fail_unless (g_file_get_contents (path, &data, NULL, NULL), "no %s", path);
  want = g_strdup_printf ("\"frame\": %" G_GUINT64_FORMAT ",", n);
  fail_unless (strstr (data, want) != NULL, "%s lacks %s", data, want);
  fail_unless (strstr (data, "\"caps\": \"video/x-raw") != NULL);
  fail_unless (strstr (data, "\"pts\": ") != NULL);
  g_free (want);
  g_free (data);
  g_free (path);
}

/* Pushes frames until one returns an error; then EOS must not hang. The
 * fault hits band `band` of frame `frame`, cut into `slices`. */
static void
run_fault_in_band (HfEncFault kind, guint64 frame, guint depth,
    guint timeout_ms, guint hang_ms, guint slices, guint band,
    const gchar * reason)
{
  GstHfJpegEncTestFault fault = { kind, frame, hang_ms, band };
  GstVideoInfo info;
  GstHarness *h;
  GstBus *bus;
  GstFlowReturn ret = GST_FLOW_OK;
  GstBuffer *failing = NULL;
  gchar *dir = make_temp_dir ();
  guint i;

  make_info (&info, GST_VIDEO_FORMAT_BGRx, 40, 30);
  h = new_enc (&fault, &info, "threads", 2, "queue-depth", depth,
      "encode-timeout", timeout_ms, "diagnostics-dir", dir, "slices", slices,
      NULL);
  bus = attach_bus (h);
  for (i = 0; i < frame + depth + 1 && ret == GST_FLOW_OK; i++) {
    GstBuffer *b = varied_frame (&info, i);

    if (i == frame)
      failing = gst_buffer_ref (b);
    ret = gst_harness_push (h, b);
  }
  fail_unless_equals_int (ret, GST_FLOW_ERROR);
  /* Frames before the failing one came out; none after it. */
  fail_unless (gst_harness_buffers_in_queue (h) <= frame);
  check_error (bus, frame, reason);
  check_dump (dir, frame, TRUE, 40, 30);
  /* The element stays stopped: a later frame gets the error too, with no
   * second message. */
  fail_unless_equals_int (gst_harness_push (h, varied_frame (&info, 99)),
      GST_FLOW_ERROR);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR) == NULL);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  /* A hung worker holds the failing frame until it wakes: wait it out, so
   * that nothing is in flight when the program exits (leaks tracer). */
  wait_released (failing);
  remove_dir (dir);
}

static void
run_fault (HfEncFault kind, guint64 frame, guint depth, guint timeout_ms,
    guint hang_ms, const gchar * reason)
{
  run_fault_in_band (kind, frame, depth, timeout_ms, hang_ms, 1, 0, reason);
}

HF_CHECK_TEST ("failures", test_fail_worker_error)
{
  run_fault (HF_ENC_FAULT_ERROR, 3, 4, 30000, 0, "injected encoder error");
}

GST_END_TEST;

HF_CHECK_TEST ("failures", test_fail_inline_error)
{
  run_fault (HF_ENC_FAULT_ERROR, 2, 1, 30000, 0, "injected encoder error");
}

GST_END_TEST;

HF_CHECK_TEST ("failures", test_fail_timeout)
{
  /* The hung worker sleeps on after the error: its late result is
   * dropped, and run_fault waits for it to let go of the frame. */
  run_fault (HF_ENC_FAULT_HANG, 1, 3, 200, 1500, "within 200 ms");
}

GST_END_TEST;

/* After a flush abandons a frame whose worker hangs, the only worker is
 * stuck: the next frame waits in the queue and must end in a watchdog
 * error that says it never started (the watchdog counts a queued frame's
 * time only while no worker makes progress), not hang until the worker
 * comes back. */
HF_CHECK_TEST ("failures", test_timeout_queued_behind_stuck_worker)
{
  GstHfJpegEncTestFault fault = { HF_ENC_FAULT_HANG, 0, 1500, 0 };
  GstVideoInfo info;
  GstHarness *h;
  GstBus *bus;
  GstBuffer *buf0;

  make_info (&info, GST_VIDEO_FORMAT_BGRx, 40, 30);
  /* The output task watches frame 0 at once: no watchdog error for it
   * before the flush. Each frame takes encode-timeout when it is pushed. */
  h = new_enc (&fault, &info, "threads", 1, "queue-depth", 2, "encode-timeout",
      30000, "dedup", FALSE, NULL);
  bus = attach_bus (h);
  buf0 = varied_frame (&info, 0);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (buf0)),
      GST_FLOW_OK);
  /* Let the worker take frame 0 (a queued job would simply be dropped). */
  g_usleep (300 * 1000);
  push_flush (h);
  /* Numbering restarts at 0: do not hang the new frame 0 too. */
  hf_enc_fault_set (&fault, HF_ENC_FAULT_NONE);
  g_object_set (h->element, "encode-timeout", 200, NULL);

  /* Frame 0 queues behind the stuck worker; frame 1's push waits for it. */
  fail_unless_equals_int (gst_harness_push (h, varied_frame (&info, 0)),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, varied_frame (&info, 1)),
      GST_FLOW_ERROR);
  check_error (bus, 0, "did not start");
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  /* Wait out the hang so that nothing is in flight at exit. */
  wait_released (buf0);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

HF_CHECK_TEST ("failures", test_fail_empty_result)
{
  run_fault (HF_ENC_FAULT_EMPTY, 0, 2, 30000, 0, "empty (0-byte)");
}

GST_END_TEST;

HF_CHECK_TEST ("failures", test_fail_short_buffer)
{
  GstVideoInfo info;
  GstHarness *h;
  GstBus *bus;
  GstBuffer *b;
  gchar *dir = make_temp_dir ();

  make_info (&info, GST_VIDEO_FORMAT_I420, 33, 17);
  h = new_enc (NULL, &info, "threads", 2, "queue-depth", 3, "diagnostics-dir",
      dir, NULL);
  bus = attach_bus (h);
  fail_unless_equals_int (gst_harness_push (h, varied_frame (&info, 0)),
      GST_FLOW_OK);
  b = varied_frame (&info, 1);
  gst_buffer_resize (b, 0, GST_VIDEO_INFO_SIZE (&info) - 1);
  fail_unless_equals_int (gst_harness_push (h, b), GST_FLOW_ERROR);
  check_error (bus, 1, "too small");
  /* No PNG of a frame that is not all there; the JSON is written. */
  check_dump (dir, 1, FALSE, 0, 0);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  remove_dir (dir);
}

GST_END_TEST;

/* ---- picture quality and formats ----------------------------------- */

HF_CHECK_TEST ("formats", test_psnr_gradient)
{
  const gint w = 256, hgt = 192;
  GstVideoInfo info;
  GstVideoFrame f;
  GstHarness *h;
  GstBuffer *in, *out;
  guint8 *rgb;
  gint x, y, c, dw, dh;
  gdouble se = 0, psnr;

  make_info (&info, GST_VIDEO_FORMAT_RGB, w, hgt);
  in = gst_buffer_new_and_alloc (GST_VIDEO_INFO_SIZE (&info));
  gst_video_frame_map (&f, &info, in, GST_MAP_WRITE);
  for (y = 0; y < hgt; y++)
    for (x = 0; x < w; x++) {
      guint8 *p = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0) +
          y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) + x * 3;
      p[0] = x;
      p[1] = y * 255 / (hgt - 1);
      p[2] = (x + y) / 2;
    }
  gst_video_frame_unmap (&f);
  h = new_enc (NULL, &info, "quality", 90, NULL);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (in)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  out = gst_harness_pull (h);
  rgb = hf_check_decode_jpeg (out, &dw, &dh);
  fail_unless_equals_int (dw, w);
  fail_unless_equals_int (dh, hgt);

  gst_video_frame_map (&f, &info, in, GST_MAP_READ);
  for (y = 0; y < hgt; y++)
    for (x = 0; x < w; x++)
      for (c = 0; c < 3; c++) {
        gint a = ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0))[y *
            GST_VIDEO_FRAME_PLANE_STRIDE (&f, 0) + x * 3 + c];
        gint b = rgb[(y * w + x) * 3 + c];
        se += (a - b) * (a - b);
      }
  gst_video_frame_unmap (&f);
  psnr = 10 * log10 (255.0 * 255.0 / (se / (w * hgt * 3) + 1e-12));
  GST_INFO ("PSNR %.2f dB", psnr);
  fail_unless (psnr > 35.0, "PSNR %.2f dB", psnr);

  g_free (rgb);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

HF_CHECK_TEST ("formats", test_every_format_odd_sizes)
{
  const gchar *formats[] = { "RGBA", "RGBx", "BGRA", "BGRx", "ARGB", "xRGB",
    "ABGR", "xBGR", "RGB", "BGR", "GRAY8", "I420", "YV12", "NV12", "NV21",
    "Y42B", "YUY2", "UYVY", "YVYU", "Y41B", "Y444"
  };
  const gint sizes[][2] = { {1, 1}, {17, 9}, {641, 361} };
  /* One colour as RGB(A) and as full-range (JFIF) Y'CbCr; alpha is 0 so
   * that using it would show. */
  const guint8 rgb_v[4] = { 200, 100, 50, 0 };
  const guint8 yuv_v[3] = { 124, 86, 182 };
  const guint8 gray_v[1] = { 124 };
  guint fi, si;

  for (fi = 0; fi < G_N_ELEMENTS (formats); fi++) {
    GstVideoFormat fmt = gst_video_format_from_string (formats[fi]);
    const GstVideoFormatInfo *finfo = gst_video_format_get_info (fmt);
    const guint8 *v = GST_VIDEO_FORMAT_INFO_IS_RGB (finfo) ? rgb_v :
        GST_VIDEO_FORMAT_INFO_IS_GRAY (finfo) ? gray_v : yuv_v;

    for (si = 0; si < G_N_ELEMENTS (sizes); si++) {
      gint w = sizes[si][0], hh = sizes[si][1], dw, dh;
      GstVideoInfo info;
      GstHarness *h;
      GstBuffer *out;
      guint8 *rgb, *px;

      make_info (&info, fmt, w, hh);
      if (v == yuv_v) {
        /* The values above are JFIF's: say so, or the caps' default
         * (limited-range BT.601) would be converted. */
        info.colorimetry.range = GST_VIDEO_COLOR_RANGE_0_255;
        info.colorimetry.matrix = GST_VIDEO_COLOR_MATRIX_BT601;
      }
      h = new_enc (NULL, &info, "threads", 2, NULL);
      fail_unless_equals_int (gst_harness_push (h, make_buffer (&info, v, 0,
                  0, 0)), GST_FLOW_OK);
      fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
      out = gst_harness_pull (h);
      rgb = hf_check_decode_jpeg (out, &dw, &dh);
      fail_unless (dw == w && dh == hh, "%s %dx%d decoded as %dx%d",
          formats[fi], w, hh, dw, dh);
      px = rgb + ((dh / 2) * dw + dw / 2) * 3;
      if (v == gray_v)
        fail_unless (ABS (px[0] - 124) <= 6 && px[0] == px[1]
            && px[1] == px[2], "%s: gray %u,%u,%u", formats[fi], px[0],
            px[1], px[2]);
      else
        fail_unless (ABS (px[0] - 200) <= 6 && ABS (px[1] - 100) <= 6
            && ABS (px[2] - 50) <= 6, "%s %dx%d: colour %u,%u,%u",
            formats[fi], w, hh, px[0], px[1], px[2]);
      g_free (rgb);
      gst_buffer_unref (out);
      gst_harness_teardown (h);
    }
  }
}

GST_END_TEST;

/* Component c at (x, y) of a picture with detail in every component. */
static guint8
sample (guint c, guint x, guint y)
{
  return (guint8) (c == 0 ? 16 + (x * 7 + y * 3) % 220 :
      c == 1 ? 40 + (x * 11 + y * 5) % 180 : 30 + (x * 3 + y * 13) % 200);
}

/* One frame of `format` holding sample(), with the given colorimetry,
 * encoded with `threads` workers at Q95, with a restart marker every
 * `restart` MCU rows (0: none). */
static GstBuffer *
encode_samples (const gchar * format, gint w, gint h, const gchar * cm,
    guint threads, guint restart, guint slices)
{
  GstVideoInfo info;
  GstVideoFrame f;
  GstBuffer *in, *out;
  GstHarness *hh;
  guint c, x, y;

  make_info (&info, gst_video_format_from_string (format), w, h);
  fail_unless (gst_video_colorimetry_from_string (&info.colorimetry, cm));
  in = gst_buffer_new_and_alloc (GST_VIDEO_INFO_SIZE (&info));
  gst_buffer_memset (in, 0, 0, GST_VIDEO_INFO_SIZE (&info));
  fail_unless (gst_video_frame_map (&f, &info, in, GST_MAP_WRITE));
  for (c = 0; c < 3; c++)
    for (y = 0; y < (guint) GST_VIDEO_FRAME_COMP_HEIGHT (&f, c); y++)
      for (x = 0; x < (guint) GST_VIDEO_FRAME_COMP_WIDTH (&f, c); x++)
        GST_VIDEO_FRAME_COMP_DATA (&f, c)[y * GST_VIDEO_FRAME_COMP_STRIDE (&f,
                c) + x * GST_VIDEO_FRAME_COMP_PSTRIDE (&f, c)] = sample (c, x,
            y);
  gst_video_frame_unmap (&f);
  GST_BUFFER_PTS (in) = 0;
  hh = new_enc (NULL, &info, "threads", threads, "quality", 95,
      "restart-interval", restart, NULL);
  fail_unless_equals_int (gst_harness_push (hh, in), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (hh, gst_event_new_eos ()));
  out = gst_harness_pull (hh);
  gst_harness_teardown (hh);
  return out;
}

/* The formats jpegenc also takes, beyond planar I420/Y42B: the same
 * samples in another layout give exactly the planar format's JPEG (which
 * the colour and PSNR tests check against outside references), in JFIF
 * colours and in limited-range BT.709 (converted), at odd sizes, for any
 * thread count, whole and in slices. */
HF_CHECK_TEST ("formats", test_layouts_match_planar)
{
  const gchar *same_as[][2] = {
    {"YV12", "I420"}, {"NV12", "I420"}, {"NV21", "I420"},
    {"YUY2", "Y42B"}, {"UYVY", "Y42B"}, {"YVYU", "Y42B"},
  };
  const gchar *colours[] = { "1:4:0:0", "bt709" };
  const gint sizes[][2] = { {1, 1}, {17, 9}, {321, 241} };
  guint i, k, z;

  for (k = 0; k < G_N_ELEMENTS (colours); k++)
    for (z = 0; z < G_N_ELEMENTS (sizes); z++)
      for (i = 0; i < G_N_ELEMENTS (same_as); i++) {
        gint w = sizes[z][0], hh = sizes[z][1];
        GstBuffer *ref =
            encode_samples (same_as[i][1], w, hh, colours[k], 1, 0, 1);
        GstBuffer *a =
            encode_samples (same_as[i][0], w, hh, colours[k], 1, 0, 1);
        GstBuffer *b =
            encode_samples (same_as[i][0], w, hh, colours[k], 3, 0, 1);

        fail_unless (hf_check_buffers_equal (a, ref),
            "%s %dx%d %s differs from %s", same_as[i][0], w, hh, colours[k],
            same_as[i][1]);
        fail_unless (hf_check_buffers_equal (a, b),
            "%s %dx%d: threads change bytes", same_as[i][0], w, hh);
        gst_buffer_unref (ref);
        gst_buffer_unref (a);
        gst_buffer_unref (b);
        /* In three slices too: each band split and converted alone. */
        ref = encode_samples (same_as[i][1], w, hh, colours[k], 1, 0, 3);
        a = encode_samples (same_as[i][0], w, hh, colours[k], 3, 0, 3);
        fail_unless (hf_check_buffers_equal (a, ref),
            "%s %dx%d %s in slices differs from %s", same_as[i][0], w, hh,
            colours[k], same_as[i][1]);
        gst_buffer_unref (ref);
        gst_buffer_unref (a);
      }
}

GST_END_TEST;

HF_CHECK_TEST ("formats", test_quality_change_in_playing)
{
  GstVideoInfo info;
  GstHarness *h;
  GstBuffer *a, *b;
  guint8 v[4] = { 10, 20, 30, 255 };

  make_info (&info, GST_VIDEO_FORMAT_RGBA, 128, 64);
  h = new_enc (NULL, &info, "quality", 95, "queue-depth", 2, NULL);
  fail_unless_equals_int (gst_harness_push (h, make_buffer (&info, v, 128, 5,
              0)), GST_FLOW_OK);
  g_object_set (h->element, "quality", 20, NULL);
  /* The same picture again: not a duplicate, since the quality changed. */
  fail_unless_equals_int (gst_harness_push (h, make_buffer (&info, v, 128, 5,
              1)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  a = gst_harness_pull (h);
  b = gst_harness_pull (h);
  fail_unless (gst_buffer_get_size (b) < gst_buffer_get_size (a),
      "quality 20 gave %" G_GSIZE_FORMAT " bytes, quality 95 %" G_GSIZE_FORMAT,
      gst_buffer_get_size (b), gst_buffer_get_size (a));
  gst_buffer_unref (a);
  gst_buffer_unref (b);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- muxing and dedup ---------------------------------------------- */

static void
count_buffer (GstElement * sink, GstBuffer * buf, GstPad * pad, guint * n)
{
  (*n)++;
}

static void
run_pipeline (const gchar * desc, guint * handoffs)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);
  GstMessage *msg;
  GstBus *bus;

  fail_unless (pipe != NULL, "%s", err ? err->message : "?");
  if (handoffs) {
    GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
    g_signal_connect (sink, "handoff", G_CALLBACK (count_buffer), handoffs);
    gst_object_unref (sink);
  }
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
      "pipeline '%s' did not reach EOS", desc);
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
}

HF_CHECK_TEST ("formats", test_avimux_accepts_output)
{
  gchar *dir = make_temp_dir ();
  gchar *path = g_build_filename (dir, "out.avi", NULL);
  gchar *desc;
  guint n = 0;

  desc = g_strdup_printf ("videotestsrc num-buffers=20 pattern=ball ! "
      "video/x-raw,format=I420,width=160,height=120,framerate=10/1 ! "
      "hfjpegenc ! avimux ! filesink location=%s", path);
  run_pipeline (desc, NULL);
  g_free (desc);
  desc = g_strdup_printf ("filesrc location=%s ! avidemux ! image/jpeg,"
      "width=160,height=120 ! jpegdec ! fakesink name=sink "
      "signal-handoffs=true", path);
  run_pipeline (desc, &n);
  fail_unless_equals_int (n, 20);
  g_free (desc);
  g_free (path);
  remove_dir (dir);
}

GST_END_TEST;

static GPtrArray *
dedup_run (gboolean dedup, const GstVideoInfo * info)
{
  GstHarness *h = new_enc (NULL, info, "threads", 2, "queue-depth", 3, "dedup",
      dedup, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (
      (GDestroyNotify) gst_buffer_unref);
  GstBuffer *a = varied_frame (info, 2), *same, *copy, *b;
  guint i;

  /* 0: a; 1: a's memory in a new buffer; 2: a copy of a's bytes;
   * 3: a different picture; 4: the same memory as 3. */
  same = gst_buffer_new ();
  gst_buffer_append_memory (same, gst_memory_ref (gst_buffer_peek_memory (a,
              0)));
  copy = gst_buffer_copy_deep (a);
  b = varied_frame (info, 3);
  for (i = 0; i < 5; i++) {
    GstBuffer *in = i == 0 ? gst_buffer_ref (a) : i == 1 ? same :
        i == 2 ? copy : i == 3 ? gst_buffer_ref (b) : gst_buffer_copy (b);
    in = gst_buffer_make_writable (in);
    GST_BUFFER_PTS (in) = i * GST_SECOND;
    GST_BUFFER_DURATION (in) = (i + 1) * GST_MSECOND;
    fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (i = 0; i < 5; i++) {
    GstBuffer *o = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (o), i * GST_SECOND);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (o), (i + 1) * GST_MSECOND);
    g_ptr_array_add (out, o);
  }
  gst_buffer_unref (a);
  gst_buffer_unref (b);
  gst_harness_teardown (h);
  return out;
}

#define MEM(arr, i) gst_buffer_peek_memory (g_ptr_array_index (arr, i), 0)

HF_CHECK_TEST ("dedup", test_dedup)
{
  GstVideoInfo info;
  GPtrArray *on, *off;
  guint i;

  make_info (&info, GST_VIDEO_FORMAT_RGBA, 96, 64);
  on = dedup_run (TRUE, &info);
  off = dedup_run (FALSE, &info);

  /* Repeats share the JPEG memory (no new encode); changes do not. */
  fail_unless (MEM (on, 1) == MEM (on, 0));
  fail_unless (MEM (on, 2) == MEM (on, 0));
  fail_unless (MEM (on, 3) != MEM (on, 0));
  fail_unless (MEM (on, 4) == MEM (on, 3));
  for (i = 1; i < 5; i++)
    fail_unless (MEM (off, i) != MEM (off, i - 1));
  /* And the bytes are what encoding each frame gives. */
  for (i = 0; i < 5; i++)
    fail_unless (hf_check_buffers_equal (g_ptr_array_index (on, i),
            g_ptr_array_index (off, i)), "frame %u differs", i);
  g_ptr_array_unref (on);
  g_ptr_array_unref (off);
}

GST_END_TEST;

/* Turning dedup off while a duplicate waits behind a slow frame. */
HF_CHECK_TEST ("dedup", test_dedup_toggle_in_playing)
{
  GstHfJpegEncTestFault fault = { HF_ENC_FAULT_HANG, 0, 200, 0 };
  GstVideoInfo info;
  GstHarness *h;
  GstBuffer *a, *outs[4];
  guint i;

  make_info (&info, GST_VIDEO_FORMAT_RGBA, 64, 48);
  /* Frame 0 is slow, so frames 1 and its repeat 2 wait behind it. */
  h = new_enc (&fault, &info, "threads", 2, "queue-depth", 8, NULL);
  fail_unless_equals_int (gst_harness_push (h, varied_frame (&info, 0)),
      GST_FLOW_OK);
  a = varied_frame (&info, 1);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (a)),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_copy (a)),
      GST_FLOW_OK);
  g_object_set (h->element, "dedup", FALSE, NULL);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_copy (a)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (i = 0; i < 4; i++)
    outs[i] = gst_harness_pull (h);
  fail_unless (gst_buffer_peek_memory (outs[2], 0) ==
      gst_buffer_peek_memory (outs[1], 0));
  fail_unless (gst_buffer_peek_memory (outs[3], 0) !=
      gst_buffer_peek_memory (outs[1], 0));
  for (i = 2; i < 4; i++)
    fail_unless (hf_check_buffers_equal (outs[i], outs[1]));
  for (i = 0; i < 4; i++)
    gst_buffer_unref (outs[i]);
  gst_buffer_unref (a);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Restart markers from YUV input (the RGB path is compared with cjpeg in
 * tests/reference/restart-cjpeg.py): every 3 MCU rows of a 321x241
 * frame, planar and packed, converted or not. The JPEG has DRI with 3
 * MCU rows of MCUs and one RST per band boundary, decodes to exactly the
 * pixels of the JPEG without markers, and is the same bytes for any
 * thread count. */
HF_CHECK_TEST ("formats", test_restart_interval)
{
  const gchar *formats[] = { "I420", "YUY2", "NV12" };
  const gchar *colours[] = { "1:4:0:0", "bt709" };
  guint f, k;

  for (f = 0; f < G_N_ELEMENTS (formats); f++)
    for (k = 0; k < G_N_ELEMENTS (colours); k++) {
      /* 4:2:0: 16x16 MCUs, 21 a row, 16 rows; 4:2:2: 16x8, 21 and 31. */
      gboolean y420 = f != 1;
      guint mcus = 21, rows = y420 ? 16 : 31, bands = (rows + 2) / 3;
      GstBuffer *plain = encode_samples (formats[f], 321, 241, colours[k],
          1, 0, 1);
      GstBuffer *a = encode_samples (formats[f], 321, 241, colours[k], 1, 3, 1);
      GstBuffer *b = encode_samples (formats[f], 321, 241, colours[k], 3, 3, 1);
      gint w1, h1, w2, h2;
      guint8 *p1 = hf_check_decode_jpeg (plain, &w1, &h1);
      guint8 *p2 = hf_check_decode_jpeg (a, &w2, &h2);
      GstMapInfo m;
      guint rst = 0, dri = 0;
      gsize i;

      fail_unless (w1 == w2 && h1 == h2 && memcmp (p1, p2,
              (gsize) w1 * h1 * 3) == 0, "%s %s: restart markers changed "
          "the pixels", formats[f], colours[k]);
      fail_unless (hf_check_buffers_equal (a, b), "%s: threads change bytes",
          formats[f]);
      fail_unless (gst_buffer_map (a, &m, GST_MAP_READ));
      for (i = 0; i + 5 < m.size; i++) {
        if (m.data[i] == 0xff && m.data[i + 1] == 0xdd)
          dri = m.data[i + 4] << 8 | m.data[i + 5];
        if (m.data[i] == 0xff && m.data[i + 1] >= 0xd0 && m.data[i + 1] <= 0xd7)
          rst++;
      }
      gst_buffer_unmap (a, &m);
      fail_unless_equals_int (dri, 3 * mcus);
      fail_unless_equals_int (rst, bands - 1);
      g_free (p1);
      g_free (p2);
      gst_buffer_unref (plain);
      gst_buffer_unref (a);
      gst_buffer_unref (b);
    }
}

GST_END_TEST;

/* ---- slices ---------------------------------------------------------- */

/* RST markers in a JPEG (entropy data stuffs every 0xff it holds). */
static guint
count_rst (GstBuffer * buf)
{
  GstMapInfo m;
  guint n = 0;
  gsize i;

  fail_unless (gst_buffer_map (buf, &m, GST_MAP_READ));
  for (i = 0; i + 1 < m.size; i++)
    n += m.data[i] == 0xff && m.data[i + 1] >= 0xd0 && m.data[i + 1] <= 0xd7;
  gst_buffer_unmap (buf, &m);
  return n;
}

/* Do the two JPEGs decode to the same pixels? */
static gboolean
same_pixels (GstBuffer * a, GstBuffer * b)
{
  gint w1, h1, w2, h2;
  guint8 *p1 = hf_check_decode_jpeg (a, &w1, &h1);
  guint8 *p2 = hf_check_decode_jpeg (b, &w2, &h2);
  gboolean same = w1 == w2 && h1 == h2
      && memcmp (p1, p2, (gsize) w1 * h1 * 3) == 0;

  g_free (p1);
  g_free (p2);
  return same;
}

/* Every output of `got` is the same bytes as that of `want`, with the
 * frame's timestamp. */
static void
check_same_run (GPtrArray * got, GPtrArray * want, const gchar * what)
{
  guint i;

  fail_unless_equals_int (got->len, want->len);
  for (i = 0; i < got->len; i++) {
    GstBuffer *b = g_ptr_array_index (got, i);

    fail_unless (hf_check_buffers_equal (b, g_ptr_array_index (want, i)),
        "%s: frame %u differs", what, i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (b), i * GST_SECOND / 30);
  }
}

/* The restart interval `slices` gives without restart-interval, in MCU
 * rows (docs/hfjpegenc.md, "Restart markers and slices"), and the RST
 * markers that makes. */
static guint
slice_interval (guint mcu_rows, guint slices)
{
  return (mcu_rows + slices - 1) / slices;
}

static guint
slice_markers (guint mcu_rows, guint slices)
{
  guint r = slice_interval (mcu_rows, slices);

  return slices > 1 ? (mcu_rows + r - 1) / r - 1 : 0;
}

/* Slices 1, 3 and 8 of a 641x361 I420 stream (23 MCU rows): for threads
 * 1, 2, 4 and queue depths 1, 2, 8, the same bytes as one inline encoder
 * with restart-interval set to the slices' interval; those decode to the
 * pixels without slices. */
HF_CHECK_TEST ("slices", test_slices_byte_identity)
{
  const guint threads[] = { 1, 2, 4 }, depths[] = { 1, 2, 8 };
  const guint slices[] = { 1, 3, 8 }, n = 4, mcu_rows = (361 + 15) / 16;
  GstVideoInfo info;
  GPtrArray *plain;
  guint s, t, d, i;

  make_info (&info, GST_VIDEO_FORMAT_I420, 641, 361);
  plain = encode_run (1, 1, 1, 0, n, &info);
  for (s = 0; s < G_N_ELEMENTS (slices); s++) {
    GPtrArray *ref = encode_run (1, 1, 1, slices[s] > 1 ?
        slice_interval (mcu_rows, slices[s]) : 0, n, &info);

    fail_unless_equals_int (ref->len, n);
    for (i = 0; i < n; i++) {
      GstBuffer *b = g_ptr_array_index (ref, i);

      fail_unless (same_pixels (b, g_ptr_array_index (plain, i)));
      fail_unless_equals_int (count_rst (b), slice_markers (mcu_rows,
              slices[s]));
    }
    for (t = 0; t < G_N_ELEMENTS (threads); t++)
      for (d = 0; d < G_N_ELEMENTS (depths); d++) {
        GPtrArray *out = encode_run (threads[t], depths[d], slices[s], 0, n,
            &info);
        gchar *what = g_strdup_printf ("slices %u threads %u depth %u",
            slices[s], threads[t], depths[d]);

        check_same_run (out, ref, what);
        g_free (what);
        g_ptr_array_unref (out);
      }
    g_ptr_array_unref (ref);
  }
  g_ptr_array_unref (plain);
}

GST_END_TEST;

/* More slices than MCU rows: one band per MCU row at most, and the same
 * pixels as without slices, for 4:2:0 (16-row MCUs), 4:4:4 and RGB. */
HF_CHECK_TEST ("slices", test_slices_odd_sizes)
{
  const gint sizes[][2] = { {1, 1}, {17, 9}, {641, 361} };
  const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_I420,
    GST_VIDEO_FORMAT_Y444, GST_VIDEO_FORMAT_RGB
  };
  guint z, f, i;

  for (z = 0; z < G_N_ELEMENTS (sizes); z++)
    for (f = 0; f < G_N_ELEMENTS (formats); f++) {
      guint mcu_h = formats[f] == GST_VIDEO_FORMAT_Y444 ? 8 : 16;
      guint mcu_rows = (sizes[z][1] + mcu_h - 1) / mcu_h;
      GstVideoInfo info;
      GPtrArray *plain, *a, *b;

      make_info (&info, formats[f], sizes[z][0], sizes[z][1]);
      plain = encode_run (1, 1, 1, 0, 2, &info);
      a = encode_run (3, 1, 8, 0, 2, &info);
      b = encode_run (2, 4, 8, 0, 2, &info);
      check_same_run (b, a, "threads 2 depth 4");
      for (i = 0; i < 2; i++) {
        GstBuffer *sliced = g_ptr_array_index (a, i);

        fail_unless (same_pixels (sliced, g_ptr_array_index (plain, i)),
            "%dx%d %s: slices changed the pixels", sizes[z][0], sizes[z][1],
            gst_video_format_to_string (formats[f]));
        fail_unless_equals_int (count_rst (sliced), slice_markers (mcu_rows,
                8));
      }
      g_ptr_array_unref (plain);
      g_ptr_array_unref (a);
      g_ptr_array_unref (b);
    }
}

GST_END_TEST;

/* Band 2 of frame 0 (of 3 bands) hangs 300 ms, so that frame is in flight
 * with its other bands done. EOS waits for it: every frame comes out, in
 * order, the bytes of one inline encoder. A flush drops it instead, and the
 * frames after the flush come out. */
HF_CHECK_TEST ("slices", test_slices_eos_and_flush_in_flight)
{
  GstHfJpegEncTestFault fault = { HF_ENC_FAULT_HANG, 0, 300, 1 };
  GstVideoInfo info;
  GPtrArray *ref, *out;
  GstBuffer *b, *buf0;
  GstHarness *h;
  guint i, flush;

  make_info (&info, GST_VIDEO_FORMAT_I420, 160, 96);
  /* 6 MCU rows: bands of 2, as one inline encoder makes them. */
  ref = encode_run (1, 1, 1, slice_interval (6, 3), 6, &info);
  for (flush = 0; flush < 2; flush++) {
    hf_enc_fault_set (&fault, HF_ENC_FAULT_HANG);
    h = new_enc (&fault, &info, "threads", 2, "queue-depth", 4, "slices", 3,
        NULL);
    buf0 = varied_frame (&info, 0);
    fail_unless_equals_int (gst_harness_push (h, gst_buffer_ref (buf0)),
        GST_FLOW_OK);
    push_varied (h, &info, 1, 3);
    if (flush) {
      push_flush (h);
      /* Numbering restarts at 0: do not hang the new frame 0 too. */
      hf_enc_fault_set (&fault, HF_ENC_FAULT_NONE);
      push_varied (h, &info, 3, 6);
    }
    fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
    out = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
    while ((b = gst_harness_try_pull (h)))
      g_ptr_array_add (out, b);
    fail_unless_equals_int (out->len, 3);
    for (i = 0; i < 3; i++) {
      b = g_ptr_array_index (out, i);
      fail_unless (hf_check_buffers_equal (b, g_ptr_array_index (ref,
                  i + 3 * flush)), "%s: frame %u differs", flush ? "flush" :
          "EOS", i + 3 * flush);
      fail_unless_equals_uint64 (GST_BUFFER_PTS (b),
          (i + 3 * flush) * GST_SECOND / 30);
    }
    g_ptr_array_unref (out);
    fail_unless (saw_eos (h));
    wait_released (buf0);
    gst_harness_teardown (h);
  }
  g_ptr_array_unref (ref);
}

GST_END_TEST;

/* The watchdog watches each band: band 2 of 2 of frame 1 hangs, the
 * error names it. */
HF_CHECK_TEST ("slices", test_slices_timeout_one_band)
{
  run_fault_in_band (HF_ENC_FAULT_HANG, 1, 3, 200, 1500, 2, 1,
      "band 2 of 2: encode did not finish within 200 ms");
}

GST_END_TEST;

/* ---- parity with jpegenc ------------------------------------------ */

/* The same frame at Q95, changing idct-method in PLAYING: islow, ifast,
 * float, islow. Each change of DCT must defeat dedup: ifast after islow
 * differs, float after ifast is islow's bytes, not the ifast JPEG. */
HF_CHECK_TEST ("jpegenc-parity", test_idct_method)
{
  static const gchar *methods[] = { "islow", "ifast", "float", "islow" };
  guint8 v[4] = { 90, 140, 200, 255 };
  GstBuffer *out[G_N_ELEMENTS (methods)];
  GstVideoInfo info;
  GstHarness *h;
  guint i;

  make_info (&info, GST_VIDEO_FORMAT_RGBA, 96, 64);
  h = new_enc (NULL, &info, "quality", 95, NULL);
  for (i = 0; i < G_N_ELEMENTS (methods); i++) {
    gst_util_set_object_arg (G_OBJECT (h->element), "idct-method", methods[i]);
    fail_unless_equals_int (gst_harness_push (h, make_buffer (&info, v, 96,
                1, i)), GST_FLOW_OK);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (i = 0; i < G_N_ELEMENTS (methods); i++)
    out[i] = gst_harness_pull (h);
  fail_if (hf_check_buffers_equal (out[0], out[1]),
      "ifast gave the same bytes as islow");
  fail_unless (hf_check_buffers_equal (out[0], out[2]),
      "float after ifast is not islow's JPEG");
  fail_unless (hf_check_buffers_equal (out[0], out[3]),
      "islow after float is not islow's JPEG");
  for (i = 0; i < G_N_ELEMENTS (methods); i++)
    gst_buffer_unref (out[i]);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* snapshot: an endless source gives one JPEG and the pipeline ends, with
 * and without workers. */
HF_CHECK_TEST ("jpegenc-parity", test_snapshot)
{
  guint depth;

  for (depth = 0; depth <= 1; depth++) {
    gchar *desc = g_strdup_printf ("videotestsrc ! video/x-raw,width=64,"
        "height=48 ! hfjpegenc snapshot=true queue-depth=%u ! fakesink "
        "name=sink signal-handoffs=true", depth);
    guint n = 0;

    run_pipeline (desc, &n);
    fail_unless_equals_int (n, 1);
    g_free (desc);
  }
}

GST_END_TEST;

HF_CHECK_MAIN ("hfjpegenc");

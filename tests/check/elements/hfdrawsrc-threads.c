/* hfdrawsrc threads: frames drawn ahead in parallel are the same bytes and
 * timestamps as frames drawn one by one, static frames stay free, the
 * look-ahead respects seeks, segment stops and num-buffers, stops drawing
 * at READY, and the draw signal stays on the streaming thread, in order.
 */
#define _GNU_SOURCE             /* sched_setaffinity */
#include <gst/check/gstcheck.h>
#include <sched.h>
#include <string.h>

#include "hfdrawsrccheck.h"

static const guint thread_counts[] = { 1, 2, 3, 8 };

/* Renders comp (NULL: the demo) with `threads`, from frame `start` (a
 * flushing seek before playing) to EOS, or to `stop` (a segment seek),
 * num_buffers frames at most (0: all). */
static GPtrArray *
render (const gchar * comp, const gchar * caps, guint threads,
    gint64 start, gint64 stop, gint num_buffers)
{
  Run *r = run_new (comp, caps);
  GPtrArray *bufs;

  g_object_set (r->src, "threads", threads, NULL);
  if (num_buffers > 0)
    g_object_set (r->src, "num-buffers", num_buffers, NULL);
  if (start > 0 || stop >= 0) {
    fail_unless (gst_element_set_state (r->pipe, GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_FAILURE);
    fail_unless_equals_int (gst_element_get_state (r->pipe, NULL, NULL,
            GST_CLOCK_TIME_NONE), GST_STATE_CHANGE_SUCCESS);
    fail_unless (gst_element_seek (r->pipe, 1.0, GST_FORMAT_DEFAULT,
            GST_SEEK_FLAG_FLUSH | (stop >= 0 ? GST_SEEK_FLAG_SEGMENT : 0),
            GST_SEEK_TYPE_SET, start,
            stop >= 0 ? GST_SEEK_TYPE_SET : GST_SEEK_TYPE_NONE, stop));
    fail_unless_equals_int (gst_element_get_state (r->pipe, NULL, NULL,
            GST_CLOCK_TIME_NONE), GST_STATE_CHANGE_SUCCESS);
  }
  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  run_expect (r, stop >= 0 ? GST_MESSAGE_SEGMENT_DONE : GST_MESSAGE_EOS);
  bufs = g_ptr_array_ref (r->bufs);
  run_free (r);
  return bufs;
}

/* got[i] must be ref[offset + i]: bytes, PTS, duration and offset. */
static void
check_same (GPtrArray * got, GPtrArray * ref, guint offset, guint threads,
    const gchar * what)
{
  guint i;

  for (i = 0; i < got->len; i++) {
    GstBuffer *a = BUF (got, i), *b = BUF (ref, offset + i);

    fail_unless (hf_check_buffers_equal (a, b),
        "%s, threads %u: frame %u differs", what, threads, offset + i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (a), GST_BUFFER_PTS (b));
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (a),
        GST_BUFFER_DURATION (b));
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (a), GST_BUFFER_OFFSET (b));
  }
}

HF_CHECK_TEST ("threads", test_same_output_any_threads)
{
  /* The example of paths: curves, arcs, fill rules, dashes, trim. */
  gchar *path = g_build_filename (g_getenv ("HF_DOCS_DIR"), "..",
      "examples", "compositions", "curves.xml", NULL), *curves, *showcase;
  struct
  {
    const gchar *name, *comp, *caps;
  } cases[] = {
    {"demo", NULL, "video/x-raw,width=192,height=108"},
    {"moving", moving_comp, NULL},
    {"static stretches", tween_comp, NULL},
    {"static", static_comp, NULL},
    {"curves", NULL, "video/x-raw,width=320,height=180"},
    /* Font files (glyph outlines read on first use, by whichever thread
     * draws first), pictures, a clip, shadows and group layers. */
    {"showcase", NULL, "video/x-raw,width=320,height=180"},
  };
  guint c, t;

  fail_unless (g_file_get_contents (path, &curves, NULL, NULL),
      "cannot read %s", path);
  g_free (path);
  cases[G_N_ELEMENTS (cases) - 2].comp = curves;
  showcase = g_strdup_printf ("location=%s/compositions/showcase.xml",
      g_getenv ("HF_EXAMPLES_DIR"));
  cases[G_N_ELEMENTS (cases) - 1].comp = showcase;

  for (c = 0; c < G_N_ELEMENTS (cases); c++) {
    GPtrArray *ref = render (cases[c].comp, cases[c].caps, 1, 0, -1, 0);

    fail_unless (ref->len > 0);
    for (t = 1; t < G_N_ELEMENTS (thread_counts); t++) {
      GPtrArray *got = render (cases[c].comp, cases[c].caps,
          thread_counts[t], 0, -1, 0);

      fail_unless_equals_int (got->len, ref->len);
      check_same (got, ref, 0, thread_counts[t], cases[c].name);
      g_ptr_array_unref (got);
    }
    g_ptr_array_unref (ref);
  }
  g_free (curves);
  g_free (showcase);
}

GST_END_TEST;

/* A frame the timeline leaves unchanged shares the previous frame's
 * memory (neither drawn nor copied) with any number of threads, and the
 * frames that move are drawn afresh. */
HF_CHECK_TEST ("threads", test_static_frames_stay_free)
{
  guint t, i, tween_first = (guint) (TWEEN_START * 30);

  for (t = 0; t < G_N_ELEMENTS (thread_counts); t++) {
    GPtrArray *bufs = render (tween_comp, NULL, thread_counts[t], 0, -1, 0);

    fail_unless_equals_int (bufs->len, 30);
    for (i = 1; i < bufs->len; i++) {
      gboolean moves = i > tween_first && i <= tween_first + 6;

      if (i < tween_first)
        fail_unless (same_memory (BUF (bufs, i), BUF (bufs, 0)),
            "threads %u: still frame %u was drawn or copied",
            thread_counts[t], i);
      if (moves)
        fail_if (same_memory (BUF (bufs, i), BUF (bufs, i - 1)),
            "threads %u: moving frame %u was not drawn", thread_counts[t], i);
    }
    /* After the tween the picture is still again. */
    fail_unless (same_memory (BUF (bufs, 29), BUF (bufs, 25)));
    g_ptr_array_unref (bufs);
  }
}

GST_END_TEST;

/* Seeks, segment stops and num-buffers bound what is pushed: the frames
 * drawn ahead past them are never seen. */
HF_CHECK_TEST ("threads", test_bounds_any_threads)
{
  GPtrArray *ref = render (moving_comp, NULL, 1, 0, -1, 0);
  guint t;

  fail_unless_equals_int (ref->len, 60);
  for (t = 0; t < G_N_ELEMENTS (thread_counts); t++) {
    guint th = thread_counts[t];
    GPtrArray *got;

    got = render (moving_comp, NULL, th, 20, -1, 0);
    fail_unless_equals_int (got->len, 40);
    check_same (got, ref, 20, th, "seek to frame 20");
    g_ptr_array_unref (got);

    got = render (moving_comp, NULL, th, 10, 25, 0);
    fail_unless_equals_int (got->len, 15);
    check_same (got, ref, 10, th, "segment [10, 25)");
    g_ptr_array_unref (got);

    got = render (moving_comp, NULL, th, 0, -1, 7);
    fail_unless_equals_int (got->len, 7);
    check_same (got, ref, 0, th, "num-buffers 7");
    g_ptr_array_unref (got);
  }
  g_ptr_array_unref (ref);
}

GST_END_TEST;

/* Threads of this process whose name starts with prefix. */
static guint
count_threads_named (const gchar * prefix)
{
  GDir *dir = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *tid;
  guint n = 0;

  fail_unless (dir != NULL);
  while ((tid = g_dir_read_name (dir))) {
    gchar *path = g_strdup_printf ("/proc/self/task/%s/comm", tid), *comm;

    if (g_file_get_contents (path, &comm, NULL, NULL)) {
      n += g_str_has_prefix (comm, prefix);
      g_free (comm);
    }
    g_free (path);
  }
  g_dir_close (dir);
  return n;
}

/* Going to READY mid-stream, with frames drawn ahead, returns with every
 * drawing thread gone; and the element plays again afterwards. */
HF_CHECK_TEST ("threads", test_no_drawing_after_ready)
{
  Run *r = run_new (NULL, "video/x-raw,width=640,height=360");
  guint cycle;

  g_object_set (r->src, "threads", 4, NULL);
  for (cycle = 0; cycle < 3; cycle++) {
    gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

    fail_unless (gst_element_set_state (r->pipe, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    while (run_count (r) < 3 && g_get_monotonic_time () < end)
      g_usleep (1000);
    fail_unless (run_count (r) >= 3, "no frames");
    /* A new thread takes its name when it first runs, which on a loaded
     * machine may be after the first frames (the streaming thread draws
     * a frame itself when no worker has started it). */
    while (count_threads_named ("hfdrawsrc-draw") < 4
        && g_get_monotonic_time () < end)
      g_usleep (1000);
    fail_unless_equals_int (count_threads_named ("hfdrawsrc-draw"), 4);
    fail_unless_equals_int (gst_element_set_state (r->pipe, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (count_threads_named ("hfdrawsrc-draw"), 0);
    g_mutex_lock (&r->lock);
    g_ptr_array_set_size (r->bufs, 0);
    g_mutex_unlock (&r->lock);
  }
  run_free (r);
}

GST_END_TEST;

static void
count_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, gint * count)
{
  g_atomic_int_inc (count);
}

/* Plays the demo through hfjpegenc with default properties until a few
 * frames are out; returns how many drawing and encode workers ran. */
static void
default_workers (guint * draw, guint * encode)
{
  GstElement *pipe, *sink;
  GError *err = NULL;
  gint count = 0;
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  pipe = gst_parse_launch ("hfdrawsrc ! video/x-raw,width=320,height=180 ! "
      "hfjpegenc ! fakesink name=sink signal-handoffs=true", &err);
  fail_unless (pipe != NULL, "%s", err ? err->message : "?");
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  g_signal_connect (sink, "handoff", G_CALLBACK (count_handoff), &count);
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while (g_atomic_int_get (&count) < 3 && g_get_monotonic_time () < end)
    g_usleep (1000);
  fail_unless (g_atomic_int_get (&count) >= 3, "no frames");
  *draw = count_threads_named ("hfdrawsrc-draw");
  *encode = count_threads_named ("hfjpegenc-");
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
}

/* Confined to one CPU (as by taskset -c 0), the defaults of both elements
 * start no worker: nothing would run beside the streaming thread. With
 * every CPU they start one per CPU. */
HF_CHECK_TEST ("threads", test_defaults_follow_affinity)
{
  cpu_set_t all, one;
  guint draw, encode;

  fail_unless (sched_getaffinity (0, sizeof (all), &all) == 0);
  CPU_ZERO (&one);
  CPU_SET (0, &one);
  fail_unless (sched_setaffinity (0, sizeof (one), &one) == 0);
  default_workers (&draw, &encode);
  fail_unless (sched_setaffinity (0, sizeof (all), &all) == 0);
  fail_unless_equals_int (draw, 0);
  fail_unless_equals_int (encode, 0);

  if (CPU_COUNT (&all) > 1) {
    default_workers (&draw, &encode);
    fail_unless_equals_int (draw, CPU_COUNT (&all));
    fail_unless_equals_int (encode, CPU_COUNT (&all));
  }
}

GST_END_TEST;

typedef struct
{
  GThread *thread;
  gboolean one_thread;
  guint64 next;
  gboolean in_order;
} DrawLog;

static gboolean
on_draw (GstElement * src, GstBuffer * buf, GstVideoInfo * info,
    guint64 index, guint64 pts, DrawLog * log)
{
  /* Paint the first pixel, so that the output shows the handler ran. */
  static const guint8 mark[4] = { 0xab, 0xab, 0xab, 0xab };

  if (log->thread == NULL)
    log->thread = g_thread_self ();
  log->one_thread &= log->thread == g_thread_self ();
  log->in_order &= index == log->next;
  log->next = index + 1;
  paint_pixel (buf, info, 0, 0, mark);
  return TRUE;
}

/* The draw signal runs on the streaming thread (not a drawing worker),
 * once per frame, in frame order, on frames drawn ahead as on the others. */
HF_CHECK_TEST ("threads", test_draw_signal_any_threads)
{
  guint t, i;

  for (t = 0; t < G_N_ELEMENTS (thread_counts); t++) {
    DrawLog log = { NULL, TRUE, 0, TRUE };
    Run *r = run_new (tween_comp, NULL);

    g_object_set (r->src, "threads", thread_counts[t], NULL);
    g_signal_connect (r->src, "draw", G_CALLBACK (on_draw), &log);
    fail_unless (gst_element_set_state (r->pipe, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    run_expect (r, GST_MESSAGE_EOS);
    fail_unless_equals_int (r->bufs->len, 30);
    fail_unless_equals_uint64 (log.next, 30);
    fail_unless (log.in_order, "threads %u: frames out of order",
        thread_counts[t]);
    fail_unless (log.one_thread, "threads %u: handler on several threads",
        thread_counts[t]);
    fail_unless (log.thread != g_thread_self ());
    for (i = 0; i < r->bufs->len; i++) {
      GstMapInfo map;

      fail_unless (gst_buffer_map (BUF (r->bufs, i), &map, GST_MAP_READ));
      fail_unless (map.data[0] == 0xab && map.data[3] == 0xab,
          "threads %u: frame %u lacks the handler's paint", thread_counts[t],
          i);
      gst_buffer_unmap (BUF (r->bufs, i), &map);
    }
    run_free (r);
  }
}

GST_END_TEST;

HF_CHECK_MAIN ("hfdrawsrc-threads");

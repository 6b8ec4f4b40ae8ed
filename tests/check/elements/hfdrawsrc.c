/* gst-check tests of hfdrawsrc: timestamps, EOS, seeks and segments,
 * caps and formats, errors, queries, live mode. Static frames and the
 * draw signal are in hfdrawsrc-static.c. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hfdrawsrccheck.h"

HF_CHECK_TEST ("general", test_timestamps)
{
  GstHarness *h = harness_new (moving_comp, NULL);
  guint64 n;

  for (n = 0; n < 5; n++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstClockTime pts = pts_of (n, 30, 1);

    fail_unless (buf != NULL);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), pts);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf),
        pts_of (n + 1, 30, 1) - pts);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (buf), n);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET_END (buf), n + 1);
    fail_unless_equals_int (gst_buffer_get_size (buf), FRAME_BYTES (64, 48));
    gst_buffer_unref (buf);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Runs a composition of duration_ns at fps_n/fps_d to EOS and checks that
 * exactly ceil(duration * fps) frames come out, back to back. */
static void
check_frame_count (const gchar * fps, const gchar * dur, gint fps_n,
    gint fps_d, GstClockTime duration_ns)
{
  gchar *comp = g_strdup_printf ("<composition width=\"32\" height=\"24\" "
      "fps=\"%s\" duration=\"%s\" background=\"#000000\">\n"
      "  <rect x=\"0\" y=\"0\" width=\"8\" height=\"8\" fill=\"#ffffff\" "
      "data-start=\"0\" data-duration=\"%s\">\n"
      "    <tween attr=\"x\" from=\"0\" to=\"24\" start=\"0\" duration=\"%s\"/>"
      "\n  </rect>\n</composition>\n", fps, dur, dur, dur);
  GstHarness *h = harness_new (comp, NULL);
  GPtrArray *bufs = harness_pull_all (h);
  guint64 expected = count_of (duration_ns, fps_n, fps_d), i;

  GST_INFO ("%s fps, %s s: %u frames", fps, dur, bufs->len);
  fail_unless_equals_uint64 (bufs->len, expected);
  for (i = 0; i < bufs->len; i++) {
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (bufs, i)), i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (BUF (bufs, i)),
        pts_of (i, fps_n, fps_d));
  }
  /* The last frame covers the end of the composition. */
  fail_unless (pts_of (expected - 1, fps_n, fps_d) < duration_ns);
  fail_unless (pts_of (expected, fps_n, fps_d) >= duration_ns);

  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
  g_free (comp);
}

HF_CHECK_TEST ("general", test_eos_at_end)
{
  check_frame_count ("30", "1", 30, 1, GST_SECOND);
  check_frame_count ("25", "1", 25, 1, GST_SECOND);
  check_frame_count ("30000/1001", "1", 30000, 1001, GST_SECOND);
  /* Not a whole number of frames: the partial frame is drawn. */
  check_frame_count ("25", "0.5", 25, 1, GST_SECOND / 2);
  check_frame_count ("30", "0.35", 30, 1, 350 * GST_MSECOND);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_seek_to_frame)
{
  GPtrArray *full = full_render (moving_comp);
  guint k[] = { 1, 17, 33, 59 };
  guint i, j;

  fail_unless_equals_int (full->len, 60);
  for (i = 0; i < G_N_ELEMENTS (k); i++) {
    GPtrArray *part = seek_render (moving_comp, GST_FORMAT_TIME, 0,
        pts_of (k[i], 30, 1), -1);

    fail_unless_equals_int (part->len, 60 - k[i]);
    for (j = 0; j < part->len; j++) {
      fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (part, j)), k[i] + j);
      fail_unless_equals_uint64 (GST_BUFFER_PTS (BUF (part, j)),
          pts_of (k[i] + j, 30, 1));
      fail_unless (hf_check_buffers_equal (BUF (part, j), BUF (full, k[i] + j)),
          "frame %u differs after a seek to %u", k[i] + j, k[i]);
    }
    g_ptr_array_unref (part);
  }
  /* A seek into a frame shows that frame, as videotestsrc does and as
   * CONVERT answers: 0.35 s at 30 fps is frame 10; just after frame 20's
   * PTS is frame 20; anywhere in the last frame is the last frame. */
  {
    const struct
    {
      GstClockTime pos;
      guint64 frame;
    } into[] = {
      {350 * GST_MSECOND, 10}, {pts_of (20, 30, 1) + 1, 20},
      {pts_of (21, 30, 1) - 1, 20}, {pts_of (59, 30, 1) + 1, 59},
      {2 * GST_SECOND - 1, 59},
    };
    Run *r = run_new (moving_comp, NULL);
    gint64 conv;

    fail_unless (gst_element_set_state (r->pipe, GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_FAILURE);
    fail_unless_equals_int (gst_element_get_state (r->pipe, NULL, NULL,
            GST_CLOCK_TIME_NONE), GST_STATE_CHANGE_SUCCESS);
    for (i = 0; i < G_N_ELEMENTS (into); i++) {
      GPtrArray *part;

      fail_unless (gst_element_query_convert (r->src, GST_FORMAT_TIME,
              into[i].pos, GST_FORMAT_DEFAULT, &conv));
      fail_unless_equals_int64 (conv, into[i].frame);
      part = seek_render (moving_comp, GST_FORMAT_TIME, 0, into[i].pos, -1);
      fail_unless_equals_int (part->len, 60 - into[i].frame);
      fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (part, 0)),
          into[i].frame);
      fail_unless (hf_check_buffers_equal (BUF (part, 0), BUF (full,
                  into[i].frame)));
      g_ptr_array_unref (part);
    }
    run_free (r);
  }
  g_ptr_array_unref (full);
}

GST_END_TEST;

static void
check_slice (GPtrArray * full, GPtrArray * part, guint a, guint b)
{
  guint j;

  fail_unless_equals_int (part->len, b - a);
  for (j = 0; j < part->len; j++) {
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (part, j)), a + j);
    fail_unless (hf_check_buffers_equal (BUF (part, j), BUF (full, a + j)),
        "frame %u of [%u, %u) differs", a + j, a, b);
  }
}

HF_CHECK_TEST ("general", test_segment_slice)
{
  GPtrArray *full = full_render (moving_comp);
  GPtrArray *part;

  /* Flushing seek in TIME with a stop. */
  part = seek_render (moving_comp, GST_FORMAT_TIME, 0, pts_of (10, 30, 1),
      pts_of (25, 30, 1));
  check_slice (full, part, 10, 25);
  g_ptr_array_unref (part);

  /* A stop inside frame 40 still includes frame 40. */
  part = seek_render (moving_comp, GST_FORMAT_TIME, 0, pts_of (30, 30, 1),
      pts_of (40, 30, 1) + 1);
  check_slice (full, part, 30, 41);
  g_ptr_array_unref (part);

  /* The same in frames (DEFAULT format, through the CONVERT query). */
  part = seek_render (moving_comp, GST_FORMAT_DEFAULT, 0, 7, 19);
  check_slice (full, part, 7, 19);
  g_ptr_array_unref (part);

  /* A segment seek ends with SEGMENT_DONE instead of EOS. */
  part = seek_render (moving_comp, GST_FORMAT_DEFAULT, GST_SEEK_FLAG_SEGMENT,
      50, 55);
  check_slice (full, part, 50, 55);
  g_ptr_array_unref (part);

  g_ptr_array_unref (full);
}

GST_END_TEST;

/* The example that uses every drawing feature (font files, pictures, a
 * clip, shadows, group layers, a path drawing on): a seek shows the same
 * frames as the full render from there, and a segment is a slice of it. */
HF_CHECK_TEST ("general", test_showcase_seek_and_slice)
{
  gchar *loc = g_strdup_printf ("location=%s/compositions/showcase.xml",
      g_getenv ("HF_EXAMPLES_DIR"));
  GPtrArray *full = full_render (loc), *part;

  fail_unless_equals_int (full->len, 180);
  part = seek_render (loc, GST_FORMAT_TIME, 0, pts_of (100, 30, 1), -1);
  check_slice (full, part, 100, 180);
  g_ptr_array_unref (part);
  part = seek_render (loc, GST_FORMAT_DEFAULT, GST_SEEK_FLAG_SEGMENT, 25, 70);
  check_slice (full, part, 25, 70);
  g_ptr_array_unref (part);
  g_ptr_array_unref (full);
  g_free (loc);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_opaque_alpha)
{
  GstHarness *h = harness_new (moving_comp, NULL);
  guint n, i, transparent = 0;

  for (n = 0; n < 8; n++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    for (i = 3; i < map.size; i += 4)
      transparent += map.data[i] != 255;
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_int (transparent, 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_transparent_background)
{
  /* A transparent background stays transparent in every frame, including
   * frames drawn into recycled pool buffers; the shape is opaque. */
  GstHarness *h = harness_new (COMP (32, 24, "30", "1", "#00000000",
          "  <rect x=\"8\" y=\"8\" width=\"8\" height=\"8\" "
          "fill=\"#ff0000\">\n"
          "    <tween attr=\"x\" from=\"8\" to=\"10\" start=\"0\" "
          "duration=\"1\"/>\n  </rect>\n"), NULL);
  guint n;

  for (n = 0; n < 6; n++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;
    const guint8 *p;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    fail_unless_equals_int (map.data[3], 0);
    fail_unless_equals_int (map.data[map.size - 1], 0);
    p = map.data + (12 * 32 + 13) * 4;
    fail_unless_equals_int (p[0], 255);
    fail_unless_equals_int (p[1], 0);
    fail_unless_equals_int (p[3], 255);
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_channel_order)
{
  GstHarness *rgba = harness_new (static_comp, "video/x-raw,format=RGBA");
  GstHarness *bgra = harness_new (static_comp, "video/x-raw,format=BGRA");
  GstHarness *bgrx = harness_new (static_comp, "video/x-raw,format=BGRx");
  GstBuffer *a = gst_harness_pull (rgba), *b = gst_harness_pull (bgra);
  GstBuffer *x = gst_harness_pull (bgrx);
  GstMapInfo ma, mb, mx;
  gsize i;
  guint distinct = 0;

  fail_unless (gst_buffer_map (a, &ma, GST_MAP_READ));
  fail_unless (gst_buffer_map (b, &mb, GST_MAP_READ));
  fail_unless (gst_buffer_map (x, &mx, GST_MAP_READ));
  fail_unless_equals_int (ma.size, mb.size);
  for (i = 0; i < ma.size; i += 4) {
    fail_unless_equals_int (ma.data[i + 0], mb.data[i + 2]);
    fail_unless_equals_int (ma.data[i + 1], mb.data[i + 1]);
    fail_unless_equals_int (ma.data[i + 2], mb.data[i + 0]);
    fail_unless_equals_int (ma.data[i + 3], mb.data[i + 3]);
    fail_unless (memcmp (mb.data + i, mx.data + i, 3) == 0);
    fail_unless_equals_int (mx.data[i + 3], 255);
    distinct += ma.data[i] != ma.data[i + 2];
  }
  /* The test means something only if red and blue differ somewhere. */
  fail_unless (distinct > 100);
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  gst_buffer_unmap (x, &mx);
  gst_buffer_unref (a);
  gst_buffer_unref (b);
  gst_buffer_unref (x);
  gst_harness_teardown (rgba);
  gst_harness_teardown (bgra);
  gst_harness_teardown (bgrx);
}

GST_END_TEST;

/* Starts hfdrawsrc ! fakesink, expects the state change to fail with an
 * ERROR; returns it. */
static GError *
start_error (const gchar * prop, const gchar * value, gchar ** debug)
{
  Run *r = run_new (NULL, NULL);
  GstMessage *msg;
  GError *err = NULL;

  g_object_set (r->src, prop, value, NULL);
  fail_unless_equals_int (gst_element_set_state (r->pipe, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = run_wait (r, GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (r->src));
  gst_message_parse_error (msg, &err, debug);
  gst_message_unref (msg);
  fail_unless_equals_int (r->bufs->len, 0);
  run_free (r);
  return err;
}

HF_CHECK_TEST ("general", test_missing_file)
{
  const gchar *path = "/nonexistent/dir/hfdrawsrc-missing.xml";
  GError *err = start_error ("location", path, NULL);

  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_FOUND), "%s", err->message);
  fail_unless (strstr (err->message, path) != NULL, "%s", err->message);
  g_error_free (err);
}

GST_END_TEST;

/* After a failed start the element is back in READY (its pending state
 * still PAUSED): a corrected source is taken without a warning, and the
 * element then starts. */
HF_CHECK_TEST ("general", test_fix_after_failed_start)
{
  GstElement *src = gst_element_factory_make ("hfdrawsrc", NULL);
  GstBus *bus = gst_bus_new ();
  GstState state;
  gchar *s;

  gst_element_set_bus (src, bus);
  g_object_set (src, "location", "/nonexistent/dir/missing.xml", NULL);
  fail_unless_equals_int (gst_element_set_state (src, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  gst_element_get_state (src, &state, NULL, 0);
  fail_unless_equals_int (state, GST_STATE_READY);
  g_object_set (src, "composition", static_comp, NULL);
  g_object_get (src, "composition", &s, NULL);
  fail_unless_equals_string (s, static_comp);
  g_free (s);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  fail_unless (gst_element_set_state (src, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (src, GST_STATE_NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (src);
}

GST_END_TEST;

/* "composition:LINE:COLUMN: ..." with the line we expect. */
static void
check_position (const gchar * message, gint line)
{
  const gchar *p = message;
  gchar *end;
  gint64 l, c;

  /* The first "composition:" followed by a digit. */
  while ((p = strstr (p, "composition:"))) {
    p += strlen ("composition:");
    if (g_ascii_isdigit (*p))
      break;
  }
  fail_unless (p != NULL, "no position in \"%s\"", message);
  l = g_ascii_strtoll (p, &end, 10);
  fail_unless (end > p && *end == ':', "%s", message);
  p = end + 1;
  c = g_ascii_strtoll (p, &end, 10);
  fail_unless (end > p && *end == ':', "%s", message);
  fail_unless_equals_int (l, line);
  fail_unless (c >= 1, "%s", message);
}

HF_CHECK_TEST ("general", test_invalid_composition)
{
  const gchar *bad[] = {
    /* unknown element on line 3 */
    "<composition width=\"64\" height=\"48\" fps=\"30\" duration=\"1\">\n"
        "  <rect x=\"1\" y=\"1\" width=\"4\" height=\"4\"/>\n"
        "  <hexagon x=\"1\"/>\n</composition>\n",
    /* a malformed colour on line 2 */
    "<composition width=\"64\" height=\"48\" fps=\"30\" duration=\"1\">\n"
        "  <rect x=\"1\" y=\"1\" width=\"4\" height=\"4\" fill=\"#zz1\"/>\n"
        "</composition>\n",
    /* a zero duration on line 1 */
    "<composition width=\"64\" height=\"48\" fps=\"30\" duration=\"0\">\n"
        "</composition>\n",
    /* not even well-formed, on line 2 */
    "<composition width=\"64\" height=\"48\" fps=\"30\" duration=\"1\">\n"
        "  <rect x=\"1\" y=1/>\n</composition>\n",
  };
  const gint lines[] = { 3, 2, 1, 2 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *err = start_error ("composition", bad[i], NULL);

    GST_INFO ("%s", err->message);
    fail_unless (err->domain == GST_STREAM_ERROR, "%s", err->message);
    check_position (err->message, lines[i]);
    g_error_free (err);
  }
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_invalid_file)
{
  GError *err = NULL;
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("hfdrawsrc-XXXXXX.xml", &path, &err);
  const gchar *bad = "<composition width=\"64\" height=\"48\" fps=\"30\" "
      "duration=\"1\">\n\n  <ellipse cx=\"1\" cy=\"2\" rx=\"-3\" ry=\"4\"/>\n"
      "</composition>\n";
  gchar *where;

  fail_unless (fd >= 0);
  close (fd);
  fail_unless (g_file_set_contents (path, bad, -1, NULL));
  err = start_error ("location", path, NULL);
  GST_INFO ("%s", err->message);
  fail_unless (err->domain == GST_STREAM_ERROR, "%s", err->message);
  /* The file's path, then line 3. */
  where = g_strdup_printf ("%s:3:", path);
  fail_unless (strstr (err->message, where) != NULL, "%s", err->message);
  g_free (where);
  g_error_free (err);
  g_unlink (path);
  g_free (path);
}

GST_END_TEST;

static void
count_notify (GObject * obj, GParamSpec * pspec, guint * count)
{
  (*count)++;
}

HF_CHECK_TEST ("general", test_odd_property_values)
{
  /* None of these may crash; each fails to start with an ERROR. */
  const gchar *garbage[] = { "x", "<", "\xff\xfe\x01", "<composition>",
    "<composition width=\"0\"/>", "<composition fps=\"1/5000\"/>",
    "<composition width=\"99999\" height=\"1\" fps=\"30\" duration=\"1\"/>",
  };
  GstElement *src = gst_element_factory_make ("hfdrawsrc", NULL);
  gchar *s = NULL;
  guint i, n_location = 0, n_composition = 0;

  /* Setting one source clears the other, which notifies too; empty means
   * unset. */
  g_signal_connect (src, "notify::location", G_CALLBACK (count_notify),
      &n_location);
  g_signal_connect (src, "notify::composition", G_CALLBACK (count_notify),
      &n_composition);
  g_object_set (src, "location", "/tmp/a.xml", NULL);
  fail_unless_equals_int (n_location, 1);
  fail_unless_equals_int (n_composition, 0);
  g_object_set (src, "composition", static_comp, NULL);
  fail_unless_equals_int (n_location, 2);
  fail_unless_equals_int (n_composition, 1);
  g_object_get (src, "location", &s, NULL);
  fail_unless (s == NULL);
  g_object_set (src, "location", "/tmp/b.xml", NULL);
  g_object_set (src, "location", "/tmp/c.xml", NULL);
  fail_unless_equals_int (n_location, 4);
  fail_unless_equals_int (n_composition, 2);
  g_object_set (src, "composition", "", NULL);
  g_object_get (src, "composition", &s, NULL);
  fail_unless (s == NULL);
  g_object_set (src, "location", NULL, "composition", NULL, NULL);
  gst_object_unref (src);

  for (i = 0; i < G_N_ELEMENTS (garbage); i++) {
    GError *err = start_error ("composition", garbage[i], NULL);
    g_error_free (err);
  }
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_queries)
{
  GstHarness *h = harness_new (moving_comp, NULL);
  GstBuffer *buf = gst_harness_pull (h);
  gint64 v;

  fail_unless (gst_element_query_duration (h->element, GST_FORMAT_TIME, &v));
  fail_unless_equals_int64 (v, 2 * GST_SECOND);
  fail_unless (gst_element_query_duration (h->element, GST_FORMAT_DEFAULT, &v));
  fail_unless_equals_int64 (v, 60);

  fail_unless (gst_element_query_convert (h->element, GST_FORMAT_DEFAULT, 15,
          GST_FORMAT_TIME, &v));
  fail_unless_equals_int64 (v, pts_of (15, 30, 1));
  fail_unless (gst_element_query_convert (h->element, GST_FORMAT_TIME,
          pts_of (15, 30, 1), GST_FORMAT_DEFAULT, &v));
  fail_unless_equals_int64 (v, 15);
  /* A time inside frame 15 belongs to frame 15. */
  fail_unless (gst_element_query_convert (h->element, GST_FORMAT_TIME,
          pts_of (16, 30, 1) - 1, GST_FORMAT_DEFAULT, &v));
  fail_unless_equals_int64 (v, 15);
  fail_unless (gst_element_query_convert (h->element, GST_FORMAT_DEFAULT, 3,
          GST_FORMAT_BYTES, &v));
  fail_unless_equals_int64 (v, 3 * FRAME_BYTES (64, 48));

  fail_unless (gst_element_query_position (h->element, GST_FORMAT_TIME, &v));
  fail_unless (v >= 0);

  gst_buffer_unref (buf);
  gst_harness_teardown (h);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_num_buffers)
{
  GstHarness *h = gst_harness_new ("hfdrawsrc");
  GPtrArray *bufs;

  g_object_set (h->element, "composition", moving_comp, "num-buffers", 7, NULL);
  gst_harness_play (h);
  bufs = harness_pull_all (h);
  fail_unless_equals_int (bufs->len, 7);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (bufs, 6)), 6);
  g_ptr_array_unref (bufs);
  gst_harness_teardown (h);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_demo_negotiates)
{
  GstHarness *h = harness_new (NULL,
      "video/x-raw,width=320,height=240,framerate=25/1");
  GstBuffer *buf = gst_harness_pull (h), *later;
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  GstMapInfo map;
  gint w, hgt, fn, fd;
  guint hist[256] = { 0 }, used = 0, i;
  gint64 frames;

  fail_unless (gst_structure_get_int (s, "width", &w));
  fail_unless (gst_structure_get_int (s, "height", &hgt));
  fail_unless (gst_structure_get_fraction (s, "framerate", &fn, &fd));
  fail_unless_equals_int (w, 320);
  fail_unless_equals_int (hgt, 240);
  fail_unless_equals_int (fn, 25);
  fail_unless_equals_int (fd, 1);
  fail_unless_equals_string (gst_structure_get_string (s, "format"), "RGBA");
  fail_unless_equals_int (gst_buffer_get_size (buf), FRAME_BYTES (320, 240));
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf), GST_SECOND / 25);

  /* The demo lasts at least 5 s, in frames at the negotiated rate. */
  fail_unless (gst_element_query_duration (h->element, GST_FORMAT_TIME,
          &frames));
  fail_unless (frames >= 5 * GST_SECOND);
  fail_unless (gst_element_query_duration (h->element, GST_FORMAT_DEFAULT,
          &frames));
  fail_unless (frames >= 125);

  /* A picture, not a flat fill: many distinct grey levels. */
  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  for (i = 0; i < map.size; i += 4)
    hist[(map.data[i] * 2 + map.data[i + 1] * 5 + map.data[i + 2]) / 8]++;
  gst_buffer_unmap (buf, &map);
  for (i = 0; i < 256; i++)
    used += hist[i] > 0;
  fail_unless (used > 16, "only %u levels", used);

  /* And it moves. */
  for (i = 0; i < 10; i++) {
    later = gst_harness_pull (h);
    if (i < 9)
      gst_buffer_unref (later);
  }
  fail_if (hf_check_buffers_equal (buf, later));

  gst_buffer_unref (later);
  gst_buffer_unref (buf);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Pulls one frame and checks the caps it was negotiated with. */
static void
check_first_caps (const gchar * comp, gint width, gint height, gint fps_n,
    gint fps_d)
{
  GstHarness *h = harness_new (comp, NULL);
  GstBuffer *buf = gst_harness_pull (h);
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  GstVideoInfo info;

  fail_unless (gst_video_info_from_caps (&info, caps));
  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&info), width);
  fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&info), height);
  fail_unless_equals_int (GST_VIDEO_INFO_FPS_N (&info), fps_n);
  fail_unless_equals_int (GST_VIDEO_INFO_FPS_D (&info), fps_d);
  fail_unless_equals_int (GST_VIDEO_INFO_FORMAT (&info), GST_VIDEO_FORMAT_RGBA);
  gst_buffer_unref (buf);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

HF_CHECK_TEST ("general", test_demo_default_caps)
{
  check_first_caps (NULL, 1920, 1080, 30, 1);
}

GST_END_TEST;

/* Renders comp through caps (NULL: its own) with scale-mode `mode`. */
static GPtrArray *
render_caps (const gchar * comp, const gchar * caps, const gchar * mode)
{
  Run *r = run_new (comp, caps);

  if (mode)
    gst_util_set_object_arg (G_OBJECT (r->src), "scale-mode", mode);
  return run_to_eos (r);
}

/* Row y, columns [x0, x0 + n) of an RGBA frame of width w. */
static const guint8 *
row_at (GstMapInfo * m, gint w, gint x0, gint y)
{
  return m->data + ((gsize) y * w + x0) * 4;
}

HF_CHECK_TEST ("general", test_composition_caps)
{
  /* Its own size and rate are preferred... */
  check_first_caps (moving_comp, 64, 48, 30, 1);

  /* ... and any other size is drawn: fit letterboxes (scale 1 here, the
   * picture centred with background bars), fill crops (the middle rows),
   * stretch scales each axis. */
  {
    GPtrArray *own = render_caps (static_comp, NULL, NULL);
    GPtrArray *fit = render_caps (static_comp,
        "video/x-raw,width=128,height=48", NULL);
    GPtrArray *fill = render_caps (static_comp,
        "video/x-raw,width=64,height=24", "fill");
    GstMapInfo mo, mf, ml;
    gint y;

    fail_unless_equals_int (fit->len, own->len);
    fail_unless (gst_buffer_map (BUF (own, 0), &mo, GST_MAP_READ));
    fail_unless (gst_buffer_map (BUF (fit, 0), &mf, GST_MAP_READ));
    fail_unless (gst_buffer_map (BUF (fill, 0), &ml, GST_MAP_READ));
    fail_unless_equals_int (mf.size, 128 * 48 * 4);
    for (y = 0; y < 48; y++) {
      fail_unless (memcmp (row_at (&mf, 128, 32, y), row_at (&mo, 64, 0, y),
              64 * 4) == 0, "fit: row %d is not the picture, centred", y);
      /* The bars: the background #204060, opaque. */
      fail_unless (row_at (&mf, 128, 0, y)[0] == 0x20
          && row_at (&mf, 128, 0, y)[2] == 0x60
          && row_at (&mf, 128, 127, y)[1] == 0x40);
    }
    for (y = 0; y < 24; y++)
      fail_unless (memcmp (row_at (&ml, 64, 0, y), row_at (&mo, 64, 0,
                  y + 12), 64 * 4) == 0, "fill: row %d is not cropped", y);
    gst_buffer_unmap (BUF (own, 0), &mo);
    gst_buffer_unmap (BUF (fit, 0), &mf);
    gst_buffer_unmap (BUF (fill, 0), &ml);
    g_ptr_array_unref (own);
    g_ptr_array_unref (fit);
    g_ptr_array_unref (fill);
  }
}

GST_END_TEST;

/* loop restarts the composition at its end: timestamps and offsets keep
 * counting, frame N + k shows frame k, the duration is unknown; the
 * restart is drawn, the still frames after it shared again. */
HF_CHECK_TEST ("general", test_loop)
{
  GPtrArray *once = render_caps (moving_comp, NULL, NULL);
  Run *r = run_new (moving_comp, NULL);
  gint64 dur = 0;
  guint i, n = once->len;

  g_object_set (r->src, "loop", TRUE, "num-buffers", 2 * n + 3, NULL);
  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (gst_element_get_state (r->pipe, NULL, NULL,
          GST_CLOCK_TIME_NONE), GST_STATE_CHANGE_SUCCESS);
  fail_if (gst_element_query_duration (r->src, GST_FORMAT_TIME, &dur)
      && dur >= 0, "a loop has a duration: %" G_GINT64_FORMAT, dur);
  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  run_expect (r, GST_MESSAGE_EOS);
  fail_unless_equals_int (r->bufs->len, 2 * n + 3);
  for (i = 0; i < r->bufs->len; i++) {
    fail_unless_equals_uint64 (GST_BUFFER_PTS (BUF (r->bufs, i)),
        pts_of (i, 30, 1));
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (r->bufs, i)), i);
    fail_unless (hf_check_buffers_equal (BUF (r->bufs, i), BUF (once, i % n)),
        "loop frame %u is not frame %u", i, i % n);
  }
  run_free (r);
  g_ptr_array_unref (once);

  /* tween_comp ends still with the rect at x 40 and starts still at 4. */
  r = run_new (tween_comp, NULL);
  g_object_set (r->src, "loop", TRUE, "num-buffers", 40, NULL);
  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  run_expect (r, GST_MESSAGE_EOS);
  fail_if (hf_check_buffers_equal (BUF (r->bufs, 30), BUF (r->bufs, 29)));
  fail_unless (hf_check_buffers_equal (BUF (r->bufs, 30), BUF (r->bufs, 0)));
  fail_unless (gst_buffer_peek_memory (BUF (r->bufs, 31), 0) ==
      gst_buffer_peek_memory (BUF (r->bufs, 30), 0));
  run_free (r);
}

GST_END_TEST;

/* Twice the size is drawn as vector, as sharp as a composition written at
 * twice the size: the two agree to within one level on every channel. */
HF_CHECK_TEST ("general", test_size_is_vector)
{
  const gchar *twice = COMP (128, 96, "30", "2", "#102030",
      "  <rect x=\"0\" y=\"20\" width=\"32\" height=\"32\" "
      "fill=\"#f0c020\" data-start=\"0\" data-duration=\"2\">\n"
      "    <tween attr=\"x\" from=\"0\" to=\"96\" start=\"0\" "
      "duration=\"2\" ease=\"power2.inOut\"/>\n  </rect>\n"
      "  <ellipse cx=\"64\" cy=\"68\" rx=\"20\" ry=\"16\" "
      "fill=\"#3080ff\" data-start=\"0\" data-duration=\"2\">\n"
      "    <tween attr=\"opacity\" from=\"0.2\" to=\"1\" start=\"0\" "
      "duration=\"2\"/>\n  </ellipse>\n");
  GPtrArray *scaled = render_caps (moving_comp,
      "video/x-raw,width=128,height=96", NULL);
  GPtrArray *native = render_caps (twice, NULL, NULL);
  guint i;

  fail_unless_equals_int (scaled->len, native->len);
  for (i = 0; i < scaled->len; i += 7) {
    GstMapInfo a, b;
    gsize k;

    fail_unless (gst_buffer_map (BUF (scaled, i), &a, GST_MAP_READ));
    fail_unless (gst_buffer_map (BUF (native, i), &b, GST_MAP_READ));
    fail_unless_equals_int (a.size, b.size);
    for (k = 0; k < a.size; k++)
      fail_unless (ABS ((gint) a.data[k] - (gint) b.data[k]) <= 1,
          "frame %u byte %" G_GSIZE_FORMAT ": %u against %u", i, k,
          a.data[k], b.data[k]);
    gst_buffer_unmap (BUF (scaled, i), &a);
    gst_buffer_unmap (BUF (native, i), &b);
  }
  g_ptr_array_unref (scaled);
  g_ptr_array_unref (native);
}

GST_END_TEST;

/* Another rate samples the timeline at the new frame times: at 60 fps a
 * 30 fps design has twice the frames, PTS n/60, frame 2k the bytes of its
 * frame k; still frames still share memory. */
HF_CHECK_TEST ("general", test_any_rate)
{
  GPtrArray *at30 = render_caps (moving_comp, NULL, NULL);
  GPtrArray *at60 = render_caps (moving_comp, "video/x-raw,framerate=60/1",
      NULL);
  GPtrArray *still = render_caps (static_comp, "video/x-raw,framerate=60/1",
      NULL);
  guint i;

  fail_unless_equals_int (at60->len, 2 * at30->len);
  for (i = 0; i < at60->len; i++) {
    fail_unless_equals_uint64 (GST_BUFFER_PTS (BUF (at60, i)),
        pts_of (i, 60, 1));
    if (i % 2 == 0)
      fail_unless (hf_check_buffers_equal (BUF (at60, i), BUF (at30, i / 2)),
          "60 fps frame %u differs from 30 fps frame %u", i, i / 2);
  }
  fail_unless (!hf_check_buffers_equal (BUF (at60, 1), BUF (at60, 0)));
  fail_unless_equals_int (still->len, 60);
  for (i = 1; i < still->len; i++)
    fail_unless (gst_buffer_peek_memory (BUF (still, i), 0) ==
        gst_buffer_peek_memory (BUF (still, 0), 0), "still frame %u drawn", i);
  g_ptr_array_unref (at30);
  g_ptr_array_unref (at60);
  g_ptr_array_unref (still);
}

GST_END_TEST;

/* The WARNING that explains a run that cannot negotiate caps; the run
 * must then stop with an ERROR (one only) and no frame. */
static GError *
negotiation_error (Run * r)
{
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  msg = run_wait (r, GST_MESSAGE_WARNING);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_WARNING);
  gst_message_parse_warning (msg, &err, NULL);
  gst_message_unref (msg);
  msg = run_wait (r, GST_MESSAGE_EOS);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_unref (msg);
  fail_unless_equals_int (r->bufs->len, 0);
  return err;
}

/* A run whose capsfilter gets caps only after linking (they would not
 * link): a downstream that changes its mind at run time. */
static Run *
run_new_late_caps (const gchar * comp, const gchar * caps)
{
  Run *r = run_new (comp, NULL);
  GstIterator *it = gst_bin_iterate_elements (GST_BIN (r->pipe));
  GstCaps *c = gst_caps_from_string (caps);
  GstElement *filter = NULL;
  GValue v = G_VALUE_INIT;

  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);
    if (g_str_has_prefix (GST_OBJECT_NAME (e), "capsfilter"))
      filter = gst_object_ref (e);
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  fail_unless (filter != NULL);
  g_object_set (filter, "caps", c, NULL);
  gst_caps_unref (c);
  gst_object_unref (filter);
  return r;
}

HF_CHECK_TEST ("general", test_composition_caps_mismatch_message)
{
  Run *r;
  GError *err;
  gchar *path, *expected;

  /* A format it cannot draw, inline. */
  r = run_new_late_caps (moving_comp, "video/x-raw,format=I420");
  err = negotiation_error (r);
  fail_unless (g_error_matches (err, GST_CORE_ERROR,
          GST_CORE_ERROR_NEGOTIATION), "%s", err->message);
  fail_unless_equals_string (err->message,
      "Composition (composition property) is 64x48 at 30/1 fps; "
      "downstream accepts video/x-raw, format=(string)I420");
  g_error_free (err);
  run_free (r);

  /* A rate above 1000 fps, from a file: the message names the file. */
  path = g_build_filename (g_get_tmp_dir (), "hfdrawsrc-caps-XXXXXX.xml", NULL);
  {
    gint fd = g_mkstemp (path);

    fail_unless (fd >= 0);
    close (fd);
  }
  fail_unless (g_file_set_contents (path, moving_comp, -1, NULL));
  r = run_new_late_caps (NULL, "video/x-raw,framerate=2000/1");
  g_object_set (r->src, "location", path, NULL);
  err = negotiation_error (r);
  fail_unless (g_error_matches (err, GST_CORE_ERROR,
          GST_CORE_ERROR_NEGOTIATION), "%s", err->message);
  expected = g_strdup_printf ("Composition \"%s\" is 64x48 at 30/1 fps; "
      "downstream accepts video/x-raw, framerate=(fraction)2000/1", path);
  fail_unless_equals_string (err->message, expected);
  g_free (expected);
  g_error_free (err);
  run_free (r);
  g_unlink (path);
  g_free (path);
}

GST_END_TEST;

/* The WARNING posted for a property set in PAUSED. */
static void
expect_refused (Run * r, const gchar * prop)
{
  GstBus *bus = gst_element_get_bus (r->pipe);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
      GST_MESSAGE_WARNING);
  GError *err = NULL;
  gchar *quoted = g_strdup_printf ("\"%s\"", prop);

  fail_unless (msg != NULL, "no warning for %s", prop);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (r->src));
  gst_message_parse_warning (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
  fail_unless (strstr (err->message, quoted) != NULL, "%s", err->message);
  fail_unless (strstr (err->message, "PAUSED") != NULL, "%s", err->message);
  g_error_free (err);
  g_free (quoted);
  gst_message_unref (msg);
  gst_object_unref (bus);
}

HF_CHECK_TEST ("general", test_properties_fixed_while_running)
{
  Run *r = run_new (moving_comp, NULL);
  GstBus *bus = gst_element_get_bus (r->pipe);
  gchar *s;
  gboolean live;

  /* Changeable in READY, without a warning. */
  gst_element_set_state (r->pipe, GST_STATE_READY);
  g_object_set (r->src, "is-live", TRUE, NULL);
  g_object_set (r->src, "is-live", FALSE, NULL);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);

  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PAUSED) !=
      GST_STATE_CHANGE_FAILURE);
  fail_unless_equals_int (gst_element_get_state (r->pipe, NULL, NULL,
          GST_CLOCK_TIME_NONE), GST_STATE_CHANGE_SUCCESS);

  /* All three are ignored, each with a WARNING naming it and the state. */
  g_object_set (r->src, "is-live", TRUE, NULL);
  expect_refused (r, "is-live");
  g_object_set (r->src, "location", "/nonexistent/other.xml", NULL);
  expect_refused (r, "location");
  g_object_set (r->src, "composition", static_comp, NULL);
  expect_refused (r, "composition");

  g_object_get (r->src, "is-live", &live, NULL);
  fail_if (live);
  g_object_get (r->src, "location", &s, NULL);
  fail_unless (s == NULL);
  g_object_get (r->src, "composition", &s, NULL);
  fail_unless_equals_string (s, moving_comp);
  g_free (s);

  /* And the stream is the one configured before. */
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  run_expect (r, GST_MESSAGE_EOS);
  fail_unless_equals_int (r->bufs->len, 60);
  gst_object_unref (bus);
  run_free (r);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_is_live)
{
  Run *r = run_new (moving_comp, NULL);
  GstQuery *q;
  gboolean live;
  GstClockTime min, max;
  guint i;

  g_object_set (r->src, "is-live", TRUE, "num-buffers", 4, NULL);
  g_object_set (r->sink, "sync", TRUE, NULL);
  fail_unless_equals_int (gst_element_set_state (r->pipe, GST_STATE_PAUSED),
      GST_STATE_CHANGE_NO_PREROLL);
  fail_unless (gst_element_set_state (r->pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  run_expect (r, GST_MESSAGE_EOS);
  fail_unless_equals_int (r->bufs->len, 4);
  for (i = 0; i < 4; i++) {
    fail_unless (GST_BUFFER_PTS_IS_VALID (BUF (r->bufs, i)));
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (r->bufs, i)), i);
    /* Frame spacing stays that of the frame counter. */
    fail_unless_equals_uint64 (GST_BUFFER_PTS (BUF (r->bufs, i))
        - GST_BUFFER_PTS (BUF (r->bufs, 0)), pts_of (i, 30, 1));
  }
  q = gst_query_new_latency ();
  fail_unless (gst_element_query (r->src, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, pts_of (1, 30, 1));
  fail_unless_equals_uint64 (max, GST_CLOCK_TIME_NONE);
  gst_query_unref (q);
  run_free (r);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_restart)
{
  /* Back to NULL and to PLAYING again gives the same frames. */
  Run *r = run_new (moving_comp, NULL);
  GstBuffer *frame0;

  g_object_set (r->src, "num-buffers", 3, NULL);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  run_expect (r, GST_MESSAGE_EOS);
  fail_unless_equals_int (r->bufs->len, 3);
  frame0 = gst_buffer_ref (BUF (r->bufs, 0));
  gst_element_set_state (r->pipe, GST_STATE_NULL);
  g_ptr_array_set_size (r->bufs, 0);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  run_expect (r, GST_MESSAGE_EOS);
  fail_unless_equals_int (r->bufs->len, 3);
  fail_unless (hf_check_buffers_equal (frame0, BUF (r->bufs, 0)));
  gst_buffer_unref (frame0);
  run_free (r);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_seek_while_playing)
{
  /* In real time (sync), so that the seek and the state changes land
   * while frames are flowing. */
  GPtrArray *full = full_render (moving_comp);
  Run *r = run_new (moving_comp, NULL);
  guint i, n;

  g_object_set (r->sink, "sync", TRUE, NULL);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  while (run_count (r) < 3)
    g_usleep (2000);
  /* Back to NULL mid-stream, and playing again from the start. */
  gst_element_set_state (r->pipe, GST_STATE_NULL);
  g_ptr_array_set_size (r->bufs, 0);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  while (run_count (r) < 3)
    g_usleep (2000);
  fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (r->bufs, 0)), 0);
  fail_unless (hf_check_buffers_equal (BUF (r->bufs, 0), BUF (full, 0)));

  fail_unless (gst_element_seek (r->pipe, 1.0, GST_FORMAT_DEFAULT,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET, 40,
          GST_SEEK_TYPE_SET, 46));
  run_expect (r, GST_MESSAGE_EOS);
  /* The frames before the seek, then exactly 40..45. */
  n = r->bufs->len;
  fail_unless (n >= 6 + 3);
  for (i = 0; i < 6; i++) {
    GstBuffer *b = BUF (r->bufs, n - 6 + i);

    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (b), 40 + i);
    fail_unless (hf_check_buffers_equal (b, BUF (full, 40 + i)));
  }
  for (i = 0; i < n - 6; i++)
    fail_unless (GST_BUFFER_OFFSET (BUF (r->bufs, i)) < 40);
  run_free (r);
  g_ptr_array_unref (full);
}

GST_END_TEST;

/* Counts what reaches the sink: [0] segments, [1] flushes. */
static GstPadProbeReturn
count_events (GstPad * pad, GstPadProbeInfo * info, gint * counts)
{
  GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);

  if (GST_EVENT_TYPE (ev) == GST_EVENT_SEGMENT)
    g_atomic_int_inc (&counts[0]);
  else if (GST_EVENT_TYPE (ev) == GST_EVENT_FLUSH_START
      || GST_EVENT_TYPE (ev) == GST_EVENT_FLUSH_STOP)
    g_atomic_int_inc (&counts[1]);
  return GST_PAD_PROBE_OK;
}

HF_CHECK_TEST ("general", test_reverse_seek_refused)
{
  /* The demo in real time (sync), so that the seeks land mid-stream. */
  Run *r = run_new (NULL, "video/x-raw,width=320,height=180");
  gint counts[2] = { 0, 0 };
  GstPad *pad = gst_element_get_static_pad (r->sink, "sink");
  GstEvent *seek;
  guint i, n;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, (GstPadProbeCallback) count_events,
      counts, NULL);
  gst_object_unref (pad);
  g_object_set (r->sink, "sync", TRUE, NULL);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  while (run_count (r) < 3)
    g_usleep (2000);

  /* Through the pipeline (the sink sends it upstream)... */
  fail_if (gst_element_seek (r->pipe, -1.0, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH, GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_SET,
          GST_SECOND));
  /* ... and sent to the element itself. */
  seek = gst_event_new_seek (-1.0, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH,
      GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_SET, GST_SECOND);
  fail_if (gst_element_send_event (r->src, seek));

  /* The stream goes on as if nothing happened. */
  n = run_count (r);
  while (run_count (r) < n + 5)
    g_usleep (2000);
  gst_element_set_state (r->pipe, GST_STATE_NULL);
  fail_unless_equals_int (g_atomic_int_get (&counts[0]), 1);
  fail_unless_equals_int (g_atomic_int_get (&counts[1]), 0);
  for (i = 0; i < r->bufs->len; i++) {
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (r->bufs, i)), i);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (BUF (r->bufs, i)),
        pts_of (i, 30, 1));
  }
  run_free (r);
}

GST_END_TEST;

/* The VmFlags line of /proc/self/smaps for the mapping holding addr. */
static gchar *
vm_flags_of (gconstpointer addr)
{
  gchar *smaps = NULL, **lines, *flags = NULL;
  gboolean inside = FALSE;

  fail_unless (g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL));
  lines = g_strsplit (smaps, "\n", -1);
  for (gchar ** l = lines; *l && !flags; l++) {
    guint64 lo, hi;
    if (sscanf (*l, "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x ", &lo,
            &hi) == 2)
      inside = lo <= (guintptr) addr && (guintptr) addr < hi;
    else if (inside && g_str_has_prefix (*l, "VmFlags:"))
      flags = g_strdup (*l);
  }
  g_strfreev (lines);
  g_free (smaps);
  return flags;
}

/* Downstream's answer to the allocation query: alignment 63 (64 bytes),
 * and the allocator user_data (NULL: none named). */
static GstPadProbeReturn
answer_allocation (GstPad * pad, GstPadProbeInfo * info, gpointer allocator)
{
  GstQuery *q = GST_PAD_PROBE_INFO_QUERY (info);
  GstAllocationParams params;

  if (GST_QUERY_TYPE (q) != GST_QUERY_ALLOCATION)
    return GST_PAD_PROBE_OK;
  gst_allocation_params_init (&params);
  params.align = 63;
  gst_query_add_allocation_param (q, allocator, &params);
  return GST_PAD_PROBE_HANDLED;
}

/* Renders six 1080p frames; downstream answers the allocation query when
 * answer is set, naming the allocator `named`. Checks every frame's memory
 * is aligned to `align` + 1 and whether it was advised to be huge pages. */
static void
check_frame_memory (gboolean answer, GstAllocator * named, gsize align,
    gboolean huge)
{
  const gboolean thp =
      g_file_test ("/sys/kernel/mm/transparent_hugepage/enabled",
      G_FILE_TEST_EXISTS);
  Run *r = run_new (NULL, "video/x-raw,width=1920,height=1080");
  GPtrArray *bufs;

  if (answer) {
    GstPad *pad = gst_element_get_static_pad (r->sink, "sink");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM,
        answer_allocation, named, NULL);
    gst_object_unref (pad);
  }
  g_object_set (r->src, "num-buffers", 6, NULL);
  bufs = run_to_eos (r);
  fail_unless_equals_int (bufs->len, 6);
  for (guint i = 0; i < bufs->len; i++) {
    GstMemory *mem = gst_buffer_peek_memory (g_ptr_array_index (bufs, i), 0);
    GstMapInfo map;

    fail_unless (gst_memory_map (mem, &map, GST_MAP_READ));
    fail_unless_equals_int ((guintptr) map.data & align, 0);
    /* Its first and last bytes: a 1080p frame's tail wastes little
     * enough of a huge page to get one too. */
    for (gsize at = 0; thp && at < map.size; at += map.size - 1) {
      gchar *flags = vm_flags_of (map.data + at);
      fail_unless (flags != NULL);
      fail_unless ((strstr (flags, " hg") != NULL) == huge,
          "frame %u, byte %" G_GSIZE_FORMAT ": %s", i, at, flags);
      g_free (flags);
    }
    gst_memory_unmap (mem, &map);
  }
  g_ptr_array_unref (bufs);
}

/* Frames of 2 MiB or more sit on 2 MiB boundaries and are advised to be
 * huge pages (docs/design.md, "Frame memory"), also when downstream asks
 * for an alignment; an allocator that downstream names is used instead. */
HF_CHECK_TEST ("general", test_frame_memory)
{
  GstAllocator *sysmem = gst_allocator_find (GST_ALLOCATOR_SYSMEM);

  check_frame_memory (FALSE, NULL, (2 << 20) - 1, TRUE);
  check_frame_memory (TRUE, NULL, (2 << 20) - 1, TRUE);
  check_frame_memory (TRUE, sysmem, 63, FALSE);
  gst_object_unref (sysmem);
}

GST_END_TEST;

HF_CHECK_MAIN ("hfdrawsrc");

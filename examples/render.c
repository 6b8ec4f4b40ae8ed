/* render: draw a composition with hfdrawsrc and write it as an MJPEG AVI.
 *
 *   render [--quality Q] [--threads N] [--fps N/D] [--size WxH]
 *          [--start F] [--end F] [-o out.avi] [composition.xml]
 *
 * Without a composition file it renders hfdrawsrc's built-in demo.
 *
 * The pipeline is
 *   hfdrawsrc [! videoscale ! videorate] ! capsfilter ! hfjpegenc
 *     ! avimux ! filesink
 * videoscale and videorate are only added for --size / --fps, because a
 * composition file fixes its own size and rate; without one, hfdrawsrc
 * negotiates the requested caps itself and they stay in passthrough.
 *
 * Things an embedding app usually needs and this file shows:
 *   - a progress bar from a pad probe (frames done, fps, ETA);
 *   - clear bus error reports and a non-zero exit status;
 *   - Ctrl-C sends EOS, so avimux writes its index and the file plays;
 *   - a frame range through a flushing seek made before PLAYING.
 */

#include <gst/gst.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  GstElement *src;
  int exit_code;
  gboolean interrupted;
  gboolean stderr_tty;

  /* Range and rate, known once caps are negotiated. */
  gint fps_n, fps_d;
  gint64 first_frame, end_frame;        /* end_frame -1: until EOS */
  gint64 total_frames;                  /* -1 when unknown */

  /* Written by the streaming thread (probe), read by the main loop. */
  gint frames_done;
  gint64 start_us;
  gint64 last_line_us;

  /* Seek-before-play hand-off with the blocking probe. */
  GMutex lock;
  GCond cond;
  gboolean first_buffer_seen;
  gboolean seek_done;
} App;

static gchar *opt_output = NULL;
static gint opt_quality = -1;
static gint opt_threads = -1;
static gchar *opt_fps = NULL;
static gchar *opt_size = NULL;
static gint64 opt_start = -1;
static gint64 opt_end = -1;

static GOptionEntry entries[] = {
  {"quality", 'q', 0, G_OPTION_ARG_INT, &opt_quality,
      "JPEG quality 1-100 (default: hfjpegenc's default)", "Q"},
  {"threads", 't', 0, G_OPTION_ARG_INT, &opt_threads,
      "Encode threads, 0 = one per CPU (default: 0)", "N"},
  {"fps", 0, 0, G_OPTION_ARG_STRING, &opt_fps,
      "Output frame rate, e.g. 30/1 or 25", "N/D"},
  {"size", 0, 0, G_OPTION_ARG_STRING, &opt_size,
      "Output size, e.g. 1280x720", "WxH"},
  {"start", 0, 0, G_OPTION_ARG_INT64, &opt_start,
      "First frame to render (default 0)", "F"},
  {"end", 0, 0, G_OPTION_ARG_INT64, &opt_end,
      "Stop before this frame (default: the end)", "F"},
  {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
      "Output file (default: out.avi)", "FILE"},
  {NULL}
};

static GstElement *
make (const gchar * factory, const gchar * name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (!e) {
    g_printerr ("render: element '%s' is not available.\n", factory);
    if (g_str_has_prefix (factory, "hf"))
      g_printerr ("  Install the plugins (meson install -C build) or set "
          "GST_PLUGIN_PATH to build/gst/hfdraw:build/ext/turbojpeg.\n");
  }
  return e;
}

static void
format_time (gchar * buf, gsize len, gdouble secs)
{
  gint s = (gint) (secs + 0.5);

  if (secs < 0)
    g_strlcpy (buf, "--:--", len);
  else if (s >= 3600)
    g_snprintf (buf, len, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  else
    g_snprintf (buf, len, "%02d:%02d", s / 60, s % 60);
}

static void
print_progress (App * app, gboolean final)
{
  gint done = g_atomic_int_get (&app->frames_done);
  gdouble elapsed = (g_get_monotonic_time () - app->start_us) / 1e6;
  gdouble fps = elapsed > 0 ? done / elapsed : 0;
  gchar pos[32], dur[32], eta[32];
  gdouble fr = app->fps_n > 0 ? (gdouble) app->fps_n / app->fps_d : 0;

  format_time (pos, sizeof (pos), fr > 0 ? done / fr : -1);
  if (app->total_frames > 0 && fr > 0) {
    gdouble frac = MIN (1.0, (gdouble) done / app->total_frames);
    gint width = 24, filled = (gint) (frac * width);
    gchar bar[32];

    format_time (dur, sizeof (dur), app->total_frames / fr);
    format_time (eta, sizeof (eta), fps > 0 ?
        (app->total_frames - done) / fps : -1);
    memset (bar, '#', filled);
    memset (bar + filled, '.', width - filled);
    bar[width] = '\0';
    g_printerr ("%s[%s] %3d%%  %s / %s  frame %d/%" G_GINT64_FORMAT
        "  %.1f fps  ETA %s%s", app->stderr_tty ? "\r" : "", bar,
        (gint) (frac * 100), pos, dur, done, app->total_frames, fps, eta,
        app->stderr_tty ? (final ? "\n" : "  ") : "\n");
  } else {
    g_printerr ("%s%s  frame %d  %.1f fps%s", app->stderr_tty ? "\r" : "",
        pos, done, fps, app->stderr_tty ? (final ? "\n" : "  ") : "\n");
  }
}

static gboolean
on_tick (gpointer user_data)
{
  App *app = user_data;
  gint64 now = g_get_monotonic_time ();

  /* A redrawn bar on a terminal; one line a second in a log. */
  if (app->stderr_tty || now - app->last_line_us >= G_USEC_PER_SEC) {
    app->last_line_us = now;
    print_progress (app, FALSE);
  }
  return G_SOURCE_CONTINUE;
}

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  App *app = user_data;

  g_atomic_int_inc (&app->frames_done);
  return GST_PAD_PROBE_OK;
}

/* Holds the first buffer so nothing reaches the muxer before the range
 * seek: avimux cannot take back a frame it has already written. */
static GstPadProbeReturn
hold_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  App *app = user_data;
  gboolean seek_done;

  g_mutex_lock (&app->lock);
  seek_done = app->seek_done;
  if (!app->first_buffer_seen) {
    app->first_buffer_seen = TRUE;
    g_cond_signal (&app->cond);
  }
  g_mutex_unlock (&app->lock);

  /* The pre-seek buffer stays blocked until the flush discards it. */
  return seek_done ? GST_PAD_PROBE_REMOVE : GST_PAD_PROBE_OK;
}

static gboolean
on_sigint (gpointer user_data)
{
  App *app = user_data;

  if (app->interrupted) {
    g_printerr ("\nrender: second interrupt, stopping without finalising "
        "the file.\n");
    app->exit_code = 130;
    g_main_loop_quit (app->loop);
    return G_SOURCE_REMOVE;
  }
  app->interrupted = TRUE;
  g_printerr ("\nrender: interrupted, finishing the file "
      "(Ctrl-C again to abort)...\n");
  /* EOS from the source lets the encoder drain and avimux write its index. */
  gst_element_send_event (app->pipeline, gst_event_new_eos ());
  return G_SOURCE_CONTINUE;
}

static gboolean
on_bus (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  App *app = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:{
      g_autoptr (GError) err = NULL;
      g_autofree gchar *debug = NULL;
      g_autofree gchar *path = gst_object_get_path_string (msg->src);

      gst_message_parse_error (msg, &err, &debug);
      if (app->stderr_tty)
        g_printerr ("\n");
      g_printerr ("render: ERROR from %s: %s\n", path, err->message);
      g_printerr ("  domain %s, code %d\n", g_quark_to_string (err->domain),
          err->code);
      if (debug)
        g_printerr ("  debug: %s\n", debug);
      app->exit_code = 1;
      g_main_loop_quit (app->loop);
      break;
    }
    case GST_MESSAGE_WARNING:{
      g_autoptr (GError) err = NULL;
      g_autofree gchar *debug = NULL;
      g_autofree gchar *path = gst_object_get_path_string (msg->src);

      gst_message_parse_warning (msg, &err, &debug);
      g_printerr ("render: WARNING from %s: %s\n", path, err->message);
      if (debug)
        g_printerr ("  debug: %s\n", debug);
      break;
    }
    case GST_MESSAGE_EOS:
      print_progress (app, TRUE);
      if (app->interrupted)
        app->exit_code = 130;
      g_main_loop_quit (app->loop);
      break;
    default:
      break;
  }
  return TRUE;
}

/* Waits for a state change to finish, reporting any bus error meanwhile. */
static gboolean
wait_state (App * app, GstState state)
{
  GstStateChangeReturn ret;
  GstBus *bus = gst_element_get_bus (app->pipeline);
  gboolean ok = TRUE;

  ret = gst_element_get_state (app->pipeline, NULL, NULL, 0);
  while (ret == GST_STATE_CHANGE_ASYNC) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 100 * GST_MSECOND,
        GST_MESSAGE_ERROR | GST_MESSAGE_EOS);

    if (msg) {
      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        on_bus (bus, msg, app);
      else
        g_printerr ("render: the range is empty.\n");
      gst_message_unref (msg);
      ok = FALSE;
      break;
    }
    ret = gst_element_get_state (app->pipeline, NULL, NULL, 0);
  }
  if (ret == GST_STATE_CHANGE_FAILURE) {
    /* The element that failed says why on the bus; the first message is
     * the cause, later ones (like basesrc's "Failed to start") follow. */
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    if (msg) {
      on_bus (bus, msg, app);
      gst_message_unref (msg);
    } else
      g_printerr ("render: could not reach state %s.\n",
          gst_element_state_get_name (state));
    ok = FALSE;
  }
  gst_object_unref (bus);
  return ok;
}

static gboolean
read_rate (App * app, GstPad * pad)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  gboolean ok = FALSE;

  if (caps) {
    ok = gst_structure_get_fraction (gst_caps_get_structure (caps, 0),
        "framerate", &app->fps_n, &app->fps_d) && app->fps_n > 0;
    gst_caps_unref (caps);
  }
  return ok;
}

/* Pause, seek to [start, end), then the caller sets PLAYING. */
static gboolean
seek_range (App * app, GstPad * srcpad)
{
  gulong probe;
  GstClockTime start, stop;
  gboolean ok;

  probe = gst_pad_add_probe (srcpad,
      GST_PAD_PROBE_TYPE_BLOCK | GST_PAD_PROBE_TYPE_BUFFER, hold_probe, app,
      NULL);
  if (gst_element_set_state (app->pipeline, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_FAILURE) {
    wait_state (app, GST_STATE_PAUSED);
    return FALSE;
  }

  /* The first buffer means caps are set; preroll itself cannot finish
   * while the probe holds that buffer. */
  g_mutex_lock (&app->lock);
  while (!app->first_buffer_seen)
    if (!g_cond_wait_until (&app->cond, &app->lock,
            g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND))
      break;
  app->seek_done = TRUE;
  ok = app->first_buffer_seen;
  g_mutex_unlock (&app->lock);
  if (!ok) {
    g_printerr ("render: the source produced no frame.\n");
    gst_pad_remove_probe (srcpad, probe);
    return FALSE;
  }

  /* A range is counted in output frames: read the rate after videorate. */
  if (app->fps_n <= 0 && !read_rate (app, srcpad)) {
    g_printerr ("render: no framerate in the negotiated caps.\n");
    return FALSE;
  }
  start = gst_util_uint64_scale (app->first_frame,
      (guint64) app->fps_d * GST_SECOND, app->fps_n);
  stop = app->end_frame < 0 ? GST_CLOCK_TIME_NONE :
      gst_util_uint64_scale (app->end_frame,
      (guint64) app->fps_d * GST_SECOND, app->fps_n);

  /* Seek the source itself: muxers do not handle seek events. */
  ok = gst_element_seek (app->src, 1.0, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
      GST_SEEK_TYPE_SET, start,
      stop == GST_CLOCK_TIME_NONE ? GST_SEEK_TYPE_NONE : GST_SEEK_TYPE_SET,
      stop);
  if (!ok) {
    g_printerr ("render: the source refused the seek to frame %"
        G_GINT64_FORMAT ".\n", app->first_frame);
    return FALSE;
  }
  return wait_state (app, GST_STATE_PAUSED);
}

static gboolean
parse_args (App * app, GstElement * capsfilter, gboolean * need_scale,
    gboolean * need_rate)
{
  GstCaps *caps = gst_caps_new_empty_simple ("video/x-raw");

  *need_scale = *need_rate = FALSE;
  if (opt_size) {
    gint w = 0, h = 0;
    if (sscanf (opt_size, "%dx%d", &w, &h) != 2 || w < 1 || h < 1) {
      g_printerr ("render: bad --size '%s', expected WxH.\n", opt_size);
      gst_caps_unref (caps);
      return FALSE;
    }
    gst_caps_set_simple (caps, "width", G_TYPE_INT, w, "height", G_TYPE_INT,
        h, NULL);
    *need_scale = TRUE;
  }
  if (opt_fps) {
    gint n = 0, d = 1;
    if (sscanf (opt_fps, "%d/%d", &n, &d) < 1 || n < 1 || d < 1) {
      g_printerr ("render: bad --fps '%s', expected N/D.\n", opt_fps);
      gst_caps_unref (caps);
      return FALSE;
    }
    gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, n, d, NULL);
    app->fps_n = n;
    app->fps_d = d;
    *need_rate = TRUE;
  }
  g_object_set (capsfilter, "caps", caps, NULL);
  gst_caps_unref (caps);

  app->first_frame = opt_start < 0 ? 0 : opt_start;
  app->end_frame = opt_end;
  if (app->end_frame >= 0 && app->end_frame <= app->first_frame) {
    g_printerr ("render: --end must be after --start.\n");
    return FALSE;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  App app = { 0, };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) err = NULL;
  GstElement *scale = NULL, *rate = NULL, *filter, *enc, *mux, *sink;
  gboolean need_scale, need_rate;
  GstPad *encsrc, *filtersrc;
  GstBus *bus;
  gint64 dur_ns;
  guint watch = 0;

  ctx = g_option_context_new ("[composition.xml] - render to MJPEG AVI");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("render: %s\n", err->message);
    return 2;
  }
  if (argc > 2) {
    g_printerr ("render: give at most one composition file.\n");
    return 2;
  }

  app.exit_code = 0;
  app.end_frame = -1;
  app.total_frames = -1;
  app.stderr_tty = isatty (STDERR_FILENO);
  g_mutex_init (&app.lock);
  g_cond_init (&app.cond);

  app.pipeline = gst_pipeline_new ("render");
  app.src = make ("hfdrawsrc", "src");
  filter = make ("capsfilter", "filter");
  enc = make ("hfjpegenc", "enc");
  mux = make ("avimux", "mux");
  sink = make ("filesink", "sink");
  if (!app.src || !filter || !enc || !mux || !sink)
    return 1;
  if (!parse_args (&app, filter, &need_scale, &need_rate))
    return 2;
  if ((need_scale && !(scale = make ("videoscale", "scale"))) ||
      (need_rate && !(rate = make ("videorate", "rate"))))
    return 1;

  if (argc == 2)
    g_object_set (app.src, "location", argv[1], NULL);
  if (opt_quality >= 0)
    g_object_set (enc, "quality", opt_quality, NULL);
  if (opt_threads >= 0)
    g_object_set (enc, "threads", opt_threads, NULL);
  g_object_set (sink, "location", opt_output ? opt_output : "out.avi", NULL);

  gst_bin_add_many (GST_BIN (app.pipeline), app.src, filter, enc, mux, sink,
      NULL);
  if (scale)
    gst_bin_add (GST_BIN (app.pipeline), scale);
  if (rate)
    gst_bin_add (GST_BIN (app.pipeline), rate);
  if (!gst_element_link_many (app.src, scale ? scale : rate ? rate : filter,
          NULL) || (scale && !gst_element_link (scale, rate ? rate : filter))
      || (rate && !gst_element_link (rate, filter))
      || !gst_element_link_many (filter, enc, mux, sink, NULL)) {
    g_printerr ("render: could not link the pipeline.\n");
    return 1;
  }

  encsrc = gst_element_get_static_pad (enc, "src");
  gst_pad_add_probe (encsrc, GST_PAD_PROBE_TYPE_BUFFER, count_probe, &app,
      NULL);
  gst_object_unref (encsrc);

  app.loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (app.pipeline);

  filtersrc = gst_element_get_static_pad (filter, "src");
  if (app.first_frame > 0 || app.end_frame >= 0) {
    if (!seek_range (&app, filtersrc)) {
      if (!app.exit_code)
        app.exit_code = 1;
      goto done;
    }
  } else {
    gst_element_set_state (app.pipeline, GST_STATE_PAUSED);
    if (!wait_state (&app, GST_STATE_PAUSED)) {
      if (!app.exit_code)
        app.exit_code = 1;
      goto done;
    }
  }
  if (app.fps_n <= 0)
    read_rate (&app, filtersrc);

  /* The length in output frames, for the bar and the ETA. */
  if (app.fps_n > 0 && gst_element_query_duration (app.src, GST_FORMAT_TIME,
          &dur_ns) && dur_ns > 0) {
    gint64 n = gst_util_uint64_scale_ceil (dur_ns, app.fps_n,
        (guint64) app.fps_d * GST_SECOND);
    app.total_frames = (app.end_frame >= 0 ? MIN (app.end_frame, n) : n)
        - app.first_frame;
  } else if (app.end_frame >= 0) {
    app.total_frames = app.end_frame - app.first_frame;
  }

  watch = gst_bus_add_watch (bus, on_bus, &app);
  g_unix_signal_add (SIGINT, on_sigint, &app);
  g_timeout_add (250, on_tick, &app);
  app.start_us = app.last_line_us = g_get_monotonic_time ();
  gst_element_set_state (app.pipeline, GST_STATE_PLAYING);
  g_main_loop_run (app.loop);

  if (app.exit_code == 0 || app.exit_code == 130)
    g_printerr ("render: wrote %d frames to %s\n",
        g_atomic_int_get (&app.frames_done),
        opt_output ? opt_output : "out.avi");

done:
  g_object_unref (filtersrc);
  gst_element_set_state (app.pipeline, GST_STATE_NULL);
  if (watch)
    gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (app.pipeline);
  if (app.loop)
    g_main_loop_unref (app.loop);
  g_mutex_clear (&app.lock);
  g_cond_clear (&app.cond);
  return app.exit_code;
}

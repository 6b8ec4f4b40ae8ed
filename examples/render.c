/* render: draw a composition with hfdrawsrc and write it as an MJPEG AVI.
 *
 *   render [--quality Q] [--threads N] [--fps N/D] [--size WxH]
 *          [--start F] [--end F] [-o out.avi] [composition.xml]
 *
 * Without a composition file it renders hfdrawsrc's built-in demo.
 * Exit status: 0 done, 1 pipeline error, 2 bad option (checked against
 * hfjpegenc's property ranges and caps and the composition's length),
 * 130 interrupted. The output is replaced only by a finished render, or
 * by one that Ctrl-C stopped after its first frame.
 *
 * The pipeline is
 *   hfdrawsrc ! capsfilter ! hfjpegenc ! avimux ! filesink
 * --size and --fps only set the capsfilter: hfdrawsrc draws a composition
 * at any size (as vector, scale-mode fit) and samples its timeline at any
 * rate, so no videoscale or videorate is needed.
 *
 * Things an embedding app usually needs and this file shows:
 *   - a progress bar from a pad probe (frames done, fps, ETA);
 *   - clear bus error reports and a non-zero exit status;
 *   - Ctrl-C sends EOS, so avimux writes its index and the file plays;
 *   - a frame range through a flushing seek made before PLAYING;
 *   - the output is written to a temporary file beside it and renamed
 *     only when complete, so a refused or failed render never truncates
 *     an existing file.
 */

#include <gst/gst.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
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
  gboolean playing;             /* set to PLAYING: Ctrl-C finishes the file */
  gboolean finalised;           /* EOS reached the sink: the file is whole */
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
/* G_MININT / G_MININT64: not given (any given value is validated). */
static gint opt_quality = G_MININT;
static gint opt_threads = G_MININT;
static gchar *opt_fps = NULL;
static gchar *opt_size = NULL;
static gint64 opt_start = G_MININT64;
static gint64 opt_end = G_MININT64;

static GOptionEntry entries[] = {
  {"quality", 'q', 0, G_OPTION_ARG_INT, &opt_quality,
      "JPEG quality, in hfjpegenc's range (1-100, default 85)", "Q"},
  {"threads", 't', 0, G_OPTION_ARG_INT, &opt_threads,
      "Encode threads, in hfjpegenc's range (0-64); 0 = one per CPU "
        "(default)", "N"},
  {"fps", 0, 0, G_OPTION_ARG_STRING, &opt_fps,
      "Output frame rate, e.g. 30/1 or 25", "N/D"},
  {"size", 0, 0, G_OPTION_ARG_STRING, &opt_size,
      "Output size, e.g. 1280x720", "WxH"},
  {"start", 0, 0, G_OPTION_ARG_INT64, &opt_start,
      "First frame to render, from 0 (default 0)", "F"},
  {"end", 0, 0, G_OPTION_ARG_INT64, &opt_end,
      "Stop before this frame, at most the frame count (default: the end)",
      "F"},
  {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
      "Output file (default: out.avi)", "FILE"},
  {NULL}
};

static GstElement *
make (const gchar * factory, const gchar * name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (!e) {
    static gboolean hinted = FALSE;

    g_printerr ("render: element '%s' is not available.\n", factory);
    if (g_str_has_prefix (factory, "hf") && !hinted) {
      hinted = TRUE;
      g_printerr ("  Install the plugins where GStreamer looks, with the /usr "
          "prefix:\n    meson configure build -Dprefix=/usr && sudo meson "
          "install -C build\n  or point GStreamer at the build tree with "
          "absolute paths, from the source directory:\n    export "
          "GST_PLUGIN_PATH=$PWD/build/gst/hfdraw:$PWD/build/ext/turbojpeg\n");
    }
  }
  return e;
}

/* GLib quotes names with U+201C/U+201D (and U+2018/U+2019). Where the
 * locale is not UTF-8 (C, POSIX) g_printerr turns them into '?', so they
 * become ASCII quotes there. */
static gchar *
printable (const gchar * text)
{
  GString *s;

  if (g_get_charset (NULL))
    return g_strdup (text);
  s = g_string_new (text);
  g_string_replace (s, "\u201c", "\"", 0);
  g_string_replace (s, "\u201d", "\"", 0);
  g_string_replace (s, "\u2018", "'", 0);
  g_string_replace (s, "\u2019", "'", 0);
  return g_string_free (s, FALSE);
}

/* Checks an option against the range the element's property declares, so
 * the limits stay those of the element. */
static gboolean
check_prop_range (GstElement * e, const gchar * prop, gint64 v)
{
  GParamSpec *ps = g_object_class_find_property (G_OBJECT_GET_CLASS (e),
      prop);
  gint64 lo, hi;

  if (ps && G_IS_PARAM_SPEC_INT (ps)) {
    lo = G_PARAM_SPEC_INT (ps)->minimum;
    hi = G_PARAM_SPEC_INT (ps)->maximum;
  } else if (ps && G_IS_PARAM_SPEC_UINT (ps)) {
    lo = G_PARAM_SPEC_UINT (ps)->minimum;
    hi = G_PARAM_SPEC_UINT (ps)->maximum;
  } else {
    g_printerr ("render: %s has no integer property '%s'.\n",
        GST_OBJECT_NAME (gst_element_get_factory (e)), prop);
    return FALSE;
  }
  if (v < lo || v > hi) {
    g_printerr ("render: --%s %" G_GINT64_FORMAT " is out of range: %s's '%s'"
        " takes %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ".\n", prop, v,
        GST_OBJECT_NAME (gst_element_get_factory (e)), prop, lo, hi);
    return FALSE;
  }
  return TRUE;
}

/* Checks the capsfilter's size or rate against what the encoder's sink
 * template accepts; prints the template's ranges of FIELD1 and FIELD2. */
static gboolean
check_caps (GstElement * enc, GstCaps * caps, const gchar * opt,
    const gchar * value, const gchar * field1, const gchar * field2)
{
  GstPad *pad = gst_element_get_static_pad (enc, "sink");
  GstCaps *tmpl = gst_pad_get_pad_template_caps (pad);
  gboolean ok = gst_caps_can_intersect (caps, tmpl);

  if (!ok) {
    GstStructure *st = gst_caps_get_structure (tmpl, 0);
    g_autofree gchar *r1 =
        gst_value_serialize (gst_structure_get_value (st, field1));
    g_autofree gchar *r2 = field2 ?
        gst_value_serialize (gst_structure_get_value (st, field2)) : NULL;

    g_printerr ("render: --%s %s is out of range: hfjpegenc takes %s %s"
        "%s%s%s%s.\n", opt, value, field1, r1, r2 ? ", " : "",
        r2 ? field2 : "", r2 ? " " : "", r2 ? r2 : "");
  }
  gst_caps_unref (tmpl);
  gst_object_unref (pad);
  return ok;
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

  /* Before PLAYING there is nothing to finish: main stops at once. */
  if (!app->playing) {
    app->interrupted = TRUE;
    app->exit_code = 130;
    return G_SOURCE_REMOVE;
  }
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
  gchar *text;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:{
      g_autoptr (GError) err = NULL;
      g_autofree gchar *debug = NULL;
      g_autofree gchar *path = gst_object_get_path_string (msg->src);

      gst_message_parse_error (msg, &err, &debug);
      if (app->stderr_tty)
        g_printerr ("\n");
      text = printable (err->message);
      g_printerr ("render: ERROR from %s: %s\n", path, text);
      g_free (text);
      /* For developers (G_MESSAGES_DEBUG=all), not in the user's face. */
      g_debug ("error domain %s, code %d", g_quark_to_string (err->domain),
          err->code);
      if (debug) {
        text = printable (debug);
        g_printerr ("  debug: %s\n", text);
        g_free (text);
      }
      app->exit_code = 1;
      g_main_loop_quit (app->loop);
      break;
    }
    case GST_MESSAGE_WARNING:{
      g_autoptr (GError) err = NULL;
      g_autofree gchar *debug = NULL;
      g_autofree gchar *path = gst_object_get_path_string (msg->src);

      gst_message_parse_warning (msg, &err, &debug);
      text = printable (err->message);
      g_printerr ("render: WARNING from %s: %s\n", path, text);
      g_free (text);
      if (debug) {
        text = printable (debug);
        g_printerr ("  debug: %s\n", text);
        g_free (text);
      }
      break;
    }
    case GST_MESSAGE_EOS:
      print_progress (app, TRUE);
      app->finalised = TRUE;
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

/* The composition's length in output frames (at the negotiated rate,
 * as negotiated), or -1 when the source does not know it. */
static gint64
count_frames (App * app)
{
  gint64 dur_ns;

  if (app->fps_n <= 0 || !gst_element_query_duration (app->src,
          GST_FORMAT_TIME, &dur_ns) || dur_ns <= 0)
    return -1;
  return gst_util_uint64_scale_ceil (dur_ns, app->fps_n,
      (guint64) app->fps_d * GST_SECOND);
}

/* --start and --end against the composition's length: a range past the
 * end would otherwise write an AVI with no frames and succeed. */
static gboolean
check_frame_range (App * app)
{
  gint64 n = count_frames (app);

  if (n < 0)
    return TRUE;
  if (app->first_frame >= n) {
    g_printerr ("render: --start %" G_GINT64_FORMAT " is past the end: the "
        "composition has %" G_GINT64_FORMAT " frames (0 to %" G_GINT64_FORMAT
        ").\n", app->first_frame, n, n - 1);
    app->exit_code = 2;
    return FALSE;
  }
  if (app->end_frame > n) {
    g_printerr ("render: --end %" G_GINT64_FORMAT " is past the end: the "
        "composition has %" G_GINT64_FORMAT " frames, so --end is at most %"
        G_GINT64_FORMAT ".\n", app->end_frame, n, n);
    app->exit_code = 2;
    return FALSE;
  }
  return TRUE;
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

  /* A range is counted in output frames: read the negotiated rate. */
  if (app->fps_n <= 0 && !read_rate (app, srcpad)) {
    g_printerr ("render: no framerate in the negotiated caps.\n");
    return FALSE;
  }
  if (!check_frame_range (app))
    return FALSE;
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

/* Creates an empty temporary file beside `path` (same directory, so the
 * final rename is atomic), with the permissions a new file gets. */
static gchar *
make_temp_output (const gchar * path)
{
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autofree gchar *base = g_path_get_basename (path);
  gchar *tmp = g_strdup_printf ("%s/.%s.XXXXXX.part", dir, base);
  gint fd = g_mkstemp_full (tmp, O_WRONLY, 0666);

  if (fd < 0) {
    g_printerr ("render: cannot write in %s: %s\n", dir,
        g_strerror (errno));
    g_free (tmp);
    return NULL;
  }
  close (fd);
  return tmp;
}

/* A finished render (or one stopped by Ctrl-C after its first frame, which
 * finalises the file) replaces the output; anything else leaves it as it
 * was. Returns the exit status. */
static int
commit_output (App * app, const gchar * tmp, const gchar * path)
{
  gboolean keep = app->finalised && (app->exit_code == 0 ||
      (app->exit_code == 130 && g_atomic_int_get (&app->frames_done) > 0));

  if (keep && g_rename (tmp, path) == 0) {
    g_printerr ("render: wrote %d frames to %s\n",
        g_atomic_int_get (&app->frames_done), path);
    return app->exit_code;
  }
  if (keep) {
    g_printerr ("render: cannot rename %s to %s: %s\n", tmp, path,
        g_strerror (errno));
    app->exit_code = 1;
  } else if (g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_printerr ("render: %s was left as it was.\n", path);
  }
  g_unlink (tmp);
  return app->exit_code;
}

/* Validates the options and applies them to the capsfilter and encoder.
 * The frame range is checked against the composition after preroll. */
static gboolean
parse_args (App * app, GstElement * capsfilter, GstElement * enc)
{
  g_autoptr (GstCaps) caps = gst_caps_new_empty_simple ("video/x-raw");
  gchar rest;

  if (opt_size) {
    gint w = 0, h = 0;
    g_autoptr (GstCaps) one = NULL;

    if (sscanf (opt_size, "%dx%d%c", &w, &h, &rest) != 2 || w < 1 || h < 1) {
      g_printerr ("render: bad --size '%s', expected WxH.\n", opt_size);
      return FALSE;
    }
    one = gst_caps_new_simple ("video/x-raw", "width", G_TYPE_INT, w,
        "height", G_TYPE_INT, h, NULL);
    if (!check_caps (enc, one, "size", opt_size, "width", "height"))
      return FALSE;
    gst_caps_set_simple (caps, "width", G_TYPE_INT, w, "height", G_TYPE_INT,
        h, NULL);
  }
  if (opt_fps) {
    gint n = 0, d = 1, got;
    g_autoptr (GstCaps) one = NULL;

    got = sscanf (opt_fps, "%d/%d%c", &n, &d, &rest);
    if ((got != 1 && got != 2) || (got == 1 && strchr (opt_fps, '/'))
        || n < 1 || d < 1) {
      g_printerr ("render: bad --fps '%s', expected N/D.\n", opt_fps);
      return FALSE;
    }
    one = gst_caps_new_simple ("video/x-raw", "framerate", GST_TYPE_FRACTION,
        n, d, NULL);
    if (!check_caps (enc, one, "fps", opt_fps, "framerate", NULL))
      return FALSE;
    gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, n, d, NULL);
    app->fps_n = n;
    app->fps_d = d;
  }
  g_object_set (capsfilter, "caps", caps, NULL);

  if (opt_quality != G_MININT) {
    if (!check_prop_range (enc, "quality", opt_quality))
      return FALSE;
    g_object_set (enc, "quality", opt_quality, NULL);
  }
  if (opt_threads != G_MININT) {
    if (!check_prop_range (enc, "threads", opt_threads))
      return FALSE;
    g_object_set (enc, "threads", (guint) opt_threads, NULL);
  }

  if (opt_start != G_MININT64 && opt_start < 0) {
    g_printerr ("render: --start %" G_GINT64_FORMAT " is negative: frames "
        "count from 0.\n", opt_start);
    return FALSE;
  }
  if (opt_end != G_MININT64 && opt_end < 1) {
    g_printerr ("render: --end %" G_GINT64_FORMAT " must be at least 1.\n",
        opt_end);
    return FALSE;
  }
  app->first_frame = opt_start == G_MININT64 ? 0 : opt_start;
  app->end_frame = opt_end == G_MININT64 ? -1 : opt_end;
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
  GstElement *filter, *enc, *mux, *sink;
  GstPad *encsrc, *filtersrc;
  GstBus *bus;
  gint64 n_frames;
  guint watch = 0;
  const gchar *output;
  gchar *tmp_output;

  /* Messages in the user's language and charset; see printable(). */
  setlocale (LC_ALL, "");
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
  if (!parse_args (&app, filter, enc))
    return 2;

  if (argc == 2)
    g_object_set (app.src, "location", argv[1], NULL);
  /* Ctrl-C from here on is ours: the temporary file is never left behind. */
  g_unix_signal_add (SIGINT, on_sigint, &app);
  output = opt_output ? opt_output : "out.avi";
  if (!(tmp_output = make_temp_output (output)))
    return 1;
  g_object_set (sink, "location", tmp_output, NULL);

  gst_bin_add_many (GST_BIN (app.pipeline), app.src, filter, enc, mux, sink,
      NULL);
  if (!gst_element_link_many (app.src, filter, enc, mux, sink, NULL)) {
    g_printerr ("render: could not link the pipeline.\n");
    g_unlink (tmp_output);
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
  n_frames = count_frames (&app);
  if (n_frames > 0) {
    app.total_frames = (app.end_frame >= 0 ? MIN (app.end_frame, n_frames) :
        n_frames) - app.first_frame;
  } else if (app.end_frame >= 0) {
    app.total_frames = app.end_frame - app.first_frame;
  }

  /* A Ctrl-C that came while the pipeline got ready ends the render here. */
  while (g_main_context_iteration (NULL, FALSE));
  if (app.interrupted) {
    g_printerr ("render: interrupted before the first frame.\n");
    goto done;
  }

  watch = gst_bus_add_watch (bus, on_bus, &app);
  g_timeout_add (250, on_tick, &app);
  app.start_us = app.last_line_us = g_get_monotonic_time ();
  app.playing = TRUE;
  gst_element_set_state (app.pipeline, GST_STATE_PLAYING);
  g_main_loop_run (app.loop);

done:
  g_object_unref (filtersrc);
  /* NULL closes the file before it is renamed or removed. */
  gst_element_set_state (app.pipeline, GST_STATE_NULL);
  app.exit_code = commit_output (&app, tmp_output, output);
  g_free (tmp_output);
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

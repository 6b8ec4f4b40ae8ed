/* hfrender render and plan: draw a composition with hfdrawsrc, encode it
 * with hfjpegenc and mux it by the output's extension (docs/hfrender.md).
 *
 * Exit status: 0 done, 1 pipeline error, 2 bad option (checked against
 * hfjpegenc's property ranges and caps and the composition's length),
 * 130 interrupted. The output is replaced only by a finished render, or
 * by a whole render (not a chunk) that Ctrl-C stopped after its first
 * frame.
 *
 * The pipeline is
 *   hfdrawsrc ! capsfilter ! hfjpegenc ! avimux|matroskamux|qtmux ! filesink
 * --size and --fps only set the capsfilter: hfdrawsrc draws a composition
 * at any size (as vector, scale-mode fit) and samples its timeline at any
 * rate, so no videoscale or videorate is needed.
 *
 * What an embedding app usually needs, shown here:
 *   - a progress bar from a pad probe (frames done, fps, ETA);
 *   - clear bus error reports and a non-zero exit status;
 *   - Ctrl-C sends EOS, so the muxer writes its index and the file plays;
 *   - a frame range through a flushing seek made before PLAYING, which
 *     every render takes, so that the muxer's tag (HfrInfo) is set before
 *     it writes its header;
 *   - the output is written to a temporary file beside it and renamed
 *     only when complete, so a refused or failed render never truncates
 *     an existing file, and a killed chunk never looks finished.
 */
#include "hfrender.h"

#include <gst/gsttagsetter.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  GstElement *src;
  GstElement *enc;
  GstElement *mux;              /* NULL for plan */
  const gchar *composition;     /* NULL: the built-in demo */
  int exit_code;
  gboolean interrupted;
  gboolean playing;             /* set to PLAYING: Ctrl-C finishes the file */
  gboolean finalised;           /* EOS reached the sink: the file is whole */
  gboolean stderr_tty;

  /* Range and rate, known once caps are negotiated. */
  gint fps_n, fps_d;
  gint64 first_frame, end_frame;        /* end_frame -1: until EOS */
  gint64 total_frames;          /* -1 when unknown */
  gint chunk_i, chunk_k;        /* --chunk I/K; K 0: none */
  gint width, height;

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
static gchar *opt_chunk = NULL;
static gint opt_chunks = 0;
static gint opt_chunk_frames = 0;
static gboolean opt_json = FALSE;

/* What changes the frames: the same for render and plan. */
static GOptionEntry picture_entries[] = {
  {"quality", 'q', 0, G_OPTION_ARG_INT, &opt_quality,
      "JPEG quality, in hfjpegenc's range (1-100, default 85)", "Q"},
  {"fps", 0, 0, G_OPTION_ARG_STRING, &opt_fps,
        "Output frame rate, e.g. 30/1 or 25 (default: the composition's)",
      "N/D"},
  {"size", 0, 0, G_OPTION_ARG_STRING, &opt_size,
      "Output size, e.g. 1280x720 (default: the composition's)", "WxH"},
  {NULL}
};

static GOptionEntry render_entries[] = {
  {"threads", 't', 0, G_OPTION_ARG_INT, &opt_threads,
      "Encode threads, in hfjpegenc's range (0-64); 0 = one per CPU "
        "(default)", "N"},
  {"start", 0, 0, G_OPTION_ARG_INT64, &opt_start,
      "First frame to render, from 0 (default 0)", "F"},
  {"end", 0, 0, G_OPTION_ARG_INT64, &opt_end,
        "Stop before this frame, at most the frame count (default: the end)",
      "F"},
  {"chunk", 0, 0, G_OPTION_ARG_STRING, &opt_chunk,
      "Render the I-th of K near-equal ranges (from 0), e.g. 2/8", "I/K"},
  {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
      "Output file, .avi, .mkv or .mov (default: out.avi)", "FILE"},
  {NULL}
};

static GOptionEntry plan_entries[] = {
  {"chunks", 'k', 0, G_OPTION_ARG_INT, &opt_chunks,
      "Split into K chunks", "K"},
  {"chunk-frames", 'n', 0, G_OPTION_ARG_INT, &opt_chunk_frames,
      "Split into chunks of N frames (the last may be shorter)", "N"},
  {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
        "Chunk file names, {i} for the index (default: chunk-{i}.avi)",
      "PATTERN"},
  {"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Print JSON", NULL},
  {NULL}
};

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
    g_printerr ("hfrender: %s has no integer property '%s'.\n",
        GST_OBJECT_NAME (gst_element_get_factory (e)), prop);
    return FALSE;
  }
  if (v < lo || v > hi) {
    g_printerr ("hfrender: --%s %" G_GINT64_FORMAT " is out of range: %s's '%s'"
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

    g_printerr ("hfrender: --%s %s is out of range: hfjpegenc takes %s %s"
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
    g_printerr ("\nhfrender: second interrupt, stopping without finalising "
        "the file.\n");
    app->exit_code = 130;
    g_main_loop_quit (app->loop);
    return G_SOURCE_REMOVE;
  }
  app->interrupted = TRUE;
  g_printerr ("\nhfrender: interrupted, finishing the file "
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
    case GST_MESSAGE_ERROR:
      if (app->stderr_tty)
        g_printerr ("\n");
      hfr_print_message (msg);
      app->exit_code = 1;
      g_main_loop_quit (app->loop);
      break;
    case GST_MESSAGE_WARNING:
      hfr_print_message (msg);
      break;
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
        g_printerr ("hfrender: the range is empty.\n");
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
      g_printerr ("hfrender: could not reach state %s.\n",
          gst_element_state_get_name (state));
    ok = FALSE;
  }
  gst_object_unref (bus);
  return ok;
}

/* Rate and size from the negotiated caps. */
static gboolean
read_caps (App * app, GstPad * pad)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  gboolean ok = FALSE;

  if (caps) {
    GstStructure *st = gst_caps_get_structure (caps, 0);

    ok = gst_structure_get_fraction (st, "framerate", &app->fps_n,
        &app->fps_d) && app->fps_n > 0;
    gst_structure_get_int (st, "width", &app->width);
    gst_structure_get_int (st, "height", &app->height);
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

/* --start and --end against the composition's length (a range past the
 * end would otherwise write a file with no frames and succeed), and
 * --chunk to its range. */
static gboolean
resolve_range (App * app, gint64 n)
{
  if (app->chunk_k > 0) {
    if (n < 0) {
      g_printerr ("hfrender: --chunk needs the composition's length, and "
          "the source does not know it.\n");
      return FALSE;
    }
    if (app->chunk_k > n) {
      g_printerr ("hfrender: --chunk %d/%d: %d chunks of a %" G_GINT64_FORMAT
          "-frame composition; at most %" G_GINT64_FORMAT " chunks.\n",
          app->chunk_i, app->chunk_k, app->chunk_k, n, n);
      return FALSE;
    }
    hfr_chunk_range (n, app->chunk_i, app->chunk_k, &app->first_frame,
        &app->end_frame);
    return TRUE;
  }
  if (n < 0)
    return TRUE;
  if (app->first_frame >= n) {
    g_printerr ("hfrender: --start %" G_GINT64_FORMAT " is past the end: the "
        "composition has %" G_GINT64_FORMAT " frames (0 to %" G_GINT64_FORMAT
        ").\n", app->first_frame, n, n - 1);
    return FALSE;
  }
  if (app->end_frame > n) {
    g_printerr ("hfrender: --end %" G_GINT64_FORMAT " is past the end: the "
        "composition has %" G_GINT64_FORMAT " frames, so --end is at most %"
        G_GINT64_FORMAT ".\n", app->end_frame, n, n);
    return FALSE;
  }
  return TRUE;
}

/* The muxer's tag (HfrInfo): which frames of which render the file
 * holds, for join and verify. */
static gboolean
tag_output (App * app, gint64 n)
{
  g_autoptr (GError) err = NULL;
  g_autofree gchar *text = NULL;
  HfrInfo info = { 0, };

  /* Open-ended, or read from a pipe that cannot be read again to hash it:
   * no tag, so nothing to join or verify. */
  if (n < 0 || (app->composition && !g_file_test (app->composition,
              G_FILE_TEST_IS_REGULAR)))
    return TRUE;
  if (!hfr_source_hash (app->composition, info.source, &err)) {
    g_printerr ("hfrender: %s\n", err->message);
    return FALSE;
  }
  info.first = app->first_frame;
  info.end = app->end_frame < 0 ? n : app->end_frame;
  info.total = n;
  info.width = app->width;
  info.height = app->height;
  info.fps_n = app->fps_n;
  info.fps_d = app->fps_d;
  g_object_get (app->enc, "quality", &info.quality, NULL);
  text = hfr_info_format (&info);
  gst_tag_setter_add_tags (GST_TAG_SETTER (app->mux), GST_TAG_MERGE_REPLACE,
      GST_TAG_COMMENT, text, NULL);
  return TRUE;
}

/* Pauses with the first frame held before the encoder, then reads the
 * negotiated caps and the composition's length. Returns the length (-1:
 * unknown), or -2 on failure. */
static gint64
preroll (App * app, GstPad * srcpad)
{
  gboolean ok;

  if (gst_element_set_state (app->pipeline, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_FAILURE) {
    wait_state (app, GST_STATE_PAUSED);
    return -2;
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
    /* An error (a missing file, bad markup) is on the bus. */
    if (!wait_state (app, GST_STATE_PAUSED) || app->exit_code)
      return -2;
    g_printerr ("hfrender: the source produced no frame.\n");
    return -2;
  }
  /* A range is counted in output frames: read the negotiated rate. */
  if (!read_caps (app, srcpad)) {
    g_printerr ("hfrender: no framerate in the negotiated caps.\n");
    return -2;
  }
  return count_frames (app);
}

/* Every render seeks to its range before PLAYING: nothing reaches the
 * muxer before the seek (it cannot take back a frame it has written), and
 * its tag is set before it writes its header. */
static gboolean
seek_range (App * app, GstPad * srcpad)
{
  GstClockTime start, stop;
  gint64 n;

  gst_pad_add_probe (srcpad, GST_PAD_PROBE_TYPE_BLOCK |
      GST_PAD_PROBE_TYPE_BUFFER, hold_probe, app, NULL);
  n = preroll (app, srcpad);
  if (n == -2)
    return FALSE;
  if (!resolve_range (app, n)) {
    app->exit_code = 2;
    return FALSE;
  }
  if (!tag_output (app, n))
    return FALSE;
  /* The length in output frames, for the bar and the ETA. */
  app->total_frames = app->end_frame >= 0 ? app->end_frame - app->first_frame
      : n > 0 ? n - app->first_frame : -1;
  start = hfr_frame_time (app->first_frame, app->fps_n, app->fps_d);
  stop = app->end_frame < 0 ? GST_CLOCK_TIME_NONE :
      hfr_frame_time (app->end_frame, app->fps_n, app->fps_d);

  /* Seek the source itself: muxers do not handle seek events. */
  if (!gst_element_seek (app->src, 1.0, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
          GST_SEEK_TYPE_SET, start,
          stop == GST_CLOCK_TIME_NONE ? GST_SEEK_TYPE_NONE : GST_SEEK_TYPE_SET,
          stop)) {
    g_printerr ("hfrender: the source refused the seek to frame %"
        G_GINT64_FORMAT ".\n", app->first_frame);
    return FALSE;
  }
  return wait_state (app, GST_STATE_PAUSED);
}

/* A finished render replaces the output, and so does a whole render that
 * Ctrl-C stopped after its first frame (the file is finalised and plays).
 * Anything else leaves it as it was: a range or a chunk is kept only
 * whole. Returns the exit status. */
static int
commit_output (App * app, const gchar * tmp, const gchar * path)
{
  gboolean whole = app->chunk_k == 0 && app->first_frame == 0
      && app->end_frame < 0;
  gboolean keep = app->finalised && (app->exit_code == 0 ||
      (app->exit_code == 130 && whole
          && g_atomic_int_get (&app->frames_done) > 0));

  if (keep && g_rename (tmp, path) == 0) {
    g_printerr ("hfrender: wrote %d frames to %s\n",
        g_atomic_int_get (&app->frames_done), path);
    return app->exit_code;
  }
  if (keep) {
    g_printerr ("hfrender: cannot rename %s to %s: %s\n", tmp, path,
        g_strerror (errno));
    app->exit_code = 1;
  } else if (g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_printerr ("hfrender: %s was left as it was.\n", path);
  }
  g_unlink (tmp);
  return app->exit_code;
}

/* Validates the picture options and applies them to the capsfilter and
 * encoder. */
static gboolean
parse_picture (App * app, GstElement * capsfilter, GstElement * enc)
{
  g_autoptr (GstCaps) caps = gst_caps_new_empty_simple ("video/x-raw");
  gchar rest;

  if (opt_size) {
    gint w = 0, h = 0;
    g_autoptr (GstCaps) one = NULL;

    if (sscanf (opt_size, "%dx%d%c", &w, &h, &rest) != 2 || w < 1 || h < 1) {
      g_printerr ("hfrender: bad --size '%s', expected WxH.\n", opt_size);
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
      g_printerr ("hfrender: bad --fps '%s', expected N/D.\n", opt_fps);
      return FALSE;
    }
    one = gst_caps_new_simple ("video/x-raw", "framerate", GST_TYPE_FRACTION,
        n, d, NULL);
    if (!check_caps (enc, one, "fps", opt_fps, "framerate", NULL))
      return FALSE;
    gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, n, d, NULL);
  }
  g_object_set (capsfilter, "caps", caps, NULL);

  if (opt_quality != G_MININT) {
    if (!check_prop_range (enc, "quality", opt_quality))
      return FALSE;
    g_object_set (enc, "quality", opt_quality, NULL);
  }
  return TRUE;
}

/* Validates render's own options. */
static gboolean
parse_range (App * app)
{
  if (opt_threads != G_MININT) {
    if (!check_prop_range (app->enc, "threads", opt_threads))
      return FALSE;
    g_object_set (app->enc, "threads", (guint) opt_threads, NULL);
  }
  if (opt_chunk && (opt_start != G_MININT64 || opt_end != G_MININT64)) {
    g_printerr ("hfrender: give --chunk or --start/--end, not both.\n");
    return FALSE;
  }
  if (opt_chunk && !hfr_parse_chunk (opt_chunk, &app->chunk_i, &app->chunk_k))
    return FALSE;
  if (opt_start != G_MININT64 && opt_start < 0) {
    g_printerr ("hfrender: --start %" G_GINT64_FORMAT " is negative: frames "
        "count from 0.\n", opt_start);
    return FALSE;
  }
  if (opt_end != G_MININT64 && opt_end < 1) {
    g_printerr ("hfrender: --end %" G_GINT64_FORMAT " must be at least 1.\n",
        opt_end);
    return FALSE;
  }
  app->first_frame = opt_start == G_MININT64 ? 0 : opt_start;
  app->end_frame = opt_end == G_MININT64 ? -1 : opt_end;
  if (app->end_frame >= 0 && app->end_frame <= app->first_frame) {
    g_printerr ("hfrender: --end must be after --start.\n");
    return FALSE;
  }
  return TRUE;
}

int
hfr_render (int argc, char **argv)
{
  gboolean plan = strcmp (argv[0], "plan") == 0;
  App app = { 0, };
  GstElement *filter, *sink;
  GstPad *encsrc, *filtersrc;
  GstBus *bus;
  guint watch = 0;
  const gchar *output, *muxer = NULL;
  gchar *tmp_output = NULL;

  if (!hfr_parse_options (&argc, &argv, plan ? "COMPOSITION --chunks K - "
          "print the chunks of a render" : "[COMPOSITION] - render to an "
          "MJPEG file", picture_entries, plan ? plan_entries : render_entries))
    return 2;
  if (argc > 2) {
    g_printerr ("hfrender: give at most one composition file.\n");
    return 2;
  }
  if (plan && (opt_chunks > 0) == (opt_chunk_frames > 0)) {
    g_printerr ("hfrender: plan needs --chunks K or --chunk-frames N.\n");
    return 2;
  }
  output = opt_output ? opt_output : "out.avi";
  if (!plan && !(muxer = hfr_muxer_for (output)))
    return 2;

  app.exit_code = 0;
  app.end_frame = -1;
  app.total_frames = -1;
  app.composition = argc == 2 ? argv[1] : NULL;
  app.stderr_tty = isatty (STDERR_FILENO);
  g_mutex_init (&app.lock);
  g_cond_init (&app.cond);

  app.pipeline = gst_pipeline_new ("render");
  app.src = hfr_make ("hfdrawsrc", "src");
  filter = hfr_make ("capsfilter", "filter");
  app.enc = hfr_make ("hfjpegenc", "enc");
  if (!plan)
    app.mux = hfr_make (muxer, "mux");
  sink = hfr_make (plan ? "fakesink" : "filesink", "sink");
  if (!app.src || !filter || !app.enc || (!plan && !app.mux) || !sink)
    return 1;
  if (!parse_picture (&app, filter, app.enc) || (!plan && !parse_range (&app)))
    return 2;
  if (app.composition)
    g_object_set (app.src, "location", app.composition, NULL);

  if (plan) {
    gst_bin_add_many (GST_BIN (app.pipeline), app.src, filter, sink, NULL);
    gst_element_link_many (app.src, filter, sink, NULL);
    gst_object_unref (gst_object_ref_sink (app.enc));
  } else {
    /* Ctrl-C from here on is ours: the temporary file is never left
     * behind. */
    g_unix_signal_add (SIGINT, on_sigint, &app);
    if (!(tmp_output = hfr_temp_output (output)))
      return 1;
    g_object_set (sink, "location", tmp_output, NULL);
    gst_bin_add_many (GST_BIN (app.pipeline), app.src, filter, app.enc,
        app.mux, sink, NULL);
    if (!gst_element_link_many (app.src, filter, app.enc, app.mux, sink, NULL)) {
      g_printerr ("hfrender: could not link the pipeline.\n");
      g_unlink (tmp_output);
      return 1;
    }
    encsrc = gst_element_get_static_pad (app.enc, "src");
    gst_pad_add_probe (encsrc, GST_PAD_PROBE_TYPE_BUFFER, count_probe, &app,
        NULL);
    gst_object_unref (encsrc);
  }

  app.loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (app.pipeline);
  filtersrc = gst_element_get_static_pad (filter, "src");

  if (plan) {
    gint64 n;

    gst_pad_add_probe (filtersrc, GST_PAD_PROBE_TYPE_BLOCK |
        GST_PAD_PROBE_TYPE_BUFFER, hold_probe, &app, NULL);
    n = preroll (&app, filtersrc);
    app.exit_code = n == -2 ? 1 : hfr_print_plan (n, app.fps_n, app.fps_d,
        app.width, app.height, opt_chunks, opt_chunk_frames,
        opt_output ? opt_output : "chunk-{i}.avi", opt_json);
    goto done;
  }
  if (!seek_range (&app, filtersrc)) {
    if (!app.exit_code)
      app.exit_code = 1;
    goto done;
  }

  /* A Ctrl-C that came while the pipeline got ready ends the render here. */
  while (g_main_context_iteration (NULL, FALSE));
  if (app.interrupted) {
    g_printerr ("hfrender: interrupted before the first frame.\n");
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
  if (tmp_output)
    app.exit_code = commit_output (&app, tmp_output, output);
  g_free (tmp_output);
  if (watch)
    gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (app.pipeline);
  g_main_loop_unref (app.loop);
  g_mutex_clear (&app.lock);
  g_cond_clear (&app.cond);
  return app.exit_code;
}

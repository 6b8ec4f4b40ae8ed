/* hfrender join and verify: read the frames of files hfrender wrote, join
 * chunks without re-encoding, and compare a file with a re-render
 * (docs/hfrender.md).
 *
 * Files are read with GStreamer's own demuxers (decodebin, stopped at
 * image/jpeg, so every JPEG comes out as it was muxed) and written with
 * its muxers through appsrc, which gives each frame its timestamp in the
 * whole render: frame f at f / fps, continuous from 0.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "hfrender.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gsttagsetter.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* How long a file may take to open, or a frame to come. */
#define READ_TIMEOUT (60 * GST_SECOND)

/* The JPEG frames of one file, in order, and its hfrender tag. */
typedef struct
{
  const gchar *path;
  GstElement *pipe, *sink;
  HfrInfo info;
  gboolean tagged;
} Reader;

static void
on_pad_added (GstElement * dec, GstPad * pad, gpointer user_data)
{
  Reader *r = user_data;
  GstPad *sinkpad = gst_element_get_static_pad (r->sink, "sink");

  if (!gst_pad_is_linked (sinkpad))
    gst_pad_link (pad, sinkpad);
  gst_object_unref (sinkpad);
}

/* The tag travels as an event ahead of the first frame. */
static GstPadProbeReturn
tag_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Reader *r = user_data;
  GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
  GstTagList *tags;
  guint i;

  if (GST_EVENT_TYPE (ev) != GST_EVENT_TAG)
    return GST_PAD_PROBE_OK;
  gst_event_parse_tag (ev, &tags);
  for (i = 0; i < gst_tag_list_get_tag_size (tags, GST_TAG_COMMENT); i++) {
    const gchar *text;

    if (gst_tag_list_peek_string_index (tags, GST_TAG_COMMENT, i, &text)
        && hfr_info_parse (text, &r->info))
      r->tagged = TRUE;
  }
  return GST_PAD_PROBE_OK;
}

/* Prints the first error on the pipeline's bus, if any. */
static gboolean
report_error (Reader * r)
{
  GstBus *bus = gst_element_get_bus (r->pipe);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  gst_object_unref (bus);
  if (!msg)
    return FALSE;
  g_printerr ("hfrender: cannot read %s:\n", r->path);
  hfr_print_message (msg);
  gst_message_unref (msg);
  return TRUE;
}

static void
reader_close (Reader * r)
{
  if (r->pipe) {
    gst_element_set_state (r->pipe, GST_STATE_NULL);
    gst_object_unref (r->pipe);
  }
  r->pipe = r->sink = NULL;
}

/* Opens and prerolls `path`. FALSE (with the reason printed) if it cannot
 * be read or holds no MJPEG stream. */
static gboolean
reader_open (Reader * r, const gchar * path)
{
  GstElement *src, *dec;
  GstCaps *jpeg = gst_caps_new_empty_simple ("image/jpeg");
  GstPad *pad;

  memset (r, 0, sizeof (*r));
  r->path = path;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_printerr ("hfrender: %s: no such file.\n", path);
    gst_caps_unref (jpeg);
    return FALSE;
  }
  r->pipe = gst_pipeline_new ("read");
  src = hfr_make ("filesrc", NULL);
  dec = hfr_make ("decodebin", NULL);
  r->sink = hfr_make ("appsink", NULL);
  if (!src || !dec || !r->sink) {
    gst_caps_unref (jpeg);
    return FALSE;
  }
  g_object_set (src, "location", path, NULL);
  /* decodebin stops at the demuxer's image/jpeg: the bytes as muxed. */
  g_object_set (dec, "caps", jpeg, NULL);
  g_object_set (r->sink, "caps", jpeg, "sync", FALSE, "max-buffers", 4, NULL);
  gst_caps_unref (jpeg);
  gst_bin_add_many (GST_BIN (r->pipe), src, dec, r->sink, NULL);
  gst_element_link (src, dec);
  g_signal_connect (dec, "pad-added", G_CALLBACK (on_pad_added), r);
  pad = gst_element_get_static_pad (r->sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, tag_probe, r,
      NULL);
  gst_object_unref (pad);

  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  if (gst_element_get_state (r->pipe, NULL, NULL, READ_TIMEOUT) ==
      GST_STATE_CHANGE_SUCCESS)
    return TRUE;
  if (!report_error (r))
    g_printerr ("hfrender: cannot read %s: it holds no MJPEG video.\n", path);
  reader_close (r);
  return FALSE;
}

/* The next frame, or NULL at the end (or on an error, then printed and
 * *failed set). */
static GstSample *
reader_next (Reader * r, gboolean * failed)
{
  GstSample *s = gst_app_sink_try_pull_sample (GST_APP_SINK (r->sink),
      READ_TIMEOUT);

  if (!s && (report_error (r)
          || !gst_app_sink_is_eos (GST_APP_SINK (r->sink)))) {
    if (!*failed)
      g_printerr ("hfrender: %s: reading stopped before the end.\n", r->path);
    *failed = TRUE;
  }
  return s;
}

/* Says which of the settings that make the frames differ. */
static void
print_difference (const Reader * a, const Reader * b)
{
  const HfrInfo *x = &a->info, *y = &b->info;

  g_printerr ("hfrender: %s and %s are chunks of different renders:",
      a->path, b->path);
  if (strcmp (x->source, y->source) != 0)
    g_printerr (" the composition differs (SHA-256 %.12s... and %.12s...);",
        x->source, y->source);
  if (x->total != y->total)
    g_printerr (" %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT " frames in "
        "all;", x->total, y->total);
  if (x->width != y->width || x->height != y->height)
    g_printerr (" size %dx%d and %dx%d;", x->width, x->height, y->width,
        y->height);
  if (x->fps_n != y->fps_n || x->fps_d != y->fps_d)
    g_printerr (" fps %d/%d and %d/%d;", x->fps_n, x->fps_d, y->fps_n,
        y->fps_d);
  if (x->quality != y->quality)
    g_printerr (" quality %d and %d;", x->quality, y->quality);
  g_printerr ("\n");
}

static gint
by_first (gconstpointer a, gconstpointer b)
{
  const Reader *x = *(Reader * const *) a, *y = *(Reader * const *) b;

  return x->info.first < y->info.first ? -1 : x->info.first > y->info.first;
}

/* The chunks, sorted by first frame, cover the render once: no gap, no
 * overlap, nothing from another render. */
static gboolean
check_cover (Reader ** r, guint n)
{
  gint64 next = 0;
  guint i;

  for (i = 0; i < n; i++) {
    if (!r[i]->tagged) {
      g_printerr ("hfrender: %s is not a file hfrender wrote (it has no "
          "hfrender tag).\n", r[i]->path);
      return FALSE;
    }
    if (i > 0 && !hfr_info_same_render (&r[0]->info, &r[i]->info)) {
      print_difference (r[0], r[i]);
      return FALSE;
    }
  }
  qsort (r, n, sizeof (Reader *), by_first);
  for (i = 0; i < n; i++) {
    if (r[i]->info.first > next) {
      g_printerr ("hfrender: frames %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
          " are missing: no chunk holds them%s%s.\n", next,
          r[i]->info.first - 1, i ? ", after " : "", i ? r[i - 1]->path : "");
      return FALSE;
    }
    if (r[i]->info.first < next) {
      g_printerr ("hfrender: %s and %s overlap: both hold frames %"
          G_GINT64_FORMAT " to %" G_GINT64_FORMAT ".\n", r[i - 1]->path,
          r[i]->path, r[i]->info.first, MIN (next, r[i]->info.end) - 1);
      return FALSE;
    }
    next = r[i]->info.end;
  }
  if (next < r[0]->info.total) {
    g_printerr ("hfrender: frames %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
        " are missing: the last chunk, %s, ends before them.\n", next,
        r[0]->info.total - 1, r[n - 1]->path);
    return FALSE;
  }
  return TRUE;
}

static GstClockTime
frame_time (const HfrInfo * info, gint64 f)
{
  return hfr_frame_time (f, info->fps_n, info->fps_d);
}

/* The writing side of join: appsrc ! muxer ! filesink. */
typedef struct
{
  GstElement *pipe, *src;
  gchar *tmp;
} Writer;

static gboolean
writer_open (Writer * w, const gchar * output, const gchar * muxer,
    const HfrInfo * whole, GstCaps * caps)
{
  GstElement *mux, *sink;
  g_autofree gchar *text = hfr_info_format (whole);

  memset (w, 0, sizeof (*w));
  if (!(w->tmp = hfr_temp_output (output)))
    return FALSE;
  w->pipe = gst_pipeline_new ("join");
  w->src = hfr_make ("appsrc", NULL);
  mux = hfr_make (muxer, NULL);
  sink = hfr_make ("filesink", NULL);
  if (!w->src || !mux || !sink)
    return FALSE;
  g_object_set (w->src, "caps", caps, "format", GST_FORMAT_TIME, NULL);
  g_object_set (sink, "location", w->tmp, NULL);
  gst_tag_setter_add_tags (GST_TAG_SETTER (mux), GST_TAG_MERGE_REPLACE,
      GST_TAG_COMMENT, text, NULL);
  gst_bin_add_many (GST_BIN (w->pipe), w->src, mux, sink, NULL);
  /* By name: avimux's audio pads take image/jpeg too. */
  if (!gst_element_link_pads (w->src, "src", mux, "video_%u")
      || !gst_element_link (mux, sink)) {
    g_printerr ("hfrender: %s takes no MJPEG video.\n", muxer);
    return FALSE;
  }
  return gst_element_set_state (w->pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE;
}

/* Ends the stream and waits for the file to be complete. */
static gboolean
writer_finish (Writer * w)
{
  GstBus *bus = gst_element_get_bus (w->pipe);
  GstMessage *msg;
  gboolean ok;

  gst_app_src_end_of_stream (GST_APP_SRC (w->src));
  msg = gst_bus_timed_pop_filtered (bus, READ_TIMEOUT, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  ok = msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  if (msg && !ok)
    hfr_print_message (msg);
  else if (!msg)
    g_printerr ("hfrender: the muxer did not finish the file.\n");
  if (msg)
    gst_message_unref (msg);
  gst_object_unref (bus);
  return ok;
}

static void
writer_close (Writer * w, const gchar * output, gboolean commit)
{
  if (w->pipe) {
    gst_element_set_state (w->pipe, GST_STATE_NULL);
    gst_object_unref (w->pipe);
  }
  if (w->tmp) {
    if (commit && g_rename (w->tmp, output) != 0) {
      g_printerr ("hfrender: cannot rename %s to %s: %s\n", w->tmp, output,
          g_strerror (errno));
      commit = FALSE;
    }
    if (!commit)
      g_unlink (w->tmp);
    g_free (w->tmp);
  }
}

/* Queues a frame, a few at most: waits while the muxer catches up, and
 * stops at its first error (a blocking appsrc would wait for ever). */
static gboolean
writer_push (Writer * w, GstBuffer * buf)
{
  GstBus *bus = gst_element_get_bus (w->pipe);
  GstMessage *msg = NULL;

  while (gst_app_src_get_current_level_buffers (GST_APP_SRC (w->src)) >= 8
      && !(msg = gst_bus_timed_pop_filtered (bus, 5 * GST_MSECOND,
              GST_MESSAGE_ERROR)));
  if (!msg)
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gst_object_unref (bus);
  if (msg) {
    hfr_print_message (msg);
    gst_message_unref (msg);
    gst_buffer_unref (buf);
    return FALSE;
  }
  return gst_app_src_push_buffer (GST_APP_SRC (w->src), buf) == GST_FLOW_OK;
}

/* Copies one chunk's frames, restamped in the whole render. */
static gboolean
copy_chunk (Reader * r, Writer * w)
{
  gint64 f = r->info.first;
  gboolean failed = FALSE;
  GstSample *s;

  while ((s = reader_next (r, &failed))) {
    GstBuffer *buf = gst_buffer_copy (gst_sample_get_buffer (s));

    gst_sample_unref (s);
    if (f >= r->info.end) {
      gst_buffer_unref (buf);
      g_printerr ("hfrender: %s holds more frames than its tag says (%"
          G_GINT64_FORMAT " to %" G_GINT64_FORMAT ").\n", r->path,
          r->info.first, r->info.end - 1);
      return FALSE;
    }
    GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = frame_time (&r->info, f);
    GST_BUFFER_DURATION (buf) = frame_time (&r->info, f + 1) -
        GST_BUFFER_PTS (buf);
    GST_BUFFER_OFFSET (buf) = f;
    GST_BUFFER_OFFSET_END (buf) = f + 1;
    if (!writer_push (w, buf)) {
      g_printerr ("hfrender: the muxer refused frame %" G_GINT64_FORMAT
          ".\n", f);
      return FALSE;
    }
    f++;
  }
  if (failed)
    return FALSE;
  if (f < r->info.end) {
    g_printerr ("hfrender: %s is truncated: it holds frames %" G_GINT64_FORMAT
        " to %" G_GINT64_FORMAT ", so frames %" G_GINT64_FORMAT " to %"
        G_GINT64_FORMAT " are missing.\n", r->path, r->info.first, f - 1, f,
        r->info.end - 1);
    return FALSE;
  }
  return TRUE;
}

static gchar *opt_output = NULL;

static GOptionEntry join_entries[] = {
  {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
      "The joined file, .avi, .mkv or .mov", "FILE"},
  {NULL}
};

int
hfr_join (int argc, char **argv)
{
  const gchar *muxer;
  Reader **r;
  Writer w = { 0, };
  HfrInfo whole;
  GstSample *first;
  gboolean ok = TRUE;
  guint n, i;

  if (!hfr_parse_options (&argc, &argv, "CHUNK... -o OUT - join chunks "
          "without re-encoding", join_entries, NULL))
    return 2;
  if (argc < 2 || !opt_output) {
    g_printerr ("hfrender: join needs chunk files and -o OUT.\n");
    return 2;
  }
  if (!(muxer = hfr_muxer_for (opt_output)))
    return 2;
  n = argc - 1;
  r = g_new0 (Reader *, n);
  for (i = 0; i < n; i++)
    r[i] = g_new0 (Reader, 1);
  /* Every tag is checked before anything is written; one file is open
   * at a time (a render may have hundreds of chunks). */
  for (i = 0; i < n && ok; i++) {
    ok = reader_open (r[i], argv[i + 1]);
    reader_close (r[i]);
  }
  if (ok)
    ok = check_cover (r, n);
  for (i = 0; i < n && ok; i++) {
    ok = reader_open (r[i], r[i]->path);
    if (ok && i == 0) {
      whole = r[0]->info;
      whole.first = 0;
      whole.end = whole.total;
      /* The joined stream has the first chunk's caps (equal in all). */
      first = gst_app_sink_pull_preroll (GST_APP_SINK (r[0]->sink));
      ok = first && writer_open (&w, opt_output, muxer, &whole,
          gst_sample_get_caps (first));
      if (first)
        gst_sample_unref (first);
    }
    if (ok)
      ok = copy_chunk (r[i], &w);
    reader_close (r[i]);
  }
  if (ok)
    ok = writer_finish (&w);
  writer_close (&w, opt_output, ok);
  for (i = 0; i < n; i++) {
    reader_close (r[i]);
    g_free (r[i]);
  }
  g_free (r);
  if (!ok) {
    g_printerr ("hfrender: nothing was written to %s.\n", opt_output);
    return 1;
  }
  g_printerr ("hfrender: joined %u chunks, %" G_GINT64_FORMAT " frames, "
      "into %s\n", n, whole.total, opt_output);
  return 0;
}

/* The re-rendering side of verify: hfdrawsrc ! capsfilter ! hfjpegenc !
 * appsink with the file's settings, seeked to one frame at a time. */
static GstElement *
renderer_new (const gchar * composition, const HfrInfo * info,
    GstElement ** sink)
{
  GstElement *pipe = gst_pipeline_new ("verify");
  GstElement *src = hfr_make ("hfdrawsrc", NULL);
  GstElement *filter = hfr_make ("capsfilter", NULL);
  GstElement *enc = hfr_make ("hfjpegenc", NULL);
  GstCaps *caps;

  *sink = hfr_make ("appsink", NULL);
  if (!src || !filter || !enc || !*sink) {
    gst_object_unref (pipe);
    return NULL;
  }
  caps = gst_caps_new_simple ("video/x-raw", "width", G_TYPE_INT,
      info->width, "height", G_TYPE_INT, info->height, "framerate",
      GST_TYPE_FRACTION, info->fps_n, info->fps_d, NULL);
  g_object_set (src, "location", composition, NULL);
  g_object_set (filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_object_set (enc, "quality", info->quality, NULL);
  g_object_set (*sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipe), src, filter, enc, *sink, NULL);
  gst_element_link_many (src, filter, enc, *sink, NULL);
  return pipe;
}

/* Frame f drawn and encoded afresh. */
static GstSample *
render_frame (GstElement * pipe, GstElement * sink, const HfrInfo * info,
    gint64 f)
{
  GstBus *bus = gst_element_get_bus (pipe);
  GstMessage *msg;

  if (!gst_element_seek (pipe, 1.0, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH |
          GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET, frame_time (info, f),
          GST_SEEK_TYPE_SET, frame_time (info, f + 1))) {
    gst_object_unref (bus);
    return NULL;
  }
  msg = gst_bus_timed_pop_filtered (bus, READ_TIMEOUT,
      GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
  gst_object_unref (bus);
  if (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    hfr_print_message (msg);
  if (!msg || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    if (msg)
      gst_message_unref (msg);
    return NULL;
  }
  gst_message_unref (msg);
  return gst_app_sink_pull_preroll (GST_APP_SINK (sink));
}

static gchar *opt_against = NULL;
static gint opt_every = 97;

static GOptionEntry verify_entries[] = {
  {"against", 'a', 0, G_OPTION_ARG_FILENAME, &opt_against,
      "The composition the file was rendered from", "COMPOSITION"},
  {"every", 'e', 0, G_OPTION_ARG_INT, &opt_every,
      "Compare every N-th frame, and the last (default 97)", "N"},
  {NULL}
};

int
hfr_verify (int argc, char **argv)
{
  g_autoptr (GError) err = NULL;
  gchar hash[65];
  Reader r;
  GstElement *pipe = NULL, *sink = NULL;
  GstSample *s;
  gboolean failed = FALSE;
  gint64 f, checked = 0, differ = 0;

  if (!hfr_parse_options (&argc, &argv, "FILE --against COMPOSITION - "
          "compare a sample of frames with a re-render", verify_entries, NULL))
    return 2;
  if (argc != 2 || !opt_against || opt_every < 1) {
    g_printerr ("hfrender: verify needs one FILE, --against COMPOSITION "
        "and --every N >= 1.\n");
    return 2;
  }
  if (!hfr_source_hash (opt_against, hash, &err)) {
    g_printerr ("hfrender: %s\n", err->message);
    return 2;
  }
  if (!reader_open (&r, argv[1]))
    return 1;
  if (!r.tagged) {
    g_printerr ("hfrender: %s is not a file hfrender wrote (it has no "
        "hfrender tag).\n", r.path);
    reader_close (&r);
    return 1;
  }
  if (strcmp (hash, r.info.source) != 0) {
    g_printerr ("hfrender: %s was rendered from another composition than "
        "%s (SHA-256 %.12s..., not %.12s...).\n", r.path, opt_against,
        r.info.source, hash);
    reader_close (&r);
    return 1;
  }
  pipe = renderer_new (opt_against, &r.info, &sink);
  if (!pipe || gst_element_set_state (pipe, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_FAILURE || gst_element_get_state (pipe, NULL, NULL,
          READ_TIMEOUT) != GST_STATE_CHANGE_SUCCESS) {
    g_printerr ("hfrender: cannot render %s.\n", opt_against);
    failed = TRUE;
  }
  for (f = r.info.first; !failed && (s = reader_next (&r, &failed)); f++) {
    gboolean last = f == r.info.end - 1;
    GstSample *fresh;
    GstMapInfo a, b;

    if (f >= r.info.end || ((f - r.info.first) % opt_every != 0 && !last)) {
      gst_sample_unref (s);
      continue;
    }
    fresh = render_frame (pipe, sink, &r.info, f);
    if (!fresh) {
      g_printerr ("hfrender: cannot render frame %" G_GINT64_FORMAT ".\n", f);
      gst_sample_unref (s);
      failed = TRUE;
      break;
    }
    gst_buffer_map (gst_sample_get_buffer (s), &a, GST_MAP_READ);
    gst_buffer_map (gst_sample_get_buffer (fresh), &b, GST_MAP_READ);
    checked++;
    if (a.size != b.size || memcmp (a.data, b.data, a.size) != 0) {
      differ++;
      g_print ("frame %" G_GINT64_FORMAT " differs: %" G_GSIZE_FORMAT
          " bytes in the file, %" G_GSIZE_FORMAT " re-rendered\n", f, a.size,
          b.size);
    }
    gst_buffer_unmap (gst_sample_get_buffer (s), &a);
    gst_buffer_unmap (gst_sample_get_buffer (fresh), &b);
    gst_sample_unref (fresh);
    gst_sample_unref (s);
  }
  if (!failed && f != r.info.end) {
    g_printerr ("hfrender: %s holds %" G_GINT64_FORMAT " frames; its tag "
        "says %" G_GINT64_FORMAT ".\n", r.path, f - r.info.first,
        r.info.end - r.info.first);
    failed = TRUE;
  }
  if (pipe) {
    gst_element_set_state (pipe, GST_STATE_NULL);
    gst_object_unref (pipe);
  }
  reader_close (&r);
  if (failed)
    return 1;
  g_print ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " frames compared "
      "(every %d-th and the last): %" G_GINT64_FORMAT " differ\n", checked,
      r.info.end - r.info.first, opt_every, differ);
  return differ ? 1 : 0;
}

/* Interop: hfjpegenc output in the stock muxers, multifilesink, jpegdec,
 * and (where installed) ffprobe and ffmpeg.
 *
 * Each case encodes a known number of frames, writes them through one
 * container, then reads the file back with the matching demuxer and
 * jpegdec and counts the decoded frames and their size. When ffprobe and
 * ffmpeg are on PATH, they must agree on frame count, size and codec, and
 * decode every frame without an error.
 */

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "hfcheck.h"

#define N_FRAMES 12
#define WIDTH 176
#define HEIGHT 144

typedef struct
{
  const gchar *mux;
  const gchar *demux;
  const gchar *ext;
} Container;

static const Container containers[] = {
  {"avimux", "avidemux", "avi"},
  {"matroskamux", "matroskademux", "mkv"},
  {"qtmux", "qtdemux", "mov"},
};

/* Two producers: our source (packed RGBA) and a stock one (planar I420),
 * so both input paths of the encoder go through every container. */
static const gchar *sources[] = {
  "hfdrawsrc num-buffers=" G_STRINGIFY (N_FRAMES)
      " ! video/x-raw,format=RGBA,width=" G_STRINGIFY (WIDTH)
      ",height=" G_STRINGIFY (HEIGHT) ",framerate=30/1",
  "videotestsrc pattern=smpte num-buffers=" G_STRINGIFY (N_FRAMES)
      " ! video/x-raw,format=I420,width=" G_STRINGIFY (WIDTH)
      ",height=" G_STRINGIFY (HEIGHT) ",framerate=30/1",
};

static gchar *
output_dir (void)
{
  const gchar *base = g_getenv ("HF_TEST_OUTPUT_DIR");
  gchar *dir = g_build_filename (base ? base : g_get_tmp_dir (),
      "interop", NULL);

  fail_unless (g_mkdir_with_parents (dir, 0755) == 0, "cannot create %s", dir);
  return dir;
}

/* Runs a launch line to EOS; fails the test on an ERROR message. */
static void
run_pipeline (const gchar * desc, GCallback handoff, gpointer data)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstBus *bus;
  GstMessage *msg;

  fail_unless (pipeline != NULL, "cannot build '%s': %s", desc,
      err ? err->message : "?");
  if (handoff) {
    GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
    fail_unless (sink != NULL);
    g_object_set (sink, "signal-handoffs", TRUE, NULL);
    g_signal_connect (sink, "handoff", handoff, data);
    gst_object_unref (sink);
  }
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "'%s' did not finish", desc);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *e = NULL;
    gchar *dbg = NULL;
    gst_message_parse_error (msg, &e, &dbg);
    fail ("'%s': error from %s: %s (%s)", desc, GST_OBJECT_NAME (msg->src),
        e->message, dbg ? dbg : "");
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

typedef struct
{
  guint frames;
  gint width, height;
} Decoded;

static void
on_decoded (GstElement * sink, GstBuffer * buf, GstPad * pad, Decoded * d)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstStructure *s = gst_caps_get_structure (caps, 0);

  fail_unless (gst_structure_get_int (s, "width", &d->width));
  fail_unless (gst_structure_get_int (s, "height", &d->height));
  gst_caps_unref (caps);
  d->frames++;
}

static void
decode_and_count (const gchar * reader, Decoded * d)
{
  gchar *desc = g_strdup_printf ("%s ! jpegdec ! fakesink name=sink "
      "sync=false", reader);

  memset (d, 0, sizeof (*d));
  run_pipeline (desc, G_CALLBACK (on_decoded), d);
  g_free (desc);
}

/* Runs argv; returns its stdout, or NULL when the tool is not installed. */
static gchar *
run_tool (const gchar * const *argv, gchar ** err_out)
{
  gchar *out = NULL, *err = NULL;
  gint status = 0;
  GError *error = NULL;
  g_autofree gchar *prog = g_find_program_in_path (argv[0]);

  if (!prog)
    return NULL;
  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
          NULL, NULL, &out, &err, &status, &error), "%s: %s", argv[0],
      error ? error->message : "?");
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "%s failed: %s", argv[0], err);
  if (err_out)
    *err_out = err;
  else
    g_free (err);
  return out;
}

static gchar *
ff_field (const gchar * out, const gchar * key)
{
  gchar **lines = g_strsplit (out, "\n", -1);
  gchar *val = NULL;
  gsize klen = strlen (key);
  gint i;

  for (i = 0; lines[i] && !val; i++)
    if (g_str_has_prefix (lines[i], key) && lines[i][klen] == '=')
      val = g_strstrip (g_strdup (lines[i] + klen + 1));
  g_strfreev (lines);
  fail_unless (val != NULL, "ffprobe printed no %s in:\n%s", key, out);
  return val;
}

/* ffprobe must see N mjpeg frames of the right size, and ffmpeg must
 * decode all of them with nothing on stderr. Skipped without the tools. */
static void
check_with_ffmpeg (const gchar * input, const gchar * format)
{
  const gchar *probe[] = { "ffprobe", "-v", "error", "-select_streams", "v:0",
    "-count_frames", "-show_entries",
    "stream=codec_name,width,height,nb_read_frames",
    "-of", "default=noprint_wrappers=1", "-f", format, input, NULL
  };
  const gchar *decode[] = { "ffmpeg", "-nostdin", "-v", "error", "-f",
    format, "-i", input, "-f", "null", "-", NULL
  };
  g_autofree gchar *has_probe = g_find_program_in_path ("ffprobe");
  g_autofree gchar *has_ffmpeg = g_find_program_in_path ("ffmpeg");
  gchar *out, *err = NULL, *v;

  if (!has_probe || !has_ffmpeg) {
    /* Visible in the test log, so a green run without them is explained. */
    g_printerr ("ffprobe/ffmpeg not installed: skipping their checks\n");
    return;
  }
  /* A NULL format means: let the tools detect the container. */
  if (!format) {
    memmove (&probe[10], &probe[12], 2 * sizeof (gchar *));
    memmove (&decode[4], &decode[6], 6 * sizeof (gchar *));
  }
  out = run_tool (probe, NULL);
  v = ff_field (out, "codec_name");
  fail_unless_equals_string (v, "mjpeg");
  g_free (v);
  v = ff_field (out, "width");
  fail_unless_equals_int (atoi (v), WIDTH);
  g_free (v);
  v = ff_field (out, "height");
  fail_unless_equals_int (atoi (v), HEIGHT);
  g_free (v);
  v = ff_field (out, "nb_read_frames");
  fail_unless_equals_int (atoi (v), N_FRAMES);
  g_free (v);
  g_free (out);

  out = run_tool (decode, &err);
  fail_unless (err == NULL || *g_strstrip (err) == '\0',
      "ffmpeg reported decode errors on %s:\n%s", input, err);
  g_free (out);
  g_free (err);
}

HF_CHECK_LOOP_TEST ("general", test_containers, 0,
    G_N_ELEMENTS (sources) * G_N_ELEMENTS (containers))
{
  /* __i__ walks every source x container pair. */
  const Container *c = &containers[__i__ % G_N_ELEMENTS (containers)];
  guint src = __i__ / G_N_ELEMENTS (containers);
  gchar *dir = output_dir ();
  gchar *name = g_strdup_printf ("out-%u.%s", src, c->ext);
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *desc, *reader;
  Decoded d;

  g_unlink (path);
  desc = g_strdup_printf ("%s ! hfjpegenc ! %s ! filesink location=\"%s\"",
      sources[src], c->mux, path);
  run_pipeline (desc, NULL, NULL);

  reader = g_strdup_printf ("filesrc location=\"%s\" ! %s", path, c->demux);
  decode_and_count (reader, &d);
  fail_unless_equals_int (d.frames, N_FRAMES);
  fail_unless_equals_int (d.width, WIDTH);
  fail_unless_equals_int (d.height, HEIGHT);

  check_with_ffmpeg (path, NULL);

  g_free (reader);
  g_free (desc);
  g_free (path);
  g_free (name);
  g_free (dir);
}

GST_END_TEST;

HF_CHECK_LOOP_TEST ("general", test_jpeg_sequence, 0, G_N_ELEMENTS (sources))
{
  gchar *dir = output_dir ();
  gchar *seqdir = g_strdup_printf ("%s/seq-%d", dir, __i__);
  gchar *pattern = g_build_filename (seqdir, "frame-%05d.jpg", NULL);
  gchar *desc, *reader, *file, *data;
  gsize len;
  Decoded d;
  gint i;

  g_mkdir_with_parents (seqdir, 0755);
  for (i = 0; i < N_FRAMES + 2; i++) {
    file = g_strdup_printf (pattern, i);
    g_unlink (file);
    g_free (file);
  }
  desc = g_strdup_printf ("%s ! hfjpegenc ! multifilesink location=\"%s\"",
      sources[__i__], pattern);
  run_pipeline (desc, NULL, NULL);

  /* One complete JPEG (SOI ... EOI) per frame, and no more. */
  for (i = 0; i < N_FRAMES; i++) {
    file = g_strdup_printf (pattern, i);
    fail_unless (g_file_get_contents (file, &data, &len, NULL),
        "missing %s", file);
    fail_unless (len > 4);
    fail_unless ((guint8) data[0] == 0xff && (guint8) data[1] == 0xd8);
    fail_unless ((guint8) data[len - 2] == 0xff
        && (guint8) data[len - 1] == 0xd9);
    g_free (data);
    g_free (file);
  }
  file = g_strdup_printf (pattern, N_FRAMES);
  fail_if (g_file_test (file, G_FILE_TEST_EXISTS), "extra file %s", file);
  g_free (file);

  reader = g_strdup_printf ("multifilesrc location=\"%s\" "
      "caps=image/jpeg,framerate=30/1", pattern);
  decode_and_count (reader, &d);
  fail_unless_equals_int (d.frames, N_FRAMES);
  fail_unless_equals_int (d.width, WIDTH);
  fail_unless_equals_int (d.height, HEIGHT);

  check_with_ffmpeg (pattern, "image2");

  g_free (reader);
  g_free (desc);
  g_free (pattern);
  g_free (seqdir);
  g_free (dir);
}

GST_END_TEST;

static void
on_checksum (GstElement * sink, GstBuffer * buf, GstPad * pad, GPtrArray * sums)
{
  GstMapInfo map;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  g_ptr_array_add (sums, g_compute_checksum_for_data (G_CHECKSUM_SHA256,
          map.data, map.size));
  gst_buffer_unmap (buf, &map);
}

/* The decoded pixels of each frame, through `middle` or not. */
static GPtrArray *
decoded_sums (guint restart, const gchar * middle)
{
  GPtrArray *sums = g_ptr_array_new_with_free_func (g_free);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=5 pattern=snow "
      "! video/x-raw,width=320,height=240,format=I420 ! hfjpegenc "
      "restart-interval=%u %s ! jpegdec ! fakesink name=sink sync=false",
      restart, middle);

  run_pipeline (desc, G_CALLBACK (on_checksum), sums);
  g_free (desc);
  return sums;
}

/* RTP (rtpjpegpay, which reads DRI, and rtpjpegdepay) carries frames with
 * and without restart markers: each decodes to the pixels it has without
 * the round trip, and with markers to the pixels it has without. */
HF_CHECK_TEST ("general", test_rtp_restart_markers)
{
  GPtrArray *plain = decoded_sums (0, "");
  guint restart;

  for (restart = 0; restart <= 2; restart += 2) {
    GPtrArray *rtp = decoded_sums (restart, "! rtpjpegpay ! rtpjpegdepay");
    guint i;

    fail_unless_equals_int (rtp->len, 5);
    for (i = 0; i < rtp->len; i++)
      fail_unless_equals_string (g_ptr_array_index (rtp, i),
          g_ptr_array_index (plain, i));
    g_ptr_array_unref (rtp);
  }
  g_ptr_array_unref (plain);
}

GST_END_TEST;

static void
configure (TCase * tc)
{
  tcase_set_timeout (tc, 120);
}

HF_CHECK_MAIN_WITH ("interop", configure);

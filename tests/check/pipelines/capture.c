/* End-to-end capture: hfdrawsrc ! hfjpegenc ! avimux ! filesink runs to EOS
 * by itself and writes every frame; JPEG round trips stay close to the
 * drawn frames. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include <gst/check/gstcheck.h>
#include <gst/video/video.h>

#include "hfcheck.h"

/* One second at 30 fps: 30 frames. It moves until 0.6 s and is still
 * afterwards, so repeated frames (shared memory, deduplicated by the
 * encoder) must be written too. */
#define FPS_N 30
#define FPS_D 1
static const gchar *comp_1s =
    "<composition width=\"96\" height=\"64\" fps=\"30\" duration=\"1\" "
    "background=\"#183048\">\n"
    "  <rect x=\"0\" y=\"8\" width=\"24\" height=\"24\" fill=\"#f0c020\" "
    "data-start=\"0\" data-duration=\"1\">\n"
    "    <tween attr=\"x\" from=\"0\" to=\"70\" start=\"0\" duration=\"0.6\" "
    "ease=\"sine.inOut\"/>\n"
    "  </rect>\n"
    "  <ellipse cx=\"48\" cy=\"44\" rx=\"16\" ry=\"10\" fill=\"#40a0ff\" "
    "data-start=\"0.2\" data-duration=\"0.8\"/>\n" "</composition>\n";

static GstElement *
pipeline_with_comp (const gchar * desc, const gchar * comp)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);
  GstElement *src;

  fail_unless (pipe != NULL, "%s: %s", desc, err ? err->message : "?");
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  fail_unless (src != NULL);
  if (comp)
    g_object_set (src, "composition", comp, NULL);
  gst_object_unref (src);
  return pipe;
}

/* Plays to EOS; fails on an ERROR. No timeout other than a generous guard:
 * the pipeline must end by itself. */
static void
play_to_eos (GstElement * pipe)
{
  GstBus *bus = gst_element_get_bus (pipe);
  GstMessage *msg;

  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "pipeline did not end by itself");
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *dbg = NULL;
    gst_message_parse_error (msg, &err, &dbg);
    fail ("ERROR from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
        err->message, dbg);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipe, GST_STATE_NULL);
}

static guint32
rd32 (const guint8 * p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

/* Stream 0 video chunks are '00dc' or '00db' (avimux writes the latter). */
static gboolean
is_video_chunk (const guint8 * id)
{
  return memcmp (id, "00dc", 4) == 0 || memcmp (id, "00db", 4) == 0;
}

/* Counts stream-0 video chunks in the movi list, and their entries in the
 * idx1 index, of a RIFF AVI file. */
static void
count_avi_frames (const guint8 * data, gsize size, guint * movi_frames,
    guint * idx_frames)
{
  gsize pos = 12, end;

  *movi_frames = *idx_frames = 0;
  fail_unless (size > 12 && memcmp (data, "RIFF", 4) == 0
      && memcmp (data + 8, "AVI ", 4) == 0, "not an AVI file");
  while (pos + 8 <= size) {
    guint32 csize = rd32 (data + pos + 4);

    end = pos + 8 + csize;
    fail_unless (end <= size, "truncated chunk at %" G_GSIZE_FORMAT, pos);
    if (memcmp (data + pos, "LIST", 4) == 0 && csize >= 4
        && memcmp (data + pos + 8, "movi", 4) == 0) {
      gsize p = pos + 12;

      while (p + 8 <= end) {
        guint32 s = rd32 (data + p + 4);

        if (is_video_chunk (data + p)) {
          (*movi_frames)++;
          /* A JPEG starts with SOI. */
          fail_unless (s > 2 && data[p + 8] == 0xff && data[p + 9] == 0xd8);
        }
        p += 8 + s + (s & 1);
      }
    } else if (memcmp (data + pos, "idx1", 4) == 0) {
      gsize p;

      for (p = pos + 8; p + 16 <= end; p += 16)
        if (is_video_chunk (data + p))
          (*idx_frames)++;
    }
    pos = end + (csize & 1);
  }
}

HF_CHECK_TEST ("general", test_capture_avi)
{
  GError *err = NULL;
  gchar *path = NULL, *desc, *contents = NULL;
  gint fd = g_file_open_tmp ("hfcapture-XXXXXX.avi", &path, &err);
  GstElement *pipe;
  gsize size;
  guint movi, idx, expected;

  fail_unless (fd >= 0, "%s", err ? err->message : "");
  close (fd);
  desc = g_strdup_printf ("hfdrawsrc name=src ! hfjpegenc ! avimux ! "
      "filesink location=\"%s\"", path);
  pipe = pipeline_with_comp (desc, comp_1s);
  play_to_eos (pipe);
  gst_object_unref (pipe);

  fail_unless (g_file_get_contents (path, &contents, &size, &err), "%s",
      err ? err->message : "");
  count_avi_frames ((const guint8 *) contents, size, &movi, &idx);
  expected = gst_util_uint64_scale_ceil (GST_SECOND, FPS_N,
      (guint64) FPS_D * GST_SECOND);
  GST_INFO ("%s: %" G_GSIZE_FORMAT " bytes, %u frames, %u indexed", path,
      size, movi, idx);
  fail_unless_equals_int (movi, expected);
  fail_unless_equals_int (idx, expected);

  g_unlink (path);
  g_free (contents);
  g_free (desc);
  g_free (path);
}

GST_END_TEST;

typedef struct
{
  GPtrArray *frames;
} Collect;

static void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Collect * c)
{
  g_ptr_array_add (c->frames, gst_buffer_ref (buf));
}

static GPtrArray *
collect_frames (const gchar * desc)
{
  GstElement *pipe = pipeline_with_comp (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  Collect c = { g_ptr_array_new_with_free_func (
        (GDestroyNotify) gst_buffer_unref)
  };

  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &c);
  play_to_eos (pipe);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return c.frames;
}

/* PSNR over R, G and B of two RGBx frames of the same size. */
static double
psnr_rgb (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;
  double sse = 0;
  gsize i, n = 0;

  fail_unless (gst_buffer_map (a, &ma, GST_MAP_READ));
  fail_unless (gst_buffer_map (b, &mb, GST_MAP_READ));
  fail_unless_equals_int (ma.size, mb.size);
  for (i = 0; i < ma.size; i++) {
    double d;

    if ((i & 3) == 3)
      continue;
    d = (double) ma.data[i] - mb.data[i];
    sse += d * d;
    n++;
  }
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  if (sse == 0)
    return 99.0;
  return 10.0 * log10 (255.0 * 255.0 * n / sse);
}

HF_CHECK_TEST ("general", test_demo_jpeg_round_trip)
{
  /* Frames 0, 30, 60... of the demo: one a second, to cover its scenes. */
  const gchar *caps = "video/x-raw,format=RGBx,width=192,height=108,"
      "framerate=1/1";
  gchar *raw_desc = g_strdup_printf ("hfdrawsrc name=src num-buffers=5 ! "
      "%s ! fakesink name=sink", caps);
  gchar *jpeg_desc = g_strdup_printf ("hfdrawsrc name=src num-buffers=5 ! "
      "%s ! hfjpegenc ! jpegdec ! videoconvert ! video/x-raw,format=RGBx ! "
      "fakesink name=sink", caps);
  GPtrArray *raw = collect_frames (raw_desc);
  GPtrArray *dec = collect_frames (jpeg_desc);
  guint i;

  fail_unless_equals_int (raw->len, 5);
  fail_unless_equals_int (dec->len, 5);
  for (i = 0; i < raw->len; i++) {
    double p = psnr_rgb (g_ptr_array_index (raw, i),
        g_ptr_array_index (dec, i));

    GST_INFO ("frame %u: PSNR %.2f dB", i, p);
    fail_unless (p > 30.0, "frame %u: PSNR %.2f dB", i, p);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (GST_BUFFER
            (g_ptr_array_index (dec, i))), i * GST_SECOND);
  }
  g_ptr_array_unref (raw);
  g_ptr_array_unref (dec);
  g_free (raw_desc);
  g_free (jpeg_desc);
}

GST_END_TEST;

/* QA's repro: a still composition through an in-place filter. */
static const gchar *still_comp =
    "<composition width=\"160\" height=\"60\" duration=\"1\" "
    "background=\"#204060\"/>\n";

static void
on_checksum_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad,
    GPtrArray * sums)
{
  GstMapInfo map;

  /* A checksum, not a ref: holding the frames would make their memory
   * shared and hide in-place writes. */
  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  g_ptr_array_add (sums, g_compute_checksum_for_data (G_CHECKSUM_SHA256,
          map.data, map.size));
  gst_buffer_unmap (buf, &map);
}

/* Paints nothing, but says it did: every frame is drawn afresh, no frame
 * shares memory with another. */
static gboolean
on_draw_fresh (GstElement * src, GstBuffer * buf, GstVideoInfo * info,
    guint64 index, guint64 pts, gpointer data)
{
  return TRUE;
}

/* Checksums of 10 frames of still_comp through filter. */
static GPtrArray *
filtered_checksums (const gchar * filter, gboolean fresh)
{
  GPtrArray *sums = g_ptr_array_new_with_free_func (g_free);
  gchar *desc = g_strdup_printf ("hfdrawsrc name=src num-buffers=10 ! %s "
      "! fakesink name=sink signal-handoffs=true sync=false", filter);
  GstElement *pipe = pipeline_with_comp (desc, still_comp);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");

  g_signal_connect (sink, "handoff", G_CALLBACK (on_checksum_handoff), sums);
  if (fresh)
    g_signal_connect (src, "draw", G_CALLBACK (on_draw_fresh), NULL);
  play_to_eos (pipe);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_free (desc);
  return sums;
}

/* An in-place filter writes into the frame it is given. Still frames share
 * one picture; what the filter did to one frame must not show in the next
 * ones (it did when the write went into the shared memory: timeoverlay
 * piled up the times). videobalance stands in for timeoverlay, whose
 * fonts LeakSanitizer would report; applied twice, it shows. */
HF_CHECK_TEST ("general", test_still_frames_through_inplace_filter)
{
  const gchar *filter = "videobalance brightness=0.2 saturation=1.5";
  GstElementFactory *f = gst_element_factory_find ("videobalance");
  GPtrArray *shared, *fresh, *plain;
  guint i;

  if (f == NULL) {
    GST_WARNING ("videobalance not installed: skipped");
    return;
  }
  gst_object_unref (f);
  shared = filtered_checksums (filter, FALSE);
  fresh = filtered_checksums (filter, TRUE);
  plain = filtered_checksums ("identity", FALSE);
  fail_unless_equals_int (shared->len, 10);
  fail_unless_equals_int (fresh->len, 10);
  fail_unless_equals_int (plain->len, 10);
  for (i = 0; i < 10; i++)
    fail_unless_equals_string (g_ptr_array_index (shared, i),
        g_ptr_array_index (fresh, i));
  /* The filter did change the frames. */
  fail_if (g_str_equal (g_ptr_array_index (fresh, 0),
          g_ptr_array_index (plain, 0)));
  g_ptr_array_unref (shared);
  g_ptr_array_unref (fresh);
  g_ptr_array_unref (plain);
}

GST_END_TEST;

HF_CHECK_MAIN ("capture");

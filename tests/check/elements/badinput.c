/* Bad input to hfjpegenc and hfdrawsrc, each with its expected outcome:
 * a clear ERROR (and a flow error or refused caps), or correct output
 * checked by decoding it. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "hfcheck.h"
#include <turbojpeg.h>

/* ------------------------------------------------------------------ */
/* hfjpegenc helpers */

/* A harness around hfjpegenc with the properties of the NULL-terminated
 * list set before it starts (threads, queue-depth and slices can only be
 * set then), and a bus to read its messages. */
static GstHarness *
enc_harness (const gchar * caps, GstBus ** bus, const gchar * first_prop, ...)
{
  GstElement *el;
  GstHarness *h;
  va_list args;

  va_start (args, first_prop);
  el = gst_element_factory_make_valist ("hfjpegenc", first_prop, args);
  va_end (args);
  fail_unless (el != NULL, "hfjpegenc not found");
  h = gst_harness_new_with_element (el, "sink", "src");
  gst_object_unref (el);
  /* Harness elements have no pipeline: give it a bus to read errors. */
  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  if (caps != NULL)
    gst_harness_set_src_caps_str (h, caps);
  return h;
}

static void
enc_teardown (GstHarness * h, GstBus * bus)
{
  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

/* Asserts an ERROR message from the element in `domain` is on the bus. */
static void
assert_error (GstBus * bus, GQuark domain)
{
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *err = NULL;

  fail_unless (msg != NULL, "no ERROR message");
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (err->domain == domain, "error in %s: %s",
      g_quark_to_string (err->domain), err->message);
  fail_unless (err->message != NULL && err->message[0] != '\0');
  g_error_free (err);
  gst_message_unref (msg);
}

static GstBuffer *
filled_buffer (gsize size, guint8 value)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);

  gst_buffer_memset (buf, 0, value, size);
  GST_BUFFER_PTS (buf) = 0;
  GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
  return buf;
}

static GBytes *
buffer_bytes (GstBuffer * buf)
{
  GstMapInfo map;
  GBytes *bytes;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buf, &map);
  return bytes;
}

/* Encodes `in`, a `format` frame of width x height, through a fresh
 * element with `queue_depth` (0: the default) as the stream's first frame
 * (PTS 0) and returns its JPEG. */
static GstBuffer *
encode_one (GstVideoFormat format, gint width, gint height,
    guint queue_depth, GstBuffer * in)
{
  GstBus *bus;
  gchar *caps = g_strdup_printf ("video/x-raw,format=%s,width=%d,"
      "height=%d,framerate=30/1", gst_video_format_to_string (format),
      width, height);
  GstHarness *h = enc_harness (caps, &bus,
      queue_depth > 0 ? "queue-depth" : NULL, queue_depth, NULL);
  GstBuffer *out;

  GST_BUFFER_PTS (in) = 0;
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  out = gst_harness_pull (h);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR) == NULL);
  enc_teardown (h, bus);
  g_free (caps);
  return out;
}

/* ------------------------------------------------------------------ */
/* Buffers shorter than the frame: an error, never a read past the end.
 * Longer ones: the frame is the start of the buffer. An empty buffer is a
 * short one. */
HF_CHECK_TEST ("hfjpegenc", test_short_long_empty_buffers)
{
  static const gsize frame = 64 * 48 * 4;
  const gsize sizes[] = { frame - 1, frame / 2, 0 };
  GstHarness *h;
  GstBus *bus;
  GstBuffer *out;
  guint8 *rgb;
  gint w, hh;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    h = enc_harness ("video/x-raw,format=RGBA,width=64,height=48,"
        "framerate=30/1", &bus, NULL);
    fail_unless_equals_int (gst_harness_push (h, filled_buffer (sizes[i],
                0x80)), GST_FLOW_ERROR);
    assert_error (bus, GST_STREAM_ERROR);
    fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
    enc_teardown (h, bus);
  }

  h = enc_harness ("video/x-raw,format=RGBA,width=64,height=48,"
      "framerate=30/1", &bus, "queue-depth", 1, NULL);
  fail_unless_equals_int (gst_harness_push (h, filled_buffer (frame + 4096,
              0x80)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  out = gst_harness_pull (h);
  rgb = hf_check_decode_jpeg (out, &w, &hh);
  fail_unless_equals_int (w, 64);
  fail_unless_equals_int (hh, 48);
  fail_unless (ABS (rgb[0] - 0x80) <= 4);
  g_free (rgb);
  gst_buffer_unref (out);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR) == NULL);
  enc_teardown (h, bus);
}

GST_END_TEST;

/* Caps with a zero or too large dimension are refused at negotiation. */
HF_CHECK_TEST ("hfjpegenc", test_refused_sizes)
{
  static const gchar *bad[] = {
    "video/x-raw,format=RGBA,width=0,height=48,framerate=30/1",
    "video/x-raw,format=RGBA,width=64,height=0,framerate=30/1",
    "video/x-raw,format=RGBA,width=65536,height=1,framerate=30/1",
    "video/x-raw,format=I420,width=1,height=65536,framerate=30/1",
    /* Over libjpeg's JPEG_MAX_DIMENSION (65500). */
    "video/x-raw,format=RGBA,width=65501,height=1,framerate=30/1",
    "video/x-raw,format=GRAY8,width=2,height=65501,framerate=30/1",
    "video/x-raw,format=GRAY8,width=65535,height=2,framerate=30/1",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstHarness *h = gst_harness_new ("hfjpegenc");
    GstCaps *caps = gst_caps_from_string (bad[i]);
    GstPad *sink = gst_element_get_static_pad (h->element, "sink");
    GstSegment segment;

    fail_if (gst_pad_query_accept_caps (sink, caps), "accepted %s", bad[i]);
    gst_object_unref (sink);
    /* Not gst_harness_set_src_caps(): it asserts the caps are accepted. */
    gst_pad_push_event (h->srcpad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
    gst_segment_init (&segment, GST_FORMAT_TIME);
    gst_pad_push_event (h->srcpad, gst_event_new_segment (&segment));
    fail_unless_equals_int (gst_harness_push (h, filled_buffer (64, 0)),
        GST_FLOW_NOT_NEGOTIATED);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* The largest sizes. libjpeg-turbo compresses at most 65500 pixels a side
 * (JPEG_MAX_DIMENSION): 65500 must encode correctly, and larger sides are
 * refused at negotiation (accept-caps says no, the first buffer is
 * not-negotiated), never accepted to fail at the first frame. */
HF_CHECK_TEST ("hfjpegenc", test_max_size)
{
  static const gint dims[][2] = {
    {65500, 1}, {1, 65500}, {65501, 1}, {1, 65501}, {65535, 1}, {1, 65535},
    {65536, 1},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (dims); i++) {
    GstBus *bus;
    gchar *caps = g_strdup_printf ("video/x-raw,format=RGBx,width=%d,"
        "height=%d,framerate=30/1", dims[i][0], dims[i][1]);
    GstHarness *h = enc_harness (NULL, &bus, "queue-depth", 1, NULL);
    GstSegment segment;
    GstFlowReturn ret;
    gboolean encodable = MAX (dims[i][0], dims[i][1]) <= 65500;
    GstCaps *c = gst_caps_from_string (caps);
    GstPad *sink = gst_element_get_static_pad (h->element, "sink");

    fail_unless (gst_pad_query_accept_caps (sink, c) == encodable,
        "%s: accept-caps %d", caps, !encodable);
    gst_object_unref (sink);
    /* Not gst_harness_set_src_caps(): it asserts the caps are accepted. */
    gst_pad_push_event (h->srcpad, gst_event_new_caps (c));
    gst_caps_unref (c);
    gst_segment_init (&segment, GST_FORMAT_TIME);
    gst_pad_push_event (h->srcpad, gst_event_new_segment (&segment));
    ret = gst_harness_push (h, filled_buffer (65536 * 4, 0x40));
    if (encodable) {
      GstBuffer *out;
      guint8 *rgb;
      gint w, hh;

      fail_unless_equals_int (ret, GST_FLOW_OK);
      fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
      out = gst_harness_pull (h);
      rgb = hf_check_decode_jpeg (out, &w, &hh);
      fail_unless_equals_int (w, dims[i][0]);
      fail_unless_equals_int (hh, dims[i][1]);
      fail_unless (ABS (rgb[3 * 1000] - 0x40) <= 4);
      g_free (rgb);
      gst_buffer_unref (out);
    } else {
      fail_unless_equals_int (ret, GST_FLOW_NOT_NEGOTIATED);
      fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
    }
    fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR) == NULL);
    enc_teardown (h, bus);
    g_free (caps);
  }
}

GST_END_TEST;

/* Sides the caps allow but too many pixels for libjpeg-turbo 2.1's int
 * arithmetic (hf_enc_max_size () is 0): refused when the caps arrive, with
 * a STREAM/FORMAT error naming the size, before any buffer is read. */
HF_CHECK_TEST ("hfjpegenc", test_too_many_pixels)
{
  GstBus *bus;
  GstHarness *h = enc_harness (NULL, &bus, NULL);
  GstCaps *c = gst_caps_from_string ("video/x-raw,format=RGBx,width=20000,"
      "height=20000,framerate=30/1");
  GstSegment segment;
  GstMessage *msg;
  GError *err = NULL;
  GstFlowReturn ret;

  gst_pad_push_event (h->srcpad, gst_event_new_caps (c));
  gst_caps_unref (c);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (h->srcpad, gst_event_new_segment (&segment));
  ret = gst_harness_push (h, filled_buffer (64, 0));
  /* The base class turns a refused set_format into a flow error. */
  fail_unless (ret == GST_FLOW_NOT_NEGOTIATED || ret == GST_FLOW_ERROR,
      "flow %s", gst_flow_get_name (ret));
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no ERROR message");
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_STREAM_ERROR,
          GST_STREAM_ERROR_FORMAT), "%s", err->message);
  fail_unless (strstr (err->message, "20000x20000") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (msg);
  /* The base class calls set_format again with the same caps each time
   * they are re-sent (here: with the next buffer). One failure, one
   * ERROR. */
  ret = gst_harness_push (h, filled_buffer (64, 1));
  fail_if (ret == GST_FLOW_OK);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg == NULL, "a second ERROR for the same caps");
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  enc_teardown (h, bus);
}

GST_END_TEST;

/* 1x1 and odd sizes with 4:2:0, from I420 and from RGBA: a JPEG of that
 * size whose pixels are the input colour. */
HF_CHECK_TEST ("hfjpegenc", test_odd_sizes_420)
{
  static const gint dims[][2] = { {1, 1}, {3, 5}, {17, 9}, {2, 1}, {1, 3} };
  static const gchar *formats[] = { "I420", "RGBA" };
  guint i, f;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    for (i = 0; i < G_N_ELEMENTS (dims); i++) {
      GstVideoInfo info;
      GstBus *bus;
      GstHarness *h;
      GstBuffer *in, *out;
      gchar *caps;
      guint8 *rgb;
      gint w, hh;

      caps = g_strdup_printf ("video/x-raw,format=%s,width=%d,height=%d,"
          "framerate=30/1", formats[f], dims[i][0], dims[i][1]);
      h = enc_harness (caps, &bus, "subsampling", 2 /* 4:2:0 */ , NULL);
      fail_unless (gst_video_info_set_format (&info,
              gst_video_format_from_string (formats[f]), dims[i][0],
              dims[i][1]));
      /* I420 Y=U=V=128 and RGBA 128 are both mid-grey. */
      in = filled_buffer (GST_VIDEO_INFO_SIZE (&info), 128);
      fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
      fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
      out = gst_harness_pull (h);
      rgb = hf_check_decode_jpeg (out, &w, &hh);
      fail_unless_equals_int (w, dims[i][0]);
      fail_unless_equals_int (hh, dims[i][1]);
      fail_unless (ABS (rgb[0] - 128) <= 4 && ABS (rgb[1] - 128) <= 4
          && ABS (rgb[2] - 128) <= 4, "%s %dx%d: %d,%d,%d", formats[f],
          dims[i][0], dims[i][1], rgb[0], rgb[1], rgb[2]);
      g_free (rgb);
      gst_buffer_unref (out);
      enc_teardown (h, bus);
      g_free (caps);
    }
  }
}

GST_END_TEST;

/* A frame whose rows (and planes) are further apart than the width needs,
 * described by a GstVideoMeta, with junk in the padding: the JPEG is
 * byte-identical to the one from the same pixels packed tightly. (Even
 * sizes: at odd sizes TurboJPEG's planar API also reads the padding up to
 * the next chroma sample, so padding bytes reach the JPEG's edge blocks.) */
static GstBuffer *
frame_with_stride (GstVideoFormat format, gint width, gint height, gint extra)
{
  GstVideoInfo info;
  gsize offsets[GST_VIDEO_MAX_PLANES] = { 0 }, total = 0;
  gint strides[GST_VIDEO_MAX_PLANES] = { 0 };
  guint p, n_planes;
  GstBuffer *buf;
  GstMapInfo map;

  fail_unless (gst_video_info_set_format (&info, format, width, height));
  n_planes = GST_VIDEO_INFO_N_PLANES (&info);
  for (p = 0; p < n_planes; p++) {
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    gst_video_format_info_component (info.finfo, p, comp);
    strides[p] = GST_VIDEO_INFO_PLANE_STRIDE (&info, p) + extra;
    offsets[p] = total;
    total += (gsize) strides[p] * GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT
        (info.finfo, comp[0], height);
    /* Without a meta the layout is GStreamer's default one. */
    if (extra == 0)
      offsets[p] = GST_VIDEO_INFO_PLANE_OFFSET (&info, p);
  }
  if (extra == 0)
    total = GST_VIDEO_INFO_SIZE (&info);
  buf = gst_buffer_new_allocate (NULL, total, NULL);
  fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
  memset (map.data, 0xEE, total);       /* junk, left in the padding */
  for (p = 0; p < n_planes; p++) {
    gint comp[GST_VIDEO_MAX_COMPONENTS], rows, row, x, bytes;
    gst_video_format_info_component (info.finfo, p, comp);
    rows = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (info.finfo, comp[0], height);
    bytes = GST_VIDEO_INFO_PLANE_STRIDE (&info, p);
    bytes = MIN (bytes, GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (info.finfo,
            comp[0], width) * GST_VIDEO_FORMAT_INFO_PSTRIDE (info.finfo,
            comp[0]));
    for (row = 0; row < rows; row++)
      for (x = 0; x < bytes; x++)
        map.data[offsets[p] + (gsize) row * strides[p] + x] =
            (guint8) (row * 13 + x * 5 + p * 40);
  }
  gst_buffer_unmap (buf, &map);
  if (extra > 0)
    gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE, format,
        width, height, n_planes, offsets, strides);
  return buf;
}

HF_CHECK_TEST ("hfjpegenc", test_large_strides)
{
  static const GstVideoFormat formats[] = {
    GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_RGB, GST_VIDEO_FORMAT_GRAY8,
    GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_Y444,
  };
  guint f;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    GBytes *jpeg[2];
    guint k;

    for (k = 0; k < 2; k++) {
      GstBuffer *out = encode_one (formats[f], 34, 18, 0,
          frame_with_stride (formats[f], 34, 18, k ? 52 : 0));

      jpeg[k] = buffer_bytes (out);
      gst_buffer_unref (out);
    }
    fail_unless (g_bytes_equal (jpeg[0], jpeg[1]),
        "%s: stride changed the JPEG", gst_video_format_to_string (formats[f]));
    g_bytes_unref (jpeg[0]);
    g_bytes_unref (jpeg[1]);
  }
}

GST_END_TEST;

/* Planar frames at odd sizes whose GstVideoMeta is as tight as the caps
 * allow (stride = width, the luma plane last and ending exactly at the end
 * of the memory, which is followed by an unreadable page). TurboJPEG's
 * planar API reads luma rounded up to whole chroma samples, so an element
 * that hands it these planes directly reads past the buffer and crashes
 * here. Expected: a correct JPEG (the element pads a copy of luma). */
typedef struct
{
  guint8 *base;
  gsize len;
} Guarded;

static void
guarded_free (gpointer data)
{
  Guarded *g = data;

  munmap (g->base, g->len);
  g_free (g);
}

static GstBuffer *
guarded_tight_planar (GstVideoFormat format, gint width, gint height)
{
  GstVideoInfo info;
  gsize offsets[GST_VIDEO_MAX_PLANES] = { 0 }, total = 0, page, span;
  gint strides[GST_VIDEO_MAX_PLANES] = { 0 }, rows[GST_VIDEO_MAX_PLANES];
  guint p, n_planes, order[3] = { 1, 2, 0 };
  Guarded *g = g_new0 (Guarded, 1);
  guint8 *data;
  GstBuffer *buf;

  fail_unless (gst_video_info_set_format (&info, format, width, height));
  n_planes = GST_VIDEO_INFO_N_PLANES (&info);
  fail_unless_equals_int (n_planes, 3);
  for (p = 0; p < n_planes; p++) {
    strides[p] = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (info.finfo, p, width);
    rows[p] = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (info.finfo, p, height);
  }
  /* Chroma first, luma last. */
  for (p = 0; p < n_planes; p++) {
    offsets[order[p]] = total;
    total += (gsize) strides[order[p]] * rows[order[p]];
  }
  page = (gsize) sysconf (_SC_PAGESIZE);
  span = (total + page - 1) / page * page;
  g->len = span + page;
  g->base = mmap (NULL, g->len, PROT_READ | PROT_WRITE,
      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  fail_unless (g->base != MAP_FAILED);
  fail_unless (mprotect (g->base + span, page, PROT_NONE) == 0);
  data = g->base + span - total;
  memset (data, 128, total);
  buf = gst_buffer_new ();
  gst_buffer_append_memory (buf, gst_memory_new_wrapped
      (GST_MEMORY_FLAG_READONLY, data, total, 0, total, g, guarded_free));
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE, format,
      width, height, n_planes, offsets, strides);
  return buf;
}

HF_CHECK_TEST ("hfjpegenc", test_tight_planar_meta_odd)
{
  static const GstVideoFormat formats[] = {
    GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_Y42B,
  };
  static const gint dims[][2] = { {33, 17}, {1, 1}, {5, 3} };
  guint f, i;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    for (i = 0; i < G_N_ELEMENTS (dims); i++) {
      /* Inline, and on a worker. */
      GstBuffer *out = encode_one (formats[f], dims[i][0], dims[i][1],
          i % 2 ? 1 : 2, guarded_tight_planar (formats[f], dims[i][0],
              dims[i][1]));
      gint w, hh;
      guint8 *rgb = hf_check_decode_jpeg (out, &w, &hh);

      fail_unless_equals_int (w, dims[i][0]);
      fail_unless_equals_int (hh, dims[i][1]);
      fail_unless (ABS (rgb[0] - 128) <= 4);
      g_free (rgb);
      gst_buffer_unref (out);
    }
  }
}

GST_END_TEST;

/* An odd-size planar frame (GstVideoMeta with padded strides, luma last,
 * then spare bytes) with the same picture but different junk in the
 * padding and after the luma plane: byte-identical JPEGs. Bytes outside
 * the picture must never reach the output. */
static GstBuffer *
odd_frame_with_junk (GstVideoFormat format, gint width, gint height,
    guint8 junk)
{
  GstVideoInfo info;
  gsize offsets[GST_VIDEO_MAX_PLANES] = { 0 }, total = 0;
  gint strides[GST_VIDEO_MAX_PLANES] = { 0 }, rows[GST_VIDEO_MAX_PLANES];
  gint cols[GST_VIDEO_MAX_PLANES];
  guint p, order[3] = { 1, 2, 0 };
  GstBuffer *buf;
  GstMapInfo map;

  fail_unless (gst_video_info_set_format (&info, format, width, height));
  for (p = 0; p < 3; p++) {
    cols[p] = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (info.finfo, p, width);
    rows[p] = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (info.finfo, p, height);
    strides[p] = cols[p] + 6;
  }
  for (p = 0; p < 3; p++) {
    offsets[order[p]] = total;
    total += (gsize) strides[order[p]] * rows[order[p]];
  }
  total += 2 * (gsize) strides[0];      /* junk after the luma plane */
  buf = gst_buffer_new_allocate (NULL, total, NULL);
  fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
  memset (map.data, junk, total);
  for (p = 0; p < 3; p++) {
    gint row, x;

    for (row = 0; row < rows[p]; row++)
      for (x = 0; x < cols[p]; x++)
        map.data[offsets[p] + (gsize) row * strides[p] + x] =
            (guint8) (p == 0 ? 40 + row * 7 + x * 3 : 100 + (gint) p * 30 + x);
  }
  gst_buffer_unmap (buf, &map);
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE, format,
      width, height, 3, offsets, strides);
  return buf;
}

HF_CHECK_TEST ("hfjpegenc", test_odd_size_ignores_padding)
{
  static const GstVideoFormat formats[] = {
    GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_Y42B,
  };
  static const gint dims[][2] = { {33, 17}, {5, 3}, {33, 18}, {34, 17} };
  static const guint8 junk[] = { 0x00, 0xff, 0x5a };
  guint f, i, k;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    for (i = 0; i < G_N_ELEMENTS (dims); i++) {
      GBytes *ref = NULL;

      for (k = 0; k < G_N_ELEMENTS (junk); k++) {
        /* Inline for one junk value, on workers for the others. */
        GstBuffer *out = encode_one (formats[f], dims[i][0], dims[i][1],
            k == 1 ? 1 : 3, odd_frame_with_junk (formats[f], dims[i][0],
                dims[i][1], junk[k]));
        GBytes *bytes = buffer_bytes (out);

        gst_buffer_unref (out);
        if (ref == NULL) {
          ref = bytes;
        } else {
          fail_unless (g_bytes_equal (ref, bytes), "%s %dx%d: junk 0x%02x "
              "outside the picture changed the JPEG",
              gst_video_format_to_string (formats[f]), dims[i][0],
              dims[i][1], junk[k]);
          g_bytes_unref (bytes);
        }
      }
      g_bytes_unref (ref);
    }
  }
}

GST_END_TEST;

/* Buffers without timestamps are encoded like any other: one JPEG each,
 * in order (told apart by their OFFSET, which passes through). */
HF_CHECK_TEST ("hfjpegenc", test_no_timestamps)
{
  GstBus *bus;
  GstHarness *h = enc_harness ("video/x-raw,format=BGRx,width=16,height=16,"
      "framerate=30/1", &bus, "threads", 2, "queue-depth", 3, NULL);
  guint i;

  for (i = 0; i < 6; i++) {
    GstBuffer *buf = filled_buffer (16 * 16 * 4, i * 40);
    GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_DURATION (buf) = GST_CLOCK_TIME_NONE;
    fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 6);
  for (i = 0; i < 6; i++) {
    GstBuffer *out = gst_harness_pull (h);
    gint w, hh;
    guint8 *rgb = hf_check_decode_jpeg (out, &w, &hh);
    /* Order: frame i was filled with i * 40 (grey stays grey). */
    fail_unless (ABS (rgb[0] - (gint) (i * 40)) <= 4, "frame %u: %d", i,
        rgb[0]);
    g_free (rgb);
    gst_buffer_unref (out);
  }
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR) == NULL);
  enc_teardown (h, bus);
}

GST_END_TEST;

/* ------------------------------------------------------------------ */
/* hfdrawsrc: compositions that must be refused with an ERROR before any
 * frame, never a crash, a stack overflow or a half-drawn frame. */

static gint n_src_buffers;

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_atomic_int_inc (&n_src_buffers);
  return GST_PAD_PROBE_OK;
}

/* Runs hfdrawsrc with the composition; asserts an ERROR (returned) and
 * that no frame was produced. */
static GError *
run_bad_composition (const gchar * markup)
{
  GstElement *pipe = gst_parse_launch ("hfdrawsrc name=src ! fakesink "
      "name=sink", NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GstMessage *msg;
  GError *err = NULL;

  g_atomic_int_set (&n_src_buffers, 0);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_probe, NULL, NULL);
  g_object_set (src, "composition", markup, NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe), 30 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL, "neither ERROR nor EOS");
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (src));
  gst_message_parse_error (msg, &err, NULL);
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);
  fail_unless_equals_int (g_atomic_int_get (&n_src_buffers), 0);

  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (src);
  gst_object_unref (pipe);
  return err;
}

#define ROOT_OPEN \
  "<composition width=\"64\" height=\"48\" fps=\"30/1\" duration=\"1\">"

#define SMALL_RECT "<rect x=\"1\" y=\"1\" width=\"2\" height=\"2\"/>"

/* Runs the composition ROOT_OPEN, n times open, inner, n times close,
 * the root's end: it goes past a parser limit, so it must end in a
 * stream error. */
static void
check_repeated_fails (guint n, const gchar * open, const gchar * inner,
    const gchar * close)
{
  GString *s = g_string_new (ROOT_OPEN);
  GError *err;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (i = 0; i < n; i++)
    g_string_append (s, close);
  g_string_append (s, "</composition>");
  err = run_bad_composition (s->str);
  fail_unless (err->domain == GST_STREAM_ERROR, "%s", err->message);
  g_error_free (err);
  g_string_free (s, TRUE);
}

HF_CHECK_TEST ("hfdrawsrc", test_composition_too_many_elements)
{
  check_repeated_fails (100000, SMALL_RECT, "", "");
}

GST_END_TEST;

HF_CHECK_TEST ("hfdrawsrc", test_composition_deep_nesting)
{
  check_repeated_fails (10000, "<group>", SMALL_RECT, "</group>");
}

GST_END_TEST;

/* NaN and infinities anywhere a time goes; the error names the place
 * (line:column of the inline composition). */
HF_CHECK_TEST ("hfdrawsrc", test_composition_nonfinite_times)
{
  static const gchar *values[] = {
    "nan", "NaN", "inf", "-inf", "infinity", "1e999",
  };
  static const gchar *templates[] = {
    ROOT_OPEN "<rect x=\"1\" y=\"1\" width=\"2\" height=\"2\">"
        "<tween attr=\"x\" from=\"0\" to=\"10\" start=\"%s\" "
        "duration=\"1\"/></rect></composition>",
    ROOT_OPEN "<rect x=\"1\" y=\"1\" width=\"2\" height=\"2\">"
        "<tween attr=\"x\" from=\"0\" to=\"10\" start=\"0\" "
        "duration=\"%s\"/></rect></composition>",
    ROOT_OPEN "<rect x=\"1\" y=\"1\" width=\"2\" height=\"2\" "
        "data-start=\"%s\"/></composition>",
    ROOT_OPEN "<rect x=\"1\" y=\"1\" width=\"2\" height=\"2\" "
        "data-duration=\"%s\"/></composition>",
    "<composition width=\"64\" height=\"48\" fps=\"30/1\" "
        "duration=\"%s\"></composition>",
  };
  guint v, t;

  for (t = 0; t < G_N_ELEMENTS (templates); t++) {
    for (v = 0; v < G_N_ELEMENTS (values); v++) {
      gchar *markup = g_strdup_printf (templates[t], values[v]);
      GError *err = run_bad_composition (markup);

      fail_unless (err->domain == GST_STREAM_ERROR, "%s", err->message);
      g_error_free (err);
      g_free (markup);
    }
  }
}

GST_END_TEST;

/* Bytes that are not UTF-8, in text content and in an attribute. */
HF_CHECK_TEST ("hfdrawsrc", test_composition_invalid_utf8)
{
  static const gchar *markups[] = {
    ROOT_OPEN "<text x=\"1\" y=\"20\" size=\"12\">ok \xff\xfe bad</text>"
        "</composition>",
    ROOT_OPEN "<text x=\"1\" y=\"20\" size=\"12\">\xc3\x28</text>"
        "</composition>",
    ROOT_OPEN "<rect x=\"1\" y=\"1\" width=\"2\" height=\"2\" "
        "fill=\"#ff\xe2\x82\"/></composition>",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (markups); i++) {
    GError *err = run_bad_composition (markups[i]);
    fail_unless (err->domain == GST_STREAM_ERROR, "%s", err->message);
    g_error_free (err);
  }
}

GST_END_TEST;

/* Files a composition names: a missing font or picture is RESOURCE
 * NOT_FOUND, a file that is not a font STREAM FORMAT, one no decoder
 * reads STREAM DECODE (naming the media type when GStreamer recognises
 * it but has no decoder for it: an ELF binary), a character no font has
 * STREAM FORMAT; each error names the position, and no frame goes out. */
HF_CHECK_TEST ("hfdrawsrc", test_composition_bad_files)
{
  gchar *dir = g_dir_make_tmp ("badinput-XXXXXX", NULL);
  gchar *junk = g_build_filename (dir, "junk.bin", NULL);
  gchar *elf = g_build_filename (dir, "program.png", NULL);
  gchar *exe = NULL;
  gsize exe_len;
  struct
  {
    const gchar *markup;        /* %s: the junk file, or the ELF file */
    gboolean on_elf;
    GQuark domain;
    gint code;
    const gchar *says;
  } cases[] = {
    {ROOT_OPEN "<defs><font id=\"f\" src=\"/nonexistent/x.ttf\"/></defs>"
          "</composition>", FALSE, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_NOT_FOUND,
        "composition:1:80: cannot use font '/nonexistent/x.ttf'"},
    {ROOT_OPEN "<defs><font id=\"f\" src=\"%s\"/></defs></composition>", FALSE,
        GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT, "not a font file"},
    {ROOT_OPEN "<image src=\"/nonexistent/x.png\"/></composition>", FALSE,
          GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND,
        "image file '/nonexistent/x.png' not found"},
    {ROOT_OPEN "<image src=\"%s\"/></composition>", FALSE, GST_STREAM_ERROR,
        GST_STREAM_ERROR_DECODE, "cannot decode image"},
    {ROOT_OPEN "<image src=\"%s\"/></composition>", TRUE, GST_STREAM_ERROR,
          GST_STREAM_ERROR_DECODE,
        "no GStreamer decoder for application/x-executable is installed"},
    {ROOT_OPEN "<text>\xe6\x97\xa5</text></composition>", FALSE,
          GST_STREAM_ERROR,
        GST_STREAM_ERROR_FORMAT, "no glyph for U+65E5"},
  };
  guint i;

  fail_unless (g_file_set_contents (junk, "neither a font nor a picture",
          -1, NULL));
  fail_unless (g_file_get_contents ("/proc/self/exe", &exe, &exe_len, NULL));
  fail_unless (g_file_set_contents (elf, exe, MIN (exe_len, 4096), NULL));
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *markup = g_strdup_printf (cases[i].markup,
        cases[i].on_elf ? elf : junk);
    GError *err = run_bad_composition (markup);

    fail_unless (g_error_matches (err, cases[i].domain, cases[i].code),
        "case %u: %s", i, err->message);
    fail_unless (strstr (err->message, cases[i].says) != NULL,
        "case %u: \"%s\" does not say \"%s\"", i, err->message, cases[i].says);
    g_error_free (err);
    g_free (markup);
  }
  g_unlink (junk);
  g_unlink (elf);
  g_rmdir (dir);
  g_free (exe);
  g_free (junk);
  g_free (elf);
  g_free (dir);
}

GST_END_TEST;

HF_CHECK_MAIN ("badinput");

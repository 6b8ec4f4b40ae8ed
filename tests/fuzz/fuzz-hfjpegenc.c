/* libFuzzer target: hfjpegenc in a GstHarness, fed fuzzed caps (format,
 * size, huge sizes that must be refused or fail cleanly), strides larger
 * than the width through GstVideoMeta, property combinations and buffers
 * that are exact, short, long or empty.
 *
 * Errors are fine; crashes, leaks, hangs and reads past a buffer are not.
 * One invariant is checked: when every push returned OK for exact or
 * longer buffers, EOS yields exactly one JPEG (starting FF D8) per frame.
 *
 * The plugin library is linked into this binary (see meson.build) and the
 * element registered once; GStreamer is told not to scan any plugin
 * directory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gst/gst.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "gsthfjpegenc.h"

/* The plugin's entry point: it is all the library exports. */
GST_PLUGIN_STATIC_DECLARE (hfjpeg);

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

#define HEADER_SIZE 16
#define MAX_SIDE 300
#define MAX_FRAMES 4

static const GstVideoFormat formats[] = {
  GST_VIDEO_FORMAT_RGBA, GST_VIDEO_FORMAT_RGBx, GST_VIDEO_FORMAT_BGRA,
  GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_ARGB, GST_VIDEO_FORMAT_xRGB,
  GST_VIDEO_FORMAT_ABGR, GST_VIDEO_FORMAT_xBGR, GST_VIDEO_FORMAT_RGB,
  GST_VIDEO_FORMAT_BGR, GST_VIDEO_FORMAT_GRAY8, GST_VIDEO_FORMAT_I420,
  GST_VIDEO_FORMAT_Y42B, GST_VIDEO_FORMAT_Y444,
  /* Gathered into scratch (semi-planar, packed), or a new subsampling. */
  GST_VIDEO_FORMAT_YV12, GST_VIDEO_FORMAT_NV12, GST_VIDEO_FORMAT_NV21,
  GST_VIDEO_FORMAT_YUY2, GST_VIDEO_FORMAT_UYVY, GST_VIDEO_FORMAT_YVYU,
  GST_VIDEO_FORMAT_Y41B,
};

/* Sizes around the 65535 limit and beyond; only caps are built for them,
 * never a buffer of that size. */
static const gint huge[] = { 65535, 65536, 100000, G_MAXINT };

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  GstElementFactory *factory;

  /* No plugin scan: core elements plus the plugin registered below. */
  g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", "", TRUE);
  g_setenv ("GST_PLUGIN_PATH_1_0", "", TRUE);
  g_setenv ("GST_REGISTRY_1_0", "/dev/null", TRUE);
  g_setenv ("GST_REGISTRY_UPDATE", "no", TRUE);
  g_setenv ("GST_REGISTRY_FORK", "no", TRUE);
  gst_init (NULL, NULL);
  GST_PLUGIN_STATIC_REGISTER (hfjpeg);
  factory = gst_element_factory_find ("hfjpegenc");
  if (factory == NULL)
    abort ();
  gst_object_unref (factory);
  return 0;
}

static gint
pick_side (guint16 raw, gboolean is_huge)
{
  if (is_huge)
    return huge[raw % G_N_ELEMENTS (huge)];
  return raw % MAX_SIDE + 1;
}

/* A frame filled from the fuzz payload. With a GstVideoMeta when extra > 0
 * (rows `extra` bytes longer), `tight` (rows only as long as the pixels,
 * shorter than GStreamer's default rounding) or `reverse` (planes stored
 * last to first). size_mode: 0 exact, 1 short by `cut` bytes, 2 long by
 * `cut` bytes, 3 empty. */
static GstBuffer *
make_frame (const GstVideoInfo * info, guint extra, gboolean tight,
    gboolean reverse, guint size_mode, guint cut, const uint8_t * payload,
    size_t payload_len, guint n)
{
  gsize offsets[GST_VIDEO_MAX_PLANES] = { 0 };
  gint strides[GST_VIDEO_MAX_PLANES] = { 0 };
  gsize total = 0, size, i;
  guint p, n_planes = GST_VIDEO_INFO_N_PLANES (info);
  gboolean with_meta = extra > 0 || tight || reverse;
  GstBuffer *buf;
  GstMapInfo map;

  for (i = 0; i < n_planes; i++) {
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    gint h;

    /* Planes laid out last to first when `reverse`: a plane read past its
     * end then runs off the buffer, where ASan sees it. */
    p = reverse ? n_planes - 1 - i : i;
    gst_video_format_info_component (info->finfo, p, comp);
    h = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (info->finfo, comp[0],
        GST_VIDEO_INFO_HEIGHT (info));
    if (tight)                  /* rows exactly as long as the pixels */
      strides[p] = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (info->finfo, comp[0],
          GST_VIDEO_INFO_WIDTH (info)) * GST_VIDEO_FORMAT_INFO_PSTRIDE
          (info->finfo, comp[0]) + extra;
    else
      strides[p] = GST_VIDEO_INFO_PLANE_STRIDE (info, p) + extra;
    offsets[p] = total;
    total += (gsize) strides[p] * h;
  }
  if (!with_meta)
    total = GST_VIDEO_INFO_SIZE (info);

  switch (size_mode) {
    case 1:
      size = total > cut ? total - cut : 0;
      break;
    case 2:
      size = total + cut;
      break;
    case 3:
      size = 0;
      break;
    default:
      size = total;
      break;
  }

  buf = gst_buffer_new_allocate (NULL, size, NULL);
  if (size > 0 && gst_buffer_map (buf, &map, GST_MAP_WRITE)) {
    for (i = 0; i < size; i++)
      map.data[i] = payload_len ? payload[(i + n) % payload_len] : (guint8) i;
    gst_buffer_unmap (buf, &map);
  }
  if (with_meta)
    gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
        GST_VIDEO_INFO_FORMAT (info), GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info), n_planes, offsets, strides);
  return buf;
}

/* gst_harness_set_src_caps() asserts that the caps are accepted; fuzzed
 * caps may rightly be refused, so push the events by hand. */
static void
push_caps (GstHarness * h, GstCaps * caps)
{
  GstSegment segment;

  gst_pad_push_event (h->srcpad, gst_event_new_caps (caps));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (h->srcpad, gst_event_new_segment (&segment));
  gst_caps_unref (caps);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GstVideoInfo info;
  GstElement *enc;
  GstHarness *h;
  GstCaps *caps;
  GstVideoFormat format;
  gint width, height;
  guint extra, size_mode, cut, n_frames, restart, slices, i, pushed_ok =
      0, out = 0;
  gboolean is_huge, timestamps, tight, reverse;
  const uint8_t *payload;
  size_t payload_len;
  GstBuffer *buf;

  if (size < HEADER_SIZE)
    return 0;

  format = formats[data[0] % G_N_ELEMENTS (formats)];
  is_huge = (data[5] & 7) == 7;
  width = pick_side (data[1] | data[2] << 8, is_huge && (data[5] & 8));
  height = pick_side (data[3] | data[4] << 8, is_huge && !(data[5] & 8));
  extra = (data[5] & 16) ? data[6] % 65 : 0;
  tight = (data[5] & 32) != 0;
  reverse = (data[5] & 64) != 0;
  size_mode = (data[12] >> 4) % 4;
  cut = data[13] + 1;
  n_frames = data[11] % MAX_FRAMES + 1;
  timestamps = (data[14] & 1) != 0;
  /* data[14] bits 2-4: no restart markers half the time, else every 1 to
   * 4 MCU rows. */
  restart = (data[14] >> 2 & 7) > 3 ? (data[14] >> 2 & 7) - 3 : 0;
  /* data[14] bits 5-7: 1 to 8 slices. */
  slices = (data[14] >> 5) + 1;
  payload = data + HEADER_SIZE;
  payload_len = size - HEADER_SIZE;

  enc = gst_element_factory_make ("hfjpegenc", NULL);
  if (enc == NULL)
    abort ();
  g_object_set (enc,
      "quality", data[7] % 100 + 1,
      "subsampling", data[8] % 5,
      "queue-depth", data[9] % 10,
      "threads", data[10] % 9, "dedup", (data[14] & 2) != 0,
      "restart-interval", restart, "slices", slices, NULL);
  h = gst_harness_new_with_element (enc, "sink", "src");
  gst_object_unref (enc);

  caps = gst_caps_new_simple ("video/x-raw",
      "format", G_TYPE_STRING, gst_video_format_to_string (format),
      "width", G_TYPE_INT, width, "height", G_TYPE_INT, height,
      "framerate", GST_TYPE_FRACTION, 30, 1, NULL);
  push_caps (h, caps);

  if (!gst_video_info_set_format (&info, format, width, height))
    goto done;

  for (i = 0; i < n_frames; i++) {
    GstFlowReturn ret;

    /* Never build a buffer anywhere near a huge frame's size: a short one
     * is exactly what the element must refuse cleanly. */
    if (is_huge)
      buf = gst_buffer_new_allocate (NULL, payload_len % 4096, NULL);
    else
      buf = make_frame (&info, extra, tight, reverse, size_mode, cut,
          payload, payload_len, i);
    if (timestamps) {
      GST_BUFFER_PTS (buf) = i * GST_SECOND / 30;
      GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
    }
    /* Changing quality in PLAYING is allowed; exercise it. */
    if (i == 1 && (data[15] & 1))
      g_object_set (h->element, "quality", data[15] % 100 + 1, NULL);
    ret = gst_harness_push (h, buf);
    if (ret == GST_FLOW_OK)
      pushed_ok++;
    else
      break;
  }
  if (i == n_frames)
    gst_harness_push_event (h, gst_event_new_eos ());

  while ((buf = gst_harness_try_pull (h)) != NULL) {
    GstMapInfo map;

    if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
      if (map.size < 2 || map.data[0] != 0xFF || map.data[1] != 0xD8)
        abort ();               /* an output that is not a JPEG */
      gst_buffer_unmap (buf, &map);
    }
    gst_buffer_unref (buf);
    out++;
  }
  if (!is_huge && (size_mode == 0 || size_mode == 2) && pushed_ok == n_frames
      && out != n_frames)
    abort ();                   /* a frame was lost or duplicated */

done:
  gst_harness_teardown (h);
  return 0;
}

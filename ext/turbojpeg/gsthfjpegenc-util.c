/* hfjpegenc helpers: format mapping, frame checks and dedup comparison.
 * See gsthfjpegenc-util.h.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <turbojpeg.h>

#include "gsthfjpegenc-util.h"

/* Rows compared before a full comparison of two frames. */
#define N_SAMPLE_ROWS 8

gboolean
gst_hf_jpeg_enc_format_to_tj (GstVideoFormat format, int *pixel_format,
    int *input_subsamp)
{
  int pf, sub = -1;

  /* Both name bytes in memory order, so the names match one to one. */
  switch (format) {
    case GST_VIDEO_FORMAT_RGBA:
      pf = TJPF_RGBA;
      break;
    case GST_VIDEO_FORMAT_RGBx:
      pf = TJPF_RGBX;
      break;
    case GST_VIDEO_FORMAT_BGRA:
      pf = TJPF_BGRA;
      break;
    case GST_VIDEO_FORMAT_BGRx:
      pf = TJPF_BGRX;
      break;
    case GST_VIDEO_FORMAT_ARGB:
      pf = TJPF_ARGB;
      break;
    case GST_VIDEO_FORMAT_xRGB:
      pf = TJPF_XRGB;
      break;
    case GST_VIDEO_FORMAT_ABGR:
      pf = TJPF_ABGR;
      break;
    case GST_VIDEO_FORMAT_xBGR:
      pf = TJPF_XBGR;
      break;
    case GST_VIDEO_FORMAT_RGB:
      pf = TJPF_RGB;
      break;
    case GST_VIDEO_FORMAT_BGR:
      pf = TJPF_BGR;
      break;
    case GST_VIDEO_FORMAT_GRAY8:
      pf = TJPF_GRAY;
      sub = TJSAMP_GRAY;
      break;
      /* YUV: taken component by component (data, row and pixel strides),
       * so the plane order (YV12, NV21) and interleaving (NV12, YUY2)
       * need no case of their own. */
    case GST_VIDEO_FORMAT_I420:
    case GST_VIDEO_FORMAT_YV12:
    case GST_VIDEO_FORMAT_NV12:
    case GST_VIDEO_FORMAT_NV21:
      pf = -1;
      sub = TJSAMP_420;
      break;
    case GST_VIDEO_FORMAT_Y42B:
    case GST_VIDEO_FORMAT_YUY2:
    case GST_VIDEO_FORMAT_UYVY:
    case GST_VIDEO_FORMAT_YVYU:
      pf = -1;
      sub = TJSAMP_422;
      break;
    case GST_VIDEO_FORMAT_Y41B:
      pf = -1;
      sub = TJSAMP_411;
      break;
    case GST_VIDEO_FORMAT_Y444:
      pf = -1;
      sub = TJSAMP_444;
      break;
    default:
      return FALSE;
  }
  *pixel_format = pf;
  *input_subsamp = sub;
  return TRUE;
}

gsize
gst_hf_jpeg_enc_out_size (int width, int height, int pixel_format,
    int input_subsamp, int slices)
{
  static const int any[] = { TJSAMP_444, TJSAMP_422, TJSAMP_420, TJSAMP_440,
    TJSAMP_GRAY
  };
  gsize best = 0;
  guint i;

  if (input_subsamp >= 0)
    return hf_enc_out_size (width, height, input_subsamp, slices);
  /* RGB input: the subsampling may change in PLAYING, so every one must
   * be encodable. Sizing for the largest costs only address space:
   * untouched pages are never mapped. */
  for (i = 0; i < G_N_ELEMENTS (any); i++) {
    gsize size = hf_enc_out_size (width, height, any[i], slices);

    if (size == 0)
      return 0;
    best = MAX (best, size);
  }
  return best;
}

/* Bytes of one visible row of plane p: up to the last byte of the last
 * sample of any component in it (a packed 4:2:2 row at an odd width ends
 * with the V of a whole last pair). */
static gsize
row_bytes (const GstVideoFrame * f, guint p)
{
  gsize end = 0;
  guint c;

  for (c = 0; c < GST_VIDEO_FRAME_N_COMPONENTS (f); c++)
    if (GST_VIDEO_FRAME_COMP_PLANE (f, c) == p)
      end = MAX (end, GST_VIDEO_FRAME_COMP_POFFSET (f, c) +
          (gsize) (GST_VIDEO_FRAME_COMP_WIDTH (f, c) - 1) *
          GST_VIDEO_FRAME_COMP_PSTRIDE (f, c) +
          GST_VIDEO_FORMAT_INFO_DEPTH (f->info.finfo, c) / 8);
  return end;
}

/* Rows of plane p: the tallest component in it. */
static guint
plane_rows (const GstVideoFrame * f, guint p)
{
  guint c, rows = 0;

  for (c = 0; c < GST_VIDEO_FRAME_N_COMPONENTS (f); c++)
    if (GST_VIDEO_FRAME_COMP_PLANE (f, c) == p)
      rows = MAX (rows, (guint) GST_VIDEO_FRAME_COMP_HEIGHT (f, c));
  return rows;
}

gboolean
gst_hf_jpeg_enc_frame_in_bounds (const GstVideoFrame * f, gchar * why,
    gsize why_len)
{
  guint p;

  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (f); p++) {
    /* Without a video meta the whole buffer is one mapping. */
    const GstMapInfo *map = f->meta ? &f->map[p] : &f->map[0];
    const guint8 *data = GST_VIDEO_FRAME_PLANE_DATA (f, p);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (f, p);
    guint rows = plane_rows (f, p);
    gsize rb = row_bytes (f, p), start, end;

    if (data == NULL || data < map->data || stride < 0 || (gsize) stride < rb) {
      g_snprintf (why, why_len, "plane %u has an invalid layout (stride %d, "
          "%" G_GSIZE_FORMAT " bytes per row)", p, stride, rb);
      return FALSE;
    }
    start = (gsize) (data - map->data);
    end = start + (gsize) stride *(rows - 1) + rb;
    if (end > map->size) {
      g_snprintf (why, why_len, "input buffer too small: plane %u ends at "
          "byte %" G_GSIZE_FORMAT " of a %" G_GSIZE_FORMAT "-byte mapping",
          p, end, map->size);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
rows_equal (const GstVideoFrame * a, const GstVideoFrame * b, guint p,
    guint row)
{
  const guint8 *ra = GST_VIDEO_FRAME_PLANE_DATA (a, p);
  const guint8 *rb = GST_VIDEO_FRAME_PLANE_DATA (b, p);

  ra += (gsize) row *GST_VIDEO_FRAME_PLANE_STRIDE (a, p);
  rb += (gsize) row *GST_VIDEO_FRAME_PLANE_STRIDE (b, p);
  return memcmp (ra, rb, row_bytes (a, p)) == 0;
}

gboolean
gst_hf_jpeg_enc_frames_equal (const GstVideoFrame * a, const GstVideoFrame * b)
{
  guint p, i, row, rows;

  if (GST_VIDEO_FRAME_FORMAT (a) != GST_VIDEO_FRAME_FORMAT (b)
      || GST_VIDEO_FRAME_WIDTH (a) != GST_VIDEO_FRAME_WIDTH (b)
      || GST_VIDEO_FRAME_HEIGHT (a) != GST_VIDEO_FRAME_HEIGHT (b))
    return FALSE;

  /* Changed frames usually differ in some spread-out row: a cheap no. */
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (a); p++) {
    rows = plane_rows (a, p);
    for (i = 0; i < N_SAMPLE_ROWS; i++) {
      row = (guint) ((guint64) i * (rows - 1) / (N_SAMPLE_ROWS - 1));
      if (!rows_equal (a, b, p, row))
        return FALSE;
    }
  }
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (a); p++) {
    rows = plane_rows (a, p);
    for (row = 0; row < rows; row++)
      if (!rows_equal (a, b, p, row))
        return FALSE;
  }
  return TRUE;
}

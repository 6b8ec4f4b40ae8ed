/* hfencoder: one TurboJPEG compressor and its scratch (see hfencoder.h).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hfencoder.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <turbojpeg.h>

struct HfEncoder
{
  tjhandle tj;
  /* Luma padded to whole chroma samples for odd-size planar input (see
   * pad_luma); grows once per larger frame size, then is reused. */
  uint8_t *scratch;
  size_t scratch_size;
  /* One band's JPEG, with restart markers (see compress_banded). */
  uint8_t *band;
  size_t band_size;
};

size_t
hf_enc_max_size (int width, int height, int subsamp)
{
  guint64 padded;
  int mcuw, mcuh, chroma;
  unsigned long size;

  if (width < 1 || width > HF_ENC_MAX_SIDE || height < 1
      || height > HF_ENC_MAX_SIDE)
    return 0;
  if (subsamp < 0 || subsamp >= TJ_NUMSAMP)
    return 0;
  /* libjpeg-turbo 2.1 computes this product in int. Past INT_MAX it
   * overflows, and with TJFLAG_NOREALLOC the library would trust the
   * wrapped size (possibly far larger than our buffer): refuse such
   * frames (over about 357 Mpixel at 4:4:4) rather than risk an overrun. */
  mcuw = tjMCUWidth[subsamp];
  mcuh = tjMCUHeight[subsamp];
  chroma = subsamp == TJSAMP_GRAY ? 0 : 4 * 64 / (mcuw * mcuh);
  padded = (guint64) ((width + mcuw - 1) / mcuw * mcuw) *
      (guint64) ((height + mcuh - 1) / mcuh * mcuh) * (guint64) (2 + chroma);
  if (padded > G_MAXINT)
    return 0;
  size = tjBufSize (width, height, subsamp);
  if (size == (unsigned long) -1 || size != padded + 2048)
    return 0;
  return (size_t) size;
}

HfEncoder *
hf_encoder_new (char *error, size_t error_len)
{
  HfEncoder *enc;
  tjhandle tj;

  tj = tjInitCompress ();
  if (tj == NULL) {
    if (error && error_len)
      g_snprintf (error, error_len, "tjInitCompress failed: %s",
          tjGetErrorStr2 (NULL));
    return NULL;
  }
  enc = g_new0 (HfEncoder, 1);
  enc->tj = tj;
  return enc;
}

void
hf_encoder_free (HfEncoder * enc)
{
  if (enc == NULL)
    return;
  tjDestroy (enc->tj);
  g_free (enc->scratch);
  g_free (enc->band);
  g_free (enc);
}

/* *INDENT-OFF* */
static void set_error (HfEncResult * result, HfEncStatus status,
    const char *fmt, ...) G_GNUC_PRINTF (3, 4);
/* *INDENT-ON* */

static void
set_error (HfEncResult * result, HfEncStatus status, const char *fmt, ...)
{
  va_list args;

  result->status = status;
  result->size = 0;
  va_start (args, fmt);
  g_vsnprintf (result->error, sizeof (result->error), fmt, args);
  va_end (args);
}

/* The JPEG's subsampling: gray input can only make a gray JPEG (libjpeg
 * cannot turn one channel into YCbCr). */
static int
out_subsamp (const HfEncParams * p)
{
  return p->pixel_format == TJPF_GRAY ? TJSAMP_GRAY : p->subsamp;
}

/* Checks what TurboJPEG would not check, or would check too late: the
 * sizes, and the plane pointers. */
static gboolean
validate_params (const HfEncParams * p, int out_subsamp, HfEncResult * result)
{
  int n_planes, i;

  if (p->width < 1 || p->width > HF_ENC_MAX_SIDE || p->height < 1
      || p->height > HF_ENC_MAX_SIDE) {
    set_error (result, HF_ENC_ERROR, "invalid frame size %dx%d",
        p->width, p->height);
    return FALSE;
  }
  if (p->quality < 1 || p->quality > 100) {
    set_error (result, HF_ENC_ERROR, "invalid quality %d", p->quality);
    return FALSE;
  }
  if (out_subsamp < 0 || out_subsamp >= TJ_NUMSAMP) {
    set_error (result, HF_ENC_ERROR, "invalid subsampling %d", out_subsamp);
    return FALSE;
  }
  if (p->pixel_format == -1) {
    n_planes = out_subsamp == TJSAMP_GRAY ? 1 : 3;
  } else if (p->pixel_format >= 0 && p->pixel_format < TJPF_CMYK) {
    n_planes = 1;
  } else {
    set_error (result, HF_ENC_ERROR, "unsupported pixel format %d",
        p->pixel_format);
    return FALSE;
  }
  for (i = 0; i < n_planes; i++) {
    if (p->planes[i] == NULL) {
      set_error (result, HF_ENC_ERROR, "input plane %d is missing", i);
      return FALSE;
    }
  }
  if (hf_enc_max_size (p->width, p->height, out_subsamp) == 0) {
    /* tjBufSize would overflow: TJFLAG_NOREALLOC could then overrun. */
    set_error (result, HF_ENC_ERROR, "a %dx%d frame is too large for "
        "libjpeg-turbo at this subsampling", p->width, p->height);
    return FALSE;
  }
  return TRUE;
}

/* TJFLAG_NOREALLOC makes TurboJPEG assume `need` bytes of output. */
static gboolean
check_capacity (const uint8_t * out, size_t capacity, size_t need,
    HfEncResult * result)
{
  if (out == NULL || capacity < need) {
    set_error (result, HF_ENC_ERROR,
        "output buffer too small: %zu bytes, need %zu",
        out ? capacity : 0, need);
    return FALSE;
  }
  return TRUE;
}

gboolean
hf_enc_bands (const HfEncParams * p, HfEncBands * b)
{
  const int subsamp = out_subsamp (p), slices = MAX (1, p->slices);
  int mcuw, mcuh, mcus, mcu_rows, r, per_band;

  if (p->width < 1 || p->width > HF_ENC_MAX_SIDE || p->height < 1
      || p->height > HF_ENC_MAX_SIDE || subsamp < 0 || subsamp >= TJ_NUMSAMP)
    return FALSE;
  mcuw = tjMCUWidth[subsamp];
  mcuh = tjMCUHeight[subsamp];
  mcus = (p->width + mcuw - 1) / mcuw;
  mcu_rows = (p->height + mcuh - 1) / mcuh;
  r = p->restart_rows > 0 ? p->restart_rows : (mcu_rows + slices - 1) / slices;
  b->height = p->height;
  /* Bottom-up input (a negative stride) is encoded in one piece. */
  if ((p->restart_rows <= 0 && slices == 1) || p->strides[0] < 0) {
    b->n_bands = 1;
    b->band_rows = p->height;
    b->interval_rows = b->interval_mcus = 0;
    return TRUE;
  }
  /* DRI counts MCUs in 16 bits. */
  r = MIN (r, 65535 / mcus);
  per_band = ((mcu_rows + r - 1) / r + slices - 1) / slices;
  b->interval_rows = r * mcuh;
  b->interval_mcus = r * mcus;
  b->band_rows = per_band * r * mcuh;
  b->n_bands = (mcu_rows + per_band * r - 1) / (per_band * r);
  return TRUE;
}

/* Rows of band k, and MCU rows in it. */
static int
band_height (const HfEncBands * b, int k)
{
  return MIN (b->band_rows, b->height - k * b->band_rows);
}

size_t
hf_enc_band_capacity (const HfEncParams * p, const HfEncBands * b, int k)
{
  const int subsamp = out_subsamp (p);
  int h = band_height (b, k);
  size_t size = hf_enc_max_size (p->width, h, subsamp);

  /* The headers, an RST before each interval and EOI fit in tjBufSize's
   * 2048 bytes of headers plus these. */
  return size ? size + 2 * (size_t) ((h + tjMCUHeight[subsamp] - 1) /
      tjMCUHeight[subsamp]) + 8 : 0;
}

size_t
hf_enc_out_size (int width, int height, int subsamp, int slices)
{
  size_t size = hf_enc_max_size (width, height, subsamp);

  slices = MAX (1, slices);
  /* Bands are whole MCU rows but the last, so their tjBufSize sum is the
   * frame's plus 2048 for each more band. */
  return size ? size + (size_t) (slices - 1) * 2048 + 2 * (size_t) ((height
          + tjMCUHeight[subsamp] - 1) / tjMCUHeight[subsamp]) +
      8 * (size_t) slices : 0;
}

static gboolean
grow_scratch (HfEncoder * enc, size_t need, const HfEncParams * p,
    HfEncResult * result)
{
  if (need <= enc->scratch_size)
    return TRUE;
  g_free (enc->scratch);
  enc->scratch_size = 0;
  enc->scratch = g_try_malloc (need);
  if (enc->scratch == NULL) {
    set_error (result, HF_ENC_ERROR, "cannot allocate %zu bytes of scratch "
        "for a %dx%d frame", need, p->width, p->height);
    return FALSE;
  }
  enc->scratch_size = need;
  return TRUE;
}

/* tjCompressFromYUVPlanes reads the luma plane rounded up to whole chroma
 * samples (tjPlaneWidth/Height of component 0: PAD (width, 2) for 4:2:2
 * and 4:2:0, PAD (height, 2) for 4:2:0), i.e. past the picture at odd
 * sizes: bytes outside the frame (or outside its memory) would reach the
 * JPEG. When that happens, copy luma into scratch with the last column
 * and row repeated, as libjpeg itself pads packed input. The chroma planes
 * are read exactly at their own size, so they are used in place. Returns
 * FALSE (with the result set) if the scratch cannot be allocated. */
static gboolean
pad_luma (HfEncoder * enc, const HfEncParams * p, int subsamp,
    const unsigned char **planes, int *strides, HfEncResult * result)
{
  int pw = tjPlaneWidth (0, p->width, subsamp);
  int ph = tjPlaneHeight (0, p->height, subsamp);
  /* TurboJPEG's conventions: 0 means unpadded, negative is bottom-up. */
  ptrdiff_t stride = p->strides[0] ? p->strides[0] : p->width;
  size_t need;
  int y;

  if (pw <= p->width && ph <= p->height)
    return TRUE;                /* even size: zero-copy */
  need = pw * (size_t) ph;
  if (!grow_scratch (enc, need, p, result))
    return FALSE;
  for (y = 0; y < ph; y++) {
    uint8_t *dst = enc->scratch + (size_t) y * pw;

    if (y < p->height) {
      memcpy (dst, p->planes[0] + y * stride, p->width);
      if (pw > p->width)
        memset (dst + p->width, dst[p->width - 1], pw - p->width);
    } else {
      memcpy (dst, dst - pw, pw);
    }
  }
  planes[0] = enc->scratch;
  strides[0] = pw;
  return TRUE;
}

/* The three planes a frame is copied into in scratch: luma padded as
 * pad_luma does, then the two chroma planes. */
static gboolean
scratch_planes (HfEncoder * enc, const HfEncParams * p, int subsamp,
    HfYuvGeometry * g, uint8_t * dst[3], int strides[3], HfEncResult * result)
{
  g->width = p->width;
  g->height = p->height;
  g->dst_w = tjPlaneWidth (0, p->width, subsamp);
  g->dst_h = tjPlaneHeight (0, p->height, subsamp);
  g->chroma_w = tjPlaneWidth (1, p->width, subsamp);
  g->chroma_h = tjPlaneHeight (1, p->height, subsamp);
  g->shift_x = subsamp == TJSAMP_411 ? 2 : subsamp == TJSAMP_420
      || subsamp == TJSAMP_422;
  g->shift_y = subsamp == TJSAMP_420 || subsamp == TJSAMP_440;
  if (!grow_scratch (enc, (size_t) g->dst_w * g->dst_h + 2 * (size_t)
          g->chroma_w * g->chroma_h, p, result))
    return FALSE;
  dst[0] = enc->scratch;
  dst[1] = dst[0] + (size_t) g->dst_w * g->dst_h;
  dst[2] = dst[1] + (size_t) g->chroma_w * g->chroma_h;
  strides[0] = g->dst_w;
  strides[1] = strides[2] = g->chroma_w;
  return TRUE;
}

/* Semi-planar or packed input is gathered into scratch planes, and planar
 * input that is not in JFIF colours is converted into them (see
 * hfyuvconv.h). */
static gboolean
to_scratch (HfEncoder * enc, const HfEncParams * p, int subsamp,
    gboolean packed, const unsigned char **planes, int *strides,
    HfEncResult * result)
{
  HfYuvGeometry g;
  uint8_t *dst[3];
  const uint8_t *src[3];
  int src_stride[3], pixel_stride[3], i;

  if (!scratch_planes (enc, p, subsamp, &g, dst, strides, result))
    return FALSE;
  for (i = 0; i < 3; i++) {
    src[i] = p->planes[i];
    src_stride[i] = p->strides[i] ? p->strides[i] : tjPlaneWidth (i,
        p->width, subsamp);
    pixel_stride[i] = MAX (1, p->pixel_strides[i]);
    planes[i] = dst[i];
  }
  if (packed)
    hf_yuv_gather_frame (p->convert, src, src_stride, pixel_stride, dst,
        strides, &g);
  else
    hf_yuv_convert_frame (p->convert, src, src_stride, dst, strides, &g);
  return TRUE;
}

/* Compresses rows [y0, y0 + h) of the picture (y0 a multiple of the MCU
 * height) into *buf. planes and strides are the YUV planes (pixel_format
 * -1) or the packed pixels (planes[0]). */
static int
compress_rows (HfEncoder * enc, const HfEncParams * p, int subsamp,
    const unsigned char **planes, const int *strides, int y0, int h,
    unsigned char **buf, unsigned long *size, int flags)
{
  if (p->pixel_format == -1) {
    const int shift_y = subsamp == TJSAMP_420 || subsamp == TJSAMP_440;
    const unsigned char *band[HF_ENC_MAX_PLANES] = { NULL, NULL, NULL };
    int i;

    for (i = 0; i < (subsamp == TJSAMP_GRAY ? 1 : 3); i++) {
      int stride = strides[i] ? strides[i] : tjPlaneWidth (i, p->width,
          subsamp);

      band[i] = planes[i] + (ptrdiff_t) (i ? y0 >> shift_y : y0) * stride;
    }
    return tjCompressFromYUVPlanes (enc->tj, band, p->width, strides, h,
        subsamp, buf, size, p->quality, flags);
  }
  return tjCompress2 (enc->tj, planes[0] + (ptrdiff_t) y0 * (strides[0] ?
          strides[0] : p->width * tjPixelSize[p->pixel_format]), p->width,
      strides[0], h, p->pixel_format, buf, size, subsamp, p->quality, flags);
}

/* Where a band's bytes go. */
typedef struct
{
  uint8_t *out;
  size_t capacity, at;
} Sink;

/* Appends n bytes, if they fit. */
static gboolean
put (Sink * sink, const void *data, size_t n)
{
  if (n > sink->capacity - sink->at)
    return FALSE;
  memcpy (sink->out + sink->at, data, n);
  sink->at += n;
  return TRUE;
}

/* Band k of a JPEG with restart markers, made of one JPEG per restart
 * interval: an interval's entropy-coded data, which starts with DC
 * predictions reset and ends padded to a byte, is exactly what comes
 * between two restart markers. So the JPEG is the first interval's
 * headers with the full height in SOF and a DRI marker, then each
 * interval's entropy data with RST0..7 between them, then EOI: the bytes
 * libjpeg writes with restart_in_rows, without leaving TurboJPEG's API
 * (docs/hfjpegenc.md, "Restart markers and slices"). sub is the band as a
 * picture of its own, planes and strides its pixels. Band 0 writes the
 * headers, the last band EOI. Returns the band's size, 0 with result set
 * on failure. */
static size_t
compress_banded (HfEncoder * enc, const HfEncParams * sub, int subsamp,
    const unsigned char **planes, const int *strides, const HfEncBands * b,
    int k, Sink * sink, int flags, HfEncResult * result)
{
  const int ih = MIN (b->interval_rows, sub->height);
  size_t need = hf_enc_max_size (sub->width, ih, subsamp);
  int y0, j = k * (b->band_rows / b->interval_rows);

  if (need > enc->band_size) {
    g_free (enc->band);
    enc->band_size = 0;
    if (!(enc->band = g_try_malloc (need))) {
      set_error (result, HF_ENC_ERROR, "cannot allocate %zu bytes for a "
          "restart interval", need);
      return 0;
    }
    enc->band_size = need;
  }
  for (y0 = 0; y0 < sub->height; y0 += ih, j++) {
    unsigned char *buf = enc->band;
    unsigned long size = (unsigned long) enc->band_size;
    size_t i = 2, sof = 0, sos = 0, data;

    if (compress_rows (enc, sub, subsamp, planes, strides, y0,
            MIN (ih, sub->height - y0), &buf, &size, flags) != 0) {
      set_error (result, HF_ENC_ERROR, "%s", tjGetErrorStr2 (enc->tj));
      return 0;
    }
    /* The markers before the scan: find SOF0 and SOS. */
    while (sos == 0 && i + 4 <= size && buf[i] == 0xff) {
      if (buf[i + 1] == 0xc0)
        sof = i;
      if (buf[i + 1] == 0xda)
        sos = i;
      else
        i += 2 + ((size_t) buf[i + 2] << 8 | buf[i + 3]);
    }
    if (sos == 0 || sof == 0 || size < sos + 4 || buf[size - 2] != 0xff
        || buf[size - 1] != 0xd9) {
      set_error (result, HF_ENC_ERROR, "unexpected TurboJPEG output in a "
          "restart interval");
      return 0;
    }
    data = sos + 2 + ((size_t) buf[sos + 2] << 8 | buf[sos + 3]);
    if (j == 0) {
      const uint8_t dri[6] = { 0xff, 0xdd, 0, 4, b->interval_mcus >> 8,
        b->interval_mcus & 0xff
      };

      /* SOF0: FF C0, length, precision, then the height. */
      buf[sof + 5] = b->height >> 8;
      buf[sof + 6] = b->height & 0xff;
      if (!put (sink, buf, sos) || !put (sink, dri, sizeof (dri))
          || !put (sink, buf + sos, data - sos))
        break;
    } else {
      const uint8_t rst[2] = { 0xff, 0xd0 + ((j - 1) & 7) };

      if (!put (sink, rst, sizeof (rst)))
        break;
    }
    if (!put (sink, buf + data, size - 2 - data))
      break;
  }
  if (y0 < sub->height || (k == b->n_bands - 1 && !put (sink, "\xff\xd9", 2))) {
    set_error (result, HF_ENC_ERROR, "output buffer too small for the "
        "JPEG with restart markers (%zu bytes)", sink->capacity);
    return 0;
  }
  return sink->at;
}

void
hf_encoder_compress_band (HfEncoder * enc, const HfEncParams * p,
    const HfEncBands * b, int k, uint8_t * out, size_t out_capacity,
    HfEncResult * result)
{
  const unsigned char *planes[HF_ENC_MAX_PLANES];
  int strides[HF_ENC_MAX_PLANES], i;
  const int subsamp = out_subsamp (p), y0 = k * b->band_rows;
  HfEncParams sub = *p;
  Sink sink = { out, out_capacity, 0 };
  unsigned char *buf = out;
  unsigned long size = (unsigned long) out_capacity;
  /* Accurate (islow) DCT, TurboJPEG's default: its SIMD versions are
   * bit-exact with the C code, so output is deterministic, and it is the
   * quality users expect from a quality setting. */
  const int flags = TJFLAG_NOREALLOC |
      (p->fast_dct ? TJFLAG_FASTDCT : TJFLAG_ACCURATEDCT);

  result->status = HF_ENC_OK;
  result->size = 0;
  result->error[0] = '\0';
  if (!validate_params (p, subsamp, result))
    return;
  if (k < 0 || k >= b->n_bands || b->height != p->height) {
    set_error (result, HF_ENC_ERROR, "no band %d in a %d-row frame", k,
        p->height);
    return;
  }
  sub.height = band_height (b, k);
  /* Without restart intervals TurboJPEG writes the output itself. */
  if (b->interval_rows == 0 && !check_capacity (out, out_capacity,
          hf_enc_max_size (p->width, sub.height, subsamp), result))
    return;
  if (out == NULL) {
    set_error (result, HF_ENC_ERROR, "no output buffer");
    return;
  }

  /* The band as a picture of its own: its first row is a whole MCU row,
   * so chroma starts at a whole chroma row too. */
  if (p->pixel_format == -1) {
    const int shift_y = subsamp == TJSAMP_420 || subsamp == TJSAMP_440;

    for (i = 0; i < (subsamp == TJSAMP_GRAY ? 1 : 3); i++)
      sub.planes[i] += (ptrdiff_t) (i ? y0 >> shift_y : y0) * (p->strides[i]
          ? p->strides[i] : tjPlaneWidth (i, p->width, subsamp));
  } else {
    sub.planes[0] += (ptrdiff_t) y0 *(p->strides[0] ? p->strides[0] :
        p->width * tjPixelSize[p->pixel_format]);
  }
  for (i = 0; i < HF_ENC_MAX_PLANES; i++) {
    planes[i] = sub.planes[i];
    strides[i] = sub.strides[i];
  }
  if (p->pixel_format == -1) {
    gboolean packed = p->pixel_strides[0] > 1 || p->pixel_strides[1] > 1
        || p->pixel_strides[2] > 1, ok;

    if (packed || p->convert)
      ok = to_scratch (enc, &sub, subsamp, packed, planes, strides, result);
    else
      ok = pad_luma (enc, &sub, subsamp, planes, strides, result);
    if (!ok)
      return;
  }
  if (b->interval_rows > 0) {
    result->size = compress_banded (enc, &sub, subsamp, planes, strides, b,
        k, &sink, flags, result);
    return;
  }
  if (compress_rows (enc, &sub, subsamp, planes, strides, 0, sub.height,
          &buf, &size, flags) != 0) {
    set_error (result, HF_ENC_ERROR, "%s", tjGetErrorStr2 (enc->tj));
    return;
  }
  if (buf != out) {
    /* Cannot happen with TJFLAG_NOREALLOC; never hand out foreign memory. */
    set_error (result, HF_ENC_ERROR, "TurboJPEG moved the output buffer");
    return;
  }
  if (size == 0) {
    result->status = HF_ENC_EMPTY;
    return;
  }
  result->size = size;
}

void
hf_encoder_compress (HfEncoder * enc, const HfEncParams * p,
    HfEncResult * result)
{
  HfEncBands b;
  size_t at = 0;
  int k;

  result->status = HF_ENC_OK;
  result->size = 0;
  result->error[0] = '\0';
  if (!validate_params (p, out_subsamp (p), result)
      || !check_capacity (p->out, p->out_capacity,
          hf_enc_max_size (p->width, p->height, out_subsamp (p)), result))
    return;
  hf_enc_bands (p, &b);
  for (k = 0; k < b.n_bands; k++) {
    hf_encoder_compress_band (enc, p, &b, k, p->out + at,
        p->out_capacity - at, result);
    if (result->status != HF_ENC_OK)
      return;
    at += result->size;
  }
  result->size = at;
}

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

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>

struct HfEncoder
{
  tjhandle tj;
  /* Luma padded to whole chroma samples for odd-size planar input (see
   * pad_luma); grows once per larger frame size, then is reused. */
  uint8_t *scratch;
  size_t scratch_size;
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
  g_free (enc);
}

static void
set_error (HfEncResult * result, HfEncStatus status, const char *fmt, ...)
G_GNUC_PRINTF (3, 4);

     static void
         set_error (HfEncResult * result, HfEncStatus status, const char *fmt,
    ...)
{
  va_list args;

  result->status = status;
  result->size = 0;
  va_start (args, fmt);
  g_vsnprintf (result->error, sizeof (result->error), fmt, args);
  va_end (args);
}

static void
sleep_ms (unsigned ms)
{
  struct timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long) (ms % 1000) * 1000000L;
  /* Resume after signals so the injected hang lasts as long as asked. */
  while (nanosleep (&ts, &ts) == -1 && errno == EINTR);
}

/* Checks what TurboJPEG would not check, or would check too late: the
 * output capacity (TJFLAG_NOREALLOC makes it assume tjBufSize bytes) and
 * the plane pointers. */
static gboolean
validate_params (const HfEncParams * p, int out_subsamp, HfEncResult * result)
{
  size_t need;
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
  need = hf_enc_max_size (p->width, p->height, out_subsamp);
  if (need == 0) {
    /* tjBufSize would overflow: TJFLAG_NOREALLOC could then overrun. */
    set_error (result, HF_ENC_ERROR, "a %dx%d frame is too large for "
        "libjpeg-turbo at this subsampling", p->width, p->height);
    return FALSE;
  }
  if (p->out == NULL || p->out_capacity < need) {
    set_error (result, HF_ENC_ERROR,
        "output buffer too small: %zu bytes, need %zu",
        p->out ? p->out_capacity : 0, need);
    return FALSE;
  }
  return TRUE;
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

void
hf_encoder_compress (HfEncoder * enc, const HfEncParams * p,
    HfEncResult * result)
{
  unsigned char *buf;
  unsigned long size;
  int subsamp, ret;
  /* Accurate (islow) DCT, TurboJPEG's default: its SIMD versions are
   * bit-exact with the C code, so output is deterministic, and it is the
   * quality users expect from a quality setting. */
  const int flags = TJFLAG_NOREALLOC |
      (p->fast_dct ? TJFLAG_FASTDCT : TJFLAG_ACCURATEDCT);

  result->status = HF_ENC_OK;
  result->size = 0;
  result->error[0] = '\0';

  /* Gray input can only make a gray JPEG (libjpeg cannot turn one channel
   * into YCbCr), so the output subsampling follows the input. */
  subsamp = p->pixel_format == TJPF_GRAY ? TJSAMP_GRAY : p->subsamp;
  if (!validate_params (p, subsamp, result))
    return;

  switch (p->fault) {
    case HF_ENC_FAULT_ERROR:
      set_error (result, HF_ENC_ERROR, "injected encoder error (test hook)");
      return;
    case HF_ENC_FAULT_EMPTY:
      result->status = HF_ENC_EMPTY;
      return;
    case HF_ENC_FAULT_HANG:
      sleep_ms (p->fault_hang_ms);
      break;
    default:
      break;
  }

  buf = p->out;
  size = (unsigned long) p->out_capacity;
  if (p->pixel_format == -1) {
    const unsigned char *planes[HF_ENC_MAX_PLANES];
    int strides[HF_ENC_MAX_PLANES], i;

    for (i = 0; i < HF_ENC_MAX_PLANES; i++) {
      planes[i] = p->planes[i];
      strides[i] = p->strides[i];
    }
    gboolean packed = p->pixel_strides[0] > 1 || p->pixel_strides[1] > 1
        || p->pixel_strides[2] > 1, ok;

    if (packed || p->convert)
      ok = to_scratch (enc, p, subsamp, packed, planes, strides, result);
    else
      ok = pad_luma (enc, p, subsamp, planes, strides, result);
    if (!ok)
      return;
    ret = tjCompressFromYUVPlanes (enc->tj, planes, p->width, strides,
        p->height, subsamp, &buf, &size, p->quality, flags);
  } else {
    ret = tjCompress2 (enc->tj, p->planes[0], p->width, p->strides[0],
        p->height, p->pixel_format, &buf, &size, subsamp, p->quality, flags);
  }

  if (ret != 0) {
    set_error (result, HF_ENC_ERROR, "%s", tjGetErrorStr2 (enc->tj));
    return;
  }
  if (buf != p->out) {
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

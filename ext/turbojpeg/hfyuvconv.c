/* hfyuvconv: planar Y'CbCr to JFIF's full-range BT.601 (see hfyuvconv.h).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "hfyuvconv.h"

#include <math.h>
#include <string.h>

/* The AVX2 code is compiled for x86-64 whatever the build's flags, and
 * runs only where the CPU has AVX2 (HfYuvConvert.avx2). */
#if defined(__x86_64__) && defined(__GNUC__)
#define HF_YUV_AVX2 1
#include <immintrin.h>
/* A function compiled for AVX2 (a macro, so that gst-indent reads it as a
 * plain declaration specifier). */
#define AVX2_FN __attribute__ ((target ("avx2")))
#endif

/* JFIF's matrix (BT.601). */
#define JFIF_KR 0.299
#define JFIF_KB 0.114

/* Normalised input (y in 0..1, cb and cr in -0.5..0.5) to JFIF's
 * normalised output, through R'G'B'. Linear: no offsets here. */
static void
to_jfif (double kr, double kb, const double in[3], double out[3])
{
  double kg = 1.0 - kr - kb, y = in[0], cb = in[1], cr = in[2];
  double r = y + 2.0 * (1.0 - kr) * cr, b = y + 2.0 * (1.0 - kb) * cb;
  double g = (y - kr * r - kb * b) / kg;
  double yo = JFIF_KR * r + (1.0 - JFIF_KR - JFIF_KB) * g + JFIF_KB * b;

  out[0] = yo;
  out[1] = (b - yo) / (2.0 * (1.0 - JFIF_KB));
  out[2] = (r - yo) / (2.0 * (1.0 - JFIF_KR));
}

#define Q 13
#define ONE (1 << Q)

static int16_t
fixed (double v)
{
  return (int16_t) lround (v * ONE);
}

gboolean
hf_yuv_convert_init (HfYuvConvert * conv, double kr, double kb,
    gboolean full_range)
{
  /* Input scale: limited range has luma 16-235 and chroma 16-240. */
  const double ys = full_range ? 255 : 219, cs = full_range ? 255 : 224;
  double a[3][3];
  int i, j;

  if (full_range && fabs (kr - JFIF_KR) < 1e-4 && fabs (kb - JFIF_KB) < 1e-4)
    return FALSE;
  if (!(kr > 0 && kb > 0 && kr + kb < 1))
    return FALSE;
  /* a[i][j]: output component i for a unit of input component j. */
  for (j = 0; j < 3; j++) {
    double in[3] = { 0, 0, 0 }, out[3];
    in[j] = 1.0;
    to_jfif (kr, kb, in, out);
    for (i = 0; i < 3; i++)
      a[i][j] = out[i];
  }
  conv->y0 = full_range ? 0 : 16;
  conv->ly = fixed (255.0 * a[0][0] / ys);
  conv->lcb = fixed (255.0 * a[0][1] / cs);
  conv->lcr = fixed (255.0 * a[0][2] / cs);
  conv->bb = fixed (255.0 * a[1][1] / cs);
  conv->br = fixed (255.0 * a[1][2] / cs);
  conv->rb = fixed (255.0 * a[2][1] / cs);
  conv->rr = fixed (255.0 * a[2][2] / cs);
  conv->luma_uses_chroma = conv->lcb != 0 || conv->lcr != 0;
#ifdef HF_YUV_AVX2
  conv->avx2 = __builtin_cpu_supports ("avx2");
#else
  conv->avx2 = FALSE;
#endif
  return TRUE;
}

static inline uint8_t
clamp_q (int32_t sum)
{
  sum >>= Q;
  return sum <= 0 ? 0 : sum >= 255 ? 255 : (uint8_t) sum;
}

/* Rounding, and the chroma offset 128, in Q13. */
#define HALF (ONE / 2)
#define CHROMA_OFFSET (128 * ONE + HALF)

static inline uint8_t
luma_px (const HfYuvConvert * c, int y, int cb, int cr)
{
  return clamp_q (c->ly * (y - c->y0) + c->lcb * (cb - 128) +
      c->lcr * (cr - 128) + HALF);
}

#ifdef __SSE2__
#include <emmintrin.h>

/* Eight luma samples; u and v hold their chroma, one per sample. */
static inline __m128i
luma8 (const HfYuvConvert * c, __m128i y, __m128i u, __m128i v)
{
  const __m128i z = _mm_setzero_si128 ();
  __m128i y16 = _mm_sub_epi16 (_mm_unpacklo_epi8 (y, z),
      _mm_set1_epi16 (c->y0));
  __m128i u16 = _mm_sub_epi16 (_mm_unpacklo_epi8 (u, z), _mm_set1_epi16 (128));
  __m128i v16 = _mm_sub_epi16 (_mm_unpacklo_epi8 (v, z), _mm_set1_epi16 (128));
  /* Pairs (y, u) x (ly, lcb) and (v, 1) x (lcr, HALF), summed in 32 bits. */
  __m128i kyu = _mm_set1_epi32 ((int32_t) ((uint32_t) (uint16_t) c->lcb << 16
          | (uint16_t) c->ly));
  __m128i kv = _mm_set1_epi32 ((int32_t) ((uint32_t) HALF << 16
          | (uint16_t) c->lcr));
  __m128i one = _mm_set1_epi16 (1);
  __m128i lo = _mm_add_epi32 (_mm_madd_epi16 (_mm_unpacklo_epi16 (y16, u16),
          kyu), _mm_madd_epi16 (_mm_unpacklo_epi16 (v16, one), kv));
  __m128i hi = _mm_add_epi32 (_mm_madd_epi16 (_mm_unpackhi_epi16 (y16, u16),
          kyu), _mm_madd_epi16 (_mm_unpackhi_epi16 (v16, one), kv));

  lo = _mm_srai_epi32 (lo, Q);
  hi = _mm_srai_epi32 (hi, Q);
  return _mm_packus_epi16 (_mm_packs_epi32 (lo, hi), z);
}

/* Eight chroma pairs to one output component with coefficients (kb, kr). */
static inline __m128i
chroma8 (__m128i u, __m128i v, int16_t kb, int16_t kr)
{
  const __m128i z = _mm_setzero_si128 ();
  __m128i u16 = _mm_sub_epi16 (_mm_unpacklo_epi8 (u, z), _mm_set1_epi16 (128));
  __m128i v16 = _mm_sub_epi16 (_mm_unpacklo_epi8 (v, z), _mm_set1_epi16 (128));
  __m128i k = _mm_set1_epi32 ((int32_t) ((uint32_t) (uint16_t) kr << 16 |
          (uint16_t) kb));
  __m128i off = _mm_set1_epi32 (CHROMA_OFFSET);
  __m128i lo = _mm_add_epi32 (_mm_madd_epi16 (_mm_unpacklo_epi16 (u16, v16),
          k), off);
  __m128i hi = _mm_add_epi32 (_mm_madd_epi16 (_mm_unpackhi_epi16 (u16, v16),
          k), off);

  lo = _mm_srai_epi32 (lo, Q);
  hi = _mm_srai_epi32 (hi, Q);
  return _mm_packus_epi16 (_mm_packs_epi32 (lo, hi), z);
}

static inline __m128i
load4 (const uint8_t * p)
{
  int32_t v;

  memcpy (&v, p, 4);
  return _mm_cvtsi32_si128 (v);
}
#endif

#ifdef HF_YUV_AVX2
/* The 32-bit sums of lo (samples 0-3 and 8-11) and hi (4-7, 12-15), as
 * _mm256_unpack*_epi16 leave them, shifted, saturated and put back in
 * order: sixteen bytes. */
static inline AVX2_FN __m128i
pack16 (__m256i lo, __m256i hi)
{
  __m256i p = _mm256_packs_epi32 (_mm256_srai_epi32 (lo, Q),
      _mm256_srai_epi32 (hi, Q));

  p = _mm256_packus_epi16 (p, _mm256_setzero_si256 ());
  return _mm256_castsi256_si128 (_mm256_permute4x64_epi64 (p, 0x08));
}

/* luma_row's body, sixteen samples a step (shift_x 0 or 1); returns how
 * many it did. The same arithmetic as luma8. */
static AVX2_FN int
luma_row_avx2 (const HfYuvConvert * c, const uint8_t * s, const uint8_t * u,
    const uint8_t * w, uint8_t * d, int width, int shift_x)
{
  const __m256i y0 = _mm256_set1_epi16 (c->y0), mid = _mm256_set1_epi16 (128);
  const __m256i one = _mm256_set1_epi16 (1);
  const __m256i kyu = _mm256_set1_epi32 ((int32_t) ((uint32_t) (uint16_t)
          c->lcb << 16 | (uint16_t) c->ly));
  const __m256i kv = _mm256_set1_epi32 ((int32_t) ((uint32_t) HALF << 16 |
          (uint16_t) c->lcr));
  int x = 0;

  for (; x + 16 <= width; x += 16) {
    __m128i cu, cv;
    __m256i y16, u16, v16, lo, hi;

    if (shift_x) {
      cu = _mm_loadl_epi64 ((const __m128i *) (u + (x >> 1)));
      cv = _mm_loadl_epi64 ((const __m128i *) (w + (x >> 1)));
      cu = _mm_unpacklo_epi8 (cu, cu);  /* each sample twice */
      cv = _mm_unpacklo_epi8 (cv, cv);
    } else {
      cu = _mm_loadu_si128 ((const __m128i *) (u + x));
      cv = _mm_loadu_si128 ((const __m128i *) (w + x));
    }
    y16 = _mm256_sub_epi16 (_mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const
                    __m128i *) (s + x))), y0);
    u16 = _mm256_sub_epi16 (_mm256_cvtepu8_epi16 (cu), mid);
    v16 = _mm256_sub_epi16 (_mm256_cvtepu8_epi16 (cv), mid);
    lo = _mm256_add_epi32 (_mm256_madd_epi16 (_mm256_unpacklo_epi16 (y16,
                u16), kyu), _mm256_madd_epi16 (_mm256_unpacklo_epi16 (v16,
                one), kv));
    hi = _mm256_add_epi32 (_mm256_madd_epi16 (_mm256_unpackhi_epi16 (y16,
                u16), kyu), _mm256_madd_epi16 (_mm256_unpackhi_epi16 (v16,
                one), kv));
    _mm_storeu_si128 ((__m128i *) (d + x), pack16 (lo, hi));
  }
  return x;
}

/* chroma_row's body, sixteen pairs a step; returns how many it did. */
static AVX2_FN int
chroma_row_avx2 (const HfYuvConvert * c, const uint8_t * u, const uint8_t * w,
    uint8_t * du, uint8_t * dw, int n)
{
  const __m256i mid = _mm256_set1_epi16 (128);
  const __m256i off = _mm256_set1_epi32 (CHROMA_OFFSET);
  const __m256i kb = _mm256_set1_epi32 ((int32_t) ((uint32_t) (uint16_t)
          c->br << 16 | (uint16_t) c->bb));
  const __m256i kr = _mm256_set1_epi32 ((int32_t) ((uint32_t) (uint16_t)
          c->rr << 16 | (uint16_t) c->rb));
  int x = 0;

  for (; x + 16 <= n; x += 16) {
    __m256i u16 = _mm256_sub_epi16 (_mm256_cvtepu8_epi16 (_mm_loadu_si128
            ((const __m128i *) (u + x))), mid);
    __m256i v16 = _mm256_sub_epi16 (_mm256_cvtepu8_epi16 (_mm_loadu_si128
            ((const __m128i *) (w + x))), mid);
    __m256i lo = _mm256_unpacklo_epi16 (u16, v16);
    __m256i hi = _mm256_unpackhi_epi16 (u16, v16);

    /* Both read before either is written: in place is fine. */
    _mm_storeu_si128 ((__m128i *) (du + x),
        pack16 (_mm256_add_epi32 (_mm256_madd_epi16 (lo, kb), off),
            _mm256_add_epi32 (_mm256_madd_epi16 (hi, kb), off)));
    _mm_storeu_si128 ((__m128i *) (dw + x),
        pack16 (_mm256_add_epi32 (_mm256_madd_epi16 (lo, kr), off),
            _mm256_add_epi32 (_mm256_madd_epi16 (hi, kr), off)));
  }
  return x;
}
#endif

/* One luma row: width samples of s, each with the chroma sample it lies
 * in (u, v subsampled by 1 << shift_x), into d, then the last sample
 * repeated up to dst_w. d may be s. */
static void
luma_row (const HfYuvConvert * conv, const uint8_t * s, const uint8_t * u,
    const uint8_t * w, uint8_t * d, int width, int dst_w, int shift_x)
{
  int x = 0;

#ifdef HF_YUV_AVX2
  if (conv->avx2 && shift_x <= 1)
    x = luma_row_avx2 (conv, s, u, w, d, width, shift_x);
#endif
#ifdef __SSE2__
  /* 4:1:1 (shift_x 2) takes the scalar path. */
  for (; shift_x <= 1 && x + 8 <= width; x += 8) {
    __m128i cu, cv;

    if (shift_x) {
      cu = load4 (u + (x >> 1));
      cv = load4 (w + (x >> 1));
      cu = _mm_unpacklo_epi8 (cu, cu);  /* each sample twice */
      cv = _mm_unpacklo_epi8 (cv, cv);
    } else {
      cu = _mm_loadl_epi64 ((const __m128i *) (u + x));
      cv = _mm_loadl_epi64 ((const __m128i *) (w + x));
    }
    _mm_storel_epi64 ((__m128i *) (d + x), luma8 (conv,
            _mm_loadl_epi64 ((const __m128i *) (s + x)), cu, cv));
  }
#endif
  for (; x < width; x++)
    d[x] = luma_px (conv, s[x], u[x >> shift_x], w[x >> shift_x]);
  for (; x < dst_w; x++)
    d[x] = d[width - 1];
}

/* One row of n chroma pairs. du may be u and dw may be w. */
static void
chroma_row (const HfYuvConvert * conv, const uint8_t * u, const uint8_t * w,
    uint8_t * du, uint8_t * dw, int n)
{
  int x = 0;

#ifdef HF_YUV_AVX2
  if (conv->avx2)
    x = chroma_row_avx2 (conv, u, w, du, dw, n);
#endif
#ifdef __SSE2__
  for (; x + 8 <= n; x += 8) {
    __m128i cu = _mm_loadl_epi64 ((const __m128i *) (u + x));
    __m128i cv = _mm_loadl_epi64 ((const __m128i *) (w + x));

    _mm_storel_epi64 ((__m128i *) (du + x), chroma8 (cu, cv, conv->bb,
            conv->br));
    _mm_storel_epi64 ((__m128i *) (dw + x), chroma8 (cu, cv, conv->rb,
            conv->rr));
  }
#endif
  for (; x < n; x++) {
    /* Both read before either is written: the row may be converted in
     * place. */
    int cb = u[x] - 128, cr = w[x] - 128;

    du[x] = clamp_q (conv->bb * cb + conv->br * cr + CHROMA_OFFSET);
    dw[x] = clamp_q (conv->rb * cb + conv->rr * cr + CHROMA_OFFSET);
  }
}

/* Padding rows of the luma plane repeat the picture's last row. */
static void
pad_rows (uint8_t * const dst[3], const int dst_stride[3],
    const HfYuvGeometry * g)
{
  int y;

  for (y = g->height; y < g->dst_h; y++)
    memcpy (dst[0] + (size_t) y * dst_stride[0],
        dst[0] + (size_t) (y - 1) * dst_stride[0], g->dst_w);
}

void
hf_yuv_convert_frame (const HfYuvConvert * conv,
    const uint8_t * const src[3], const int src_stride[3],
    uint8_t * const dst[3], const int dst_stride[3], const HfYuvGeometry * g)
{
  int y;

  /* All of luma first: its rows read the unconverted chroma, which may be
   * converted in place afterwards. */
  for (y = 0; y < g->height; y++)
    luma_row (conv, src[0] + (size_t) y * src_stride[0],
        src[1] + (size_t) (y >> g->shift_y) * src_stride[1],
        src[2] + (size_t) (y >> g->shift_y) * src_stride[2],
        dst[0] + (size_t) y * dst_stride[0], g->width, g->dst_w, g->shift_x);
  pad_rows (dst, dst_stride, g);
  for (y = 0; y < g->chroma_h; y++)
    chroma_row (conv, src[1] + (size_t) y * src_stride[1],
        src[2] + (size_t) y * src_stride[2],
        dst[1] + (size_t) y * dst_stride[1],
        dst[2] + (size_t) y * dst_stride[2], g->chroma_w);
}

/* n samples taken every ps bytes from src into d. SSE2 does sixteen a
 * step for the strides of semi-planar chroma and packed 4:2:2 (2 and 4).
 * A step reads 16 * ps bytes from its first sample, i.e. up to the byte
 * before sample x + 16, so it runs only while that sample exists: nothing
 * past the component's last sample is read. */
static void
gather_row (uint8_t * d, const uint8_t * src, int ps, int n)
{
  int x = 0;

  if (ps == 1) {
    memcpy (d, src, n);
    return;
  }
#ifdef __SSE2__
  if (ps == 2) {
    const __m128i lo = _mm_set1_epi16 (0x00ff);

    for (; x + 16 < n; x += 16) {
      const uint8_t *s = src + 2 * (size_t) x;
      __m128i a = _mm_and_si128 (_mm_loadu_si128 ((const __m128i *) s), lo);
      __m128i b = _mm_and_si128 (_mm_loadu_si128 ((const __m128i *) (s + 16)),
          lo);

      _mm_storeu_si128 ((__m128i *) (d + x), _mm_packus_epi16 (a, b));
    }
  } else if (ps == 4) {
    const __m128i lo = _mm_set1_epi32 (0xff);

    for (; x + 16 < n; x += 16) {
      const uint8_t *s = src + 4 * (size_t) x;
      __m128i a = _mm_and_si128 (_mm_loadu_si128 ((const __m128i *) s), lo);
      __m128i b = _mm_and_si128 (_mm_loadu_si128 ((const __m128i *) (s + 16)),
          lo);
      __m128i c = _mm_and_si128 (_mm_loadu_si128 ((const __m128i *) (s + 32)),
          lo);
      __m128i e = _mm_and_si128 (_mm_loadu_si128 ((const __m128i *) (s + 48)),
          lo);

      _mm_storeu_si128 ((__m128i *) (d + x), _mm_packus_epi16
          (_mm_packs_epi32 (a, b), _mm_packs_epi32 (c, e)));
    }
  }
#endif
  for (; x < n; x++)
    d[x] = src[(size_t) x * ps];
}

void
hf_yuv_gather_frame (const HfYuvConvert * conv,
    const uint8_t * const src[3], const int src_stride[3],
    const int pixel_stride[3], uint8_t * const dst[3],
    const int dst_stride[3], const HfYuvGeometry * g)
{
  int cy, y;

  /* A chroma row, then the luma rows that lie in it, each gathered and,
   * while still in cache, converted in place: luma first, since it reads
   * the unconverted chroma. */
  for (cy = 0; cy < g->chroma_h; cy++) {
    uint8_t *u = dst[1] + (size_t) cy * dst_stride[1];
    uint8_t *w = dst[2] + (size_t) cy * dst_stride[2];
    int y_end = MIN (g->height, (cy + 1) << g->shift_y);

    gather_row (u, src[1] + (size_t) cy * src_stride[1], pixel_stride[1],
        g->chroma_w);
    gather_row (w, src[2] + (size_t) cy * src_stride[2], pixel_stride[2],
        g->chroma_w);
    for (y = cy << g->shift_y; y < y_end; y++) {
      uint8_t *d = dst[0] + (size_t) y * dst_stride[0];

      gather_row (d, src[0] + (size_t) y * src_stride[0], pixel_stride[0],
          g->width);
      if (conv)
        luma_row (conv, d, u, w, d, g->width, g->dst_w, g->shift_x);
      else
        memset (d + g->width, d[g->width - 1], g->dst_w - g->width);
    }
    if (conv)
      chroma_row (conv, u, w, u, w, g->chroma_w);
  }
  pad_rows (dst, dst_stride, g);
}

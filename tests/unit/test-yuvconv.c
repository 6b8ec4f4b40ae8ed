/* Unit tests of hfyuvconv: the tables take any range and matrix to JFIF
 * (full-range BT.601), checked against the same conversion in double
 * precision through R'G'B'. */
#include "hfyuvconv.h"

#include <math.h>
#include <string.h>

#include "hfunit.h"

/* (Y, Cb, Cr) in the given range and matrix, through R'G'B', to JFIF. */
static void
expected (double kr, double kb, gboolean full, int y, int cb, int cr,
    double out[3])
{
  double yn = full ? y / 255.0 : (y - 16) / 219.0;
  double bn = (cb - 128) / (full ? 255.0 : 224.0);
  double rn = (cr - 128) / (full ? 255.0 : 224.0);
  double r = yn + 2 * (1 - kr) * rn, b = yn + 2 * (1 - kb) * bn;
  double g = (yn - kr * r - kb * b) / (1 - kr - kb);
  double yo = 0.299 * r + 0.587 * g + 0.114 * b;

  out[0] = CLAMP (255 * yo, 0, 255);
  out[1] = CLAMP (255 * (b - yo) / 1.772 + 128, 0, 255);
  out[2] = CLAMP (255 * (r - yo) / 1.402 + 128, 0, 255);
}

/* A grid over the whole cube, one pixel at a time: every output within
 * half a level of the exact value, plus 0.1 for the Q13 coefficients. */
static const HfYuvGeometry one_px = { 1, 1, 1, 1, 1, 1, 0, 0 };

static void
check_matrix (double kr, double kb, gboolean full)
{
  HfYuvConvert conv;
  int y, cb, cr;

  g_assert_true (hf_yuv_convert_init (&conv, kr, kb, full));
  for (y = 0; y < 256; y += 15)
    for (cb = 0; cb < 256; cb += 17)
      for (cr = 0; cr < 256; cr += 17) {
        uint8_t sy[1] = { y }, su[1] = { cb }, sv[1] = { cr };
        uint8_t dy[1], du[1], dv[1];
        const uint8_t *src[3] = { sy, su, sv };
        uint8_t *dst[3] = { dy, du, dv };
        const int stride[3] = { 1, 1, 1 };
        double want[3];

        hf_yuv_convert_frame (&conv, src, stride, dst, stride, &one_px);
        expected (kr, kb, full, y, cb, cr, want);
        g_assert_cmpfloat (fabs (dy[0] - want[0]), <=, 0.6);
        g_assert_cmpfloat (fabs (du[0] - want[1]), <=, 0.6);
        g_assert_cmpfloat (fabs (dv[0] - want[2]), <=, 0.6);
      }
}

/* The AVX2 and SSE2 bodies and the scalar tail compute the same bytes: a
 * row of 45 pixels (two AVX2 steps of 16, one SSE2 step of 8, then 5
 * alone; without AVX2, five SSE2 steps) of varied values equals the same
 * pixels converted one at a time. */
#define ROW 45

HF_TEST ("/yuvconv/vector-equals-scalar", test_vector_equals_scalar)
{
  HfYuvConvert conv;
  uint8_t sy[ROW], su[ROW], sv[ROW], dy[ROW], du[ROW], dv[ROW];
  int i, shift, avx2;

  g_assert_true (hf_yuv_convert_init (&conv, 0.2126, 0.0722, FALSE));
  g_test_message ("this CPU %s AVX2", conv.avx2 ? "has" : "lacks");
  for (i = 0; i < ROW; i++) {
    sy[i] = (uint8_t) (i * 37 + 3);
    su[i] = (uint8_t) (i * 59 + 11);
    sv[i] = (uint8_t) (255 - i * 23);
  }
  for (avx2 = conv.avx2; avx2 >= 0; avx2--)
    for (shift = 0; shift <= 1; shift++) {
      const uint8_t *src[3] = { sy, su, sv };
      uint8_t *dst[3] = { dy, du, dv };
      const int stride[3] = { ROW, ROW, ROW };
      const HfYuvGeometry g = { ROW, 1, ROW, 1, (ROW + shift) >> shift, 1,
        shift, 0
      };

      conv.avx2 = avx2;
      hf_yuv_convert_frame (&conv, src, stride, dst, stride, &g);
      for (i = 0; i < ROW; i++) {
        uint8_t y1[1], u1[1], v1[1];
        const uint8_t *s1[3] = { sy + i, su + (i >> shift),
          sv + (i >> shift)
        };
        uint8_t *d1[3] = { y1, u1, v1 };
        const int one[3] = { 1, 1, 1 };

        hf_yuv_convert_frame (&conv, s1, one, d1, one, &one_px);
        g_assert_cmpint (dy[i], ==, y1[0]);
        if (shift == 0) {
          g_assert_cmpint (du[i], ==, u1[0]);
          g_assert_cmpint (dv[i], ==, v1[0]);
        }
      }
    }
}

HF_TEST ("/yuvconv/matrices", test_matrices)
{
  check_matrix (0.299, 0.114, FALSE);   /* limited BT.601: range only */
  check_matrix (0.2126, 0.0722, FALSE); /* limited BT.709 */
  check_matrix (0.2126, 0.0722, TRUE);  /* full BT.709 */
  check_matrix (0.2627, 0.0593, FALSE); /* limited BT.2020 */
}

/* JFIF input needs nothing; a range change alone leaves luma to luma. */
HF_TEST ("/yuvconv/jfif-and-range-only", test_jfif_and_range_only)
{
  HfYuvConvert conv;

  g_assert_false (hf_yuv_convert_init (&conv, 0.299, 0.114, TRUE));
  g_assert_true (hf_yuv_convert_init (&conv, 0.299, 0.114, FALSE));
  g_assert_false (conv.luma_uses_chroma);
  g_assert_true (hf_yuv_convert_init (&conv, 0.2126, 0.0722, FALSE));
  g_assert_true (conv.luma_uses_chroma);
}

/* 4:2:0 at an odd size: every luma sample takes the chroma sample it lies
 * in, and the padding repeats the last column and row. */
HF_TEST ("/yuvconv/subsampled-padding", test_subsampled_padding)
{
  HfYuvConvert conv;
  /* 3x3 luma of 16 (black), 2x2 chroma: only the top-left is coloured. */
  uint8_t sy[9], su[4] = { 240, 128, 128, 128 }, sv[4] = { 128, 128, 128, 128 };
  uint8_t dy[16], du[4], dv[4];
  const uint8_t *src[3] = { sy, su, sv };
  uint8_t *dst[3] = { dy, du, dv };
  const int sstride[3] = { 3, 2, 2 }, dstride[3] = { 4, 2, 2 };
  const HfYuvGeometry g = { 3, 3, 4, 4, 2, 2, 1, 1 };
  int i;

  for (i = 0; i < 9; i++)
    sy[i] = 126;
  g_assert_true (hf_yuv_convert_init (&conv, 0.2126, 0.0722, FALSE));
  hf_yuv_convert_frame (&conv, src, sstride, dst, dstride, &g);
  /* BT.709 luma depends on chroma: the top-left 2x2 differs from the
   * rest, which is neutral grey. */
  g_assert_cmpint (dy[0], ==, dy[1]);
  g_assert_cmpint (dy[0], ==, dy[4 + 1]);
  g_assert_cmpint (dy[0], !=, dy[2]);
  g_assert_cmpint (dy[2], ==, 128);
  /* Padding: column 3 repeats column 2, row 3 repeats row 2. */
  for (i = 0; i < 3; i++)
    g_assert_cmpint (dy[4 * i + 3], ==, dy[4 * i + 2]);
  for (i = 0; i < 4; i++)
    g_assert_cmpint (dy[12 + i], ==, dy[8 + i]);
  g_assert_cmpint (du[1], ==, 128);
}

/* A semi-planar or packed layout: component c's sample x of row y lies at
 * plane[c] + y * row_bytes[c] + offset[c] + x * ps[c]. */
typedef struct
{
  const char *name;
  int shift_x, shift_y;
  int two_planes;               /* luma alone, chroma interleaved (NV12) */
  int offset[3], ps[3];
} Layout;

static uint8_t
sample (int c, int x, int y)
{
  return (uint8_t) (c == 0 ? x * 37 + y * 11 + 5 : c == 1 ? x * 59 + y * 7 +
      11 : 255 - x * 23 - y * 19);
}

/* One layout at one size: the gathered planes equal those of the same
 * samples given as planes (converted by hf_yuv_convert_frame, or copied
 * and padded when conv is NULL). Each plane of the input is allocated to
 * end at its last sample, so that AddressSanitizer sees any read past
 * it. */
static void
check_gather (const Layout * l, const HfYuvConvert * conv, int w, int h)
{
  const int sx = l->shift_x, sy = l->shift_y;
  const int cw = (w + (1 << sx) - 1) >> sx, ch = (h + (1 << sy) - 1) >> sy;
  const int dw = cw << sx, dh = ch << sy;
  const HfYuvGeometry g = { w, h, dw, dh, cw, ch, sx, sy };
  const int dst_stride[3] = { dw, cw, cw };
  int row[2], c, x, y, i;
  size_t size[2];
  uint8_t *mem[2], *planar[3], *want[3], *got[3];
  const uint8_t *src[3];
  int src_stride[3];

  /* Plane 0 holds luma (and the chroma when packed); plane 1 the
   * interleaved chroma of a semi-planar layout. */
  row[0] = l->two_planes ? w + 3 : 4 * cw + 2;
  row[1] = 2 * cw + 1;
  size[0] = (size_t) row[0] * (h - 1) + (l->two_planes ? w : 4 * cw);
  size[1] = (size_t) row[1] * (ch - 1) + 2 * cw;
  for (i = 0; i < 2; i++)
    mem[i] = g_malloc0 (size[i]);
  for (c = 0; c < 3; c++) {
    int pw = c ? cw : w, ph = c ? ch : h;
    int plane = l->two_planes && c > 0;

    planar[c] = g_malloc ((size_t) pw * ph);
    src[c] = mem[plane] + l->offset[c];
    src_stride[c] = row[plane];
    for (y = 0; y < ph; y++)
      for (x = 0; x < pw; x++) {
        planar[c][y * pw + x] = sample (c, x, y);
        mem[plane][(size_t) y * row[plane] + l->offset[c] +
            (size_t) x * l->ps[c]] = sample (c, x, y);
      }
  }
  for (c = 0; c < 3; c++) {
    size_t n = c ? (size_t) cw * ch : (size_t) dw * dh;
    want[c] = g_malloc (n);
    got[c] = g_malloc (n);
  }
  if (conv) {
    const int ps_stride[3] = { w, cw, cw };
    hf_yuv_convert_frame (conv, (const uint8_t * const *) planar, ps_stride,
        want, dst_stride, &g);
  } else {
    for (y = 0; y < dh; y++)
      for (x = 0; x < dw; x++)
        want[0][y * dw + x] = planar[0][MIN (y, h - 1) * w + MIN (x, w - 1)];
    for (c = 1; c < 3; c++)
      memcpy (want[c], planar[c], (size_t) cw * ch);
  }
  hf_yuv_gather_frame (conv, src, src_stride, l->ps, got, dst_stride, &g);
  for (c = 0; c < 3; c++) {
    size_t n = c ? (size_t) cw * ch : (size_t) dw * dh;
    if (memcmp (want[c], got[c], n) != 0)
      g_error ("%s %dx%d%s: component %d differs from planar", l->name, w,
          h, conv ? " converted" : "", c);
    g_free (want[c]);
    g_free (got[c]);
    g_free (planar[c]);
  }
  for (i = 0; i < 2; i++)
    g_free (mem[i]);
}

/* Every layout gathers to the planar bytes, with and without conversion,
 * at widths that end the SSE2 steps (16 samples) exactly, one short and
 * one over, and at odd heights. */
HF_TEST ("/yuvconv/gather-equals-planar", test_gather_equals_planar)
{
  const Layout layouts[] = {
    {"NV12", 1, 1, 1, {0, 0, 1}, {1, 2, 2}},
    {"NV21", 1, 1, 1, {0, 1, 0}, {1, 2, 2}},
    {"YUY2", 1, 0, 0, {0, 1, 3}, {2, 4, 4}},
    {"UYVY", 1, 0, 0, {1, 0, 2}, {2, 4, 4}},
    {"YVYU", 1, 0, 0, {0, 3, 1}, {2, 4, 4}},
  };
  const int widths[] = { 1, 2, 15, 31, 32, 33, 64, 65, 97 };
  const int heights[] = { 1, 2, 5 };
  HfYuvConvert conv;
  size_t l, i, j;

  g_assert_true (hf_yuv_convert_init (&conv, 0.2126, 0.0722, FALSE));
  for (l = 0; l < G_N_ELEMENTS (layouts); l++)
    for (i = 0; i < G_N_ELEMENTS (widths); i++)
      for (j = 0; j < G_N_ELEMENTS (heights); j++) {
        check_gather (&layouts[l], NULL, widths[i], heights[j]);
        check_gather (&layouts[l], &conv, widths[i], heights[j]);
      }
}

HF_TEST_MAIN ();

/* Unit tests of hfyuvconv: the tables take any range and matrix to JFIF
 * (full-range BT.601), checked against the same conversion in double
 * precision through R'G'B'. */
#include "hfyuvconv.h"

#include <math.h>

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

        hf_yuv_convert_frame (&conv, src, stride, dst, stride, 1, 1, 1, 1,
            1, 1, 0, 0);
        expected (kr, kb, full, y, cb, cr, want);
        g_assert_cmpfloat (fabs (dy[0] - want[0]), <=, 0.6);
        g_assert_cmpfloat (fabs (du[0] - want[1]), <=, 0.6);
        g_assert_cmpfloat (fabs (dv[0] - want[2]), <=, 0.6);
      }
}

/* The SSE2 body and the scalar tail compute the same bytes: a row of 21
 * pixels (two steps of 8, then 5 alone) of varied values equals the same
 * pixels converted one at a time. */
static void
test_vector_equals_scalar (void)
{
  HfYuvConvert conv;
  uint8_t sy[21], su[21], sv[21], dy[21], du[21], dv[21];
  int i, shift;

  g_assert_true (hf_yuv_convert_init (&conv, 0.2126, 0.0722, FALSE));
  for (i = 0; i < 21; i++) {
    sy[i] = (uint8_t) (i * 37 + 3);
    su[i] = (uint8_t) (i * 59 + 11);
    sv[i] = (uint8_t) (255 - i * 23);
  }
  for (shift = 0; shift <= 1; shift++) {
    const uint8_t *src[3] = { sy, su, sv };
    uint8_t *dst[3] = { dy, du, dv };
    const int stride[3] = { 21, 21, 21 };

    hf_yuv_convert_frame (&conv, src, stride, dst, stride, 21, 1, 21, 1,
        (21 + shift) >> shift, 1, shift, 0);
    for (i = 0; i < 21; i++) {
      uint8_t y1[1], u1[1], v1[1];
      const uint8_t *s1[3] = { sy + i, su + (i >> shift), sv + (i >> shift) };
      uint8_t *d1[3] = { y1, u1, v1 };
      const int one[3] = { 1, 1, 1 };

      hf_yuv_convert_frame (&conv, s1, one, d1, one, 1, 1, 1, 1, 1, 1, 0, 0);
      g_assert_cmpint (dy[i], ==, y1[0]);
      if (shift == 0) {
        g_assert_cmpint (du[i], ==, u1[0]);
        g_assert_cmpint (dv[i], ==, v1[0]);
      }
    }
  }
}

static void
test_matrices (void)
{
  check_matrix (0.299, 0.114, FALSE);   /* limited BT.601: range only */
  check_matrix (0.2126, 0.0722, FALSE); /* limited BT.709 */
  check_matrix (0.2126, 0.0722, TRUE);  /* full BT.709 */
  check_matrix (0.2627, 0.0593, FALSE); /* limited BT.2020 */
}

/* JFIF input needs nothing; a range change alone leaves luma to luma. */
static void
test_jfif_and_range_only (void)
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
static void
test_subsampled_padding (void)
{
  HfYuvConvert conv;
  /* 3x3 luma of 16 (black), 2x2 chroma: only the top-left is coloured. */
  uint8_t sy[9], su[4] = { 240, 128, 128, 128 }, sv[4] = { 128, 128, 128, 128 };
  uint8_t dy[16], du[4], dv[4];
  const uint8_t *src[3] = { sy, su, sv };
  uint8_t *dst[3] = { dy, du, dv };
  const int sstride[3] = { 3, 2, 2 }, dstride[3] = { 4, 2, 2 };
  int i;

  for (i = 0; i < 9; i++)
    sy[i] = 126;
  g_assert_true (hf_yuv_convert_init (&conv, 0.2126, 0.0722, FALSE));
  hf_yuv_convert_frame (&conv, src, sstride, dst, dstride, 3, 3, 4, 4, 2, 2,
      1, 1);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/yuvconv/matrices", test_matrices);
  g_test_add_func ("/yuvconv/jfif-and-range-only", test_jfif_and_range_only);
  g_test_add_func ("/yuvconv/subsampled-padding", test_subsampled_padding);
  g_test_add_func ("/yuvconv/vector-equals-scalar", test_vector_equals_scalar);
  return g_test_run ();
}

/* hfyuvconv: Y'CbCr of any range, matrix and layout (planar, semi-planar,
 * packed 4:2:2) to JFIF's planes (full range, BT.601), for JPEG encoding.
 * Engine code: no GStreamer.
 *
 * JPEG decoders read JFIF as full-range BT.601. Video from cameras and
 * decoders is usually limited range (16-235) and often BT.709 or BT.2020:
 * written as it is, whites come out grey and colours shift. The conversion
 * is linear in (Y', Cb, Cr): seven fixed-point coefficients, computed
 * once per format and shared read-only by every worker; AVX2 does
 * sixteen pixels a step where the CPU has it (checked at run time), SSE2
 * eight, with the same arithmetic. Interleaved layouts are split into
 * planes by SSE2 too, sixteen samples a step, and converted row by row in
 * the same pass.
 * The transfer function is left alone (JFIF names none).
 *
 * Threads: an initialised HfYuvConvert is immutable; any thread may read
 * it.
 */
#ifndef __HF_YUV_CONV_H__
#define __HF_YUV_CONV_H__

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

/* Coefficients in Q13 fixed point, the same for the SSE2 and the scalar
 * code, so every pixel of a frame gets the same arithmetic:
 *   Y'  = (ly (Y - y0) + lcb (Cb - 128) + lcr (Cr - 128) + 4096) >> 13
 *   Cb' = (bb (Cb - 128) + br (Cr - 128) + 128.5 x 8192) >> 13
 *   Cr' = (rb (Cb - 128) + rr (Cr - 128) + 128.5 x 8192) >> 13
 * each clamped to 0..255. */
typedef struct
{
  int16_t ly, lcb, lcr, y0;
  int16_t bb, br, rb, rr;
  gboolean luma_uses_chroma;    /* FALSE for a range change alone */
  gboolean avx2;                /* this CPU runs the AVX2 code */
} HfYuvConvert;

/* kr, kb: the input matrix's luma coefficients (BT.601 0.299/0.114,
 * BT.709 0.2126/0.0722, BT.2020 0.2627/0.0593); full_range: 0-255 rather
 * than 16-235/16-240. Returns FALSE, leaving conv alone, when the input is
 * already JFIF and needs no conversion. */
gboolean hf_yuv_convert_init (HfYuvConvert * conv, double kr, double kb,
    gboolean full_range);

/* Where a frame lies in the planes it is written to: the picture is
 * width x height; the luma plane is dst_w x dst_h (>= the picture; the
 * extra columns and rows repeat the last ones, the padding TurboJPEG
 * reads at odd sizes); the chroma planes are chroma_w x chroma_h,
 * subsampled by 1 << shift_x and 1 << shift_y. */
typedef struct
{
  int width, height, dst_w, dst_h, chroma_w, chroma_h, shift_x, shift_y;
} HfYuvGeometry;

/* Converts one planar frame from src[0..2] into dst[0..2], luma padded.
 * Each luma sample takes the chroma sample it lies in. src may be dst (in
 * place). */
void hf_yuv_convert_frame (const HfYuvConvert * conv,
    const uint8_t * const src[3], const int src_stride[3],
    uint8_t * const dst[3], const int dst_stride[3],
    const HfYuvGeometry * g);

/* Semi-planar or packed input (NV12, YUY2...): component c's samples lie
 * pixel_stride[c] bytes apart from src[c] on, rows src_stride[c] apart.
 * Gathers them into the planes dst[0..2], luma padded, and converts them
 * as hf_yuv_convert_frame does when conv is not NULL, in one pass: each
 * row is converted while it is still in cache. */
void hf_yuv_gather_frame (const HfYuvConvert * conv,
    const uint8_t * const src[3], const int src_stride[3],
    const int pixel_stride[3], uint8_t * const dst[3],
    const int dst_stride[3], const HfYuvGeometry * g);

G_END_DECLS

#endif /* __HF_YUV_CONV_H__ */

/* Private interface between the rasteriser (hfraster.c), which turns
 * paths into coverage rows, and the painter (hfpaint.c), which composites
 * a paint through coverage into a canvas. Not part of the public
 * contract. */
#ifndef __HF_PAINT_PRIVATE_H__
#define __HF_PAINT_PRIVATE_H__

#include "hfraster.h"

G_BEGIN_DECLS

#define HF_LUT_SIZE 1024

/* Bit shifts of each channel within a packed pixel. */
typedef struct
{
  int rs, gs, bs, as;
  uint32_t amask;               /* the alpha (or x) byte, all ones */
} HfPxLayout;

typedef struct
{
  HfPaintType type;
  uint32_t solid_px;            /* packed solid colour, alpha byte 255 */
  uint8_t sa;                   /* solid alpha times opacity */
  /* Gradients are evaluated at pixel centres mapped through m (to_paint);
   * both t (linear) and the paint point (radial) are affine in x and y. */
  double px0, py0;              /* paint point of pixel centre (0.5, 0.5) */
  double gx, gy, gr;            /* radial centre and radius */
  double lin_t0, lin_dtx, lin_dty;      /* linear t at (0.5, 0.5), steps */
  HfMatrix m;
  const struct HfImage *image;
  double image_scale;           /* image pixels per canvas pixel */
  uint32_t image_opacity;       /* 0..255 */
  HfPxLayout layout;
  /* Gradient colours in 8.8 fixed point, in the canvas' byte order
   * (alpha last), so an entry dithered is a pixel. */
  uint16_t lut[HF_LUT_SIZE][4];
} HfPaintCtx;

/* Prepares a paint for canvas c; FALSE when it draws nothing. */
gboolean hf_paint_setup (HfPaintCtx * pc, const HfCanvas * c,
    const HfPaint * paint);
/* Composites one row: cov[i] is the coverage of canvas pixel (x0 + i, y). */
void hf_paint_row (const HfPaintCtx * pc, HfCanvas * c, int y, int x0,
    const uint8_t * cov, int n);

/* Source-over of n pixels onto row y from x0, each with its own alpha
 * (0..255): straight colours packed in c's byte order (their alpha byte
 * ignored), or one colour when src is NULL. */
void hf_paint_over_row (HfCanvas * c, int y, int x0, const uint8_t * src,
    HfRgba color, const uint8_t * alpha, int n);

G_END_DECLS

#endif /* __HF_PAINT_PRIVATE_H__ */

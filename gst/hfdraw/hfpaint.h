/* hfpaint: what a fill paints with: a colour, a gradient or a picture,
 * composited source-over. Engine code: no GStreamer. */
#ifndef __HF_PAINT_H__
#define __HF_PAINT_H__

#include "hfcanvas.h"
#include "hfmatrix.h"

G_BEGIN_DECLS

typedef enum
{
  HF_PAINT_SOLID,
  HF_PAINT_LINEAR,
  HF_PAINT_RADIAL,
  HF_PAINT_IMAGE,
} HfPaintType;

#define HF_MAX_STOPS 16

typedef struct
{
  double offset;                /* 0..1 */
  HfRgba color;
} HfStop;

typedef struct
{
  HfPaintType type;
  HfRgba color;                 /* SOLID */
  /* LINEAR: from (x0,y0) to (x1,y1). RADIAL: centre (x0,y0), radius r.
   * IMAGE: image, whose level-0 pixels are the paint space (hfimage.h).
   * All in paint space; to_paint maps canvas pixel centres to it. */
  const struct HfImage *image;
  double x0, y0, x1, y1, r;
  HfMatrix to_paint;
  int n_stops;
  HfStop stops[HF_MAX_STOPS];   /* sorted by offset */
  double opacity;               /* 0..1, multiplies alpha */
} HfPaint;
/* Gradients pad beyond their ends and interpolate between stops in
 * premultiplied space, so a fade to a transparent stop keeps its hue. The
 * result is dithered with a fixed 4x4 ordered pattern (deterministic, no
 * banding). A gradient with no stops draws nothing; opacity <= 0 (or NaN)
 * draws nothing. */

G_END_DECLS

#endif /* __HF_PAINT_H__ */

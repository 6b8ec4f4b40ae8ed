/* hfraster: anti-aliased polygon filling: a path (hfpath.h) filled with
 * a paint (hfpaint.h) into a canvas (hfcanvas.h). Engine code: no
 * GStreamer.
 *
 * Fills use the non-zero or even-odd rule with coverage-based
 * anti-aliasing, are clipped to the canvas, and cost in proportion to the
 * clipped bounding box of the shape, not the canvas.
 */
#ifndef __HF_RASTER_H__
#define __HF_RASTER_H__

#include "hfcanvas.h"
#include "hfmatrix.h"
#include "hfpaint.h"
#include "hfpath.h"

G_BEGIN_DECLS

/* Scratch state of the rasteriser (coverage rows), reused across fills. */
typedef struct HfRaster HfRaster;

typedef enum
{
  HF_FILL_NONZERO,              /* inside where the winding is not 0 */
  HF_FILL_EVENODD,              /* inside where the winding is odd */
} HfFillRule;

HfRaster *hf_raster_new (void);
void hf_raster_free (HfRaster * r);
/* Fills with the non-zero rule. */
void hf_raster_fill (HfRaster * r, HfCanvas * c, const HfPath * path,
    const HfPaint * paint);
void hf_raster_fill_with_rule (HfRaster * r, HfCanvas * c,
    const HfPath * path, const HfPaint * paint, HfFillRule rule);
G_END_DECLS

#endif /* __HF_RASTER_H__ */

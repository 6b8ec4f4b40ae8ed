/* hfclip: a polygon clipped to a box as its points arrive (Sutherland-
 * Hodgman against the four sides in turn). Inside the box the clipped
 * polygon fills exactly as the whole one does, under either fill rule:
 * what lies outside is replaced by runs along the box's sides. So a
 * filled shape far larger than the frame costs what its visible part
 * does. Engine code: no GStreamer. */
#ifndef __HF_CLIP_H__
#define __HF_CLIP_H__

#include "hfpath.h"

G_BEGIN_DECLS

typedef struct
{
  double first[2], prev[2];
  gboolean have;
} HfClipSide;

typedef struct
{
  double box[4];                /* x0, y0, x1, y1 */
  HfClipSide side[4];
  HfPath *out;
  gboolean started;             /* out has a contour open */
} HfPolyClip;

/* Contours go to out, clipped to box. */
void hf_poly_clip_init (HfPolyClip * c, HfPath * out, const double box[4]);
/* The next point of the current contour (the first one starts it). */
void hf_poly_clip_point (HfPolyClip * c, double x, double y);
/* Closes the current contour. */
void hf_poly_clip_close (HfPolyClip * c);
/* TRUE when the n points xy all lie beyond one side of the box: a curve
 * with that control polygon can be replaced by its chord (the clipped
 * result is the same), so it need not be flattened. */
gboolean hf_poly_clip_beyond_one_side (const HfPolyClip * c,
    const double *xy, int n);

G_END_DECLS

#endif /* __HF_CLIP_H__ */

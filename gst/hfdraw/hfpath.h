/* hfpath: paths (closed polygons, curves flattened as they are added)
 * and their strokes (joins, caps, dashes, trimming). Engine code: no
 * GStreamer. */
#ifndef __HF_PATH_H__
#define __HF_PATH_H__

#include "hfmatrix.h"

G_BEGIN_DECLS

/* A list of closed polygons (contours) in canvas pixel coordinates.
 * Storage grows as needed and is kept by hf_path_clear, so a path reused
 * across frames stops allocating. */
typedef struct HfPath HfPath;

HfPath *hf_path_new (void);
void hf_path_free (HfPath * p);
void hf_path_clear (HfPath * p);
/* Curves (ellipses, rounded corners, round joins and caps, glyph arcs)
 * added to p, or stroked into p, are flattened to within `tol` path units
 * of the true curve (default 0.1, i.e. 0.1 px for device-space paths).
 * A path later scaled by s should use 0.1 / s. Kept by hf_path_clear;
 * tol <= 0 restores the default. */
void hf_path_set_tolerance (HfPath * p, double tol);
void hf_path_move_to (HfPath * p, double x, double y);
void hf_path_line_to (HfPath * p, double x, double y);
/* A cubic Bezier from the current point, flattened so that no point of
 * the curve is further than the path's tolerance from the chords. */
void hf_path_cubic_to (HfPath * p, double x1, double y1, double x2,
    double y2, double x3, double y3);
void hf_path_close (HfPath * p);
/* Appends the contours of src transformed by m (m may be NULL). */
void hf_path_append (HfPath * p, const HfPath * src, const HfMatrix * m);
void hf_path_rect (HfPath * p, double x, double y, double w, double h,
    double radius);
void hf_path_ellipse (HfPath * p, double cx, double cy, double rx, double ry);
/* How a stroke is drawn, as in SVG. */
typedef enum
{
  HF_JOIN_ROUND,
  HF_JOIN_MITER,                /* a bevel where the miter exceeds the limit */
  HF_JOIN_BEVEL,
} HfLineJoin;

typedef enum
{
  HF_CAP_ROUND,
  HF_CAP_BUTT,
  HF_CAP_SQUARE,
} HfLineCap;

typedef struct
{
  double width;
  HfLineJoin join;
  double miter_limit;           /* miter length / width, >= 1 (SVG's 4) */
  HfLineCap cap;
  /* Dash pattern (lengths, alternately on and off; an odd count repeats
   * twice, as in SVG), restarting at each contour, shifted by
   * dash_offset. n_dashes 0: solid. */
  const double *dashes;
  int n_dashes;
  double dash_offset;
  /* Only the part from trim_start to trim_end of the total length of all
   * contours is stroked (fractions, 0 to 1; After Effects' Trim Paths).
   * A start after the end is the same range. */
  double trim_start, trim_end;
  /* NULL, or the box (x0, y0, x1, y1, in the path's units) that is seen:
   * the outline of segments wholly outside it, with their joins and caps,
   * is left out, so a long path mostly off the frame costs what its
   * visible part does. Dashes and trimming still measure the whole
   * path. */
  const double *clip;
} HfStrokeStyle;

/* Round joins and caps, solid, untrimmed, unclipped. */
void hf_stroke_style_init (HfStrokeStyle * style, double width);

/* Appends to dst the outline of src's contours stroked in `style`, as
 * contours that fill correctly with non-zero. closed[i] (NULL: all TRUE)
 * says whether contour i is a loop. src must not be dst. A contour of one
 * point (move_to then line_to the same point) gives a round or square dot
 * with those caps, nothing with butt caps. */
void hf_path_stroke_styled (HfPath * dst, const HfPath * src,
    const HfStrokeStyle * style, const gboolean * closed);
/* hf_path_stroke_styled with hf_stroke_style_init (width), every contour
 * closed or every one open. */
void hf_path_stroke (HfPath * dst, const HfPath * src, double width,
    gboolean closed);
int hf_path_n_contours (const HfPath * p);
/* Bounding box of all points; FALSE if empty. */
gboolean hf_path_bounds (const HfPath * p, double *x0, double *y0,
    double *x1, double *y1);

G_END_DECLS

#endif /* __HF_PATH_H__ */

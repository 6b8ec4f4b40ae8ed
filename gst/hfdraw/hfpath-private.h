/* Private layout of HfPath, shared by the path builder (hfpath.c) and the
 * rasteriser (hfraster.c). Not part of the public contract. */
#ifndef __HF_PATH_PRIVATE_H__
#define __HF_PATH_PRIVATE_H__

#include "hfraster.h"

/* Coordinates are clamped to this range on entry, so later arithmetic
 * (bounds, clipping, float edge storage) never sees inf or overflow. */
#define HF_COORD_LIMIT 1.0e7

struct HfPath
{
  double *pts;                  /* x, y pairs */
  int n_pts, cap_pts;
  int *starts;                  /* first point index of each contour */
  int n_contours, cap_contours;
  gboolean in_contour;          /* line_to extends the last contour */
  gboolean have_close_pt;       /* line_to after close restarts here */
  double close_x, close_y;
  double *scratch;              /* stroke input copy, kept across clears */
  int cap_scratch;
  double *piece;                /* a dash or trimmed piece of it, likewise */
  int cap_piece;
  double tol;                   /* flattening tolerance; 0: the default */
};

/* Largest distance between a flattened arc and the true curve, in path
 * units. */
static inline double
hf_path_tol (const HfPath * p)
{
  return p->tol > 0 ? p->tol : 0.1;
}

static inline int
hf_path_contour_end (const HfPath * p, int i)
{
  return i + 1 < p->n_contours ? p->starts[i + 1] : p->n_pts;
}

/* Segments for an arc of `angle` radians at `radius` px so that the chord
 * deviates at most about `tol` px from the true curve. */
int hf_arc_segments (double radius, double angle, double tol);

#endif /* __HF_PATH_PRIVATE_H__ */

/* Private layout of HfPath, shared by the path builder (hfpath.c), the
 * stroker (hfstroke.c) and the rasteriser (hfraster.c). Not part of the
 * public contract. */
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
  double *wrap;                 /* a visible run across a loop's start */
  int cap_wrap;
  double *arc;                  /* arc length at each scratch point */
  int cap_arc;
  guint64 walked;               /* segments dashes and trims visited */
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

/* Growing storage and adding points: for the builders of hfpath.c and
 * the stroker of hfstroke.c. Coordinates are clamped on entry. */

/* `mem`, grown if need be to hold `need` items of `size` bytes: the
 * capacity `*cap` doubles (from `min_cap`) until it is enough. */
static inline void *
hf_path_grow (void *mem, int *cap, int need, gsize size, int min_cap)
{
  int c;

  if (need <= *cap)
    return mem;
  c = MAX (min_cap, *cap * 2);
  while (c < need)
    c *= 2;
  *cap = c;
  return g_realloc_n (mem, c, size);
}

static inline void
hf_path_reserve_pts (HfPath * p, int extra)
{
  p->pts = hf_path_grow (p->pts, &p->cap_pts, p->n_pts + extra,
      2 * sizeof (double), 64);
}

static inline void
hf_path_reserve_contours (HfPath * p, int extra)
{
  p->starts = hf_path_grow (p->starts, &p->cap_contours,
      p->n_contours + extra, sizeof (int), 16);
}

static inline double
hf_path_clamp_coord (double v)
{
  return CLAMP (v, -HF_COORD_LIMIT, HF_COORD_LIMIT);
}

static inline void
hf_path_push_pt (HfPath * p, double x, double y)
{
  hf_path_reserve_pts (p, 1);
  p->pts[2 * p->n_pts] = hf_path_clamp_coord (x);
  p->pts[2 * p->n_pts + 1] = hf_path_clamp_coord (y);
  p->n_pts++;
}

static inline void
hf_path_begin_contour (HfPath * p, double x, double y)
{
  /* A contour of one point followed by a new move_to is dropped, as a
   * move_to replaces the current point. */
  if (p->in_contour && p->n_contours > 0
      && p->n_pts - p->starts[p->n_contours - 1] == 1) {
    p->n_pts--;
    p->n_contours--;
  }
  hf_path_reserve_contours (p, 1);
  p->starts[p->n_contours++] = p->n_pts;
  hf_path_push_pt (p, x, y);
  p->in_contour = TRUE;
}

/* Appends n points on an arc, excluding its start point. */
void hf_path_arc_pts (HfPath * p, double cx, double cy, double rx,
    double ry, double a0, double sweep, int n);

/* Segments for an arc of `angle` radians at `radius` px so that the chord
 * deviates at most about `tol` px from the true curve. */
int hf_arc_segments (double radius, double angle, double tol);

#endif /* __HF_PATH_PRIVATE_H__ */

/* hfmatrix: 2D affine transforms (hfmatrix.h). Engine code: no
 * GStreamer. */
#include "hfmatrix.h"

#include <math.h>

/* ---- Matrices ---- */

static void
matrix_set (HfMatrix * m, double xx, double yx, double xy, double yy,
    double x0, double y0)
{
  HfMatrix v = { xx, yx, xy, yy, x0, y0 };

  *m = v;
}

void
hf_matrix_init_identity (HfMatrix * m)
{
  matrix_set (m, 1, 0, 0, 1, 0, 0);
}

void
hf_matrix_init_translate (HfMatrix * m, double tx, double ty)
{
  matrix_set (m, 1, 0, 0, 1, tx, ty);
}

void
hf_matrix_init_scale (HfMatrix * m, double sx, double sy)
{
  matrix_set (m, sx, 0, 0, sy, 0, 0);
}

void
hf_matrix_init_rotate (HfMatrix * m, double radians)
{
  double c = cos (radians), s = sin (radians);
  /* Positive angles turn x towards y (clockwise on a y-down screen). */
  matrix_set (m, c, s, -s, c, 0, 0);
}

void
hf_matrix_multiply (HfMatrix * result, const HfMatrix * a, const HfMatrix * b)
{
  HfMatrix r;

  r.xx = b->xx * a->xx + b->xy * a->yx;
  r.yx = b->yx * a->xx + b->yy * a->yx;
  r.xy = b->xx * a->xy + b->xy * a->yy;
  r.yy = b->yx * a->xy + b->yy * a->yy;
  r.x0 = b->xx * a->x0 + b->xy * a->y0 + b->x0;
  r.y0 = b->yx * a->x0 + b->yy * a->y0 + b->y0;
  *result = r;
}

gboolean
hf_matrix_invert (HfMatrix * m)
{
  double det = m->xx * m->yy - m->xy * m->yx;
  HfMatrix r;

  if (det == 0 || !isfinite (det))
    return FALSE;
  r.xx = m->yy / det;
  r.xy = -m->xy / det;
  r.yx = -m->yx / det;
  r.yy = m->xx / det;
  r.x0 = -(r.xx * m->x0 + r.xy * m->y0);
  r.y0 = -(r.yx * m->x0 + r.yy * m->y0);
  *m = r;
  return TRUE;
}

void
hf_matrix_transform_point (const HfMatrix * m, double *x, double *y)
{
  double nx = m->xx * *x + m->xy * *y + m->x0;
  double ny = m->yx * *x + m->yy * *y + m->y0;
  *x = nx;
  *y = ny;
}

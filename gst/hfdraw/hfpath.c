/* hfpath: building polygon paths: lines, cubics flattened to the path's
 * tolerance, rects and ellipses (hfpath.h). Their strokes are drawn by
 * hfstroke.c. Engine code: no GStreamer. */
#include "hfpath-private.h"

#include <math.h>
#include <string.h>

/* ---- Paths ---- */

HfPath *
hf_path_new (void)
{
  return g_new0 (HfPath, 1);
}

void
hf_path_free (HfPath * p)
{
  if (!p)
    return;
  g_free (p->pts);
  g_free (p->starts);
  g_free (p->scratch);
  g_free (p->piece);
  g_free (p->wrap);
  g_free (p->arc);
  g_free (p);
}

void
hf_path_clear (HfPath * p)
{
  p->n_pts = 0;
  p->n_contours = 0;
  p->in_contour = FALSE;
  p->have_close_pt = FALSE;
}

int
hf_path_n_contours (const HfPath * p)
{
  return p->n_contours;
}

void
hf_path_set_tolerance (HfPath * p, double tol)
{
  p->tol = isfinite (tol) && tol > 0 ? CLAMP (tol, 1e-6, 1e6) : 0;
}

void
hf_path_move_to (HfPath * p, double x, double y)
{
  if (!isfinite (x) || !isfinite (y)) {
    /* Skip the point; the next line_to starts a fresh contour. */
    p->in_contour = FALSE;
    p->have_close_pt = FALSE;
    return;
  }
  hf_path_begin_contour (p, x, y);
  p->have_close_pt = FALSE;
}

void
hf_path_line_to (HfPath * p, double x, double y)
{
  if (!isfinite (x) || !isfinite (y))
    return;
  if (!p->in_contour) {
    if (p->have_close_pt) {
      hf_path_begin_contour (p, p->close_x, p->close_y);
      p->have_close_pt = FALSE;
    } else {
      hf_path_begin_contour (p, x, y);
      return;
    }
  }
  hf_path_push_pt (p, x, y);
}

/* Wang's bound: n uniform steps keep a cubic within tol of its chords
 * when n >= sqrt (3/4 x max |P(i) - 2 P(i+1) + P(i+2)| / tol). Capped so
 * that hostile control points cannot ask for unbounded points. */
#define MAX_CUBIC_STEPS 1024

void
hf_path_cubic_to (HfPath * p, double x1, double y1, double x2, double y2,
    double x3, double y3)
{
  double x0, y0, ddx, ddy, dd, t;
  int n, i;

  if (!isfinite (x1) || !isfinite (y1) || !isfinite (x2) || !isfinite (y2)
      || !isfinite (x3) || !isfinite (y3))
    return;
  /* Where the curve starts: as for line_to. */
  if (!p->in_contour) {
    if (!p->have_close_pt) {
      hf_path_begin_contour (p, x3, y3);
      return;
    }
    hf_path_begin_contour (p, p->close_x, p->close_y);
    p->have_close_pt = FALSE;
  }
  x0 = p->pts[2 * (p->n_pts - 1)];
  y0 = p->pts[2 * (p->n_pts - 1) + 1];
  x1 = hf_path_clamp_coord (x1);
  y1 = hf_path_clamp_coord (y1);
  x2 = hf_path_clamp_coord (x2);
  y2 = hf_path_clamp_coord (y2);
  x3 = hf_path_clamp_coord (x3);
  y3 = hf_path_clamp_coord (y3);
  ddx = MAX (fabs (x0 - 2 * x1 + x2), fabs (x1 - 2 * x2 + x3));
  ddy = MAX (fabs (y0 - 2 * y1 + y2), fabs (y1 - 2 * y2 + y3));
  dd = hypot (ddx, ddy);
  n = (int) MIN ((double) MAX_CUBIC_STEPS,
      ceil (sqrt (0.75 * dd / hf_path_tol (p))));
  n = MAX (n, 1);
  hf_path_reserve_pts (p, n);
  for (i = 1; i < n; i++) {
    double u, a, b, c, d;

    t = (double) i / n;
    u = 1.0 - t;
    a = u * u * u;
    b = 3 * u * u * t;
    c = 3 * u * t * t;
    d = t * t * t;
    hf_path_push_pt (p, a * x0 + b * x1 + c * x2 + d * x3,
        a * y0 + b * y1 + c * y2 + d * y3);
  }
  hf_path_push_pt (p, x3, y3);
}

void
hf_path_close (HfPath * p)
{
  if (p->in_contour && p->n_contours > 0) {
    int s = p->starts[p->n_contours - 1];
    p->close_x = p->pts[2 * s];
    p->close_y = p->pts[2 * s + 1];
    p->have_close_pt = TRUE;
  }
  p->in_contour = FALSE;
}

void
hf_path_append (HfPath * p, const HfPath * src, const HfMatrix * m)
{
  int n_pts = src->n_pts, n_cont = src->n_contours, base = p->n_pts;

  if (n_pts == 0)
    return;
  hf_path_reserve_pts (p, n_pts);
  hf_path_reserve_contours (p, n_cont);
  /* src may be p itself: read through src after reserving. */
  for (int i = 0; i < n_cont; i++)
    p->starts[p->n_contours + i] = src->starts[i] + base;
  for (int i = 0; i < n_pts; i++) {
    double x = src->pts[2 * i], y = src->pts[2 * i + 1];
    if (m)
      hf_matrix_transform_point (m, &x, &y);
    if (!isfinite (x) || !isfinite (y))
      x = y = 0;
    p->pts[2 * (base + i)] = hf_path_clamp_coord (x);
    p->pts[2 * (base + i) + 1] = hf_path_clamp_coord (y);
  }
  p->n_pts += n_pts;
  p->n_contours += n_cont;
  p->in_contour = FALSE;
  p->have_close_pt = FALSE;
}

int
hf_arc_segments (double radius, double angle, double tol)
{
  double r = fabs (radius), step;
  int n;

  if (!(r > tol))
    return MAX (1, (int) ceil (fabs (angle) / (G_PI / 4)));
  /* A chord spanning `step` radians deviates r * (1 - cos (step / 2)). */
  step = 2.0 * acos (1.0 - tol / r);
  /* For r far above tol, 1 - tol / r rounds to 1 and step to 0: clamp
   * before converting, as an int cannot hold inf. */
  if (!(step > 0))
    return 1024;
  n = (int) MIN (ceil (fabs (angle) / step), 1024.0);
  return MAX (n, 1);
}

void
hf_path_arc_pts (HfPath * p, double cx, double cy, double rx, double ry,
    double a0, double sweep, int n)
{
  for (int k = 1; k <= n; k++) {
    double a = a0 + sweep * k / n;
    hf_path_push_pt (p, cx + rx * cos (a), cy + ry * sin (a));
  }
}

void
hf_path_rect (HfPath * p, double x, double y, double w, double h, double radius)
{
  if (!isfinite (x) || !isfinite (y) || !isfinite (w) || !isfinite (h))
    return;
  if (w < 0) {
    x += w;
    w = -w;
  }
  if (h < 0) {
    y += h;
    h = -h;
  }
  if (w == 0 || h == 0)
    return;
  if (!isfinite (radius) || radius < 0)
    radius = 0;
  radius = MIN (radius, MIN (w, h) / 2);

  if (radius <= 0) {
    hf_path_begin_contour (p, x, y);
    hf_path_push_pt (p, x + w, y);
    hf_path_push_pt (p, x + w, y + h);
    hf_path_push_pt (p, x, y + h);
  } else {
    int n = hf_arc_segments (radius, G_PI / 2, hf_path_tol (p));
    double r = radius;
    /* Clockwise on screen (y down), like the plain rect and ellipse. */
    hf_path_begin_contour (p, x + r, y);
    hf_path_push_pt (p, x + w - r, y);
    hf_path_arc_pts (p, x + w - r, y + r, r, r, -G_PI / 2, G_PI / 2, n);
    hf_path_push_pt (p, x + w, y + h - r);
    hf_path_arc_pts (p, x + w - r, y + h - r, r, r, 0, G_PI / 2, n);
    hf_path_push_pt (p, x + r, y + h);
    hf_path_arc_pts (p, x + r, y + h - r, r, r, G_PI / 2, G_PI / 2, n);
    hf_path_push_pt (p, x, y + r);
    /* The last corner stops short of the start point. */
    hf_path_arc_pts (p, x + r, y + r, r, r, G_PI, G_PI / 2 * (n - 1) / n,
        n - 1);
  }
  hf_path_close (p);
}

void
hf_path_ellipse (HfPath * p, double cx, double cy, double rx, double ry)
{
  int n;

  if (!isfinite (cx) || !isfinite (cy) || !isfinite (rx) || !isfinite (ry))
    return;
  rx = fabs (rx);
  ry = fabs (ry);
  if (rx == 0 || ry == 0)
    return;
  /* A multiple of 4 puts vertices on the extremes. Vertices sit slightly
   * outside the curve and chord midpoints as far inside, so the polygon
   * errs by +-tol with no bias in area. */
  n = MAX (8, hf_arc_segments (MAX (rx, ry), 2 * G_PI, 2 * hf_path_tol (p)));
  n = (n + 3) & ~3;
  {
    double k = 1 + (1 - cos (G_PI / n)) / 2;
    rx *= k;
    ry *= k;
  }
  hf_path_begin_contour (p, cx + rx, cy);
  hf_path_arc_pts (p, cx, cy, rx, ry, 0, 2 * G_PI * (n - 1) / n, n - 1);
  hf_path_close (p);
}

gboolean
hf_path_bounds (const HfPath * p, double *x0, double *y0, double *x1,
    double *y1)
{
  double ax = G_MAXDOUBLE, ay = G_MAXDOUBLE, bx = -G_MAXDOUBLE,
      by = -G_MAXDOUBLE;

  if (!p || p->n_pts == 0)
    return FALSE;
  for (int i = 0; i < p->n_pts; i++) {
    double x = p->pts[2 * i], y = p->pts[2 * i + 1];
    ax = MIN (ax, x);
    bx = MAX (bx, x);
    ay = MIN (ay, y);
    by = MAX (by, y);
  }
  if (x0)
    *x0 = ax;
  if (y0)
    *y0 = ay;
  if (x1)
    *x1 = bx;
  if (y1)
    *y1 = by;
  return TRUE;
}

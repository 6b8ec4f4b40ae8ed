/* hfpath: affine matrices, building polygon paths (lines, rects,
 * ellipses) and stroking polylines into fillable outlines. Engine code: no
 * GStreamer. */
#include "hfpath-private.h"

#include <math.h>
#include <string.h>

/* ---- Matrices ---- */

void
hf_matrix_init_identity (HfMatrix * m)
{
  *m = (HfMatrix) {
  1, 0, 0, 1, 0, 0};
}

void
hf_matrix_init_translate (HfMatrix * m, double tx, double ty)
{
  *m = (HfMatrix) {
  1, 0, 0, 1, tx, ty};
}

void
hf_matrix_init_scale (HfMatrix * m, double sx, double sy)
{
  *m = (HfMatrix) {
  sx, 0, 0, sy, 0, 0};
}

void
hf_matrix_init_rotate (HfMatrix * m, double radians)
{
  double c = cos (radians), s = sin (radians);
  /* Positive angles turn x towards y (clockwise on a y-down screen). */
  *m = (HfMatrix) {
  c, s, -s, c, 0, 0};
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

static void
reserve_pts (HfPath * p, int extra)
{
  if (p->n_pts + extra > p->cap_pts) {
    int cap = MAX (64, p->cap_pts * 2);
    while (cap < p->n_pts + extra)
      cap *= 2;
    p->pts = g_renew (double, p->pts, (gsize) cap * 2);
    p->cap_pts = cap;
  }
}

static void
reserve_contours (HfPath * p, int extra)
{
  if (p->n_contours + extra > p->cap_contours) {
    int cap = MAX (16, p->cap_contours * 2);
    while (cap < p->n_contours + extra)
      cap *= 2;
    p->starts = g_renew (int, p->starts, cap);
    p->cap_contours = cap;
  }
}

static inline double
clamp_coord (double v)
{
  return CLAMP (v, -HF_COORD_LIMIT, HF_COORD_LIMIT);
}

static inline void
push_pt (HfPath * p, double x, double y)
{
  reserve_pts (p, 1);
  p->pts[2 * p->n_pts] = clamp_coord (x);
  p->pts[2 * p->n_pts + 1] = clamp_coord (y);
  p->n_pts++;
}

static void
begin_contour (HfPath * p, double x, double y)
{
  /* A contour of one point followed by a new move_to is dropped, as a
   * move_to replaces the current point. */
  if (p->in_contour && p->n_contours > 0
      && p->n_pts - p->starts[p->n_contours - 1] == 1) {
    p->n_pts--;
    p->n_contours--;
  }
  reserve_contours (p, 1);
  p->starts[p->n_contours++] = p->n_pts;
  push_pt (p, x, y);
  p->in_contour = TRUE;
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
  begin_contour (p, x, y);
  p->have_close_pt = FALSE;
}

void
hf_path_line_to (HfPath * p, double x, double y)
{
  if (!isfinite (x) || !isfinite (y))
    return;
  if (!p->in_contour) {
    if (p->have_close_pt) {
      begin_contour (p, p->close_x, p->close_y);
      p->have_close_pt = FALSE;
    } else {
      begin_contour (p, x, y);
      return;
    }
  }
  push_pt (p, x, y);
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
      begin_contour (p, x3, y3);
      return;
    }
    begin_contour (p, p->close_x, p->close_y);
    p->have_close_pt = FALSE;
  }
  x0 = p->pts[2 * (p->n_pts - 1)];
  y0 = p->pts[2 * (p->n_pts - 1) + 1];
  x1 = clamp_coord (x1);
  y1 = clamp_coord (y1);
  x2 = clamp_coord (x2);
  y2 = clamp_coord (y2);
  x3 = clamp_coord (x3);
  y3 = clamp_coord (y3);
  ddx = MAX (fabs (x0 - 2 * x1 + x2), fabs (x1 - 2 * x2 + x3));
  ddy = MAX (fabs (y0 - 2 * y1 + y2), fabs (y1 - 2 * y2 + y3));
  dd = hypot (ddx, ddy);
  n = (int) MIN ((double) MAX_CUBIC_STEPS,
      ceil (sqrt (0.75 * dd / hf_path_tol (p))));
  n = MAX (n, 1);
  reserve_pts (p, n);
  for (i = 1; i < n; i++) {
    double u, a, b, c, d;

    t = (double) i / n;
    u = 1.0 - t;
    a = u * u * u;
    b = 3 * u * u * t;
    c = 3 * u * t * t;
    d = t * t * t;
    push_pt (p, a * x0 + b * x1 + c * x2 + d * x3,
        a * y0 + b * y1 + c * y2 + d * y3);
  }
  push_pt (p, x3, y3);
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
  reserve_pts (p, n_pts);
  reserve_contours (p, n_cont);
  /* src may be p itself: read through src after reserving. */
  for (int i = 0; i < n_cont; i++)
    p->starts[p->n_contours + i] = src->starts[i] + base;
  for (int i = 0; i < n_pts; i++) {
    double x = src->pts[2 * i], y = src->pts[2 * i + 1];
    if (m)
      hf_matrix_transform_point (m, &x, &y);
    if (!isfinite (x) || !isfinite (y))
      x = y = 0;
    p->pts[2 * (base + i)] = clamp_coord (x);
    p->pts[2 * (base + i) + 1] = clamp_coord (y);
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

/* Appends points on an arc, excluding its start point. */
static void
arc_pts (HfPath * p, double cx, double cy, double rx, double ry, double a0,
    double sweep, int n)
{
  for (int k = 1; k <= n; k++) {
    double a = a0 + sweep * k / n;
    push_pt (p, cx + rx * cos (a), cy + ry * sin (a));
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
    begin_contour (p, x, y);
    push_pt (p, x + w, y);
    push_pt (p, x + w, y + h);
    push_pt (p, x, y + h);
  } else {
    int n = hf_arc_segments (radius, G_PI / 2, hf_path_tol (p));
    double r = radius;
    /* Clockwise on screen (y down), like the plain rect and ellipse. */
    begin_contour (p, x + r, y);
    push_pt (p, x + w - r, y);
    arc_pts (p, x + w - r, y + r, r, r, -G_PI / 2, G_PI / 2, n);
    push_pt (p, x + w, y + h - r);
    arc_pts (p, x + w - r, y + h - r, r, r, 0, G_PI / 2, n);
    push_pt (p, x + r, y + h);
    arc_pts (p, x + r, y + h - r, r, r, G_PI / 2, G_PI / 2, n);
    push_pt (p, x, y + r);
    /* The last corner stops short of the start point. */
    arc_pts (p, x + r, y + r, r, r, G_PI, G_PI / 2 * (n - 1) / n, n - 1);
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
  begin_contour (p, cx + rx, cy);
  arc_pts (p, cx, cy, rx, ry, 0, 2 * G_PI * (n - 1) / n, n - 1);
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

/* ---- Stroking ----
 * One contour per polyline side: forward along the -n side, a round cap,
 * back along the +n side, a round cap. On the outer side of a turn the
 * outline follows an arc; on the inner side it passes through the vertex.
 * As a chain of edges this equals the sum of one positively oriented quad
 * per segment plus a pie wedge per outer join, so non-zero filling gives
 * exactly their union, and every stroke outline has the same orientation
 * as rects and ellipses (overlapping strokes never cancel). */

typedef struct
{
  const double *pts;            /* deduplicated polyline */
  int n;
  double hw, tol;
  const HfStrokeStyle *style;
} StrokeCtx;

static void
seg_dir (const double *pts, int i, int j, double *dx, double *dy)
{
  double ux = pts[2 * j] - pts[2 * i], uy = pts[2 * j + 1] - pts[2 * i + 1];
  double len = sqrt (ux * ux + uy * uy);
  *dx = ux / len;
  *dy = uy / len;
}

/* Positive sweep (in (0, 2pi]) from angle a to angle b. */
static double
pos_sweep (double a, double b)
{
  double s = fmod (b - a, 2 * G_PI);
  if (s < 0)
    s += 2 * G_PI;
  return s;
}

/* Emits the join at vertex v between incoming direction (ix,iy) and outgoing
 * (ox,oy), on the side `side` (-1: the -n side, +1: +n side), where n of a
 * direction d is (-dy, dx). The backward pass walks the reversed polyline,
 * so both passes use side -1. */
static void
join (HfPath * p, const StrokeCtx * s, int v, double ix, double iy,
    double ox, double oy, int side)
{
  double vx = s->pts[2 * v], vy = s->pts[2 * v + 1], hw = s->hw;
  double cross = ix * oy - iy * ox, dot = ix * ox + iy * oy;
  double nix = -iy * side * hw, niy = ix * side * hw;
  double nox = -oy * side * hw, noy = ox * side * hw;
  /* This side is outer when the path turns away from it. */
  gboolean outer = (side < 0) ? cross > 0 : cross < 0;

  if (fabs (cross) < 1e-12 && dot > 0) {
    push_pt (p, vx + nox, vy + noy);
    return;
  }
  if (fabs (cross) < 1e-12)
    outer = TRUE;               /* a cusp: round it on this side */
  push_pt (p, vx + nix, vy + niy);
  if (outer && s->style->join != HF_JOIN_ROUND) {
    /* The miter tip is where the two offset edges meet: (ni + no) /
     * (1 + cos), at hw / cos (half the turn) from the vertex. SVG's limit
     * compares that length x 2 with the width: sqrt (2 / (1 + dot)). */
    if (s->style->join == HF_JOIN_MITER && dot > -1 + 1e-12
        && 2.0 / (1.0 + dot) <= s->style->miter_limit * s->style->miter_limit)
      push_pt (p, vx + (nix + nox) / (1.0 + dot),
          vy + (niy + noy) / (1.0 + dot));
    push_pt (p, vx + nox, vy + noy);
  } else if (outer) {
    double a0 = atan2 (niy, nix), a1 = atan2 (noy, nox);
    double sw = pos_sweep (a0, a1);
    int n;
    if (sw < 1e-9 || sw > 2 * G_PI - 1e-9)
      sw = G_PI;
    n = hf_arc_segments (hw, sw, s->tol);
    arc_pts (p, vx, vy, hw, hw, a0, sw, n);
  } else {
    push_pt (p, vx, vy);
    push_pt (p, vx + nox, vy + noy);
  }
}

static void
cap (HfPath * p, const StrokeCtx * s, int v, double dx, double dy)
{
  /* From the -n side around the front (direction d) to the +n side. */
  double vx = s->pts[2 * v], vy = s->pts[2 * v + 1], hw = s->hw;
  double a0 = atan2 (-dx, dy);  /* angle of -n = (dy, -dx) */
  int n;

  switch (s->style->cap) {
    case HF_CAP_BUTT:
      push_pt (p, vx - dy * hw, vy + dx * hw);
      return;
    case HF_CAP_SQUARE:
      push_pt (p, vx + (dy + dx) * hw, vy + (dy - dx) * hw);
      push_pt (p, vx + (dx - dy) * hw, vy + (dy + dx) * hw);
      push_pt (p, vx - dy * hw, vy + dx * hw);
      return;
    case HF_CAP_ROUND:
      break;
  }
  /* An even count puts a vertex on the tip, so the ink reaches exactly
   * half the width past the end. */
  n = hf_arc_segments (hw, G_PI, s->tol);
  arc_pts (p, vx, vy, hw, hw, a0, G_PI, n + (n & 1));
}

static void
stroke_open (HfPath * p, const StrokeCtx * s)
{
  const double *q = s->pts;
  int n = s->n;
  double dx, dy, ex, ey;

  seg_dir (q, 0, 1, &dx, &dy);
  /* Forward along the -n side: -n = (dy, -dx) * hw. */
  begin_contour (p, q[0] + dy * s->hw, q[1] - dx * s->hw);
  for (int i = 1; i < n - 1; i++) {
    seg_dir (q, i, i + 1, &ex, &ey);
    join (p, s, i, dx, dy, ex, ey, -1);
    dx = ex;
    dy = ey;
  }
  push_pt (p, q[2 * (n - 1)] + dy * s->hw, q[2 * (n - 1) + 1] - dx * s->hw);
  cap (p, s, n - 1, dx, dy);
  /* Backward along the +n side: as a forward walk of the reversed line,
   * whose -n side is our +n side. */
  dx = -dx;
  dy = -dy;
  for (int i = n - 2; i > 0; i--) {
    seg_dir (q, i, i - 1, &ex, &ey);
    join (p, s, i, dx, dy, ex, ey, -1);
    dx = ex;
    dy = ey;
  }
  push_pt (p, q[0] + dy * s->hw, q[1] - dx * s->hw);
  cap (p, s, 0, dx, dy);
  hf_path_close (p);
}

static void
stroke_loop (HfPath * p, const StrokeCtx * s, gboolean reversed)
{
  const double *q = s->pts;
  int n = s->n;
  double dx, dy, ex, ey;
  gboolean first = TRUE;

  /* Walks the loop forward (or reversed) along that walk's -n side,
   * joining at every vertex including the wrap-around one. */
#define IDX(k) (reversed ? (n - 1 - ((k) % n)) : ((k) % n))
  seg_dir (q, IDX (n - 1), IDX (0), &dx, &dy);
  for (int k = 0; k < n; k++) {
    int v = IDX (k);
    seg_dir (q, v, IDX (k + 1), &ex, &ey);
    if (first) {
      int before = p->n_pts;
      join (p, s, v, dx, dy, ex, ey, -1);
      /* Turn the first emitted point into the contour start. */
      reserve_contours (p, 1);
      p->starts[p->n_contours++] = before;
      p->in_contour = TRUE;
      first = FALSE;
    } else {
      join (p, s, v, dx, dy, ex, ey, -1);
    }
    dx = ex;
    dy = ey;
  }
#undef IDX
  hf_path_close (p);
}

/* A zero-length stroke: its caps alone (SVG draws nothing with butt). */
static void
dot (HfPath * p, double x, double y, double hw, double tol, HfLineCap cap)
{
  int n = MAX (8, hf_arc_segments (hw, 2 * G_PI, tol));

  if (cap == HF_CAP_BUTT)
    return;
  if (cap == HF_CAP_SQUARE) {
    hf_path_rect (p, x - hw, y - hw, 2 * hw, 2 * hw, 0);
    return;
  }
  begin_contour (p, x + hw, y);
  arc_pts (p, x, y, hw, hw, 0, 2 * G_PI, n - 1);
  hf_path_close (p);
}

static double
seg_len (const double *q, int i)
{
  return hypot (q[2 * i + 2] - q[2 * i], q[2 * i + 3] - q[2 * i + 1]);
}

/* A dash that starts exactly on a corner joins the side before it, as in
 * SVG renderers (a zero-length dash there, then the corner's join): it
 * starts this much earlier. */
#define DASH_JOIN_LEAD 1e-6

/* Strokes the part [a, b] (arc lengths) of polyline q of n points as an
 * open piece with caps. loop: q is a closed loop (its last point repeats
 * the first), so a piece starting at 0 continues from the end. The
 * polyline's dst->scratch stays untouched. */
static void
stroke_piece (HfPath * dst, StrokeCtx * s, const double *q, int n, double a,
    double b, gboolean loop)
{
  double pos = 0;
  int m = 0, i;
  gboolean need_start = TRUE;

  if (dst->cap_piece < n + 3) {
    dst->cap_piece = MAX (n + 3, 2 * dst->cap_piece);
    dst->piece = g_renew (double, dst->piece, (gsize) dst->cap_piece * 2);
  }
  if (a <= 0 && loop && n > 2 && b > 0) {
    double l = seg_len (q, n - 2);

    dst->piece[0] = q[2 * n - 2] - (q[2 * n - 2] - q[2 * n - 4]) / l *
        DASH_JOIN_LEAD;
    dst->piece[1] = q[2 * n - 1] - (q[2 * n - 1] - q[2 * n - 3]) / l *
        DASH_JOIN_LEAD;
    m = 1;
  } else if (a > 0) {
    for (i = 0, pos = 0; i + 1 < n && pos < a; i++)
      pos += seg_len (q, i);
    if (i > 0 && fabs (pos - a) < 1e-9)
      a = MAX (0, a - DASH_JOIN_LEAD);
    pos = 0;
  }
  for (i = 0; i + 1 < n && pos <= b; i++) {
    double l = seg_len (q, i), t0, t1;

    if (pos + l >= a && l > 0) {
      t0 = CLAMP ((a - pos) / l, 0, 1);
      t1 = CLAMP ((b - pos) / l, 0, 1);
      if (need_start) {
        /* The piece's first point (after the lead, if any). */
        dst->piece[2 * m] = q[2 * i] + t0 * (q[2 * i + 2] - q[2 * i]);
        dst->piece[2 * m + 1] = q[2 * i + 1] + t0 * (q[2 * i + 3] -
            q[2 * i + 1]);
        m++;
        need_start = FALSE;
      }
      dst->piece[2 * m] = q[2 * i] + t1 * (q[2 * i + 2] - q[2 * i]);
      dst->piece[2 * m + 1] = q[2 * i + 1] + t1 * (q[2 * i + 3] - q[2 * i + 1]);
      if (hypot (dst->piece[2 * m] - dst->piece[2 * m - 2],
              dst->piece[2 * m + 1] - dst->piece[2 * m - 1]) > 1e-9)
        m++;
    }
    pos += l;
  }
  s->pts = dst->piece;
  s->n = m;
  if (m == 1)
    dot (dst, dst->piece[0], dst->piece[1], s->hw, s->tol, s->style->cap);
  else if (m >= 2)
    stroke_open (dst, s);
}

/* Is the dash pattern on at length len (a dash ending exactly there, or
 * one starting there, counts as on)? */
static gboolean
dash_on_at_end (const HfStrokeStyle * st, int nd, double period, double len)
{
  double x = fmod (len + st->dash_offset, period), acc = 0;
  int k;

  if (x < 0)
    x += period;
  for (k = 0; k < nd; k++) {
    double d = st->dashes[k % st->n_dashes];
    if (x <= acc + d + 1e-9)
      return k % 2 == 0 || fabs (x - (acc + d)) < 1e-9;
    acc += d;
  }
  return TRUE;
}

/* The dashes of a polyline of length len, within [lo, hi], restarting the
 * pattern at its start (shifted by the offset). */
static void
stroke_dashed (HfPath * dst, StrokeCtx * s, const double *q, int n,
    double len, double lo, double hi, gboolean loop)
{
  const HfStrokeStyle *st = s->style;
  /* An odd list repeats to make it even, as in SVG. */
  int nd = st->n_dashes * (st->n_dashes % 2 ? 2 : 1), k = 0, guard = 0;
  double period = 0, pos;

  if (st->n_dashes <= 0) {
    stroke_piece (dst, s, q, n, lo, hi, FALSE);
    return;
  }
  for (k = 0; k < nd; k++)
    period += st->dashes[k % st->n_dashes];
  if (!(period > 0) || !isfinite (period)) {
    stroke_piece (dst, s, q, n, lo, hi, FALSE);
    return;
  }
  /* Where the pattern stands at length 0. */
  pos = -fmod (st->dash_offset, period);
  if (pos > 0)
    pos -= period;
  k = 0;
  /* Bounded: a tiny period on a long path would otherwise make millions
   * of dashes; past the bound the rest of the path is drawn solid. */
  while (pos < len && guard++ < 100000) {
    double d = st->dashes[k % st->n_dashes], a = MAX (pos, lo),
        b = MIN (pos + d, hi);

    /* A loop whose pattern is on at its end joins its first dash. */
    if (k % 2 == 0 && b >= a && pos + d > 0)
      stroke_piece (dst, s, q, n, a, b, loop && a <= 0 && lo <= 0
          && hi >= len && dash_on_at_end (st, nd, period, len));
    pos += d;
    k = (k + 1) % nd;
  }
  if (pos < len)
    stroke_piece (dst, s, q, n, MAX (pos, lo), hi, FALSE);
}

void
hf_stroke_style_init (HfStrokeStyle * style, double width)
{
  memset (style, 0, sizeof (*style));
  style->width = width;
  style->join = HF_JOIN_ROUND;
  style->miter_limit = 4.0;
  style->cap = HF_CAP_ROUND;
  style->trim_start = 0.0;
  style->trim_end = 1.0;
}


/* Copies contour c of src into dst->scratch without repeated points (a
 * loop without its closing repeat). With closing_point a loop gets its
 * first point again at the end, to be walked as an open line. Returns the
 * point count. */
static int
contour_polyline (HfPath * dst, const HfPath * src, int c, gboolean loop,
    gboolean closing_point)
{
  int a = src->starts[c], b = hf_path_contour_end (src, c), n = 0;
  double *buf;

  if (b - a + 1 > dst->cap_scratch) {
    dst->cap_scratch = MAX (b - a + 1, 2 * dst->cap_scratch);
    dst->scratch = g_renew (double, dst->scratch, (gsize) dst->cap_scratch * 2);
  }
  buf = dst->scratch;
  /* Drop repeated points: zero-length segments have no direction. */
  for (int i = a; i < b; i++) {
    double x = src->pts[2 * i], y = src->pts[2 * i + 1];
    if (n > 0 && fabs (x - buf[2 * n - 2]) < 1e-9
        && fabs (y - buf[2 * n - 1]) < 1e-9)
      continue;
    buf[2 * n] = x;
    buf[2 * n + 1] = y;
    n++;
  }
  if (loop && n > 2 && fabs (buf[0] - buf[2 * n - 2]) < 1e-9
      && fabs (buf[1] - buf[2 * n - 1]) < 1e-9)
    n--;
  if (loop && closing_point && n > 2) {
    buf[2 * n] = buf[0];
    buf[2 * n + 1] = buf[1];
    n++;
  }
  return n;
}

static double
polyline_len (const double *q, int n)
{
  double len = 0;

  for (int i = 0; i + 1 < n; i++)
    len += seg_len (q, i);
  return len;
}

/* closed[c] says whether contour c is a loop; NULL: all_closed for all. */
static void
stroke_contours (HfPath * dst, const HfPath * src,
    const HfStrokeStyle * style, const gboolean * closed, gboolean all_closed)
{
  StrokeCtx s;
  double total = 0, lo, hi, base = 0, t0, t1;
  gboolean plain;

  if (!style || !(style->width > 0) || !isfinite (style->width) || !src
      || src == dst)
    return;
  s.hw = MIN (style->width, HF_COORD_LIMIT) / 2;
  s.tol = hf_path_tol (dst);
  s.style = style;
  dst->in_contour = FALSE;

  t0 = isfinite (style->trim_start) ? CLAMP (style->trim_start, 0, 1) : 0;
  t1 = isfinite (style->trim_end) ? CLAMP (style->trim_end, 0, 1) : 1;
  if (t0 > t1) {
    double t = t0;
    t0 = t1;
    t1 = t;
  }
  if (t1 <= t0)
    return;
  plain = style->n_dashes <= 0 && t0 <= 0 && t1 >= 1;
  if (!plain)
    for (int c = 0; c < src->n_contours; c++) {
      int n = contour_polyline (dst, src, c,
          closed ? closed[c] : all_closed, TRUE);
      total += polyline_len (dst->scratch, n);
    }
  lo = t0 * total;
  hi = t1 * total;

  for (int c = 0; c < src->n_contours; c++) {
    gboolean loop = closed ? closed[c] : all_closed;
    int n = contour_polyline (dst, src, c, loop, !plain);
    double len;

    s.pts = dst->scratch;
    s.n = n;
    if (n == 1) {
      if (plain || (base >= lo && base <= hi))
        dot (dst, dst->scratch[0], dst->scratch[1], s.hw, s.tol, style->cap);
      continue;
    }
    if (plain) {
      if (loop && n > 2) {
        stroke_loop (dst, &s, FALSE);
        stroke_loop (dst, &s, TRUE);
      } else if (n >= 2) {
        stroke_open (dst, &s);
      }
      continue;
    }
    len = polyline_len (dst->scratch, n);
    if (base + len >= lo && base <= hi)
      stroke_dashed (dst, &s, dst->scratch, n, len, MAX (0, lo - base),
          MIN (len, hi - base), loop);
    base += len;
  }
}

void
hf_path_stroke_styled (HfPath * dst, const HfPath * src,
    const HfStrokeStyle * style, const gboolean * closed)
{
  stroke_contours (dst, src, style, closed, TRUE);
}

void
hf_path_stroke (HfPath * dst, const HfPath * src, double width, gboolean closed)
{
  HfStrokeStyle style;

  hf_stroke_style_init (&style, width);
  stroke_contours (dst, src, &style, NULL, closed);
}

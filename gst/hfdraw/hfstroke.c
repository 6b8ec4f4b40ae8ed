/* hfstroke: stroke outlines of paths (hfpath.h): joins, caps, dashes
 * and trimming, as SVG draws them. Engine code: no GStreamer. */
#include "hfpath-private.h"
#include "hfdraw-testing.h"

#include <math.h>
#include <string.h>

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
    hf_path_push_pt (p, vx + nox, vy + noy);
    return;
  }
  if (fabs (cross) < 1e-12)
    outer = TRUE;               /* a cusp: round it on this side */
  hf_path_push_pt (p, vx + nix, vy + niy);
  if (outer && s->style->join != HF_JOIN_ROUND) {
    /* The miter tip is where the two offset edges meet: (ni + no) /
     * (1 + cos), at hw / cos (half the turn) from the vertex. SVG's limit
     * compares that length x 2 with the width: sqrt (2 / (1 + dot)). */
    if (s->style->join == HF_JOIN_MITER && dot > -1 + 1e-12
        && 2.0 / (1.0 + dot) <= s->style->miter_limit * s->style->miter_limit)
      hf_path_push_pt (p, vx + (nix + nox) / (1.0 + dot),
          vy + (niy + noy) / (1.0 + dot));
    hf_path_push_pt (p, vx + nox, vy + noy);
  } else if (outer) {
    double a0 = atan2 (niy, nix), a1 = atan2 (noy, nox);
    double sw = pos_sweep (a0, a1);
    int n;
    if (sw < 1e-9 || sw > 2 * G_PI - 1e-9)
      sw = G_PI;
    n = hf_arc_segments (hw, sw, s->tol);
    hf_path_arc_pts (p, vx, vy, hw, hw, a0, sw, n);
  } else {
    hf_path_push_pt (p, vx, vy);
    hf_path_push_pt (p, vx + nox, vy + noy);
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
      hf_path_push_pt (p, vx - dy * hw, vy + dx * hw);
      return;
    case HF_CAP_SQUARE:
      hf_path_push_pt (p, vx + (dy + dx) * hw, vy + (dy - dx) * hw);
      hf_path_push_pt (p, vx + (dx - dy) * hw, vy + (dy + dx) * hw);
      hf_path_push_pt (p, vx - dy * hw, vy + dx * hw);
      return;
    case HF_CAP_ROUND:
      break;
  }
  /* An even count puts a vertex on the tip, so the ink reaches exactly
   * half the width past the end. */
  n = hf_arc_segments (hw, G_PI, s->tol);
  hf_path_arc_pts (p, vx, vy, hw, hw, a0, G_PI, n + (n & 1));
}

static void
stroke_open (HfPath * p, const StrokeCtx * s)
{
  const double *q = s->pts;
  int n = s->n;
  double dx, dy, ex, ey;

  seg_dir (q, 0, 1, &dx, &dy);
  /* Forward along the -n side: -n = (dy, -dx) * hw. */
  hf_path_begin_contour (p, q[0] + dy * s->hw, q[1] - dx * s->hw);
  for (int i = 1; i < n - 1; i++) {
    seg_dir (q, i, i + 1, &ex, &ey);
    join (p, s, i, dx, dy, ex, ey, -1);
    dx = ex;
    dy = ey;
  }
  hf_path_push_pt (p, q[2 * (n - 1)] + dy * s->hw,
      q[2 * (n - 1) + 1] - dx * s->hw);
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
  hf_path_push_pt (p, q[0] + dy * s->hw, q[1] - dx * s->hw);
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
      hf_path_reserve_contours (p, 1);
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

/* Does segment i -> j reach the clip box, by as far as its outline, joins
 * and caps can reach (half the width, times the miter limit for miters,
 * times sqrt 2 for square caps)? */
static gboolean
seg_visible (const StrokeCtx * s, int i, int j)
{
  const double *q = s->pts, *c = s->style->clip;
  double m = s->hw * MAX (G_SQRT2, s->style->join == HF_JOIN_MITER
      ? s->style->miter_limit : 1.0) + s->tol;

  return MAX (q[2 * i], q[2 * j]) + m >= c[0]
      && MIN (q[2 * i], q[2 * j]) - m <= c[2]
      && MAX (q[2 * i + 1], q[2 * j + 1]) + m >= c[1]
      && MIN (q[2 * i + 1], q[2 * j + 1]) - m <= c[3];
}

/* Strokes points [a, a + n) of s (indices modulo s->n for a loop) as an
 * open polyline; a run that wraps past the end is copied first. */
static void
stroke_run (HfPath * p, const StrokeCtx * s, int a, int n)
{
  StrokeCtx sub = *s;
  int k;

  if (a + n <= s->n) {
    sub.pts = s->pts + 2 * a;
  } else {
    p->wrap = hf_path_grow (p->wrap, &p->cap_wrap, n, 2 * sizeof (double), 16);
    for (k = 0; k < n; k++) {
      p->wrap[2 * k] = s->pts[2 * ((a + k) % s->n)];
      p->wrap[2 * k + 1] = s->pts[2 * ((a + k) % s->n) + 1];
    }
    sub.pts = p->wrap;
  }
  sub.n = n;
  stroke_open (p, &sub);
}

/* Strokes a polyline (a loop: its last segment returns to the first
 * point) of s->n >= 2 points, leaving out what the clip box cannot see:
 * the visible runs of segments are stroked as open lines, whose ends lie
 * on unseen segments, so their caps are out of sight too. */
static void
stroke_line (HfPath * p, const StrokeCtx * s, gboolean loop)
{
  int n = s->n, n_seg = loop ? n : n - 1, k, first = -1, run = -1, i;

  if (s->style->clip != NULL)
    for (k = 0; k < n_seg && first < 0; k++)
      if (!seg_visible (s, k, (k + 1) % n))
        first = k;
  if (first < 0) {
    if (loop) {
      stroke_loop (p, s, FALSE);
      stroke_loop (p, s, TRUE);
    } else {
      stroke_open (p, s);
    }
    return;
  }
  /* From just after an unseen segment (a loop's start moves there), the
   * runs of seen ones: segments [run, k) start at point run. */
  for (k = 0; k <= n_seg; k++) {
    i = loop ? (first + 1 + k) % n : k;
    if (k < n_seg && seg_visible (s, i, (i + 1) % n)) {
      if (run < 0)
        run = k;
      continue;
    }
    if (run >= 0)
      stroke_run (p, s, loop ? (first + 1 + run) % n : run, k - run + 1);
    run = -1;
  }
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
  hf_path_begin_contour (p, x + hw, y);
  hf_path_arc_pts (p, x, y, hw, hw, 0, 2 * G_PI, n - 1);
  hf_path_close (p);
}

static double
seg_len (const double *q, int i)
{
  return hypot (q[2 * i + 2] - q[2 * i], q[2 * i + 3] - q[2 * i + 1]);
}

/* Arc lengths along polyline q, into dst->arc: arc[0] = 0 and arc[i + 1] =
 * arc[i] + seg_len (q, i), summed in that order, so that a walk along q
 * from any point meets the same values as one from the start. */
static const double *
polyline_arcs (HfPath * dst, const double *q, int n)
{
  dst->arc = hf_path_grow (dst->arc, &dst->cap_arc, MAX (n, 1),
      sizeof (double), 16);
  dst->arc[0] = 0;
  for (int i = 0; i + 1 < n; i++)
    dst->arc[i + 1] = dst->arc[i] + seg_len (q, i);
  return dst->arc;
}

/* The first segment of a polyline of n >= 2 points that ends at arc
 * length a or later; the last segment if none does. A binary search, so
 * that each dash of a long path costs its own segments, not the path's. */
static int
first_seg_ending_at (const double *arc, int n, double a)
{
  int lo = 0, hi = n - 2;

  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;

    if (arc[mid + 1] >= a)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* A dash that starts exactly on a corner joins the side before it, as in
 * SVG renderers (a zero-length dash there, then the corner's join): it
 * starts this much earlier. */
#define DASH_JOIN_LEAD 1e-6

/* Strokes the part [a, b] (arc lengths) of polyline q of n points, whose
 * arc lengths are arc (polyline_arcs), as an open piece with caps. loop: q
 * is a closed loop (its last point repeats the first), so a piece starting
 * at 0 continues from the end. The polyline's dst->scratch and dst->arc
 * stay untouched. */
static void
stroke_piece (HfPath * dst, StrokeCtx * s, const double *q,
    const double *arc, int n, double a, double b, gboolean loop)
{
  double pos;
  int m = 0, i;
  gboolean need_start = TRUE;

  if (n < 2)
    return;
  dst->piece = hf_path_grow (dst->piece, &dst->cap_piece, n + 3,
      2 * sizeof (double), 16);
  if (a <= 0 && loop && n > 2 && b > 0) {
    double l = seg_len (q, n - 2);

    dst->piece[0] = q[2 * n - 2] - (q[2 * n - 2] - q[2 * n - 4]) / l *
        DASH_JOIN_LEAD;
    dst->piece[1] = q[2 * n - 1] - (q[2 * n - 1] - q[2 * n - 3]) / l *
        DASH_JOIN_LEAD;
    m = 1;
  } else if (a > 0) {
    /* The first point at or past a. */
    i = first_seg_ending_at (arc, n, a) + 1;
    if (fabs (arc[i] - a) < 1e-9)
      a = MAX (0, a - DASH_JOIN_LEAD);
  }
  /* Segments ending before a add nothing: start at the first one that
   * does not. */
  i = first_seg_ending_at (arc, n, a);
  for (pos = arc[i]; i + 1 < n && pos <= b; i++) {
    double l = seg_len (q, i), t0, t1;

    dst->walked++;
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
    stroke_line (dst, s, FALSE);
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
stroke_dashed (HfPath * dst, StrokeCtx * s, const double *q,
    const double *arc, int n, double len, double lo, double hi, gboolean loop)
{
  const HfStrokeStyle *st = s->style;
  /* An odd list repeats to make it even, as in SVG. */
  int nd = st->n_dashes * (st->n_dashes % 2 ? 2 : 1), k = 0, guard = 0;
  double period = 0, pos;

  if (st->n_dashes <= 0) {
    stroke_piece (dst, s, q, arc, n, lo, hi, FALSE);
    return;
  }
  for (k = 0; k < nd; k++)
    period += st->dashes[k % st->n_dashes];
  if (!(period > 0) || !isfinite (period)) {
    stroke_piece (dst, s, q, arc, n, lo, hi, FALSE);
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
      stroke_piece (dst, s, q, arc, n, a, b, loop && a <= 0 && lo <= 0
          && hi >= len && dash_on_at_end (st, nd, period, len));
    pos += d;
    k = (k + 1) % nd;
  }
  if (pos < len)
    stroke_piece (dst, s, q, arc, n, MAX (pos, lo), hi, FALSE);
}

guint64
hf_path_get_walked_segments (const HfPath * p)
{
  return p->walked;
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

  dst->scratch = hf_path_grow (dst->scratch, &dst->cap_scratch, b - a + 1,
      2 * sizeof (double), 16);
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
    const double *arc;
    double len;

    s.pts = dst->scratch;
    s.n = n;
    if (n == 1) {
      if (plain || (base >= lo && base <= hi))
        dot (dst, dst->scratch[0], dst->scratch[1], s.hw, s.tol, style->cap);
      continue;
    }
    if (plain) {
      if (n >= 2)
        stroke_line (dst, &s, loop && n > 2);
      continue;
    }
    arc = polyline_arcs (dst, dst->scratch, n);
    len = arc[MAX (n, 1) - 1];
    if (base + len >= lo && base <= hi)
      stroke_dashed (dst, &s, dst->scratch, arc, n, len, MAX (0, lo - base),
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

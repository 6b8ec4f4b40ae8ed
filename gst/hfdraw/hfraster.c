/* hfraster: the anti-aliased polygon filler.
 *
 * The filler is a signed-area accumulation rasteriser. Each edge adds, per
 * pixel it crosses, the change in covered area; a running sum along a row
 * then gives the winding-weighted coverage, clamped to 1 (non-zero rule)
 * or folded every 2 (even-odd).
 * Rows are processed in strips of STRIP rows with an active edge list, so
 * scratch memory is STRIP rows of the clipped bounding box, kept in HfRaster
 * and reused. Per row only 32-cell blocks that an edge wrote to are summed
 * cell by cell; the rest of the row is made of constant runs, so the cost
 * follows the shape's outline and area, never the canvas. Each coverage row
 * goes to the painter (hfpaint.c). */
#include "hfpath-private.h"
#include "hfpaint-private.h"
#include "hfdraw-testing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STRIP 16
#define BLOCK_SHIFT 5           /* 32 cells per touched-bit */

typedef struct
{
  float x0, y0, y1, dxdy, dir;  /* y0 < y1; x at y0; local coordinates */
} HfEdge;

struct HfRaster
{
  HfEdge *edges;
  int n_edges, cap_edges;
  HfEdge *sort_buf;             /* merge sort scratch */
  int cap_sort;
  int *active;
  int cap_active;
  float *acc;                   /* STRIP rows of (bw + 2) cells */
  int cap_acc;
  uint8_t *cov;
  int cap_cov;
  int row_min[STRIP], row_max[STRIP];
  /* Per strip row, one bit per BLOCK cells that edges wrote to. Untouched
   * blocks hold zeros, so the sweep fills them as a constant run instead of
   * summing cell by cell. All bits are clear between rows. */
  uint64_t *touched;
  int cap_touched, tw_stride;
  HfPaintCtx paint;             /* the current fill's paint, with its LUT */
  guint64 swept;                /* accumulation cells swept, for tests */
};

/* ---- Rasteriser ---- */

HfRaster *
hf_raster_new (void)
{
  return g_new0 (HfRaster, 1);
}

void
hf_raster_free (HfRaster * r)
{
  if (!r)
    return;
  g_free (r->edges);
  g_free (r->sort_buf);
  g_free (r->active);
  g_free (r->acc);
  g_free (r->cov);
  g_free (r->touched);
  g_free (r);
}

guint64
hf_raster_get_swept_cells (const HfRaster * r)
{
  return r->swept;
}

static void
push_edge (HfRaster * r, double x0, double y0, double x1, double y1, float dir)
{
  HfEdge *e;

  if (!(y1 > y0))
    return;
  if (r->n_edges == r->cap_edges) {
    r->cap_edges = MAX (256, r->cap_edges * 2);
    r->edges = g_renew (HfEdge, r->edges, r->cap_edges);
  }
  e = &r->edges[r->n_edges++];
  e->x0 = (float) x0;
  e->y0 = (float) y0;
  e->y1 = (float) y1;
  /* Bounded so that float math on nearly horizontal edges stays finite. */
  e->dxdy = (float) CLAMP ((x1 - x0) / (y1 - y0), -1e12, 1e12);
  e->dir = dir;
}

/* Adds the part of a segment inside rows [0, bh) (local coordinates).
 * Parts left of column 0 become vertical at 0 (they still wind every
 * pixel to their right); parts right of bw are dropped. */
static void
add_segment (HfRaster * r, double x0, double y0, double x1, double y1,
    double bw, double bh)
{
  float dir = 1;
  double ts[4];
  int nt = 0;

  if (y0 == y1)
    return;
  if (y0 > y1) {
    double t;
    t = x0, x0 = x1, x1 = t;
    t = y0, y0 = y1, y1 = t;
    dir = -1;
  }
  if (y1 <= 0 || y0 >= bh)
    return;
  if (y0 < 0) {
    x0 += (x1 - x0) * (0 - y0) / (y1 - y0);
    y0 = 0;
  }
  if (y1 > bh) {
    x1 = x0 + (x1 - x0) * (bh - y0) / (y1 - y0);
    y1 = bh;
  }
  if (x0 >= bw && x1 >= bw)
    return;
  if (x0 >= 0 && x1 >= 0 && x0 <= bw && x1 <= bw) {
    push_edge (r, x0, y0, x1, y1, dir);
    return;
  }
  /* Split where the segment crosses x = 0 and x = bw. */
  ts[nt++] = 0;
  if (x0 != x1) {
    double t = (0 - x0) / (x1 - x0), u = (bw - x0) / (x1 - x0);
    if (t > 0 && t < 1)
      ts[nt++] = t;
    if (u > 0 && u < 1)
      ts[nt++] = u;
    if (nt == 3 && ts[2] < ts[1]) {
      double s = ts[1];
      ts[1] = ts[2];
      ts[2] = s;
    }
  }
  ts[nt++] = 1;
  for (int i = 0; i + 1 < nt; i++) {
    double ya = y0 + (y1 - y0) * ts[i], yb = y0 + (y1 - y0) * ts[i + 1];
    double xa = x0 + (x1 - x0) * ts[i], xb = x0 + (x1 - x0) * ts[i + 1];
    double xm = 0.5 * (xa + xb);
    if (i + 1 == nt - 1)
      yb = y1;
    if (xm >= bw)
      continue;
    if (xm <= 0)
      push_edge (r, 0, ya, 0, yb, dir);
    else
      push_edge (r, CLAMP (xa, 0, bw), ya, CLAMP (xb, 0, bw), yb, dir);
  }
}

/* Sorts r->edges by y0, stably. A bottom-up merge sort with its buffer
 * kept in r: qsort calls a comparator per step and may allocate. Runs of
 * up to 8 are first sorted by insertion. */
static void
sort_edges (HfRaster * r)
{
  HfEdge *a = r->edges, *b;
  int n = r->n_edges;

  if (n > r->cap_sort) {
    r->cap_sort = r->cap_edges;
    g_free (r->sort_buf);
    r->sort_buf = g_new (HfEdge, r->cap_sort);
  }
  b = r->sort_buf;
  for (int s = 0; s < n; s += 8) {
    int e = MIN (s + 8, n);
    for (int i = s + 1; i < e; i++) {
      HfEdge t = a[i];
      int j = i;
      for (; j > s && a[j - 1].y0 > t.y0; j--)
        a[j] = a[j - 1];
      a[j] = t;
    }
  }
  for (int w = 8; w < n; w *= 2) {
    HfEdge *t;
    for (int s = 0; s < n; s += 2 * w) {
      int m = MIN (s + w, n), e = MIN (s + 2 * w, n), i = s, j = m, k = s;
      while (i < m && j < e)
        b[k++] = a[j].y0 < a[i].y0 ? a[j++] : a[i++];
      while (i < m)
        b[k++] = a[i++];
      while (j < e)
        b[k++] = a[j++];
    }
    t = a;
    a = b;
    b = t;
  }
  if (a != r->edges)
    memcpy (r->edges, a, n * sizeof (HfEdge));
}

/* Sets the touched bits of the blocks holding cells k0..k1. */
static inline void
mark_blocks (uint64_t * tw, int k0, int k1)
{
  for (int b = k0 >> BLOCK_SHIFT; b <= k1 >> BLOCK_SHIFT; b++)
    tw[b >> 6] |= (uint64_t) 1 << (b & 63);
}

static inline uint8_t
coverage_byte (float s)
{
  float a = fabsf (s);
  return (uint8_t) ((a > 1 ? 1 : a) * 255 + 0.5f);
}

/* Even-odd: the winding folds back every 2 (winding 2 is outside, 1.5
 * half covered), so anti-aliased edges keep their coverage. */
static inline uint8_t
coverage_byte_evenodd (float s)
{
  float a = fabsf (s);
  a -= 2.0f * floorf (a * 0.5f);
  return (uint8_t) ((a > 1 ? 2 - a : a) * 255 + 0.5f);
}

static inline uint8_t
coverage (float s, HfFillRule rule)
{
  return rule == HF_FILL_EVENODD ? coverage_byte_evenodd (s) :
      coverage_byte (s);
}

/* Clamps to [0, maxx]; NaN becomes 0, never an out-of-range index. */
static inline float
clamp_x (float x, float maxx)
{
  if (x > 0)
    return x < maxx ? x : maxx;
  return 0;
}

/* Accumulates the area deltas of an edge piece within rows [ya, yb) of
 * the strip starting at row sy. x stays within [0, maxx]. */
static void
accumulate (HfRaster * r, int stride, int sy, const HfEdge * e, float ya,
    float yb, float maxx)
{
  float x = e->x0 + (ya - e->y0) * e->dxdy;
  int ys = (int) floorf (ya), ye = (int) ceilf (yb);

  x = clamp_x (x, maxx);
  for (int yi = ys; yi < ye; yi++) {
    float y0 = MAX ((float) yi, ya), y1 = MIN ((float) yi + 1, yb);
    float dy = y1 - y0, d, xn, xa, xb;
    float *row;
    uint64_t *tw;
    int ia, ri = yi - sy;

    if (!(dy > 0))
      continue;
    xn = e->x0 + (y1 - e->y0) * e->dxdy;
    xn = clamp_x (xn, maxx);
    d = dy * e->dir;
    xa = MIN (x, xn);
    xb = MAX (x, xn);
    row = r->acc + ri * stride;
    tw = r->touched + ri * r->tw_stride;
    ia = (int) xa;
    if (ia < r->row_min[ri])
      r->row_min[ri] = ia;
    if (xb <= ia + 1) {
      /* Within one column: split by the mean x. */
      float xm = 0.5f * (x + xn) - ia;
      row[ia] += d * (1 - xm);
      row[ia + 1] += d * xm;
      mark_blocks (tw, ia, ia + 1);
      if (ia + 1 > r->row_max[ri])
        r->row_max[ri] = ia + 1;
    } else {
      float s = 1.0f / (xb - xa), fa = xa - ia;
      int ib = (int) ceilf (xb);
      float fb = xb - (ib - 1);
      float a0 = 0.5f * s * (1 - fa) * (1 - fa), am = 0.5f * s * fb * fb;

      row[ia] += d * a0;
      if (ib == ia + 2) {
        row[ia + 1] += d * (1 - a0 - am);
      } else {
        float a1 = s * (1.5f - fa), a2 = a1 + (ib - ia - 3) * s, ds = d * s;
        row[ia + 1] += d * (a1 - a0);
        for (int k = ia + 2; k < ib - 1; k++)
          row[k] += ds;
        row[ib - 1] += d * (1 - a2 - am);
      }
      row[ib] += d * am;
      mark_blocks (tw, ia, ib);
      if (ib > r->row_max[ri])
        r->row_max[ri] = ib;
    }
    x = xn;
  }
}

/* Turns one accumulation row into coverage and composites it. */
static void
sweep_row (HfRaster * r, HfCanvas * c, const HfPaintCtx * pc, float *acc,
    int ri, int y, int bx, int bw, HfFillRule rule)
{
  int lo = r->row_min[ri], hi = r->row_max[ri], tail;
  uint64_t *tw = r->touched + ri * r->tw_stride;
  uint8_t *cov = r->cov;
  float s = 0;

  if (lo > hi)
    return;
  for (int b = lo >> BLOCK_SHIFT; b <= hi >> BLOCK_SHIFT; b++) {
    int xs = MAX (lo, b << BLOCK_SHIFT);
    int xe = MIN (hi, ((b + 1) << BLOCK_SHIFT) - 1);
    if (tw[b >> 6] & ((uint64_t) 1 << (b & 63))) {
      r->swept += xe - xs + 1;
      for (int x = xs; x <= xe; x++) {
        s += acc[x];
        acc[x] = 0;
        cov[x] = coverage (s, rule);
      }
    } else {
      memset (cov + xs, coverage (s, rule), xe - xs + 1);
    }
  }
  memset (tw + (lo >> (BLOCK_SHIFT + 6)), 0,
      ((hi >> (BLOCK_SHIFT + 6)) - (lo >> (BLOCK_SHIFT + 6)) + 1) * 8);
  /* Past the last edge the coverage is constant: a run (only nonzero when
   * edges right of the box were clipped away). */
  tail = hi;
  if (hi < bw - 1) {
    uint8_t cv = coverage (s, rule);
    if (cv) {
      memset (cov + hi + 1, cv, bw - 1 - hi);
      tail = bw - 1;
    }
  }
  tail = MIN (tail, bw - 1);
  if (tail >= lo)
    hf_paint_row (pc, c, y, bx + lo, cov + lo, tail - lo + 1);
}

void
hf_raster_fill (HfRaster * r, HfCanvas * c, const HfPath * path,
    const HfPaint * paint)
{
  hf_raster_fill_with_rule (r, c, path, paint, HF_FILL_NONZERO);
}

void
hf_raster_fill_with_rule (HfRaster * r, HfCanvas * c, const HfPath * path,
    const HfPaint * paint, HfFillRule rule)
{
  double fx0, fy0, fx1, fy1;
  int bx, by, bw, bh, stride, next = 0, n_active = 0;

  if (!r || !c || !path || !paint || !c->pixels || c->width <= 0
      || c->height <= 0)
    return;
  if (!hf_path_bounds (path, &fx0, &fy0, &fx1, &fy1))
    return;
  /* Clip the bounding box to the canvas. */
  fx0 = MAX (floor (fx0), 0);
  fy0 = MAX (floor (fy0), 0);
  fx1 = MIN (ceil (fx1), c->width);
  fy1 = MIN (ceil (fy1), c->height);
  if (fx1 <= fx0 || fy1 <= fy0)
    return;
  bx = (int) fx0;
  by = (int) fy0;
  bw = (int) fx1 - bx;
  bh = (int) fy1 - by;
  if (!hf_paint_setup (&r->paint, c, paint))
    return;

  /* Edges in box-local coordinates. */
  r->n_edges = 0;
  for (int ci = 0; ci < path->n_contours; ci++) {
    int a = path->starts[ci], b = hf_path_contour_end (path, ci);
    if (b - a < 2)
      continue;
    for (int i = a; i < b; i++) {
      int j = i + 1 < b ? i + 1 : a;
      add_segment (r, path->pts[2 * i] - bx, path->pts[2 * i + 1] - by,
          path->pts[2 * j] - bx, path->pts[2 * j + 1] - by, bw, bh);
    }
  }
  if (r->n_edges == 0)
    return;
  sort_edges (r);

  stride = bw + 2;
  if (stride * STRIP > r->cap_acc) {
    r->cap_acc = stride * STRIP;
    g_free (r->acc);
    r->acc = g_new0 (float, r->cap_acc);
  }
  if (stride > r->cap_cov) {
    r->cap_cov = stride;
    r->cov = g_renew (uint8_t, r->cov, stride);
  }
  r->tw_stride = ((stride >> BLOCK_SHIFT) >> 6) + 1;
  if (r->tw_stride * STRIP > r->cap_touched) {
    r->cap_touched = r->tw_stride * STRIP;
    g_free (r->touched);
    r->touched = g_new0 (uint64_t, r->cap_touched);
  }
  if (r->n_edges > r->cap_active) {
    r->cap_active = r->n_edges;
    r->active = g_renew (int, r->active, r->cap_active);
  }

  for (int sy = 0; sy < bh; sy += STRIP) {
    int sb = MIN (sy + STRIP, bh), keep = 0;

    if (n_active == 0 && next < r->n_edges && r->edges[next].y0 >= sb) {
      /* Nothing here: jump to the strip of the next edge. */
      int target = (int) r->edges[next].y0;
      sy = target - target % STRIP - STRIP;
      continue;
    }
    while (next < r->n_edges && r->edges[next].y0 < sb)
      r->active[n_active++] = next++;
    for (int i = 0; i < STRIP; i++) {
      r->row_min[i] = G_MAXINT;
      r->row_max[i] = -1;
    }
    for (int i = 0; i < n_active; i++) {
      const HfEdge *e = &r->edges[r->active[i]];
      float ya = MAX (e->y0, (float) sy), yb = MIN (e->y1, (float) sb);
      if (yb > ya)
        accumulate (r, stride, sy, e, ya, yb, (float) bw);
      if (e->y1 > sb)
        r->active[keep++] = r->active[i];
    }
    n_active = keep;
    for (int y = sy; y < sb; y++)
      sweep_row (r, c, &r->paint, r->acc + (y - sy) * stride, y - sy, by + y,
          bx, bw, rule);
    if (n_active == 0 && next >= r->n_edges)
      break;
  }
}

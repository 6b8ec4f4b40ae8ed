/* hfraster: canvases, paints and the anti-aliased polygon filler.
 *
 * The filler is a signed-area accumulation rasteriser. Each edge adds, per
 * pixel it crosses, the change in covered area; a running sum along a row
 * then gives the winding-weighted coverage, clamped to 1 (non-zero rule).
 * Rows are processed in strips of STRIP rows with an active edge list, so
 * scratch memory is STRIP rows of the clipped bounding box, kept in HfRaster
 * and reused. Per row only 32-cell blocks that an edge wrote to are summed
 * cell by cell; the rest of the row is made of constant runs, so the cost
 * follows the shape's outline and area, never the canvas.
 *
 * Gradient colours are interpolated between stops in premultiplied space
 * (so a transparent stop does not drag in its colour), stored as
 * non-premultiplied 8.8 fixed point in a LUT, and reduced to 8 bits with a
 * 4x4 ordered dither: position-based, so frames are deterministic. */
#include "hfpathpriv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STRIP 16
#define BLOCK_SHIFT 5           /* 32 cells per touched-bit */
#define LUT_SIZE 1024

typedef struct
{
  float x0, y0, y1, dxdy, dir;  /* y0 < y1; x at y0; local coordinates */
} HfEdge;

struct HfRaster
{
  HfEdge *edges;
  int n_edges, cap_edges;
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
  uint16_t lut[LUT_SIZE][4];    /* r, g, b, a in 8.8 fixed point */
  guint64 swept;                /* accumulation cells swept, for tests */
};

/* ---- Canvas ---- */

void
hf_canvas_init (HfCanvas * c, uint8_t * pixels, int width, int height,
    int stride, HfCanvasFormat format)
{
  gboolean bgr = format == HF_CANVAS_BGRA || format == HF_CANVAS_BGRX;

  memset (c, 0, sizeof (*c));
  c->pixels = pixels;
  if (pixels && width > 0 && height > 0 && stride >= width * 4) {
    c->width = width;
    c->height = height;
  }
  c->stride = stride;
  c->r_off = bgr ? 2 : 0;
  c->g_off = 1;
  c->b_off = bgr ? 0 : 2;
  c->a_off = 3;
  c->has_alpha = format == HF_CANVAS_RGBA || format == HF_CANVAS_BGRA;
}

static inline uint32_t
pack_pixel (const HfCanvas * c, uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
  uint8_t px[4];
  uint32_t v;

  px[c->r_off] = r;
  px[c->g_off] = g;
  px[c->b_off] = b;
  px[c->a_off] = c->has_alpha ? a : 255;
  memcpy (&v, px, 4);
  return v;
}

static inline void
fill_run (uint8_t * d, uint32_t v, int n)
{
  for (int i = 0; i < n; i++)
    memcpy (d + 4 * i, &v, 4);
}

void
hf_canvas_clear (HfCanvas * c, HfRgba color)
{
  uint32_t v = pack_pixel (c, color.r, color.g, color.b, color.a);

  for (int y = 0; y < c->height; y++)
    fill_run (c->pixels + (gsize) y * c->stride, v, c->width);
}

HfRgba
hf_canvas_get_pixel (const HfCanvas * c, int x, int y)
{
  HfRgba out = { 0, 0, 0, 0 };
  const uint8_t *p;

  if (x < 0 || y < 0 || x >= c->width || y >= c->height)
    return out;
  p = c->pixels + (gsize) y * c->stride + (gsize) x * 4;
  out.r = p[c->r_off];
  out.g = p[c->g_off];
  out.b = p[c->b_off];
  out.a = c->has_alpha ? p[c->a_off] : 255;
  return out;
}

/* ---- Compositing ---- */

/* x / 255 rounded to nearest, exact for 0 <= x <= 65535. */
static inline uint32_t
div255 (uint32_t x)
{
  return ((x + 128) * 257) >> 16;
}

/* Per byte of two packed pixels: (s * a + d * (255 - a)) / 255, rounded
 * exactly, two channels per multiply. */
static inline uint32_t
lerp_px (uint32_t s, uint32_t d, uint32_t a)
{
  uint32_t ia = 255 - a;
  uint32_t rb = (s & 0x00ff00ff) * a + (d & 0x00ff00ff) * ia + 0x00800080;
  uint32_t ag = ((s >> 8) & 0x00ff00ff) * a + ((d >> 8) & 0x00ff00ff) * ia
      + 0x00800080;

  rb = ((rb + ((rb >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
  ag = (ag + ((ag >> 8) & 0x00ff00ff)) & 0xff00ff00;
  return rb | ag;
}

/* Bit shifts of each channel within a packed pixel. */
typedef struct
{
  int rs, gs, bs, as;
  uint32_t amask;               /* the alpha (or x) byte, all ones */
} PxLayout;

static void
px_layout (const HfCanvas * c, PxLayout * l)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define SHIFT(off) ((off) * 8)
#else
#define SHIFT(off) ((3 - (off)) * 8)
#endif
  l->rs = SHIFT (c->r_off);
  l->gs = SHIFT (c->g_off);
  l->bs = SHIFT (c->b_off);
  l->as = SHIFT (c->a_off);
#undef SHIFT
  l->amask = 0xffu << l->as;
}

/* Non-premultiplied over onto a translucent destination: out_a = a +
 * da (1 - a) and out_c is the alpha-weighted mean, scaled by 255 to stay in
 * exact integers. Rare (transparent canvases only), so kept out of line. */
static G_GNUC_NO_INLINE void
put_px_translucent (const PxLayout * l, uint8_t * d, uint32_t dv,
    uint32_t src, uint32_t a)
{
  uint32_t da = (dv >> l->as) & 0xff, dw = da * (255 - a);
  uint32_t oa = a * 255 + dw, half = oa / 2, out;
  uint32_t sr = (src >> l->rs) & 0xff, sg = (src >> l->gs) & 0xff;
  uint32_t sb = (src >> l->bs) & 0xff;
  uint32_t dr = (dv >> l->rs) & 0xff, dg = (dv >> l->gs) & 0xff;
  uint32_t db = (dv >> l->bs) & 0xff;

  out = ((sr * a * 255 + dr * dw + half) / oa) << l->rs;
  out |= ((sg * a * 255 + dg * dw + half) / oa) << l->gs;
  out |= ((sb * a * 255 + db * dw + half) / oa) << l->bs;
  out |= div255 (oa) << l->as;
  memcpy (d, &out, 4);
}

/* Source-over of src (a packed colour whose alpha byte is ignored) with
 * alpha a (1..255) onto the pixel at d. */
static inline G_ALWAYS_INLINE void
put_px (gboolean has_alpha, const PxLayout * l, uint8_t * d, uint32_t src,
    uint32_t a)
{
  uint32_t dv;

  if (a == 255) {
    dv = src | l->amask;
    memcpy (d, &dv, 4);
    return;
  }
  memcpy (&dv, d, 4);
  if (G_LIKELY (!has_alpha || (dv & l->amask) == l->amask)) {
    /* Opaque destination: a plain lerp; the result stays opaque. */
    dv = lerp_px (src, dv, a) | l->amask;
    memcpy (d, &dv, 4);
  } else {
    put_px_translucent (l, d, dv, src, a);
  }
}

/* ---- Paint ---- */

/* 4x4 Bayer matrix as offsets in 1/256 LSB, centred so the mean rounds. */
static const uint16_t bayer4[16] = {
  8, 136, 40, 168,
  200, 72, 232, 104,
  56, 184, 24, 152,
  248, 120, 216, 88,
};

typedef struct
{
  HfPaintType type;
  uint32_t solid_px;            /* packed solid colour, alpha byte 255 */
  uint8_t sa;                   /* solid alpha times opacity */
  /* Gradients are evaluated at pixel centres mapped through m (to_paint);
   * both t (linear) and the paint point (radial) are affine in x and y. */
  double px0, py0;              /* paint point of pixel centre (0.5, 0.5) */
  double gx, gy, gr;            /* radial centre and radius */
  double lin_t0, lin_dtx, lin_dty;      /* linear t at (0.5, 0.5), steps */
  HfMatrix m;
  PxLayout layout;
} PaintCtx;

static void
build_lut (HfRaster * r, const HfPaint * paint, double opacity)
{
  HfStop st[HF_MAX_STOPS];
  int n = CLAMP (paint->n_stops, 0, HF_MAX_STOPS), k = 0;
  double prev = 0;

  /* Sanitise offsets: finite, in [0, 1], non-decreasing. */
  for (int i = 0; i < n; i++) {
    double o = paint->stops[i].offset;
    if (!isfinite (o))
      o = prev;
    o = CLAMP (o, prev, 1.0);
    st[i] = paint->stops[i];
    st[i].offset = prev = o;
  }
  for (int i = 0; i < LUT_SIZE; i++) {
    double t = (double) i / (LUT_SIZE - 1), f, a, pr, pg, pb, rr, gg, bb;
    const HfRgba *c0, *c1;

    while (k + 1 < n && st[k + 1].offset < t)
      k++;
    if (t <= st[0].offset || n == 1) {
      c0 = c1 = &st[0].color;
      f = 0;
    } else if (k + 1 >= n) {
      c0 = c1 = &st[n - 1].color;
      f = 0;
    } else {
      double span = st[k + 1].offset - st[k].offset;
      c0 = &st[k].color;
      c1 = &st[k + 1].color;
      f = span > 0 ? (t - st[k].offset) / span : 1.0;
      f = CLAMP (f, 0.0, 1.0);
    }
    a = c0->a * (1 - f) + c1->a * f;
    pr = c0->r * (double) c0->a * (1 - f) + c1->r * (double) c1->a * f;
    pg = c0->g * (double) c0->a * (1 - f) + c1->g * (double) c1->a * f;
    pb = c0->b * (double) c0->a * (1 - f) + c1->b * (double) c1->a * f;
    if (a > 0) {
      rr = pr / a;
      gg = pg / a;
      bb = pb / a;
    } else {
      rr = c0->r * (1 - f) + c1->r * f;
      gg = c0->g * (1 - f) + c1->g * f;
      bb = c0->b * (1 - f) + c1->b * f;
    }
    r->lut[i][0] = (uint16_t) CLAMP (rr * 256 + 0.5, 0, 65280);
    r->lut[i][1] = (uint16_t) CLAMP (gg * 256 + 0.5, 0, 65280);
    r->lut[i][2] = (uint16_t) CLAMP (bb * 256 + 0.5, 0, 65280);
    r->lut[i][3] = (uint16_t) CLAMP (a * opacity * 256 + 0.5, 0, 65280);
  }
}

/* Returns FALSE when the paint draws nothing. */
static gboolean
paint_setup (HfRaster * r, const HfCanvas * c, const HfPaint * paint,
    PaintCtx * pc)
{
  double opacity = paint->opacity;

  if (!(opacity > 0))
    return FALSE;
  opacity = MIN (opacity, 1.0);
  pc->type = paint->type;
  px_layout (c, &pc->layout);

  if (paint->type == HF_PAINT_SOLID || paint->n_stops <= 0) {
    HfRgba col = paint->color;
    if (paint->type != HF_PAINT_SOLID)
      return FALSE;             /* a gradient without stops is empty */
    pc->type = HF_PAINT_SOLID;
    pc->sa = (uint8_t) (col.a * opacity + 0.5);
    pc->solid_px = pack_pixel (c, col.r, col.g, col.b, 255);
    return pc->sa > 0;
  }

  pc->m = paint->to_paint;
  {
    const HfMatrix *m = &pc->m;
    double ok = m->xx + m->yx + m->xy + m->yy + m->x0 + m->y0;
    if (!isfinite (ok))
      hf_matrix_init_identity (&pc->m);
  }
  /* Paint point of pixel centre (0.5, 0.5) and its steps in x and y. */
  pc->px0 = pc->m.xx * 0.5 + pc->m.xy * 0.5 + pc->m.x0;
  pc->py0 = pc->m.yx * 0.5 + pc->m.yy * 0.5 + pc->m.y0;

  if (paint->type == HF_PAINT_LINEAR) {
    double vx = paint->x1 - paint->x0, vy = paint->y1 - paint->y0;
    double l2 = vx * vx + vy * vy;
    if (!(l2 > 1e-18) || !isfinite (l2)) {
      /* Degenerate axis: everything is past the end. */
      pc->lin_t0 = 1;
      pc->lin_dtx = pc->lin_dty = 0;
    } else {
      vx /= l2;
      vy /= l2;
      pc->lin_t0 = (pc->px0 - paint->x0) * vx + (pc->py0 - paint->y0) * vy;
      pc->lin_dtx = pc->m.xx * vx + pc->m.yx * vy;
      pc->lin_dty = pc->m.xy * vx + pc->m.yy * vy;
      if (!isfinite (pc->lin_t0 + pc->lin_dtx + pc->lin_dty))
        pc->lin_t0 = pc->lin_dtx = pc->lin_dty = 0;
      /* Beyond these the gradient is a hard step anyway; the bounds keep
       * per-row sums finite. */
      pc->lin_t0 = CLAMP (pc->lin_t0, -1e6, 1e6);
      pc->lin_dtx = CLAMP (pc->lin_dtx, -1e6, 1e6);
      pc->lin_dty = CLAMP (pc->lin_dty, -1e6, 1e6);
    }
  } else {
    pc->type = HF_PAINT_RADIAL;
    pc->gx = isfinite (paint->x0) ? paint->x0 : 0;
    pc->gy = isfinite (paint->y0) ? paint->y0 : 0;
    pc->gr = isfinite (paint->r) ? fabs (paint->r) : 0;
  }
  build_lut (r, paint, opacity);
  return TRUE;
}

/* A LUT entry dithered to 8 bits and packed; alpha returned apart. */
static inline uint32_t
lut_px (const uint16_t * e, uint32_t d, const PxLayout * l, uint32_t * a)
{
  *a = (e[3] + d) >> 8;
  return ((e[0] + d) >> 8) << l->rs | ((e[1] + d) >> 8) << l->gs
      | ((e[2] + d) >> 8) << l->bs;
}

/* Composites one row: cov[i] is the coverage of canvas pixel x0 + i. */
static void
composite_row (HfRaster * r, HfCanvas * c, const PaintCtx * pc, int y,
    int x0, const uint8_t * cov, int n)
{
  uint8_t *row = c->pixels + (gsize) y * c->stride + (gsize) x0 * 4;
  /* Local copies: the compiler cannot know pixel stores leave them be. */
  const PxLayout lay = pc->layout;
  const PxLayout *l = &lay;
  const gboolean has_alpha = c->has_alpha;
  const uint16_t *dith = bayer4 + (y & 3) * 4;

  if (pc->type == HF_PAINT_SOLID) {
    uint32_t sa = pc->sa, src = pc->solid_px;
    int i = 0;
    while (i < n) {
      uint32_t cv = cov[i];
      if (cv == 255 && sa == 255) {
        int j = i + 1;
        while (j < n && cov[j] == 255)
          j++;
        fill_run (row + 4 * i, src, j - i);
        i = j;
        continue;
      }
      if (cv)
        put_px (has_alpha, l, row + 4 * i, src,
            cv == 255 ? sa : div255 (cv * sa));
      i++;
    }
  } else if (pc->type == HF_PAINT_LINEAR) {
    /* t * (LUT_SIZE - 1) in 16.16 fixed point, stepped per pixel. */
    const double k = (LUT_SIZE - 1) * 65536.0;
    double t = pc->lin_t0 + x0 * pc->lin_dtx + (double) y * pc->lin_dty;
    int64_t T = (int64_t) (CLAMP (t, -1e9, 1e9) * k);
    int64_t dT = (int64_t) (CLAMP (pc->lin_dtx, -1e5, 1e5) * k);
    const int64_t tmax = (int64_t) (LUT_SIZE - 1) << 16;

    if (dT == 0) {
      /* Constant along the row (vertical gradients, common for
       * backgrounds): four dithered colours, repeated. */
      int idx = T <= 0 ? 0 : T >= tmax ? LUT_SIZE - 1
          : (int) ((T + 32768) >> 16);
      uint32_t pxs[4], as[4];
      for (int q = 0; q < 4; q++)
        pxs[q] = lut_px (r->lut[idx], dith[(x0 + q) & 3], l, &as[q]);
      for (int i = 0; i < n; i++) {
        uint32_t cv = cov[i], a = as[i & 3];
        if (!cv)
          continue;
        if (cv != 255)
          a = div255 (a * cv);
        if (a)
          put_px (has_alpha, l, row + 4 * i, pxs[i & 3], a);
      }
      return;
    }
    for (int i = 0; i < n; i++, T += dT) {
      uint32_t cv = cov[i], a, px;
      int idx;
      if (!cv)
        continue;
      idx = T <= 0 ? 0 : T >= tmax ? LUT_SIZE - 1 : (int) ((T + 32768) >> 16);
      px = lut_px (r->lut[idx], dith[(x0 + i) & 3], l, &a);
      if (cv != 255)
        a = div255 (a * cv);
      if (a)
        put_px (has_alpha, l, row + 4 * i, px, a);
    }
  } else {
    /* Float is ample here: offsets stay within the canvas scale. */
    float px0 = pc->px0 + x0 * pc->m.xx + (double) y * pc->m.xy - pc->gx;
    float py0 = pc->py0 + x0 * pc->m.yx + (double) y * pc->m.yy - pc->gy;
    float sx = pc->m.xx, sy = pc->m.yx;
    float inv = pc->gr > 0 ? (LUT_SIZE - 1) / pc->gr : 0;

    for (int i = 0; i < n; i++) {
      uint32_t cv = cov[i], a, px;
      float dx, dy, f;
      int idx;
      if (!cv)
        continue;
      dx = px0 + i * sx;
      dy = py0 + i * sy;
      f = inv > 0 ? sqrtf (dx * dx + dy * dy) * inv + 0.5f : LUT_SIZE;
      idx = f < LUT_SIZE - 1 ? (int) f : LUT_SIZE - 1;
      px = lut_px (r->lut[idx], dith[(x0 + i) & 3], l, &a);
      if (cv != 255)
        a = div255 (a * cv);
      if (a)
        put_px (has_alpha, l, row + 4 * i, px, a);
    }
  }
}

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
push_edge (HfRaster * r, double x0, double y0, double x1, double y1,
    float dir)
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

static int
edge_cmp (const void *a, const void *b)
{
  float ya = ((const HfEdge *) a)->y0, yb = ((const HfEdge *) b)->y0;
  return (ya > yb) - (ya < yb);
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
sweep_row (HfRaster * r, HfCanvas * c, const PaintCtx * pc, float *acc,
    int ri, int y, int bx, int bw)
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
        cov[x] = coverage_byte (s);
      }
    } else {
      memset (cov + xs, coverage_byte (s), xe - xs + 1);
    }
  }
  memset (tw + (lo >> (BLOCK_SHIFT + 6)), 0,
      ((hi >> (BLOCK_SHIFT + 6)) - (lo >> (BLOCK_SHIFT + 6)) + 1) * 8);
  /* Past the last edge the coverage is constant: a run (only nonzero when
   * edges right of the box were clipped away). */
  tail = hi;
  if (hi < bw - 1) {
    uint8_t cv = coverage_byte (s);
    if (cv) {
      memset (cov + hi + 1, cv, bw - 1 - hi);
      tail = bw - 1;
    }
  }
  tail = MIN (tail, bw - 1);
  if (tail >= lo)
    composite_row (r, c, pc, y, bx + lo, cov + lo, tail - lo + 1);
}

void
hf_raster_fill (HfRaster * r, HfCanvas * c, const HfPath * path,
    const HfPaint * paint)
{
  double fx0, fy0, fx1, fy1;
  int bx, by, bw, bh, stride, next = 0, n_active = 0;
  PaintCtx pc;

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
  if (!paint_setup (r, c, paint, &pc))
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
  qsort (r->edges, r->n_edges, sizeof (HfEdge), edge_cmp);

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
      sweep_row (r, c, &pc, r->acc + (y - sy) * stride, y - sy, by + y,
          bx, bw);
    if (n_active == 0 && next >= r->n_edges)
      break;
  }
}

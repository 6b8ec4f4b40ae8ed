/* hfpaint: canvases, source-over compositing and paints (solid, linear
 * and radial gradients), fed coverage rows by the rasteriser.
 *
 * Compositing is exact 8-bit integer source-over of non-premultiplied
 * colours. Gradient colours are interpolated between stops in
 * premultiplied space (so a transparent stop does not drag in its colour),
 * stored as non-premultiplied 8.8 fixed point in a LUT, and reduced to 8
 * bits with a 4x4 ordered dither: position-based, so frames are
 * deterministic.
 *
 * Gradients and translucent solids are composited four pixels at a time
 * with SSE2 (16-bit lanes, the same exact integer rounding as the scalar
 * code); the scalar path does row tails, translucent destinations and
 * builds without SSE2, and gives the same bytes (test-raster checks). */
#include "hfpaint-private.h"
#include "hfimage.h"

#include <math.h>
#include <string.h>

/* The SSE2 paths rely on the pixel's alpha byte being its last byte in
 * memory, i.e. the top byte of a little-endian word (every format here). */
#if defined(__SSE2__) && G_BYTE_ORDER == G_LITTLE_ENDIAN
#include <emmintrin.h>
#define HF_HAVE_SSE2 1
#endif

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

/* The clear is usually a frame's first write to a pooled buffer that
 * another core encoded last. Ordinary stores must first take every cache
 * line back from that core; streaming stores write around the caches and
 * skip that (docs/performance.md, "hfdrawsrc: handing frames between
 * cores"). */
void
hf_canvas_clear (HfCanvas * c, HfRgba color)
{
  uint32_t v = pack_pixel (c, color.r, color.g, color.b, color.a);

  for (int y = 0; y < c->height; y++) {
    uint8_t *d = c->pixels + (gsize) y * c->stride;
    int i = 0;
#ifdef HF_HAVE_SSE2
    __m128i v4 = _mm_set1_epi32 ((int) v);

    /* Pixels are 4-byte aligned in every buffer we draw into. */
    for (; i < c->width && ((uintptr_t) (d + 4 * i) & 15); i++)
      memcpy (d + 4 * i, &v, 4);
    for (; i + 4 <= c->width; i += 4)
      _mm_stream_si128 ((__m128i *) (d + 4 * i), v4);
#endif
    fill_run (d + 4 * i, v, c->width - i);
  }
#ifdef HF_HAVE_SSE2
  _mm_sfence ();
#endif
}

HfRgba
hf_canvas_get_pixel (const HfCanvas * c, int x, int y)
{
  HfRgba out = { 0, 0, 0, 0 };
  const uint8_t *p;

  if (x < 0 || y < 0 || x >= c->width || y >= c->height)
    return out;
  p = c->pixels + c->stride * (gsize) y + 4 * (gsize) x;
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

static void
px_layout (const HfCanvas * c, HfPxLayout * l)
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
put_px_translucent (const HfPxLayout * l, uint8_t * d, uint32_t dv,
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
put_px (gboolean has_alpha, const HfPxLayout * l, uint8_t * d, uint32_t src,
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

static void
build_lut (HfPaintCtx * pc, const HfCanvas * c, const HfPaint * paint,
    double opacity)
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
  for (int i = 0; i < HF_LUT_SIZE; i++) {
    double t = (double) i / (HF_LUT_SIZE - 1), f, a, pr, pg, pb, rr, gg, bb;
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
    pc->lut[i][c->r_off] = (uint16_t) CLAMP (rr * 256 + 0.5, 0, 65280);
    pc->lut[i][c->g_off] = (uint16_t) CLAMP (gg * 256 + 0.5, 0, 65280);
    pc->lut[i][c->b_off] = (uint16_t) CLAMP (bb * 256 + 0.5, 0, 65280);
    pc->lut[i][c->a_off] = (uint16_t) CLAMP (a * opacity * 256 + 0.5, 0, 65280);
  }
}

gboolean
hf_paint_setup (HfPaintCtx * pc, const HfCanvas * c, const HfPaint * paint)
{
  double opacity = paint->opacity;

  if (!(opacity > 0))
    return FALSE;
  opacity = MIN (opacity, 1.0);
  pc->type = paint->type;
  px_layout (c, &pc->layout);

  if (paint->type == HF_PAINT_IMAGE) {
    if (paint->image == NULL)
      return FALSE;
    pc->image = paint->image;
    pc->m = paint->to_paint;
    /* The footprint along the more shrunk axis: blurrier than needed the
     * other way, never aliased. */
    pc->image_scale = MAX (hypot (paint->to_paint.xx, paint->to_paint.yx),
        hypot (paint->to_paint.xy, paint->to_paint.yy));
    pc->image_opacity = (uint32_t) (opacity * 255 + 0.5);
    return pc->image_opacity > 0;
  }
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
  build_lut (pc, c, paint, opacity);
  return TRUE;
}

/* A LUT entry (canvas byte order) dithered to 8 bits and packed; alpha
 * returned apart. */
static inline uint32_t
lut_px (const uint16_t * e, uint32_t d, uint32_t * a)
{
  uint8_t b[4];
  uint32_t v;

  b[0] = (e[0] + d) >> 8;
  b[1] = (e[1] + d) >> 8;
  b[2] = (e[2] + d) >> 8;
  b[3] = 0;
  *a = (e[3] + d) >> 8;
  memcpy (&v, b, 4);
  return v;
}

/* Per-row state of a gradient: the LUT index of pixel i of the row. */
typedef struct
{
  HfPaintType type;
  int64_t T, dT;                /* linear: t * (HF_LUT_SIZE - 1), 16.16 */
  float px0, py0, sx, sy, inv;  /* radial: offset from centre, steps */
} RowIdx;

static inline G_ALWAYS_INLINE int
row_index (const RowIdx * ri, int i)
{
  if (ri->type == HF_PAINT_LINEAR) {
    const int64_t tmax = (int64_t) (HF_LUT_SIZE - 1) << 16;
    int64_t T = ri->T + i * ri->dT;
    return T <= 0 ? 0 : T >= tmax ? HF_LUT_SIZE - 1 : (int) ((T + 32768) >> 16);
  } else {
    float dx = ri->px0 + i * ri->sx, dy = ri->py0 + i * ri->sy;
    float f = sqrtf (dx * dx + dy * dy) * ri->inv + 0.5f;
    return f < HF_LUT_SIZE - 1 ? (int) f : HF_LUT_SIZE - 1;
  }
}

static void
row_index_init (RowIdx * ri, const HfPaintCtx * pc, int y, int x0)
{
  ri->type = pc->type;
  if (pc->type == HF_PAINT_LINEAR) {
    /* t * (HF_LUT_SIZE - 1) in 16.16 fixed point, stepped per pixel. */
    const double k = (HF_LUT_SIZE - 1) * 65536.0;
    double t = pc->lin_t0 + x0 * pc->lin_dtx + (double) y * pc->lin_dty;
    ri->T = (int64_t) (CLAMP (t, -1e9, 1e9) * k);
    ri->dT = (int64_t) (CLAMP (pc->lin_dtx, -1e5, 1e5) * k);
  } else if (!(pc->gr > 0)) {
    /* A radial gradient of radius 0 is past its end everywhere. */
    ri->type = HF_PAINT_LINEAR;
    ri->T = (int64_t) HF_LUT_SIZE << 16;
    ri->dT = 0;
  } else {
    /* Float is ample here: offsets stay within the canvas scale. */
    ri->px0 = pc->px0 + x0 * pc->m.xx + pc->m.xy * y - pc->gx;
    ri->py0 = pc->py0 + x0 * pc->m.yx + pc->m.yy * y - pc->gy;
    ri->sx = pc->m.xx;
    ri->sy = pc->m.yx;
    ri->inv = (HF_LUT_SIZE - 1) / pc->gr;
  }
}

/* The exact per-pixel path: row tails, translucent destinations, and
 * builds without SSE2. */
static inline G_ALWAYS_INLINE void
composite_px (const HfPaintCtx * pc, const RowIdx * ri,
    gboolean has_alpha, const uint16_t * dith, uint8_t * row, int x0,
    const uint8_t * cov, int i)
{
  uint32_t cv = cov[i], a, px;

  if (!cv)
    return;
  if (pc->type == HF_PAINT_SOLID) {
    px = pc->solid_px;
    a = cv == 255 ? pc->sa : div255 (cv * pc->sa);
  } else {
    px = lut_px (pc->lut[row_index (ri, i)], dith[(x0 + i) & 3], &a);
    if (cv != 255)
      a = div255 (a * cv);
  }
  if (a)
    put_px (has_alpha, &pc->layout, row + 4 * i, px, a);
}

#ifdef HF_HAVE_SSE2
/* x / 255 rounded, per 16-bit lane, for x + 128 given (x <= 65025). */
static inline __m128i
div255_epi16 (__m128i t)
{
  return _mm_srli_epi16 (_mm_add_epi16 (t, _mm_srli_epi16 (t, 8)), 8);
}

/* Source-over of four pixels at d onto opaque destinations, the same
 * integer arithmetic as put_px. s01, s23: the sources of pixels 0-1 and
 * 2-3 as 16-bit lanes in byte order, alpha in lanes 3 and 7; cov4: the
 * four coverage bytes. Returns FALSE, touching nothing, when a destination
 * is translucent (that exact formula stays scalar). */
static inline G_ALWAYS_INLINE gboolean
blend4 (uint8_t * d, __m128i s01, __m128i s23, uint32_t cov4,
    gboolean has_alpha, __m128i amask)
{
  const __m128i zero = _mm_setzero_si128 ();
  const __m128i k128 = _mm_set1_epi16 (128), k255 = _mm_set1_epi16 (255);
  __m128i dv = _mm_loadu_si128 ((const __m128i *) d);
  __m128i c, c01, c23, a01, a23, d01, d23;

  if (has_alpha && _mm_movemask_epi8 (_mm_cmpeq_epi32 (_mm_and_si128 (dv,
                  amask), amask)) != 0xffff)
    return FALSE;
  a01 = _mm_shufflehi_epi16 (_mm_shufflelo_epi16 (s01, 0xff), 0xff);
  a23 = _mm_shufflehi_epi16 (_mm_shufflelo_epi16 (s23, 0xff), 0xff);
  if (cov4 != 0xffffffffu) {
    /* a * cov / 255 (shape interiors, the common case, skip it). */
    c = _mm_unpacklo_epi8 (_mm_cvtsi32_si128 ((int) cov4), zero);
    c = _mm_unpacklo_epi16 (c, c);
    c01 = _mm_unpacklo_epi32 (c, c);
    c23 = _mm_unpackhi_epi32 (c, c);
    a01 = div255_epi16 (_mm_add_epi16 (_mm_mullo_epi16 (a01, c01), k128));
    a23 = div255_epi16 (_mm_add_epi16 (_mm_mullo_epi16 (a23, c23), k128));
  }
  d01 = _mm_unpacklo_epi8 (dv, zero);
  d23 = _mm_unpackhi_epi8 (dv, zero);
  d01 = _mm_add_epi16 (_mm_mullo_epi16 (s01, a01),
      _mm_mullo_epi16 (d01, _mm_sub_epi16 (k255, a01)));
  d23 = _mm_add_epi16 (_mm_mullo_epi16 (s23, a23),
      _mm_mullo_epi16 (d23, _mm_sub_epi16 (k255, a23)));
  d01 = div255_epi16 (_mm_add_epi16 (d01, k128));
  d23 = div255_epi16 (_mm_add_epi16 (d23, k128));
  _mm_storeu_si128 ((__m128i *) d,
      _mm_or_si128 (_mm_packus_epi16 (d01, d23), amask));
  return TRUE;
}

/* Two LUT entries, dithered, as 16-bit lanes. */
static inline __m128i
lut2 (const HfPaintCtx * pc, int i0, int i1, __m128i dith)
{
  __m128i e = _mm_unpacklo_epi64 (_mm_loadl_epi64 ((const __m128i *)
          pc->lut[i0]), _mm_loadl_epi64 ((const __m128i *) pc->lut[i1]));
  return _mm_srli_epi16 (_mm_add_epi16 (e, dith), 8);
}

/* Composites the row four pixels at a time; returns how many pixels it
 * did (the rest, fewer than four, are left to the caller). */
static int
composite_row_sse2 (const HfPaintCtx * pc,
    const RowIdx * ri, gboolean has_alpha, const uint16_t * dith,
    uint8_t * row, int x0, const uint8_t * cov, int n)
{
  const __m128i amask = _mm_set1_epi32 ((int) pc->layout.amask);
  /* Pixel i + k has dither dith[(x0 + k) & 3] as i steps by 4. */
  const __m128i d01 = _mm_set_epi16 (dith[(x0 + 1) & 3], dith[(x0 + 1) & 3],
      dith[(x0 + 1) & 3], dith[(x0 + 1) & 3], dith[x0 & 3], dith[x0 & 3],
      dith[x0 & 3], dith[x0 & 3]);
  const __m128i d23 = _mm_set_epi16 (dith[(x0 + 3) & 3], dith[(x0 + 3) & 3],
      dith[(x0 + 3) & 3], dith[(x0 + 3) & 3], dith[(x0 + 2) & 3],
      dith[(x0 + 2) & 3], dith[(x0 + 2) & 3], dith[(x0 + 2) & 3]);
  __m128i s01, s23, packed;
  gboolean constant = pc->type == HF_PAINT_SOLID
      || (ri->type == HF_PAINT_LINEAR && ri->dT == 0), opaque = FALSE;
  int i;

  if (constant) {
    /* One source for the whole row: solid paints, and gradients constant
     * along it (vertical ones, common for backgrounds). */
    if (pc->type == HF_PAINT_SOLID) {
      __m128i s = _mm_unpacklo_epi8 (_mm_cvtsi32_si128 ((int)
              ((pc->solid_px & ~pc->layout.amask) | ((uint32_t) pc->sa
                      << pc->layout.as))), _mm_setzero_si128 ());
      s01 = s23 = _mm_unpacklo_epi64 (s, s);
    } else {
      int idx = row_index (ri, 0);
      s01 = lut2 (pc, idx, idx, d01);
      s23 = lut2 (pc, idx, idx, d23);
    }
    packed = _mm_or_si128 (_mm_packus_epi16 (s01, s23), amask);
    /* Alpha 255 in all four (bytes 3, 7, 11, 15): full coverage is a
     * plain store. */
    opaque = (_mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_packus_epi16 (s01,
                    s23), _mm_set1_epi8 ((char) 0xff))) & 0x8888) == 0x8888;
    for (i = 0; i + 4 <= n; i += 4) {
      uint32_t cov4;
      memcpy (&cov4, cov + i, 4);
      if (cov4 == 0)
        continue;
      if (opaque && cov4 == 0xffffffffu) {
        _mm_storeu_si128 ((__m128i *) (row + 4 * i), packed);
        continue;
      }
      if (!blend4 (row + 4 * i, s01, s23, cov4, has_alpha, amask))
        for (int k = i; k < i + 4; k++)
          composite_px (pc, ri, has_alpha, dith, row, x0, cov, k);
    }
    return i;
  }

  if (ri->type == HF_PAINT_RADIAL) {
    const __m128 k0123 = _mm_setr_ps (0.0f, 1.0f, 2.0f, 3.0f);
    const __m128 px0 = _mm_set1_ps (ri->px0), py0 = _mm_set1_ps (ri->py0);
    const __m128 sx = _mm_set1_ps (ri->sx), sy = _mm_set1_ps (ri->sy);
    const __m128 inv = _mm_set1_ps (ri->inv), half = _mm_set1_ps (0.5f);
    const __m128 last = _mm_set1_ps ((float) (HF_LUT_SIZE - 1));
    for (i = 0; i + 4 <= n; i += 4) {
      uint32_t cov4;
      int idx[4];
      __m128 fi, dx, dy, f;
      memcpy (&cov4, cov + i, 4);
      if (cov4 == 0)
        continue;
      /* The same float operations, in the same order, as row_index. */
      fi = _mm_add_ps (_mm_set1_ps ((float) i), k0123);
      dx = _mm_add_ps (px0, _mm_mul_ps (fi, sx));
      dy = _mm_add_ps (py0, _mm_mul_ps (fi, sy));
      f = _mm_sqrt_ps (_mm_add_ps (_mm_mul_ps (dx, dx), _mm_mul_ps (dy, dy)));
      f = _mm_add_ps (_mm_mul_ps (f, inv), half);
      /* min (f, last) is last when f is NaN, as in row_index. */
      _mm_storeu_si128 ((__m128i *) idx,
          _mm_cvttps_epi32 (_mm_min_ps (f, last)));
      s01 = lut2 (pc, idx[0], idx[1], d01);
      s23 = lut2 (pc, idx[2], idx[3], d23);
      if (!blend4 (row + 4 * i, s01, s23, cov4, has_alpha, amask))
        for (int k = i; k < i + 4; k++)
          composite_px (pc, ri, has_alpha, dith, row, x0, cov, k);
    }
    return i;
  }

  for (i = 0; i + 4 <= n; i += 4) {
    uint32_t cov4;
    memcpy (&cov4, cov + i, 4);
    if (cov4 == 0)
      continue;
    s01 = lut2 (pc, row_index (ri, i), row_index (ri, i + 1), d01);
    s23 = lut2 (pc, row_index (ri, i + 2), row_index (ri, i + 3), d23);
    if (!blend4 (row + 4 * i, s01, s23, cov4, has_alpha, amask))
      for (int k = i; k < i + 4; k++)
        composite_px (pc, ri, has_alpha, dith, row, x0, cov, k);
  }
  return i;
}
#endif

void
hf_paint_over_row (HfCanvas * c, int y, int x0, const uint8_t * src,
    HfRgba color, const uint8_t * alpha, int n)
{
  uint8_t *row = c->pixels + (gsize) y * c->stride + (gsize) x0 * 4;
  uint32_t px = pack_pixel (c, color.r, color.g, color.b, 255);
  HfPxLayout l;
  int i;

  px_layout (c, &l);
  for (i = 0; i < n; i++) {
    if (!alpha[i])
      continue;
    if (src)
      memcpy (&px, src + 4 * i, 4);
    put_px (c->has_alpha, &l, row + 4 * i, px, alpha[i]);
  }
}

/* 255 / a in 16.16, for a = 1..255: straight colour from premultiplied
 * by a multiply. Filled once. */
static uint32_t unpremultiply[256];

static void
fill_unpremultiply (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    for (uint32_t a = 1; a < 256; a++)
      unpremultiply[a] = (255u << 16) / a;
    g_once_init_leave (&done, 1);
  }
}

/* A row of a picture: the pixel centres sampled through the mipmaps, a
 * run at a time, then composited like any colour. */
static void
image_row (const HfPaintCtx * pc, HfCanvas * c, uint8_t * row, int y, int x0,
    const uint8_t * cov, int n)
{
  const HfMatrix *m = &pc->m;
  uint8_t px[4 * 256];
  int i, j;

  fill_unpremultiply ();
  for (i = 0; i < n; i = j) {
    int len;

    /* Skip what the shape does not cover; sample the rest in runs. */
    for (; i < n && !cov[i]; i++);
    for (j = i; j < n && cov[j] && j - i < 256; j++);
    len = j - i;
    if (len == 0)
      break;
    hf_image_sample_row (pc->image,
        m->xx * (x0 + i + 0.5) + m->xy * (y + 0.5) + m->x0,
        m->yx * (x0 + i + 0.5) + m->yy * (y + 0.5) + m->y0, m->xx, m->yx,
        pc->image_scale, px, len);
    for (int k = 0; k < len; k++) {
      const uint8_t *s = px + 4 * k;
      uint32_t a, ia, out;

      if (!s[3])
        continue;
      a = div255 (div255 (s[3] * cov[i + k]) * pc->image_opacity);
      if (!a)
        continue;
      /* Back to straight colour for the compositor. */
      ia = unpremultiply[s[3]];
      out = pack_pixel (c, (uint8_t) MIN (255u, (s[0] * ia + 32768) >> 16),
          (uint8_t) MIN (255u, (s[1] * ia + 32768) >> 16),
          (uint8_t) MIN (255u, (s[2] * ia + 32768) >> 16), 255);
      put_px (c->has_alpha, &pc->layout, row + 4 * (i + k), out, a);
    }
  }
}

void
hf_paint_row (const HfPaintCtx * pc, HfCanvas * c, int y, int x0,
    const uint8_t * cov, int n)
{
  uint8_t *row = c->pixels + (gsize) y * c->stride + (gsize) x0 * 4;
  const gboolean has_alpha = c->has_alpha;
  const uint16_t *dith = bayer4 + (y & 3) * 4;
  RowIdx ri = { HF_PAINT_SOLID, 0, 0, 0, 0, 0, 0, 0 };
  int i = 0;

  if (pc->type == HF_PAINT_IMAGE) {
    image_row (pc, c, row, y, x0, cov, n);
    return;
  }
  if (pc->type == HF_PAINT_SOLID && pc->sa == 255) {
    /* Opaque solid: runs of full coverage are plain stores. */
    while (i < n) {
      if (cov[i] == 255) {
        int j = i + 1;
        while (j < n && cov[j] == 255)
          j++;
        fill_run (row + 4 * i, pc->solid_px, j - i);
        i = j;
        continue;
      }
      if (cov[i])
        put_px (has_alpha, &pc->layout, row + 4 * i, pc->solid_px,
            div255 (cov[i] * 255u));
      i++;
    }
    return;
  }
  if (pc->type != HF_PAINT_SOLID)
    row_index_init (&ri, pc, y, x0);
#ifdef HF_HAVE_SSE2
  i = composite_row_sse2 (pc, &ri, has_alpha, dith, row, x0, cov, n);
#endif
  for (; i < n; i++)
    composite_px (pc, &ri, has_alpha, dith, row, x0, cov, i);
}

/* What the unit tests of the vector drawing (test-raster.c, test-paint.c,
 * test-path.c) share: canvases, paints and pixel assertions. */
#ifndef __RASTER_HELPERS_H__
#define __RASTER_HELPERS_H__

#include "hfraster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  HfCanvas c;
  uint8_t *px;
} Canvas;

static G_GNUC_UNUSED void
canvas_new (Canvas * cv, int w, int h, HfCanvasFormat fmt, HfRgba bg)
{
  cv->px = g_malloc (w * h * 4);
  hf_canvas_init (&cv->c, cv->px, w, h, w * 4, fmt);
  hf_canvas_clear (&cv->c, bg);
}

static G_GNUC_UNUSED void
canvas_free (Canvas * cv)
{
  g_free (cv->px);
}

/* What most drawing tests start from: a canvas with a rasteriser and an
 * empty path, released together. */
typedef struct
{
  Canvas cv;
  HfRaster *r;
  HfPath *path;
} Scene;

static G_GNUC_UNUSED void
scene_new (Scene * s, int w, int h, HfCanvasFormat fmt, HfRgba bg)
{
  canvas_new (&s->cv, w, h, fmt, bg);
  s->r = hf_raster_new ();
  s->path = hf_path_new ();
}

static G_GNUC_UNUSED void
scene_free (Scene * s)
{
  canvas_free (&s->cv);
  hf_raster_free (s->r);
  hf_path_free (s->path);
}

static G_GNUC_UNUSED HfPaint
solid (uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
  HfPaint p;
  memset (&p, 0, sizeof (p));
  p.type = HF_PAINT_SOLID;
  p.color = hf_rgba (r, g, b, a);
  p.opacity = 1.0;
  hf_matrix_init_identity (&p.to_paint);
  return p;
}

static G_GNUC_UNUSED void
fill_rect (HfRaster * r, HfCanvas * c, double x, double y, double w,
    double h, const HfPaint * paint)
{
  HfPath *p = hf_path_new ();
  hf_path_rect (p, x, y, w, h, 0);
  hf_raster_fill (r, c, p, paint);
  hf_path_free (p);
}

#define assert_rgba(px, R, G, B, A) G_STMT_START { \
  HfRgba _p = (px); \
  g_assert_cmpint (_p.r, ==, R); g_assert_cmpint (_p.g, ==, G); \
  g_assert_cmpint (_p.b, ==, B); g_assert_cmpint (_p.a, ==, A); \
} G_STMT_END

/* The pixel of canvas `cv` at x, y is exactly R, G, B, A. */
#define assert_px(cv, x, y, R, G, B, A) \
  assert_rgba (hf_canvas_get_pixel (&(cv)->c, (x), (y)), R, G, B, A)

#define assert_near(v, want, tol) \
  g_assert_cmpfloat (fabs ((double) (v) - (double) (want)), <=, (tol))

static G_GNUC_UNUSED HfStop
stop_at (double offset, HfRgba color)
{
  HfStop s = { offset, color };
  return s;
}

static G_GNUC_UNUSED HfPaint
gradient (HfPaintType type, HfRgba c0, HfRgba c1)
{
  HfPaint p = solid (0, 0, 0, 0);
  p.type = type;
  p.n_stops = 2;
  p.stops[0] = stop_at (0, c0);
  p.stops[1] = stop_at (1, c1);
  return p;
}

/* The largest difference of any byte of two canvases of one size. */
static G_GNUC_UNUSED int
max_diff (const Canvas * a, const Canvas * b)
{
  gsize i, n = (gsize) a->c.stride * a->c.height;
  int worst = 0;

  for (i = 0; i < n; i++)
    worst = MAX (worst, abs (a->px[i] - b->px[i]));
  return worst;
}

#endif /* __RASTER_HELPERS_H__ */

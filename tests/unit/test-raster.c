/* Unit tests of hfraster: matrices, canvases, fills, paints and strokes,
 * checked through the pixels they produce. */
#include "hfraster.h"
#include "hfpath-private.h"
#include "hfdraw-testing.h"

#include <math.h>
#include <string.h>

typedef struct
{
  HfCanvas c;
  uint8_t *px;
} Canvas;

static void
canvas_new (Canvas * cv, int w, int h, HfCanvasFormat fmt, HfRgba bg)
{
  cv->px = g_malloc (w * h * 4);
  hf_canvas_init (&cv->c, cv->px, w, h, w * 4, fmt);
  hf_canvas_clear (&cv->c, bg);
}

static void
canvas_free (Canvas * cv)
{
  g_free (cv->px);
}

static HfPaint
solid (uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
  HfPaint p;
  memset (&p, 0, sizeof (p));
  p.type = HF_PAINT_SOLID;
  p.color = (HfRgba) {
  r, g, b, a};
  p.opacity = 1.0;
  hf_matrix_init_identity (&p.to_paint);
  return p;
}

static void
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

#define assert_near(v, want, tol) \
  g_assert_cmpfloat (fabs ((double) (v) - (double) (want)), <=, (tol))

static void
test_matrix (void)
{
  HfMatrix a, b, m;
  double x, y;

  hf_matrix_init_identity (&m);
  x = 3, y = 4;
  hf_matrix_transform_point (&m, &x, &y);
  assert_near (x, 3, 1e-12);
  assert_near (y, 4, 1e-12);

  hf_matrix_init_rotate (&m, G_PI / 2);
  x = 1, y = 0;
  hf_matrix_transform_point (&m, &x, &y);
  assert_near (x, 0, 1e-12);
  assert_near (y, 1, 1e-12);

  /* a then b: translate by (10, 0), then scale by 2. */
  hf_matrix_init_translate (&a, 10, 0);
  hf_matrix_init_scale (&b, 2, 3);
  hf_matrix_multiply (&m, &a, &b);
  x = 1, y = 1;
  hf_matrix_transform_point (&m, &x, &y);
  assert_near (x, 22, 1e-12);
  assert_near (y, 3, 1e-12);
  /* Aliasing the result with an input. */
  hf_matrix_multiply (&a, &a, &b);
  g_assert_true (memcmp (&a, &m, sizeof (m)) == 0);

  g_assert_true (hf_matrix_invert (&m));
  hf_matrix_transform_point (&m, &x, &y);
  assert_near (x, 1, 1e-12);
  assert_near (y, 1, 1e-12);

  hf_matrix_init_scale (&m, 0, 1);
  b = m;
  g_assert_false (hf_matrix_invert (&m));
  g_assert_true (memcmp (&b, &m, sizeof (m)) == 0);
}

static void
test_canvas_formats (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (10, 20, 30, 255);

  canvas_new (&cv, 8, 8, HF_CANVAS_BGRA, (HfRgba) {
      1, 2, 3, 4});
  g_assert_cmpint (cv.px[0], ==, 3);
  g_assert_cmpint (cv.px[2], ==, 1);
  g_assert_cmpint (cv.px[3], ==, 4);
  fill_rect (r, &cv.c, 0, 0, 8, 8, &p);
  g_assert_cmpint (cv.px[0], ==, 30);
  g_assert_cmpint (cv.px[1], ==, 20);
  g_assert_cmpint (cv.px[2], ==, 10);
  g_assert_cmpint (cv.px[3], ==, 255);
  canvas_free (&cv);

  /* RGBx: the fourth byte becomes 255 even if it held garbage. */
  canvas_new (&cv, 8, 8, HF_CANVAS_RGBX, (HfRgba) {
      0, 0, 0, 0});
  g_assert_cmpint (cv.px[3], ==, 255);
  memset (cv.px, 0x11, 8 * 8 * 4);
  p = solid (200, 100, 50, 128);
  fill_rect (r, &cv.c, 0, 0, 8, 8, &p);
  g_assert_cmpint (cv.px[0], ==, (200 * 128 + 0x11 * 127 + 127) / 255);
  g_assert_cmpint (cv.px[3], ==, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 2, 2), cv.px[0], cv.px[1],
      cv.px[2], 255);
  canvas_free (&cv);

  /* BGRx. */
  canvas_new (&cv, 4, 4, HF_CANVAS_BGRX, (HfRgba) {
      5, 6, 7, 0});
  g_assert_cmpint (cv.px[0], ==, 7);
  g_assert_cmpint (cv.px[2], ==, 5);
  g_assert_cmpint (cv.px[3], ==, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, -1, 0), 0, 0, 0, 0);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 4, 0), 0, 0, 0, 0);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_rect (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (200, 40, 10, 255);
  HfRgba e;

  canvas_new (&cv, 64, 64, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  /* Spans x 10.5 .. 30.5 and y 10 .. 30. */
  fill_rect (r, &cv.c, 10.5, 10, 20, 20, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 20, 20), 200, 40, 10, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 11, 10), 200, 40, 10, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 29, 29), 200, 40, 10, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 5, 5), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 20, 9), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 20, 30), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 31, 20), 255, 255, 255, 255);
  /* Half-covered columns at both x edges: a 50% blend. */
  for (int x = 10; x <= 30; x += 20) {
    e = hf_canvas_get_pixel (&cv.c, x, 20);
    assert_near (e.r, (200 + 255) / 2.0, 2);
    assert_near (e.g, (40 + 255) / 2.0, 2);
    assert_near (e.b, (10 + 255) / 2.0, 2);
    g_assert_cmpint (e.a, ==, 255);
  }
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_rounded_rect (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 0, 255);
  HfPath *path = hf_path_new ();

  canvas_new (&cv, 64, 64, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  hf_path_rect (path, 10, 10, 40, 40, 10);
  hf_raster_fill (r, &cv.c, path, &p);
  /* The corner pixel lies outside the rounding, the middle of an edge
   * and the centre inside. */
  assert_rgba (hf_canvas_get_pixel (&cv.c, 10, 10), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 30, 10), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 10, 30), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 30, 30), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 13, 13), 0, 0, 0, 255);
  hf_path_free (path);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_ellipse (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 0, 255);
  HfPath *path = hf_path_new ();
  HfRgba e;
  double x0, y0, x1, y1;

  canvas_new (&cv, 256, 256, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  hf_path_ellipse (path, 128, 128, 100, 50);
  g_assert_true (hf_path_bounds (path, &x0, &y0, &x1, &y1));
  /* Extremes within the flattening tolerance of the true curve. */
  assert_near (x0, 28, 0.15);
  assert_near (x1, 228, 0.15);
  assert_near (y0, 78, 0.15);
  assert_near (y1, 178, 0.15);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 128, 128), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 226, 128), 0, 0, 0, 255);
  /* Just past the extremes at most a flattening sliver shows. */
  g_assert_cmpint (hf_canvas_get_pixel (&cv.c, 228, 128).r, >=, 240);
  g_assert_cmpint (hf_canvas_get_pixel (&cv.c, 128, 178).r, >=, 240);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 229, 128), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 128, 179), 255, 255, 255, 255);
  /* Corners of the bounding box are outside. */
  assert_rgba (hf_canvas_get_pixel (&cv.c, 30, 80), 255, 255, 255, 255);
  /* On the diagonal the edge crosses pixels partially: anti-aliased. */
  {
    int partial = 0;
    for (int x = 150; x < 228; x++) {
      e = hf_canvas_get_pixel (&cv.c, x, 90);
      if (e.r > 0 && e.r < 255)
        partial++;
    }
    g_assert_cmpint (partial, >=, 1);
    g_assert_cmpint (partial, <=, 6);
  }
  /* Sub-pixel edge position: the pixel spanning 227..228 is nearly full,
   * and coverage is never more than a pixel wide at the extreme. */
  e = hf_canvas_get_pixel (&cv.c, 227, 128);
  g_assert_cmpint (e.r, <=, 20);
  hf_path_free (path);
  canvas_free (&cv);
  hf_raster_free (r);
}

/* A five-pointed star around (100, 100), radius 90, drawn as one
 * self-crossing contour: its centre has winding 2. */
static void
add_star (HfPath * path)
{
  for (int i = 0; i < 5; i++) {
    double a = -G_PI / 2 + i * 4 * G_PI / 5;
    double x = 100 + 90 * cos (a), y = 100 + 90 * sin (a);
    if (i == 0)
      hf_path_move_to (path, x, y);
    else
      hf_path_line_to (path, x, y);
  }
  hf_path_close (path);
}

static void
test_polygon_nonzero (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 255, 255);
  HfPath *path = hf_path_new ();

  canvas_new (&cv, 200, 200, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  /* A five-pointed star drawn as one self-crossing contour: its centre
   * has winding 2, filled under non-zero (even-odd would leave a hole). */
  add_star (path);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 100, 100), 0, 0, 255, 255);
  /* A point inside one arm (winding 1) and one between arms (0). */
  assert_rgba (hf_canvas_get_pixel (&cv.c, 100, 20), 0, 0, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 100, 185), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 20, 160), 255, 255, 255, 255);

  /* A triangle. */
  hf_path_clear (path);
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255});
  hf_path_move_to (path, 10, 10);
  hf_path_line_to (path, 110, 10);
  hf_path_line_to (path, 10, 110);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 30, 30), 0, 0, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 70, 70), 255, 255, 255, 255);
  /* On the hypotenuse (x + y = 120), a pixel centred on it is half
   * covered. */
  {
    HfRgba e = hf_canvas_get_pixel (&cv.c, 59, 60);
    assert_near (e.r, 127.5, 3);
  }
  hf_path_free (path);
  canvas_free (&cv);
  hf_raster_free (r);
}

/* Even-odd: the star's centre (winding 2) and a nested contour of the
 * same direction are holes; an edge half way across a pixel is still
 * half covered, inside and at the hole. */
static void
test_evenodd (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 255, 255);
  HfPath *path = hf_path_new ();

  canvas_new (&cv, 200, 200, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  add_star (path);
  hf_raster_fill_with_rule (r, &cv.c, path, &p, HF_FILL_EVENODD);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 100, 100), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 100, 20), 0, 0, 255, 255);

  /* Two squares, both clockwise: a ring under even-odd, solid under
   * non-zero. The inner edge at x = 60.5 half covers column 60. */
  hf_path_clear (path);
  hf_path_rect (path, 20, 20, 160, 160, 0);
  hf_path_rect (path, 60.5, 60, 80, 80, 0);
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255});
  hf_raster_fill_with_rule (r, &cv.c, path, &p, HF_FILL_EVENODD);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 100, 100), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 40, 100), 0, 0, 255, 255);
  assert_near (hf_canvas_get_pixel (&cv.c, 60, 100).r, 127.5, 2);
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255});
  hf_raster_fill_with_rule (r, &cv.c, path, &p, HF_FILL_NONZERO);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 100, 100), 0, 0, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 60, 100), 0, 0, 255, 255);

  hf_path_free (path);
  canvas_free (&cv);
  hf_raster_free (r);
}

/* Distance from (x, y) to segment (ax, ay)-(bx, by). */
static double
seg_dist (double x, double y, double ax, double ay, double bx, double by)
{
  double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, t;

  t = l2 > 0 ? CLAMP (((x - ax) * dx + (y - ay) * dy) / l2, 0, 1) : 0;
  return hypot (x - (ax + t * dx), y - (ay + t * dy));
}

/* A cubic is flattened within the path's tolerance of the true curve,
 * with few points: the tolerance is honoured for a small and a 20 times
 * larger curve (as a transform's scale makes it), and the point count
 * grows like the square root of the size, not the size. */
static void
test_cubic_flattening (void)
{
  const double scales[] = { 1, 20 };
  int counts[2];

  for (int k = 0; k < 2; k++) {
    double s = scales[k], worst = 0;
    HfPath *path = hf_path_new ();
    double x0, y0, x1, y1;
    int n;

    hf_path_set_tolerance (path, 0.1);
    hf_path_move_to (path, 0, 0);
    hf_path_cubic_to (path, 10 * s, 40 * s, 60 * s, -20 * s, 80 * s, 30 * s);
    n = path->n_pts;
    counts[k] = n;
    g_assert_cmpint (n, >=, 3);
    g_assert_true (hf_path_bounds (path, &x0, &y0, &x1, &y1));
    assert_near (path->pts[2 * (n - 1)], 80 * s, 1e-9);
    /* Every point of the true curve is near the polyline. */
    for (int i = 0; i <= 2000; i++) {
      double t = i / 2000.0, u = 1 - t, best = G_MAXDOUBLE;
      double x = 3 * u * u * t * 10 * s + 3 * u * t * t * 60 * s +
          t * t * t * 80 * s;
      double y = 3 * u * u * t * 40 * s + 3 * u * t * t * -20 * s +
          t * t * t * 30 * s;
      for (int j = 0; j + 1 < n; j++)
        best = MIN (best, seg_dist (x, y, path->pts[2 * j],
                path->pts[2 * j + 1], path->pts[2 * j + 2],
                path->pts[2 * j + 3]));
      worst = MAX (worst, best);
    }
    g_assert_cmpfloat (worst, <=, 0.1);
    hf_path_free (path);
  }
  /* sqrt (20) = 4.5 times the points, give or take the rounding. */
  g_assert_cmpint (counts[1], <=, 5 * counts[0]);
}

/* Is the pixel at (x, y) inked (blue over white)? */
static gboolean
inked (const HfCanvas * c, int x, int y)
{
  return hf_canvas_get_pixel (c, x, y).r < 128;
}

/* Trim draws a fraction of the total length of all contours (After
 * Effects' Trim Paths), dashes restart on each contour, butt caps end
 * exactly at the cut. */
static void
test_stroke_trim_and_dashes (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 255, 255);
  HfPath *src = hf_path_new (), *out = hf_path_new ();
  HfStrokeStyle st;
  const double dashes[] = { 10, 10 };
  const gboolean open[] = { FALSE, FALSE };

  canvas_new (&cv, 200, 100, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  /* Two open lines of 100 px each: the total length is 200. */
  hf_path_move_to (src, 0, 20);
  hf_path_line_to (src, 100, 20);
  hf_path_move_to (src, 0, 60);
  hf_path_line_to (src, 100, 60);

  hf_stroke_style_init (&st, 10);
  st.cap = HF_CAP_BUTT;
  st.trim_start = 0.25;
  st.trim_end = 0.75;
  hf_path_stroke_styled (out, src, &st, open);
  hf_raster_fill (r, &cv.c, out, &p);
  /* 50..100 of the first line, 0..50 of the second. */
  g_assert_false (inked (&cv.c, 48, 20));
  g_assert_true (inked (&cv.c, 52, 20));
  g_assert_true (inked (&cv.c, 98, 20));
  g_assert_true (inked (&cv.c, 2, 60));
  g_assert_true (inked (&cv.c, 48, 60));
  g_assert_false (inked (&cv.c, 52, 60));

  /* A start after the end is the same range. */
  {
    Canvas cv2;
    canvas_new (&cv2, 200, 100, HF_CANVAS_RGBA, (HfRgba) {
        255, 255, 255, 255});
    hf_path_clear (out);
    st.trim_start = 0.75;
    st.trim_end = 0.25;
    hf_path_stroke_styled (out, src, &st, open);
    hf_raster_fill (r, &cv2.c, out, &p);
    g_assert_cmpmem (cv.px, 200 * 100 * 4, cv2.px, 200 * 100 * 4);
    canvas_free (&cv2);
  }

  /* Dashes of 10 on, 10 off, offset 5, on each line from its start. */
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255});
  hf_path_clear (out);
  st.trim_start = 0;
  st.trim_end = 1;
  st.dashes = dashes;
  st.n_dashes = 2;
  st.dash_offset = 5;
  hf_path_stroke_styled (out, src, &st, open);
  hf_raster_fill (r, &cv.c, out, &p);
  for (int y = 20; y <= 60; y += 40) {
    g_assert_true (inked (&cv.c, 2, y));        /* 0..5 on */
    g_assert_false (inked (&cv.c, 10, y));      /* 5..15 off */
    g_assert_true (inked (&cv.c, 20, y));       /* 15..25 on */
    g_assert_false (inked (&cv.c, 30, y));
  }

  hf_path_free (src);
  hf_path_free (out);
  canvas_free (&cv);
  hf_raster_free (r);
}

/* Strokes src in style st, with and without clipping to the 100x100
 * canvas, and returns (1) the outline points each took and (2) whether
 * the pictures are the same. */
static gboolean
stroke_both_ways (const HfPath * src, HfStrokeStyle * st,
    const gboolean * closed, int *n_all, int *n_clipped)
{
  static const double box[4] = { 0, 0, 100, 100 };
  Canvas a, b;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 255, 255);
  HfPath *out = hf_path_new ();
  gboolean same;
  int i, worst = 0;

  canvas_new (&a, 100, 100, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  canvas_new (&b, 100, 100, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  st->clip = NULL;
  hf_path_stroke_styled (out, src, st, closed);
  *n_all = out->n_pts;
  hf_raster_fill (r, &a.c, out, &p);
  hf_path_clear (out);
  st->clip = box;
  hf_path_stroke_styled (out, src, st, closed);
  *n_clipped = out->n_pts;
  hf_raster_fill (r, &b.c, out, &p);
  /* The same edges inside the canvas, summed in another order: the
   * coverage may round differently by one level, no more. */
  for (i = 0; i < 100 * 100 * 4; i++)
    worst = MAX (worst, abs (a.px[i] - b.px[i]));
  same = worst <= 1;
  if (!same)
    g_test_message ("clipped stroke differs by up to %d", worst);
  hf_path_free (out);
  canvas_free (&a);
  canvas_free (&b);
  hf_raster_free (r);
  return same;
}

/* A stroke mostly off the canvas costs what its visible part does, and
 * looks the same: a zigzag of 20,001 points of which a few cross the
 * canvas, open and closed, in every join, cap, dashed and trimmed. */
static void
test_stroke_clip (void)
{
  HfPath *src = hf_path_new ();
  const double dashes[] = { 7, 3 };
  const gboolean open[] = { FALSE }, loop[] = { TRUE };
  int i, k, n_all, n_clipped;

  hf_path_move_to (src, -5000, 50);
  for (i = 1; i <= 20000; i++)
    hf_path_line_to (src, -5000 + i * 0.5, i % 2 ? 30 : 70);
  for (k = 0; k < 8; k++) {
    HfStrokeStyle st;

    hf_stroke_style_init (&st, 6);
    st.join = k % 3 == 0 ? HF_JOIN_MITER : k % 3 == 1 ? HF_JOIN_BEVEL
        : HF_JOIN_ROUND;
    st.cap = k % 2 ? HF_CAP_SQUARE : HF_CAP_BUTT;
    if (k >= 4) {
      st.dashes = dashes;
      st.n_dashes = 2;
      st.dash_offset = 1.5;
    }
    if (k == 6) {
      st.trim_start = 0.4;
      st.trim_end = 0.6;
    }
    if (!stroke_both_ways (src, &st, k == 7 ? loop : open, &n_all, &n_clipped))
      g_error ("style %d: the clipped stroke looks different", k);
    /* About 220 of the 20,000 segments (of 4,000 when trimmed) are near
     * the canvas. */
    g_test_message ("style %d: %d outline points clipped, %d not", k,
        n_clipped, n_all);
    if (n_clipped * 10 > n_all)
      g_error ("style %d: %d outline points clipped, %d not", k, n_clipped,
          n_all);
  }
  hf_path_free (src);
}

static void
test_no_seams (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 128, 0, 255);
  HfPath *path = hf_path_new ();
  HfRgba once;

  canvas_new (&cv, 64, 64, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  /* Two contours that meet inside pixel column 20. */
  hf_path_rect (path, 10, 10, 10.5, 20, 0);
  hf_path_rect (path, 20.5, 10, 10, 20, 0);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 20, 15), 0, 128, 0, 255);

  /* Overlapping contours of the same orientation do not double up. */
  p = solid (0, 0, 0, 128);
  hf_path_clear (path);
  hf_path_rect (path, 40, 10, 10, 10, 0);
  hf_raster_fill (r, &cv.c, path, &p);
  once = hf_canvas_get_pixel (&cv.c, 45, 15);
  hf_path_clear (path);
  hf_path_rect (path, 40, 30, 10, 10, 0);
  hf_path_rect (path, 40, 30, 10, 10, 0);
  hf_path_rect (path, 42, 32, 5, 5, 0);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 45, 35), once.r, once.g, once.b,
      255);
  g_assert_cmpint (once.r, ==, (255 * 127 + 127) / 255);
  hf_path_free (path);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_clipping (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (9, 9, 9, 255);
  HfPath *path = hf_path_new ();

  canvas_new (&cv, 64, 48, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  fill_rect (r, &cv.c, -50, -50, 80, 80, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 0, 0), 9, 9, 9, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 29, 29), 9, 9, 9, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 30, 5), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 5, 30), 255, 255, 255, 255);

  /* Past the right and bottom edges; a diagonal crossing the left edge. */
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255});
  fill_rect (r, &cv.c, 40, 30, 1000, 1000, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 63, 47), 9, 9, 9, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 40, 30), 9, 9, 9, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 39, 47), 255, 255, 255, 255);
  hf_path_move_to (path, -100, 0);
  hf_path_line_to (path, 20, 0);
  hf_path_line_to (path, 20, 20);
  hf_path_line_to (path, -100, 20);
  hf_path_close (path);
  hf_path_move_to (path, -30, 30);
  hf_path_line_to (path, 10, 47);
  hf_path_line_to (path, -30, 47);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 0, 10), 9, 9, 9, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 19, 19), 9, 9, 9, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 21, 10), 255, 255, 255, 255);
  /* The slanted edge crosses x = 0 at y = 42.75 (x = -30 + 40 t). */
  assert_rgba (hf_canvas_get_pixel (&cv.c, 0, 46), 9, 9, 9, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 0, 40), 255, 255, 255, 255);

  /* Entirely outside. */
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255});
  fill_rect (r, &cv.c, -500, 10, 100, 10, &p);
  fill_rect (r, &cv.c, 100, 10, 100, 10, &p);
  fill_rect (r, &cv.c, 10, -500, 10, 100, &p);
  for (int i = 0; i < 64 * 48 * 4; i++)
    g_assert_cmpint (cv.px[i], ==, 255);
  hf_path_free (path);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_cost_follows_bounds (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (1, 2, 3, 255);
  guint64 before;
  int changed = 0;

  canvas_new (&cv, 1500, 1000, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  before = hf_raster_get_swept_cells (r);
  fill_rect (r, &cv.c, 700.5, 500.5, 10, 10, &p);
  /* 11 rows of at most 13 cells: the canvas was never swept. */
  g_assert_cmpuint (hf_raster_get_swept_cells (r) - before, <=, 11 * 13);
  g_assert_cmpuint (hf_raster_get_swept_cells (r) - before, >=, 11 * 2);
  for (int y = 0; y < 1000; y++)
    for (int x = 0; x < 1500; x++) {
      HfRgba e = hf_canvas_get_pixel (&cv.c, x, y);
      if (e.r != 255 || e.g != 255 || e.b != 255 || e.a != 255) {
        g_assert_cmpint (x, >=, 700);
        g_assert_cmpint (x, <=, 710);
        g_assert_cmpint (y, >=, 500);
        g_assert_cmpint (y, <=, 510);
        changed++;
      }
    }
  g_assert_cmpint (changed, ==, 11 * 11);

  /* A thin diagonal line sweeps about its own width per row. */
  {
    HfPath *line = hf_path_new (), *st = hf_path_new ();
    hf_path_move_to (line, 10, 10);
    hf_path_line_to (line, 990, 990);
    hf_path_stroke (st, line, 2, FALSE);
    before = hf_raster_get_swept_cells (r);
    hf_raster_fill (r, &cv.c, st, &p);
    g_assert_cmpuint (hf_raster_get_swept_cells (r) - before, <, 1000 * 8);
    hf_path_free (line);
    hf_path_free (st);
  }
  canvas_free (&cv);
  hf_raster_free (r);
}

static HfPaint
gradient (HfPaintType type, HfRgba c0, HfRgba c1)
{
  HfPaint p = solid (0, 0, 0, 0);
  p.type = type;
  p.n_stops = 2;
  p.stops[0].offset = 0;
  p.stops[0].color = c0;
  p.stops[1].offset = 1;
  p.stops[1].color = c1;
  return p;
}

static void
test_linear_gradient (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = gradient (HF_PAINT_LINEAR, (HfRgba) {
        255, 0, 0, 255
      }, (HfRgba) {
        0, 0, 255, 255
      });
  HfRgba e;

  canvas_new (&cv, 256, 16, HF_CANVAS_RGBA, (HfRgba) {
      0, 0, 0, 255});
  p.x0 = 0.5;
  p.x1 = 255.5;
  fill_rect (r, &cv.c, 0, 0, 256, 16, &p);
  for (int y = 0; y < 16; y++) {
    e = hf_canvas_get_pixel (&cv.c, 0, y);
    assert_near (e.r, 255, 1);
    assert_near (e.b, 0, 1);
    e = hf_canvas_get_pixel (&cv.c, 255, y);
    assert_near (e.r, 0, 1);
    assert_near (e.b, 255, 1);
    /* Beyond the ends the colour pads. */
  }
  /* The midpoint (pixel centre 128 is t = 127.5 / 255) is the blend. */
  {
    double sr = 0, sb = 0;
    for (int y = 0; y < 4; y++)
      for (int x = 127; x <= 128; x++) {
        e = hf_canvas_get_pixel (&cv.c, x, y);
        sr += e.r;
        sb += e.b;
      }
    assert_near (sr / 8, 127.5, 1.5);
    assert_near (sb / 8, 127.5, 1.5);
  }

  /* Through to_paint: paint space is the unit square; also padding. */
  hf_matrix_init_scale (&p.to_paint, 1.0 / 256, 1.0 / 16);
  p.x0 = 0.25;
  p.x1 = 0.75;
  fill_rect (r, &cv.c, 0, 0, 256, 16, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 10, 3), 255, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 250, 3), 0, 0, 255, 255);
  e = hf_canvas_get_pixel (&cv.c, 128, 3);
  assert_near (e.r, 127.5, 3);

  /* opacity multiplies alpha. */
  hf_canvas_clear (&cv.c, (HfRgba) {
      0, 0, 0, 255});
  p.opacity = 0.5;
  fill_rect (r, &cv.c, 0, 0, 256, 16, &p);
  e = hf_canvas_get_pixel (&cv.c, 10, 3);
  assert_near (e.r, 127.5, 1);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_radial_gradient (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = gradient (HF_PAINT_RADIAL, (HfRgba) {
        255, 255, 255, 255
      }, (HfRgba) {
        0, 0, 0, 255
      });
  HfRgba e;

  canvas_new (&cv, 128, 128, HF_CANVAS_RGBA, (HfRgba) {
      0, 128, 0, 255});
  /* Centred on the centre of pixel (64, 64). */
  p.x0 = 64.5;
  p.y0 = 64.5;
  p.r = 50;
  fill_rect (r, &cv.c, 0, 0, 128, 128, &p);
  e = hf_canvas_get_pixel (&cv.c, 64, 64);
  assert_near (e.r, 255, 2);
  assert_near (e.g, 255, 2);
  e = hf_canvas_get_pixel (&cv.c, 2, 2);
  assert_rgba (e, 0, 0, 0, 255);
  e = hf_canvas_get_pixel (&cv.c, 125, 64);
  assert_rgba (e, 0, 0, 0, 255);
  /* Halfway out (distance 25) the value is half, in every direction. */
  e = hf_canvas_get_pixel (&cv.c, 89, 64);
  assert_near (e.r, 127.5, 1);
  e = hf_canvas_get_pixel (&cv.c, 64, 39);
  assert_near (e.r, 127.5, 1);
  e = hf_canvas_get_pixel (&cv.c, 84, 79);
  assert_near (e.r, 127.5, 1);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_no_banding (void)
{
  const int W = 1920, H = 8;
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = gradient (HF_PAINT_LINEAR, (HfRgba) {
        0, 0, 0, 255
      }, (HfRgba) {
        255, 255, 255, 255
      });
  double prev_col = -1, prev_block = -1, max_dev = 0;

  canvas_new (&cv, W, H, HF_CANVAS_RGBA, (HfRgba) {
      0, 0, 0, 255});
  p.x0 = 0;
  p.x1 = W;
  fill_rect (r, &cv.c, 0, 0, W, H, &p);

  for (int x = 0; x < W; x++) {
    double col = 0;
    for (int y = 0; y < H; y++)
      col += hf_canvas_get_pixel (&cv.c, x, y).r;
    col /= H;
    /* Neighbouring columns differ by well under a code value. */
    if (prev_col >= 0) {
      g_assert_cmpfloat (col - prev_col, <=, 0.8);
      g_assert_cmpfloat (col - prev_col, >=, -0.6);
    }
    prev_col = col;
  }
  /* Averaged over the 4x4 dither cell, the ramp follows the exact value
   * closely and never steps back: no bands. Plain rounding would be off
   * by up to 0.5 and show 255 visible steps. */
  for (int x = 0; x < W; x += 4) {
    double block = 0, ideal = 0;
    for (int dx = 0; dx < 4; dx++) {
      for (int y = 0; y < 4; y++)
        block += hf_canvas_get_pixel (&cv.c, x + dx, y).r;
      ideal += 255.0 * (x + dx + 0.5) / W;
    }
    block /= 16;
    ideal /= 4;
    max_dev = MAX (max_dev, fabs (block - ideal));
    if (prev_block >= 0)
      g_assert_cmpfloat (block, >=, prev_block - 0.1);
    prev_block = block;
  }
  g_assert_cmpfloat (max_dev, <=, 0.25);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_stop_interpolation (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 0, 0);
  HfRgba e;

  /* Three stops, and an interpolation into a transparent stop keeps the
   * colour (premultiplied interpolation) while the alpha falls. */
  canvas_new (&cv, 100, 4, HF_CANVAS_RGBA, (HfRgba) {
      0, 0, 0, 0});
  p.type = HF_PAINT_LINEAR;
  p.x0 = 0;
  p.x1 = 100;
  p.n_stops = 3;
  p.stops[0] = (HfStop) {
    0.0, {
  255, 0, 0, 255}};
  p.stops[1] = (HfStop) {
    0.5, {
  0, 255, 0, 255}};
  p.stops[2] = (HfStop) {
    1.0, {
  0, 0, 255, 0}};
  fill_rect (r, &cv.c, 0, 0, 100, 4, &p);
  e = hf_canvas_get_pixel (&cv.c, 49, 0);
  g_assert_cmpint (e.g, >=, 240);
  g_assert_cmpint (e.r, <=, 15);
  e = hf_canvas_get_pixel (&cv.c, 74, 0);
  assert_near (e.a, 255 * (1 - 24.5 / 50), 2);
  /* Colour of a fading stop pair stays the colour of the opaque side. */
  g_assert_cmpint (e.g, >=, 125);
  g_assert_cmpint (e.b, <=, 130);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_alpha_compositing (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (200, 100, 50, 128);
  HfRgba e;

  canvas_new (&cv, 32, 32, HF_CANVAS_RGBA, (HfRgba) {
      0, 0, 0, 0});
  fill_rect (r, &cv.c, 4, 4, 10.5, 10, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 8, 8), 200, 100, 50, 128);
  /* A half-covered pixel keeps the source colour with half the alpha. */
  e = hf_canvas_get_pixel (&cv.c, 14, 8);
  assert_rgba (e, 200, 100, 50, e.a);
  assert_near (e.a, 64, 1);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 20, 20), 0, 0, 0, 0);

  /* Red at 50% over blue at 50%: full non-premultiplied over. */
  hf_canvas_clear (&cv.c, (HfRgba) {
      0, 0, 255, 128});
  p = solid (255, 0, 0, 128);
  fill_rect (r, &cv.c, 0, 0, 32, 32, &p);
  {
    double sa = 128 / 255.0, da = 128 / 255.0, oa = sa + da * (1 - sa);
    double orr = 255 * sa / oa, ob = 255 * da * (1 - sa) / oa;
    e = hf_canvas_get_pixel (&cv.c, 3, 3);
    assert_near (e.a, oa * 255, 1);
    assert_near (e.r, orr, 1);
    assert_near (e.b, ob, 1);
    g_assert_cmpint (e.g, ==, 0);
  }

  /* Opaque source over translucent gives exactly the source. */
  p = solid (1, 2, 3, 255);
  fill_rect (r, &cv.c, 0, 0, 32, 32, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 3, 3), 1, 2, 3, 255);

  /* Zero alpha or zero opacity changes nothing. */
  p = solid (9, 9, 9, 0);
  fill_rect (r, &cv.c, 0, 0, 32, 32, &p);
  p = solid (9, 9, 9, 255);
  p.opacity = 0;
  fill_rect (r, &cv.c, 0, 0, 32, 32, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 3, 3), 1, 2, 3, 255);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_exact_blend (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();

  /* Over every alpha and a spread of colours, an opaque destination gets
   * round (s a + d (255 - a)) / 255) exactly. */
  canvas_new (&cv, 1, 1, HF_CANVAS_RGBA, (HfRgba) {
      0, 0, 0, 255});
  for (int a = 0; a < 256; a += 3)
    for (int s = 0; s < 256; s += 17)
      for (int d = 0; d < 256; d += 15) {
        HfPaint p = solid (s, 255 - s, s / 2, a);
        int want = (int) floor ((s * a + d * (255 - a)) / 255.0 + 0.5);
        hf_canvas_clear (&cv.c, (HfRgba) {
            d, d, d, 255});
        fill_rect (r, &cv.c, 0, 0, 1, 1, &p);
        g_assert_cmpint (cv.px[0], ==, want);
        g_assert_cmpint (cv.px[3], ==, 255);
      }
  canvas_free (&cv);
  hf_raster_free (r);
}

/* Fills of a whole row go through the four-pixels-at-a-time paths, fills
 * of one pixel through the per-pixel one; both must give the same bytes,
 * over opaque and translucent destinations mixed within a group of four,
 * at full and partial coverage, for each kind of paint. */
static void
test_row_paths_agree (void)
{
  enum
  { W = 37 };
  HfRaster *r = hf_raster_new ();
  HfPaint paints[4];
  uint8_t wide[W * 4], narrow[W * 4];
  HfCanvasFormat fmts[2] = { HF_CANVAS_RGBA, HF_CANVAS_BGRX };

  paints[0] = solid (200, 100, 50, 200);
  paints[1] = solid (10, 220, 90, 255);
  paints[2] = solid (0, 0, 0, 0);
  paints[2].type = HF_PAINT_LINEAR;
  paints[2].x0 = 2;
  paints[2].x1 = W - 3;
  paints[2].n_stops = 2;
  paints[2].stops[0] = (HfStop) {
    0, {
  255, 0, 0, 255}};
  paints[2].stops[1] = (HfStop) {
    1, {
  0, 0, 255, 60}};
  paints[3] = paints[2];
  paints[3].type = HF_PAINT_RADIAL;
  paints[3].x0 = 20;
  paints[3].y0 = 0.5;
  paints[3].r = 15;
  paints[3].opacity = 0.8;

  for (int f = 0; f < 2; f++)
    for (int k = 0; k < 4; k++)
      for (int part = 0; part < 2; part++) {
        double y0 = part ? 0.25 : 0.0;
        HfCanvas cw, cn;
        /* Opaque for x < 16, then opaque, half and clear alpha mixed. */
        for (int x = 0; x < W; x++) {
          uint8_t a = x < 16 || x % 3 == 0 ? 255 : x % 3 == 1 ? 128 : 0;
          wide[4 * x] = (uint8_t) (x * 7);
          wide[4 * x + 1] = (uint8_t) (255 - x * 5);
          wide[4 * x + 2] = (uint8_t) (x * 3 + 40);
          wide[4 * x + 3] = f == 0 ? a : 255;
        }
        memcpy (narrow, wide, sizeof (wide));
        hf_canvas_init (&cw, wide, W, 1, W * 4, fmts[f]);
        hf_canvas_init (&cn, narrow, W, 1, W * 4, fmts[f]);
        fill_rect (r, &cw, 0, y0, W, 1 - y0, &paints[k]);
        for (int x = 0; x < W; x++)
          fill_rect (r, &cn, x, y0, 1, 1 - y0, &paints[k]);
        g_assert_cmpmem (wide, sizeof (wide), narrow, sizeof (narrow));
      }

  /* Every source alpha, onto opaque destinations of spread colours. */
  for (int a = 0; a < 256; a++) {
    HfPaint p = solid ((uint8_t) (a * 11), (uint8_t) (255 - a), 77, a);
    HfCanvas cw, cn;
    for (int x = 0; x < W * 4; x++)
      wide[x] = (x & 3) == 3 ? 255 : (uint8_t) (x * 29 + a * 3);
    memcpy (narrow, wide, sizeof (wide));
    hf_canvas_init (&cw, wide, W, 1, W * 4, HF_CANVAS_RGBA);
    hf_canvas_init (&cn, narrow, W, 1, W * 4, HF_CANVAS_RGBA);
    fill_rect (r, &cw, 0, 0, W, 1, &p);
    for (int x = 0; x < W; x++)
      fill_rect (r, &cn, x, 0, 1, 1, &p);
    g_assert_cmpmem (wide, sizeof (wide), narrow, sizeof (narrow));
  }
  hf_raster_free (r);
}

static void
test_bad_input (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 0, 255);
  HfPath *path = hf_path_new (), *st = hf_path_new ();
  HfCanvas empty;
  double x0, y0, x1, y1;

  canvas_new (&cv, 32, 32, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  hf_path_move_to (path, NAN, 3);
  hf_path_line_to (path, INFINITY, 3);
  hf_path_line_to (path, 1e300, -1e300);
  hf_path_line_to (path, -1e300, 1e300);
  hf_path_line_to (path, 5, NAN);
  hf_path_line_to (path, 5, 5);
  hf_path_close (path);
  hf_path_rect (path, NAN, 0, 10, 10, 2);
  hf_path_rect (path, 0, 0, INFINITY, 10, NAN);
  hf_path_ellipse (path, 10, 10, NAN, 3);
  hf_path_ellipse (path, 10, 10, 1e308, 1e308);
  g_assert_true (hf_path_bounds (path, &x0, &y0, &x1, &y1));
  g_assert_true (isfinite (x0) && isfinite (y1));
  hf_raster_fill (r, &cv.c, path, &p);
  hf_path_stroke (st, path, 3, TRUE);
  hf_path_stroke (st, path, NAN, FALSE);
  hf_path_stroke (st, path, INFINITY, FALSE);
  hf_raster_fill (r, &cv.c, st, &p);

  /* NaN in the paint. */
  p = gradient (HF_PAINT_RADIAL, (HfRgba) {
      0, 0, 0, 255}, (HfRgba) {
      9, 9, 9, 255});
  p.r = NAN;
  p.to_paint.xx = NAN;
  p.stops[1].offset = NAN;
  hf_raster_fill (r, &cv.c, path, &p);
  p.type = HF_PAINT_LINEAR;
  p.x1 = INFINITY;
  hf_raster_fill (r, &cv.c, path, &p);
  p.opacity = NAN;
  hf_raster_fill (r, &cv.c, path, &p);
  p.n_stops = 1000;
  p.opacity = 1;
  hf_raster_fill (r, &cv.c, path, &p);

  /* Empty paths, a zero-size canvas and NULLs. */
  hf_path_clear (path);
  g_assert_false (hf_path_bounds (path, NULL, NULL, NULL, NULL));
  p = solid (0, 0, 0, 255);
  hf_raster_fill (r, &cv.c, path, &p);
  hf_path_move_to (path, 5, 5);
  hf_raster_fill (r, &cv.c, path, &p);
  hf_path_rect (path, 1, 1, 4, 4, 0);
  hf_canvas_init (&empty, cv.px, 0, 0, 0, HF_CANVAS_RGBA);
  hf_raster_fill (r, &empty, path, &p);
  hf_canvas_clear (&empty, (HfRgba) {
      0, 0, 0, 0});
  hf_raster_fill (r, NULL, path, &p);
  hf_raster_fill (r, &cv.c, NULL, &p);
  hf_raster_fill (r, &cv.c, path, NULL);
  hf_path_append (path, path, NULL);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 2, 2), 0, 0, 0, 255);
  hf_path_free (path);
  hf_path_free (st);
  hf_path_free (NULL);
  hf_raster_free (NULL);
  canvas_free (&cv);
  hf_raster_free (r);
}

/* Sum of coverage (0..1) along a column or row of an RGBA canvas drawn in
 * black on white. */
static double
ink_line (const HfCanvas * c, int x, int y, int dx, int dy, int n)
{
  double s = 0;
  for (int i = 0; i < n; i++)
    s += (255 - hf_canvas_get_pixel (c, x + i * dx, y + i * dy).r) / 255.0;
  return s;
}

static void
test_stroke (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 0, 255);
  HfPath *line = hf_path_new (), *st = hf_path_new ();
  static const double widths[] = { 1, 3, 6, 12.5, 40 };

  canvas_new (&cv, 160, 160, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++) {
    double w = widths[i];
    hf_canvas_clear (&cv.c, (HfRgba) {
        255, 255, 255, 255});
    hf_path_clear (line);
    hf_path_clear (st);
    hf_path_move_to (line, 50, 80.3);
    hf_path_line_to (line, 110, 80.3);
    hf_path_stroke (st, line, w, FALSE);
    hf_raster_fill (r, &cv.c, st, &p);
    /* Across the line the ink adds up to the width. */
    assert_near (ink_line (&cv.c, 80, 0, 0, 1, 160), w, 0.05);
    /* Round caps: along the axis the ink spans length + width (for
     * widths that cover pixel row 80 entirely). */
    if (w >= 3)
      assert_near (ink_line (&cv.c, 0, 80, 1, 0, 160), 60 + w, 0.6);
    else
      assert_near (ink_line (&cv.c, 0, 80, 1, 0, 160), 0.8 * 61, 1.0);
  }

  /* A polyline with a sharp turn: the join is filled and round. */
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255}
  );
  hf_path_clear (line);
  hf_path_clear (st);
  hf_path_move_to (line, 20, 140);
  hf_path_line_to (line, 80, 20);
  hf_path_line_to (line, 140, 140);
  hf_path_stroke (st, line, 20, FALSE);
  hf_raster_fill (r, &cv.c, st, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 80, 20), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 80, 12), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 80, 8), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 80, 100), 255, 255, 255, 255);

  /* A closed stroke is a ring: the middle stays empty, the corners are
   * rounded outside. */
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255}
  );
  hf_path_clear (line);
  hf_path_clear (st);
  hf_path_rect (line, 40, 40, 80, 80, 0);
  hf_path_stroke (st, line, 10, TRUE);
  hf_raster_fill (r, &cv.c, st, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 80, 80), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 80, 40), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 40, 80), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 119, 119), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 35, 35), 255, 255, 255, 255);
  assert_near (ink_line (&cv.c, 80, 0, 0, 1, 160), 20, 0.05);

  /* A single point strokes to a dot of the stroke's diameter. */
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255}
  );
  hf_path_clear (line);
  hf_path_clear (st);
  hf_path_move_to (line, 80, 80);
  hf_path_line_to (line, 80, 80);
  hf_path_stroke (st, line, 10, FALSE);
  hf_raster_fill (r, &cv.c, st, &p);
  assert_near (ink_line (&cv.c, 0, 80, 1, 0, 160), 9.93, 0.3);
  hf_path_free (line);
  hf_path_free (st);
  canvas_free (&cv);
  hf_raster_free (r);
}

/* Random paths with wild coordinates, seeded for reproducibility: no
 * crash, no write outside the canvas (checked by ASan runs), and only
 * blends of the two colours involved. */
static void
test_random_paths (void)
{
  static const double scales[] = { 1, 40, 1e3, 1e6, 1e12, 1e300 };
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPath *path = hf_path_new (), *st = hf_path_new ();
  GRand *rand = g_rand_new_with_seed (1234);
  HfPaint p = solid (0, 0, 0, 200);

  canvas_new (&cv, 67, 45, HF_CANVAS_BGRA, (HfRgba) {
      255, 255, 255, 255});
  for (int iter = 0; iter < 300; iter++) {
    double sc = scales[g_rand_int_range (rand, 0, G_N_ELEMENTS (scales))];
    int n = g_rand_int_range (rand, 1, 12);
    hf_path_clear (path);
    hf_path_clear (st);
    for (int i = 0; i < n; i++) {
      double x = 33 + g_rand_double_range (rand, -1, 1) * sc;
      double y = 22 + g_rand_double_range (rand, -1, 1) * sc;
      if (g_rand_int_range (rand, 0, 4) == 0)
        hf_path_move_to (path, x, y);
      else
        hf_path_line_to (path, x, y);
    }
    if (g_rand_boolean (rand))
      hf_path_close (path);
    hf_raster_fill (r, &cv.c, path, &p);
    hf_path_stroke (st, path, g_rand_double_range (rand, 0, 20),
        g_rand_boolean (rand));
    hf_raster_fill (r, &cv.c, st, &p);
  }
  for (int y = 0; y < 45; y++)
    for (int x = 0; x < 67; x++) {
      HfRgba e = hf_canvas_get_pixel (&cv.c, x, y);
      g_assert_cmpint (e.r, ==, e.g);
      g_assert_cmpint (e.g, ==, e.b);
      g_assert_cmpint (e.a, ==, 255);
    }
  g_rand_free (rand);
  hf_path_free (path);
  hf_path_free (st);
  canvas_free (&cv);
  hf_raster_free (r);
}

/* A small circle scaled up stays round when its path's tolerance is set
 * for the scale: every row's ink matches the true chord. (With the
 * default tolerance it would be a 16-gon, off by several pixels.) */
static void
test_tolerance_scaled (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 0, 255);
  HfPath *local = hf_path_new (), *dev = hf_path_new ();
  HfMatrix m;
  double worst = 0;

  canvas_new (&cv, 440, 440, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  hf_path_set_tolerance (local, 0.1 / 20);
  hf_path_ellipse (local, 11, 11, 10, 10);
  hf_matrix_init_scale (&m, 20, 20);
  hf_path_append (dev, local, &m);
  hf_raster_fill (r, &cv.c, dev, &p);
  /* Rows away from the poles, where a radial error of e moves the row's
   * ends by at most 1.4 e. */
  for (int y = 80; y < 360; y++) {
    double dy = y + 0.5 - 220, chord = 2 * sqrt (200.0 * 200 - dy * dy);
    worst = MAX (worst, fabs (ink_line (&cv.c, 0, y, 1, 0, 440) - chord));
  }
  g_assert_cmpfloat (worst, <, 0.35);
  hf_path_free (local);
  hf_path_free (dev);
  canvas_free (&cv);
  hf_raster_free (r);
}

/* Path building: a line_to after close restarts at the closed contour's
 * start (as cairo does), a lone move_to is replaced by the next one, and
 * rects with negative sizes are normalised. Checked through pixels. */
static void
test_path_building (void)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (0, 0, 0, 255);
  HfPath *path = hf_path_new ();
  double x0, y0, x1, y1;

  canvas_new (&cv, 64, 64, HF_CANVAS_RGBA, (HfRgba) {
      255, 255, 255, 255});
  hf_path_move_to (path, 100, 100);     /* replaced by the next move_to */
  hf_path_move_to (path, 0, 0);
  hf_path_line_to (path, 20, 0);
  hf_path_line_to (path, 20, 20);
  hf_path_close (path);
  /* Continues from (0, 0): the triangle (0,0) (0,40) (10,40). */
  hf_path_line_to (path, 0, 40);
  hf_path_line_to (path, 10, 40);
  g_assert_true (hf_path_bounds (path, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x1, ==, 20);
  g_assert_cmpfloat (y1, ==, 40);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 15, 5), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 5, 15), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 1, 35), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 8, 25), 255, 255, 255, 255);

  /* Negative width and height span the same area as positive ones. */
  hf_path_clear (path);
  hf_path_rect (path, 60, 60, -20, -10, 3);
  g_assert_true (hf_path_bounds (path, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x0, ==, 40);
  g_assert_cmpfloat (y0, ==, 50);
  g_assert_cmpfloat (x1, ==, 60);
  g_assert_cmpfloat (y1, ==, 60);
  /* A radius beyond half the size is clamped: a stadium, not a mess. */
  hf_path_clear (path);
  hf_canvas_clear (&cv.c, (HfRgba) {
      255, 255, 255, 255});
  hf_path_rect (path, 10, 40, 40, 10, 100);
  hf_raster_fill (r, &cv.c, path, &p);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 30, 44), 0, 0, 0, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 10, 40), 255, 255, 255, 255);
  assert_rgba (hf_canvas_get_pixel (&cv.c, 11, 45), 0, 0, 0, 255);

  /* A canvas whose stride is too small for its width is empty. */
  {
    HfCanvas bad;
    hf_canvas_init (&bad, cv.px, 64, 64, 100, HF_CANVAS_RGBA);
    g_assert_cmpint (bad.width, ==, 0);
    hf_raster_fill (r, &bad, path, &p);
  }
  hf_path_free (path);
  canvas_free (&cv);
  hf_raster_free (r);
}

static void
test_path_append (void)
{
  HfPath *a = hf_path_new (), *b = hf_path_new ();
  HfMatrix m;
  double x0, y0, x1, y1;

  hf_path_rect (a, 0, 0, 10, 20, 0);
  hf_matrix_init_translate (&m, 100, 50);
  hf_path_append (b, a, &m);
  g_assert_true (hf_path_bounds (b, &x0, &y0, &x1, &y1));
  assert_near (x0, 100, 1e-9);
  assert_near (y0, 50, 1e-9);
  assert_near (x1, 110, 1e-9);
  assert_near (y1, 70, 1e-9);
  /* Appending a path to itself doubles it without reading freed memory. */
  for (int i = 0; i < 10; i++)
    hf_path_append (b, b, NULL);
  g_assert_true (hf_path_bounds (b, &x0, &y0, &x1, &y1));
  assert_near (x1, 110, 1e-9);
  hf_path_free (a);
  hf_path_free (b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/raster/matrix", test_matrix);
  g_test_add_func ("/raster/canvas-formats", test_canvas_formats);
  g_test_add_func ("/raster/rect", test_rect);
  g_test_add_func ("/raster/rounded-rect", test_rounded_rect);
  g_test_add_func ("/raster/ellipse", test_ellipse);
  g_test_add_func ("/raster/polygon-nonzero", test_polygon_nonzero);
  g_test_add_func ("/raster/evenodd", test_evenodd);
  g_test_add_func ("/raster/cubic-flattening", test_cubic_flattening);
  g_test_add_func ("/raster/stroke-trim-dashes", test_stroke_trim_and_dashes);
  g_test_add_func ("/raster/stroke-clip", test_stroke_clip);
  g_test_add_func ("/raster/no-seams", test_no_seams);
  g_test_add_func ("/raster/clipping", test_clipping);
  g_test_add_func ("/raster/cost-follows-bounds", test_cost_follows_bounds);
  g_test_add_func ("/raster/linear-gradient", test_linear_gradient);
  g_test_add_func ("/raster/radial-gradient", test_radial_gradient);
  g_test_add_func ("/raster/no-banding", test_no_banding);
  g_test_add_func ("/raster/stop-interpolation", test_stop_interpolation);
  g_test_add_func ("/raster/alpha-compositing", test_alpha_compositing);
  g_test_add_func ("/raster/exact-blend", test_exact_blend);
  g_test_add_func ("/raster/row-paths-agree", test_row_paths_agree);
  g_test_add_func ("/raster/bad-input", test_bad_input);
  g_test_add_func ("/raster/stroke", test_stroke);
  g_test_add_func ("/raster/path-building", test_path_building);
  g_test_add_func ("/raster/path-append", test_path_append);
  g_test_add_func ("/raster/random-paths", test_random_paths);
  g_test_add_func ("/raster/tolerance-scaled", test_tolerance_scaled);
  return g_test_run ();
}

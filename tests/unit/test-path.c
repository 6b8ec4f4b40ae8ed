/* Unit tests of hfmatrix, hfpath and hfstroke: matrices, path building,
 * curve flattening, strokes (joins, caps, dashes, trimming, clipping). */
#include "raster-helpers.h"
#include "hfdraw-testing.h"
#include "hfpath-private.h"

#include "hfunit.h"

HF_TEST ("/path/matrix", test_matrix)
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
HF_TEST ("/path/cubic-flattening", test_cubic_flattening)
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
HF_TEST ("/path/stroke-trim-dashes", test_stroke_trim_and_dashes)
{
  Scene s;
  HfPaint p = solid (0, 0, 255, 255);
  HfPath *src = hf_path_new (), *out = hf_path_new ();
  HfStrokeStyle st;
  const double dashes[] = { 10, 10 };
  const gboolean open[] = { FALSE, FALSE };

  scene_new (&s, 200, 100, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
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
  hf_raster_fill (s.r, &s.cv.c, out, &p);
  /* 50..100 of the first line, 0..50 of the second. */
  g_assert_false (inked (&s.cv.c, 48, 20));
  g_assert_true (inked (&s.cv.c, 52, 20));
  g_assert_true (inked (&s.cv.c, 98, 20));
  g_assert_true (inked (&s.cv.c, 2, 60));
  g_assert_true (inked (&s.cv.c, 48, 60));
  g_assert_false (inked (&s.cv.c, 52, 60));

  /* A start after the end is the same range. */
  {
    Canvas cv2;
    canvas_new (&cv2, 200, 100, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
    hf_path_clear (out);
    st.trim_start = 0.75;
    st.trim_end = 0.25;
    hf_path_stroke_styled (out, src, &st, open);
    hf_raster_fill (s.r, &cv2.c, out, &p);
    g_assert_cmpmem (s.cv.px, 200 * 100 * 4, cv2.px, 200 * 100 * 4);
    canvas_free (&cv2);
  }

  /* Dashes of 10 on, 10 off, offset 5, on each line from its start. */
  hf_canvas_clear (&s.cv.c, hf_rgba (255, 255, 255, 255));
  hf_path_clear (out);
  st.trim_start = 0;
  st.trim_end = 1;
  st.dashes = dashes;
  st.n_dashes = 2;
  st.dash_offset = 5;
  hf_path_stroke_styled (out, src, &st, open);
  hf_raster_fill (s.r, &s.cv.c, out, &p);
  for (int y = 20; y <= 60; y += 40) {
    g_assert_true (inked (&s.cv.c, 2, y));      /* 0..5 on */
    g_assert_false (inked (&s.cv.c, 10, y));    /* 5..15 off */
    g_assert_true (inked (&s.cv.c, 20, y));     /* 15..25 on */
    g_assert_false (inked (&s.cv.c, 30, y));
  }

  hf_path_free (src);
  hf_path_free (out);
  scene_free (&s);
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
  int worst;

  canvas_new (&a, 100, 100, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  canvas_new (&b, 100, 100, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
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
  worst = max_diff (&a, &b);
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
HF_TEST ("/path/stroke-clip", test_stroke_clip)
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

/* Each dash of a long polyline visits its own segments: 20,000 unit
 * segments dashed 1 on, 1 off are 10,000 dashes, which walked hundreds
 * of millions of segments when each one walked from the start. Trimmed
 * pieces likewise. */
HF_TEST ("/path/dash-cost", test_dash_cost)
{
  const double dashes[] = { 1, 1 };
  const int n = 20000;
  HfPath *src = hf_path_new (), *out = hf_path_new ();
  HfStrokeStyle st;
  guint64 walked;

  hf_path_move_to (src, 0, 0);
  for (int i = 1; i <= n; i++)
    hf_path_line_to (src, i, i % 2 ? 0 : 0.001);
  hf_stroke_style_init (&st, 2);
  st.dashes = dashes;
  st.n_dashes = 2;
  hf_path_stroke_styled (out, src, &st, NULL);
  walked = hf_path_get_walked_segments (out);
  g_test_message ("%" G_GUINT64_FORMAT " segments walked", walked);
  /* A dash may end on a segment the next one starts on. */
  g_assert_cmpuint (walked, >=, n / 2);
  g_assert_cmpuint (walked, <=, 2 * n);
  /* The same cost where the dashes start half way along. */
  st.trim_start = 0.5;
  hf_path_clear (out);
  hf_path_stroke_styled (out, src, &st, NULL);
  g_assert_cmpuint (hf_path_get_walked_segments (out) - walked, <=, n);
  hf_path_free (src);
  hf_path_free (out);
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

/* Strokes the scene's path at `width` into st and fills that in black on
 * a white canvas. */
static void
draw_stroke (Scene * s, HfPath * st, double width, gboolean closed)
{
  HfPaint black = solid (0, 0, 0, 255);

  hf_canvas_clear (&s->cv.c, hf_rgba (255, 255, 255, 255));
  hf_path_clear (st);
  hf_path_stroke (st, s->path, width, closed);
  hf_raster_fill (s->r, &s->cv.c, st, &black);
}

HF_TEST ("/path/stroke", test_stroke)
{
  Scene s;
  HfPath *st = hf_path_new ();
  static const double widths[] = { 1, 3, 6, 12.5, 40 };

  scene_new (&s, 160, 160, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++) {
    double w = widths[i];
    hf_path_clear (s.path);
    hf_path_move_to (s.path, 50, 80.3);
    hf_path_line_to (s.path, 110, 80.3);
    draw_stroke (&s, st, w, FALSE);
    /* Across the line the ink adds up to the width. */
    assert_near (ink_line (&s.cv.c, 80, 0, 0, 1, 160), w, 0.05);
    /* Round caps: along the axis the ink spans length + width (for
     * widths that cover pixel row 80 entirely). */
    if (w >= 3)
      assert_near (ink_line (&s.cv.c, 0, 80, 1, 0, 160), 60 + w, 0.6);
    else
      assert_near (ink_line (&s.cv.c, 0, 80, 1, 0, 160), 0.8 * 61, 1.0);
  }

  /* A polyline with a sharp turn: the join is filled and round. */
  hf_path_clear (s.path);
  hf_path_move_to (s.path, 20, 140);
  hf_path_line_to (s.path, 80, 20);
  hf_path_line_to (s.path, 140, 140);
  draw_stroke (&s, st, 20, FALSE);
  assert_px (&s.cv, 80, 20, 0, 0, 0, 255);
  assert_px (&s.cv, 80, 12, 0, 0, 0, 255);
  assert_px (&s.cv, 80, 8, 255, 255, 255, 255);
  assert_px (&s.cv, 80, 100, 255, 255, 255, 255);

  /* A closed stroke is a ring: the middle stays empty, the corners are
   * rounded outside. */
  hf_path_clear (s.path);
  hf_path_rect (s.path, 40, 40, 80, 80, 0);
  draw_stroke (&s, st, 10, TRUE);
  assert_px (&s.cv, 80, 80, 255, 255, 255, 255);
  assert_px (&s.cv, 80, 40, 0, 0, 0, 255);
  assert_px (&s.cv, 40, 80, 0, 0, 0, 255);
  assert_px (&s.cv, 119, 119, 0, 0, 0, 255);
  assert_px (&s.cv, 35, 35, 255, 255, 255, 255);
  assert_near (ink_line (&s.cv.c, 80, 0, 0, 1, 160), 20, 0.05);

  /* A single point strokes to a dot of the stroke's diameter. */
  hf_path_clear (s.path);
  hf_path_move_to (s.path, 80, 80);
  hf_path_line_to (s.path, 80, 80);
  draw_stroke (&s, st, 10, FALSE);
  assert_near (ink_line (&s.cv.c, 0, 80, 1, 0, 160), 9.93, 0.3);
  hf_path_free (st);
  scene_free (&s);
}

/* A small circle scaled up stays round when its path's tolerance is set
 * for the scale: every row's ink matches the true chord. (With the
 * default tolerance it would be a 16-gon, off by several pixels.) */
HF_TEST ("/path/tolerance-scaled", test_tolerance_scaled)
{
  Scene s;
  HfPaint p = solid (0, 0, 0, 255);
  HfPath *local = hf_path_new (), *dev = hf_path_new ();
  HfMatrix m;
  double worst = 0;

  scene_new (&s, 440, 440, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  hf_path_set_tolerance (local, 0.1 / 20);
  hf_path_ellipse (local, 11, 11, 10, 10);
  hf_matrix_init_scale (&m, 20, 20);
  hf_path_append (dev, local, &m);
  hf_raster_fill (s.r, &s.cv.c, dev, &p);
  /* Rows away from the poles, where a radial error of e moves the row's
   * ends by at most 1.4 e. */
  for (int y = 80; y < 360; y++) {
    double dy = y + 0.5 - 220, chord = 2 * sqrt (200.0 * 200 - dy * dy);
    worst = MAX (worst, fabs (ink_line (&s.cv.c, 0, y, 1, 0, 440) - chord));
  }
  g_assert_cmpfloat (worst, <, 0.35);
  hf_path_free (local);
  hf_path_free (dev);
  scene_free (&s);
}

/* Path building: a line_to after close restarts at the closed contour's
 * start (as cairo does), a lone move_to is replaced by the next one, and
 * rects with negative sizes are normalised. Checked through pixels. */
HF_TEST ("/s.path/s.path-building", test_path_building)
{
  Scene s;
  HfPaint p = solid (0, 0, 0, 255);
  double x0, y0, x1, y1;

  scene_new (&s, 64, 64, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  hf_path_move_to (s.path, 100, 100);   /* replaced by the next move_to */
  hf_path_move_to (s.path, 0, 0);
  hf_path_line_to (s.path, 20, 0);
  hf_path_line_to (s.path, 20, 20);
  hf_path_close (s.path);
  /* Continues from (0, 0): the triangle (0,0) (0,40) (10,40). */
  hf_path_line_to (s.path, 0, 40);
  hf_path_line_to (s.path, 10, 40);
  g_assert_true (hf_path_bounds (s.path, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x1, ==, 20);
  g_assert_cmpfloat (y1, ==, 40);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 15, 5, 0, 0, 0, 255);
  assert_px (&s.cv, 5, 15, 255, 255, 255, 255);
  assert_px (&s.cv, 1, 35, 0, 0, 0, 255);
  assert_px (&s.cv, 8, 25, 255, 255, 255, 255);

  /* Negative width and height span the same area as positive ones. */
  hf_path_clear (s.path);
  hf_path_rect (s.path, 60, 60, -20, -10, 3);
  g_assert_true (hf_path_bounds (s.path, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x0, ==, 40);
  g_assert_cmpfloat (y0, ==, 50);
  g_assert_cmpfloat (x1, ==, 60);
  g_assert_cmpfloat (y1, ==, 60);
  /* A radius beyond half the size is clamped: a stadium, not a mess. */
  hf_path_clear (s.path);
  hf_canvas_clear (&s.cv.c, hf_rgba (255, 255, 255, 255));
  hf_path_rect (s.path, 10, 40, 40, 10, 100);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 30, 44, 0, 0, 0, 255);
  assert_px (&s.cv, 10, 40, 255, 255, 255, 255);
  assert_px (&s.cv, 11, 45, 0, 0, 0, 255);

  /* A canvas whose stride is too small for its width is empty. */
  {
    HfCanvas bad;
    hf_canvas_init (&bad, s.cv.px, 64, 64, 100, HF_CANVAS_RGBA);
    g_assert_cmpint (bad.width, ==, 0);
    hf_raster_fill (s.r, &bad, s.path, &p);
  }
  scene_free (&s);
}

HF_TEST ("/path/path-append", test_path_append)
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

HF_TEST_MAIN ();

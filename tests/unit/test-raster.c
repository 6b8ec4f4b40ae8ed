/* Unit tests of hfraster: fills (rules, anti-aliasing, clipping, cost,
 * bad input), checked through the pixels they produce. */
#include "raster-helpers.h"
#include "hfclip.h"
#include "hfpath-private.h"
#include "hfdraw-testing.h"

#include "hfunit.h"

HF_TEST ("/raster/rect", test_rect)
{
  Scene s;
  HfPaint p = solid (200, 40, 10, 255);
  HfRgba e;

  scene_new (&s, 64, 64, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  /* Spans x 10.5 .. 30.5 and y 10 .. 30. */
  fill_rect (s.r, &s.cv.c, 10.5, 10, 20, 20, &p);
  assert_px (&s.cv, 20, 20, 200, 40, 10, 255);
  assert_px (&s.cv, 11, 10, 200, 40, 10, 255);
  assert_px (&s.cv, 29, 29, 200, 40, 10, 255);
  assert_px (&s.cv, 5, 5, 255, 255, 255, 255);
  assert_px (&s.cv, 20, 9, 255, 255, 255, 255);
  assert_px (&s.cv, 20, 30, 255, 255, 255, 255);
  assert_px (&s.cv, 31, 20, 255, 255, 255, 255);
  /* Half-covered columns at both x edges: a 50% blend. */
  for (int x = 10; x <= 30; x += 20) {
    e = hf_canvas_get_pixel (&s.cv.c, x, 20);
    assert_near (e.r, (200 + 255) / 2.0, 2);
    assert_near (e.g, (40 + 255) / 2.0, 2);
    assert_near (e.b, (10 + 255) / 2.0, 2);
    g_assert_cmpint (e.a, ==, 255);
  }
  scene_free (&s);
}

HF_TEST ("/raster/rounded-rect", test_rounded_rect)
{
  Scene s;
  HfPaint p = solid (0, 0, 0, 255);

  scene_new (&s, 64, 64, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  hf_path_rect (s.path, 10, 10, 40, 40, 10);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  /* The corner pixel lies outside the rounding, the middle of an edge
   * and the centre inside. */
  assert_px (&s.cv, 10, 10, 255, 255, 255, 255);
  assert_px (&s.cv, 30, 10, 0, 0, 0, 255);
  assert_px (&s.cv, 10, 30, 0, 0, 0, 255);
  assert_px (&s.cv, 30, 30, 0, 0, 0, 255);
  assert_px (&s.cv, 13, 13, 0, 0, 0, 255);
  scene_free (&s);
}

HF_TEST ("/raster/ellipse", test_ellipse)
{
  Scene s;
  HfPaint p = solid (0, 0, 0, 255);
  HfRgba e;
  double x0, y0, x1, y1;

  scene_new (&s, 256, 256, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  hf_path_ellipse (s.path, 128, 128, 100, 50);
  g_assert_true (hf_path_bounds (s.path, &x0, &y0, &x1, &y1));
  /* Extremes within the flattening tolerance of the true curve. */
  assert_near (x0, 28, 0.15);
  assert_near (x1, 228, 0.15);
  assert_near (y0, 78, 0.15);
  assert_near (y1, 178, 0.15);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 128, 128, 0, 0, 0, 255);
  assert_px (&s.cv, 226, 128, 0, 0, 0, 255);
  /* Just past the extremes at most a flattening sliver shows. */
  g_assert_cmpint (hf_canvas_get_pixel (&s.cv.c, 228, 128).r, >=, 240);
  g_assert_cmpint (hf_canvas_get_pixel (&s.cv.c, 128, 178).r, >=, 240);
  assert_px (&s.cv, 229, 128, 255, 255, 255, 255);
  assert_px (&s.cv, 128, 179, 255, 255, 255, 255);
  /* Corners of the bounding box are outside. */
  assert_px (&s.cv, 30, 80, 255, 255, 255, 255);
  /* On the diagonal the edge crosses pixels partially: anti-aliased. */
  {
    int partial = 0;
    for (int x = 150; x < 228; x++) {
      e = hf_canvas_get_pixel (&s.cv.c, x, 90);
      if (e.r > 0 && e.r < 255)
        partial++;
    }
    g_assert_cmpint (partial, >=, 1);
    g_assert_cmpint (partial, <=, 6);
  }
  /* Sub-pixel edge position: the pixel spanning 227..228 is nearly full,
   * and coverage is never more than a pixel wide at the extreme. */
  e = hf_canvas_get_pixel (&s.cv.c, 227, 128);
  g_assert_cmpint (e.r, <=, 20);
  scene_free (&s);
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

HF_TEST ("/raster/polygon-nonzero", test_polygon_nonzero)
{
  Scene s;
  HfPaint p = solid (0, 0, 255, 255);

  scene_new (&s, 200, 200, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  /* A five-pointed star drawn as one self-crossing contour: its centre
   * has winding 2, filled under non-zero (even-odd would leave a hole). */
  add_star (s.path);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 100, 100, 0, 0, 255, 255);
  /* A point inside one arm (winding 1) and one between arms (0). */
  assert_px (&s.cv, 100, 20, 0, 0, 255, 255);
  assert_px (&s.cv, 100, 185, 255, 255, 255, 255);
  assert_px (&s.cv, 20, 160, 255, 255, 255, 255);

  /* A triangle. */
  hf_path_clear (s.path);
  hf_canvas_clear (&s.cv.c, hf_rgba (255, 255, 255, 255));
  hf_path_move_to (s.path, 10, 10);
  hf_path_line_to (s.path, 110, 10);
  hf_path_line_to (s.path, 10, 110);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 30, 30, 0, 0, 255, 255);
  assert_px (&s.cv, 70, 70, 255, 255, 255, 255);
  /* On the hypotenuse (x + y = 120), a pixel centred on it is half
   * covered. */
  {
    HfRgba e = hf_canvas_get_pixel (&s.cv.c, 59, 60);
    assert_near (e.r, 127.5, 3);
  }
  scene_free (&s);
}

/* Even-odd: the star's centre (winding 2) and a nested contour of the
 * same direction are holes; an edge half way across a pixel is still
 * half covered, inside and at the hole. */
HF_TEST ("/raster/evenodd", test_evenodd)
{
  Scene s;
  HfPaint p = solid (0, 0, 255, 255);

  scene_new (&s, 200, 200, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  add_star (s.path);
  hf_raster_fill_with_rule (s.r, &s.cv.c, s.path, &p, HF_FILL_EVENODD);
  assert_px (&s.cv, 100, 100, 255, 255, 255, 255);
  assert_px (&s.cv, 100, 20, 0, 0, 255, 255);

  /* Two squares, both clockwise: a ring under even-odd, solid under
   * non-zero. The inner edge at x = 60.5 half covers column 60. */
  hf_path_clear (s.path);
  hf_path_rect (s.path, 20, 20, 160, 160, 0);
  hf_path_rect (s.path, 60.5, 60, 80, 80, 0);
  hf_canvas_clear (&s.cv.c, hf_rgba (255, 255, 255, 255));
  hf_raster_fill_with_rule (s.r, &s.cv.c, s.path, &p, HF_FILL_EVENODD);
  assert_px (&s.cv, 100, 100, 255, 255, 255, 255);
  assert_px (&s.cv, 40, 100, 0, 0, 255, 255);
  assert_near (hf_canvas_get_pixel (&s.cv.c, 60, 100).r, 127.5, 2);
  hf_canvas_clear (&s.cv.c, hf_rgba (255, 255, 255, 255));
  hf_raster_fill_with_rule (s.r, &s.cv.c, s.path, &p, HF_FILL_NONZERO);
  assert_px (&s.cv, 100, 100, 0, 0, 255, 255);
  assert_px (&s.cv, 60, 100, 0, 0, 255, 255);

  scene_free (&s);
}

HF_TEST ("/raster/no-seams", test_no_seams)
{
  Scene s;
  HfPaint p = solid (0, 128, 0, 255);
  HfRgba once;

  scene_new (&s, 64, 64, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  /* Two contours that meet inside pixel column 20. */
  hf_path_rect (s.path, 10, 10, 10.5, 20, 0);
  hf_path_rect (s.path, 20.5, 10, 10, 20, 0);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 20, 15, 0, 128, 0, 255);

  /* Overlapping contours of the same orientation do not double up. */
  p = solid (0, 0, 0, 128);
  hf_path_clear (s.path);
  hf_path_rect (s.path, 40, 10, 10, 10, 0);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  once = hf_canvas_get_pixel (&s.cv.c, 45, 15);
  hf_path_clear (s.path);
  hf_path_rect (s.path, 40, 30, 10, 10, 0);
  hf_path_rect (s.path, 40, 30, 10, 10, 0);
  hf_path_rect (s.path, 42, 32, 5, 5, 0);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 45, 35, once.r, once.g, once.b, 255);
  g_assert_cmpint (once.r, ==, (255 * 127 + 127) / 255);
  scene_free (&s);
}

HF_TEST ("/raster/clipping", test_clipping)
{
  Scene s;
  HfPaint p = solid (9, 9, 9, 255);

  scene_new (&s, 64, 48, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  fill_rect (s.r, &s.cv.c, -50, -50, 80, 80, &p);
  assert_px (&s.cv, 0, 0, 9, 9, 9, 255);
  assert_px (&s.cv, 29, 29, 9, 9, 9, 255);
  assert_px (&s.cv, 30, 5, 255, 255, 255, 255);
  assert_px (&s.cv, 5, 30, 255, 255, 255, 255);

  /* Past the right and bottom edges; a diagonal crossing the left edge. */
  hf_canvas_clear (&s.cv.c, hf_rgba (255, 255, 255, 255));
  fill_rect (s.r, &s.cv.c, 40, 30, 1000, 1000, &p);
  assert_px (&s.cv, 63, 47, 9, 9, 9, 255);
  assert_px (&s.cv, 40, 30, 9, 9, 9, 255);
  assert_px (&s.cv, 39, 47, 255, 255, 255, 255);
  hf_path_move_to (s.path, -100, 0);
  hf_path_line_to (s.path, 20, 0);
  hf_path_line_to (s.path, 20, 20);
  hf_path_line_to (s.path, -100, 20);
  hf_path_close (s.path);
  hf_path_move_to (s.path, -30, 30);
  hf_path_line_to (s.path, 10, 47);
  hf_path_line_to (s.path, -30, 47);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 0, 10, 9, 9, 9, 255);
  assert_px (&s.cv, 19, 19, 9, 9, 9, 255);
  assert_px (&s.cv, 21, 10, 255, 255, 255, 255);
  /* The slanted edge crosses x = 0 at y = 42.75 (x = -30 + 40 t). */
  assert_px (&s.cv, 0, 46, 9, 9, 9, 255);
  assert_px (&s.cv, 0, 40, 255, 255, 255, 255);

  /* Entirely outside. */
  hf_canvas_clear (&s.cv.c, hf_rgba (255, 255, 255, 255));
  fill_rect (s.r, &s.cv.c, -500, 10, 100, 10, &p);
  fill_rect (s.r, &s.cv.c, 100, 10, 100, 10, &p);
  fill_rect (s.r, &s.cv.c, 10, -500, 10, 100, &p);
  for (int i = 0; i < 64 * 48 * 4; i++)
    g_assert_cmpint (s.cv.px[i], ==, 255);
  scene_free (&s);
}

HF_TEST ("/raster/cost-follows-bounds", test_cost_follows_bounds)
{
  Scene s;
  HfPaint p = solid (1, 2, 3, 255);
  guint64 before;
  int changed = 0;

  scene_new (&s, 1500, 1000, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  before = hf_raster_get_swept_cells (s.r);
  fill_rect (s.r, &s.cv.c, 700.5, 500.5, 10, 10, &p);
  /* 11 rows of at most 13 cells: the canvas was never swept. */
  g_assert_cmpuint (hf_raster_get_swept_cells (s.r) - before, <=, 11 * 13);
  g_assert_cmpuint (hf_raster_get_swept_cells (s.r) - before, >=, 11 * 2);
  for (int y = 0; y < 1000; y++)
    for (int x = 0; x < 1500; x++) {
      HfRgba e = hf_canvas_get_pixel (&s.cv.c, x, y);
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
    before = hf_raster_get_swept_cells (s.r);
    hf_raster_fill (s.r, &s.cv.c, st, &p);
    g_assert_cmpuint (hf_raster_get_swept_cells (s.r) - before, <, 1000 * 8);
    hf_path_free (line);
    hf_path_free (st);
  }
  scene_free (&s);
}

HF_TEST ("/raster/bad-input", test_bad_input)
{
  Scene s;
  HfPaint p = solid (0, 0, 0, 255);
  HfPath *st = hf_path_new ();
  HfCanvas empty;
  double x0, y0, x1, y1;

  scene_new (&s, 32, 32, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
  hf_path_move_to (s.path, NAN, 3);
  hf_path_line_to (s.path, INFINITY, 3);
  hf_path_line_to (s.path, 1e300, -1e300);
  hf_path_line_to (s.path, -1e300, 1e300);
  hf_path_line_to (s.path, 5, NAN);
  hf_path_line_to (s.path, 5, 5);
  hf_path_close (s.path);
  hf_path_rect (s.path, NAN, 0, 10, 10, 2);
  hf_path_rect (s.path, 0, 0, INFINITY, 10, NAN);
  hf_path_ellipse (s.path, 10, 10, NAN, 3);
  hf_path_ellipse (s.path, 10, 10, 1e308, 1e308);
  g_assert_true (hf_path_bounds (s.path, &x0, &y0, &x1, &y1));
  g_assert_true (isfinite (x0) && isfinite (y1));
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  hf_path_stroke (st, s.path, 3, TRUE);
  hf_path_stroke (st, s.path, NAN, FALSE);
  hf_path_stroke (st, s.path, INFINITY, FALSE);
  hf_raster_fill (s.r, &s.cv.c, st, &p);

  /* NaN in the paint. */
  p = gradient (HF_PAINT_RADIAL, hf_rgba (0, 0, 0, 255), hf_rgba (9, 9, 9,
          255));
  p.r = NAN;
  p.to_paint.xx = NAN;
  p.stops[1].offset = NAN;
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  p.type = HF_PAINT_LINEAR;
  p.x1 = INFINITY;
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  p.opacity = NAN;
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  p.n_stops = 1000;
  p.opacity = 1;
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);

  /* Empty paths, a zero-size canvas and NULLs. */
  hf_path_clear (s.path);
  g_assert_false (hf_path_bounds (s.path, NULL, NULL, NULL, NULL));
  p = solid (0, 0, 0, 255);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  hf_path_move_to (s.path, 5, 5);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  hf_path_rect (s.path, 1, 1, 4, 4, 0);
  hf_canvas_init (&empty, s.cv.px, 0, 0, 0, HF_CANVAS_RGBA);
  hf_raster_fill (s.r, &empty, s.path, &p);
  hf_canvas_clear (&empty, hf_rgba (0, 0, 0, 0));
  hf_raster_fill (s.r, NULL, s.path, &p);
  hf_raster_fill (s.r, &s.cv.c, NULL, &p);
  hf_raster_fill (s.r, &s.cv.c, s.path, NULL);
  hf_path_append (s.path, s.path, NULL);
  hf_raster_fill (s.r, &s.cv.c, s.path, &p);
  assert_px (&s.cv, 2, 2, 0, 0, 0, 255);
  hf_path_free (st);
  hf_path_free (NULL);
  hf_raster_free (NULL);
  scene_free (&s);
}

/* Random paths with wild coordinates, seeded for reproducibility: no
 * crash, no write outside the canvas (checked by ASan runs), and only
 * blends of the two colours involved. */
HF_TEST ("/raster/random-paths", test_random_paths)
{
  static const double scales[] = { 1, 40, 1e3, 1e6, 1e12, 1e300 };
  Scene s;
  HfPath *st = hf_path_new ();
  GRand *rand = g_rand_new_with_seed (1234);
  HfPaint p = solid (0, 0, 0, 200);

  scene_new (&s, 67, 45, HF_CANVAS_BGRA, hf_rgba (255, 255, 255, 255));
  for (int iter = 0; iter < 300; iter++) {
    double sc = scales[g_rand_int_range (rand, 0, G_N_ELEMENTS (scales))];
    int n = g_rand_int_range (rand, 1, 12);
    hf_path_clear (s.path);
    hf_path_clear (st);
    for (int i = 0; i < n; i++) {
      double x = 33 + g_rand_double_range (rand, -1, 1) * sc;
      double y = 22 + g_rand_double_range (rand, -1, 1) * sc;
      if (g_rand_int_range (rand, 0, 4) == 0)
        hf_path_move_to (s.path, x, y);
      else
        hf_path_line_to (s.path, x, y);
    }
    if (g_rand_boolean (rand))
      hf_path_close (s.path);
    hf_raster_fill (s.r, &s.cv.c, s.path, &p);
    hf_path_stroke (st, s.path, g_rand_double_range (rand, 0, 20),
        g_rand_boolean (rand));
    hf_raster_fill (s.r, &s.cv.c, st, &p);
  }
  for (int y = 0; y < 45; y++)
    for (int x = 0; x < 67; x++) {
      HfRgba e = hf_canvas_get_pixel (&s.cv.c, x, y);
      g_assert_cmpint (e.r, ==, e.g);
      g_assert_cmpint (e.g, ==, e.b);
      g_assert_cmpint (e.a, ==, 255);
    }
  g_rand_free (rand);
  hf_path_free (st);
  scene_free (&s);
}

/* A polygon clipped to a box as it is built fills the canvas inside the
 * box exactly as the whole one does, under both rules: random
 * self-crossing contours reaching far outside, some wholly outside. */
HF_TEST ("/raster/poly-clip", test_poly_clip)
{
  static const double box[4] = { -2, -2, 66, 50 };
  GRand *rng = g_rand_new_with_seed (7);
  HfRaster *r = hf_raster_new ();
  HfPaint paint = solid (20, 40, 200, 255);
  int round, rule;

  for (round = 0; round < 40; round++) {
    HfPath *whole = hf_path_new (), *part = hf_path_new ();
    HfPolyClip clip;
    int c, i;

    hf_poly_clip_init (&clip, part, box);
    for (c = 0; c < 3; c++) {
      int n = g_rand_int_range (rng, 3, 40);
      double spread = c == 2 ? 1e4 : 300;
      for (i = 0; i < n; i++) {
        double x = g_rand_double_range (rng, -spread, spread) + 32;
        double y = g_rand_double_range (rng, -spread, spread) + 24;
        if (i == 0)
          hf_path_move_to (whole, x, y);
        else
          hf_path_line_to (whole, x, y);
        hf_poly_clip_point (&clip, x, y);
      }
      hf_path_close (whole);
      hf_poly_clip_close (&clip);
    }
    for (rule = 0; rule < 2; rule++) {
      Canvas a, b;
      int worst;

      canvas_new (&a, 64, 48, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
      canvas_new (&b, 64, 48, HF_CANVAS_RGBA, hf_rgba (255, 255, 255, 255));
      hf_raster_fill_with_rule (r, &a.c, whole, &paint, rule);
      hf_raster_fill_with_rule (r, &b.c, part, &paint, rule);
      worst = max_diff (&a, &b);
      if (worst > 1)
        g_error ("round %d, rule %d: the clipped polygon fills differently "
            "(by up to %d)", round, rule, worst);
      canvas_free (&a);
      canvas_free (&b);
    }
    hf_path_free (whole);
    hf_path_free (part);
  }
  /* Wholly beyond one side: nothing is kept. */
  {
    HfPath *part = hf_path_new ();
    HfPolyClip clip;
    const double far[8] = { -50, 0, -40, 10, -45, 100, -30, 200 };

    hf_poly_clip_init (&clip, part, box);
    g_assert_true (hf_poly_clip_beyond_one_side (&clip, far, 4));
    for (int i = 0; i < 4; i++)
      hf_poly_clip_point (&clip, far[2 * i], far[2 * i + 1]);
    hf_poly_clip_close (&clip);
    g_assert_cmpint (hf_path_n_contours (part), ==, 0);
    hf_path_free (part);
  }
  hf_raster_free (r);
  g_rand_free (rng);
}

HF_TEST_MAIN ();

/* Unit tests of hfpaint: canvas formats, gradients, compositing and its
 * exact arithmetic, checked through the pixels they produce. */
#include "raster-helpers.h"

#include "hfunit.h"

HF_TEST ("/paint/canvas-formats", test_canvas_formats)
{
  Canvas cv;
  HfRaster *r = hf_raster_new ();
  HfPaint p = solid (10, 20, 30, 255);

  canvas_new (&cv, 8, 8, HF_CANVAS_BGRA, hf_rgba (1, 2, 3, 4));
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
  canvas_new (&cv, 8, 8, HF_CANVAS_RGBX, hf_rgba (0, 0, 0, 0));
  g_assert_cmpint (cv.px[3], ==, 255);
  memset (cv.px, 0x11, 8 * 8 * 4);
  p = solid (200, 100, 50, 128);
  fill_rect (r, &cv.c, 0, 0, 8, 8, &p);
  g_assert_cmpint (cv.px[0], ==, (200 * 128 + 0x11 * 127 + 127) / 255);
  g_assert_cmpint (cv.px[3], ==, 255);
  assert_px (&cv, 2, 2, cv.px[0], cv.px[1], cv.px[2], 255);
  canvas_free (&cv);

  /* BGRx. */
  canvas_new (&cv, 4, 4, HF_CANVAS_BGRX, hf_rgba (5, 6, 7, 0));
  g_assert_cmpint (cv.px[0], ==, 7);
  g_assert_cmpint (cv.px[2], ==, 5);
  g_assert_cmpint (cv.px[3], ==, 255);
  assert_px (&cv, -1, 0, 0, 0, 0, 0);
  assert_px (&cv, 4, 0, 0, 0, 0, 0);
  canvas_free (&cv);
  hf_raster_free (r);
}

HF_TEST ("/paint/linear-gradient", test_linear_gradient)
{
  Scene s;
  HfPaint p =
      gradient (HF_PAINT_LINEAR, hf_rgba (255, 0, 0, 255), hf_rgba (0, 0, 255,
          255));
  HfRgba e;

  scene_new (&s, 256, 16, HF_CANVAS_RGBA, hf_rgba (0, 0, 0, 255));
  p.x0 = 0.5;
  p.x1 = 255.5;
  fill_rect (s.r, &s.cv.c, 0, 0, 256, 16, &p);
  for (int y = 0; y < 16; y++) {
    e = hf_canvas_get_pixel (&s.cv.c, 0, y);
    assert_near (e.r, 255, 1);
    assert_near (e.b, 0, 1);
    e = hf_canvas_get_pixel (&s.cv.c, 255, y);
    assert_near (e.r, 0, 1);
    assert_near (e.b, 255, 1);
    /* Beyond the ends the colour pads. */
  }
  /* The midpoint (pixel centre 128 is t = 127.5 / 255) is the blend. */
  {
    double sr = 0, sb = 0;
    for (int y = 0; y < 4; y++)
      for (int x = 127; x <= 128; x++) {
        e = hf_canvas_get_pixel (&s.cv.c, x, y);
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
  fill_rect (s.r, &s.cv.c, 0, 0, 256, 16, &p);
  assert_px (&s.cv, 10, 3, 255, 0, 0, 255);
  assert_px (&s.cv, 250, 3, 0, 0, 255, 255);
  e = hf_canvas_get_pixel (&s.cv.c, 128, 3);
  assert_near (e.r, 127.5, 3);

  /* opacity multiplies alpha. */
  hf_canvas_clear (&s.cv.c, hf_rgba (0, 0, 0, 255));
  p.opacity = 0.5;
  fill_rect (s.r, &s.cv.c, 0, 0, 256, 16, &p);
  e = hf_canvas_get_pixel (&s.cv.c, 10, 3);
  assert_near (e.r, 127.5, 1);
  scene_free (&s);
}

HF_TEST ("/paint/radial-gradient", test_radial_gradient)
{
  Scene s;
  HfPaint p =
      gradient (HF_PAINT_RADIAL, hf_rgba (255, 255, 255, 255), hf_rgba (0, 0, 0,
          255));
  HfRgba e;

  scene_new (&s, 128, 128, HF_CANVAS_RGBA, hf_rgba (0, 128, 0, 255));
  /* Centred on the centre of pixel (64, 64). */
  p.x0 = 64.5;
  p.y0 = 64.5;
  p.r = 50;
  fill_rect (s.r, &s.cv.c, 0, 0, 128, 128, &p);
  e = hf_canvas_get_pixel (&s.cv.c, 64, 64);
  assert_near (e.r, 255, 2);
  assert_near (e.g, 255, 2);
  e = hf_canvas_get_pixel (&s.cv.c, 2, 2);
  assert_rgba (e, 0, 0, 0, 255);
  e = hf_canvas_get_pixel (&s.cv.c, 125, 64);
  assert_rgba (e, 0, 0, 0, 255);
  /* Halfway out (distance 25) the value is half, in every direction. */
  e = hf_canvas_get_pixel (&s.cv.c, 89, 64);
  assert_near (e.r, 127.5, 1);
  e = hf_canvas_get_pixel (&s.cv.c, 64, 39);
  assert_near (e.r, 127.5, 1);
  e = hf_canvas_get_pixel (&s.cv.c, 84, 79);
  assert_near (e.r, 127.5, 1);
  scene_free (&s);
}

HF_TEST ("/paint/no-banding", test_no_banding)
{
  const int W = 1920, H = 8;
  Scene s;
  HfPaint p =
      gradient (HF_PAINT_LINEAR, hf_rgba (0, 0, 0, 255), hf_rgba (255, 255, 255,
          255));
  double prev_col = -1, prev_block = -1, max_dev = 0;

  scene_new (&s, W, H, HF_CANVAS_RGBA, hf_rgba (0, 0, 0, 255));
  p.x0 = 0;
  p.x1 = W;
  fill_rect (s.r, &s.cv.c, 0, 0, W, H, &p);

  for (int x = 0; x < W; x++) {
    double col = 0;
    for (int y = 0; y < H; y++)
      col += hf_canvas_get_pixel (&s.cv.c, x, y).r;
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
        block += hf_canvas_get_pixel (&s.cv.c, x + dx, y).r;
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
  scene_free (&s);
}

HF_TEST ("/paint/stop-interpolation", test_stop_interpolation)
{
  Scene s;
  HfPaint p = solid (0, 0, 0, 0);
  HfRgba e;

  /* Three stops, and an interpolation into a transparent stop keeps the
   * colour (premultiplied interpolation) while the alpha falls. */
  scene_new (&s, 100, 4, HF_CANVAS_RGBA, hf_rgba (0, 0, 0, 0));
  p.type = HF_PAINT_LINEAR;
  p.x0 = 0;
  p.x1 = 100;
  p.n_stops = 3;
  p.stops[0] = stop_at (0.0, hf_rgba (255, 0, 0, 255));
  p.stops[1] = stop_at (0.5, hf_rgba (0, 255, 0, 255));
  p.stops[2] = stop_at (1.0, hf_rgba (0, 0, 255, 0));
  fill_rect (s.r, &s.cv.c, 0, 0, 100, 4, &p);
  e = hf_canvas_get_pixel (&s.cv.c, 49, 0);
  g_assert_cmpint (e.g, >=, 240);
  g_assert_cmpint (e.r, <=, 15);
  e = hf_canvas_get_pixel (&s.cv.c, 74, 0);
  assert_near (e.a, 255 * (1 - 24.5 / 50), 2);
  /* Colour of a fading stop pair stays the colour of the opaque side. */
  g_assert_cmpint (e.g, >=, 125);
  g_assert_cmpint (e.b, <=, 130);
  scene_free (&s);
}

HF_TEST ("/paint/alpha-compositing", test_alpha_compositing)
{
  Scene s;
  HfPaint p = solid (200, 100, 50, 128);
  HfRgba e;

  scene_new (&s, 32, 32, HF_CANVAS_RGBA, hf_rgba (0, 0, 0, 0));
  fill_rect (s.r, &s.cv.c, 4, 4, 10.5, 10, &p);
  assert_px (&s.cv, 8, 8, 200, 100, 50, 128);
  /* A half-covered pixel keeps the source colour with half the alpha. */
  e = hf_canvas_get_pixel (&s.cv.c, 14, 8);
  assert_rgba (e, 200, 100, 50, e.a);
  assert_near (e.a, 64, 1);
  assert_px (&s.cv, 20, 20, 0, 0, 0, 0);

  /* Red at 50% over blue at 50%: full non-premultiplied over. */
  hf_canvas_clear (&s.cv.c, hf_rgba (0, 0, 255, 128));
  p = solid (255, 0, 0, 128);
  fill_rect (s.r, &s.cv.c, 0, 0, 32, 32, &p);
  {
    double sa = 128 / 255.0, da = 128 / 255.0, oa = sa + da * (1 - sa);
    double orr = 255 * sa / oa, ob = 255 * da * (1 - sa) / oa;
    e = hf_canvas_get_pixel (&s.cv.c, 3, 3);
    assert_near (e.a, oa * 255, 1);
    assert_near (e.r, orr, 1);
    assert_near (e.b, ob, 1);
    g_assert_cmpint (e.g, ==, 0);
  }

  /* Opaque source over translucent gives exactly the source. */
  p = solid (1, 2, 3, 255);
  fill_rect (s.r, &s.cv.c, 0, 0, 32, 32, &p);
  assert_px (&s.cv, 3, 3, 1, 2, 3, 255);

  /* Zero alpha or zero opacity changes nothing. */
  p = solid (9, 9, 9, 0);
  fill_rect (s.r, &s.cv.c, 0, 0, 32, 32, &p);
  p = solid (9, 9, 9, 255);
  p.opacity = 0;
  fill_rect (s.r, &s.cv.c, 0, 0, 32, 32, &p);
  assert_px (&s.cv, 3, 3, 1, 2, 3, 255);
  scene_free (&s);
}

HF_TEST ("/paint/exact-blend", test_exact_blend)
{
  Scene s;

  /* Over every alpha and a spread of colours, an opaque destination gets
   * round ((c a + d (255 - a)) / 255) exactly. */
  scene_new (&s, 1, 1, HF_CANVAS_RGBA, hf_rgba (0, 0, 0, 255));
  for (int a = 0; a < 256; a += 3)
    for (int c = 0; c < 256; c += 17)
      for (int d = 0; d < 256; d += 15) {
        HfPaint p = solid (c, 255 - c, c / 2, a);
        int want = (int) floor ((c * a + d * (255 - a)) / 255.0 + 0.5);
        hf_canvas_clear (&s.cv.c, hf_rgba (d, d, d, 255));
        fill_rect (s.r, &s.cv.c, 0, 0, 1, 1, &p);
        g_assert_cmpint (s.cv.px[0], ==, want);
        g_assert_cmpint (s.cv.px[3], ==, 255);
      }
  scene_free (&s);
}

/* Fills of a whole row go through the four-pixels-at-a-time paths, fills
 * of one pixel through the per-pixel one; both must give the same bytes,
 * over opaque and translucent destinations mixed within a group of four,
 * at full and partial coverage, for each kind of paint. */
HF_TEST ("/paint/row-paths-agree", test_row_paths_agree)
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
  paints[2].stops[0] = stop_at (0, hf_rgba (255, 0, 0, 255));
  paints[2].stops[1] = stop_at (1, hf_rgba (0, 0, 255, 60));
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

/* The clear writes 16-byte blocks from the first 16-byte boundary: every
 * start alignment and width must fill exactly the row, each byte in its
 * channel, and leave the stride's padding alone. */
HF_TEST ("/paint/clear-alignment", test_clear_alignment)
{
  const int stride = 64 * 4 + 12, height = 3;
  uint8_t *mem = g_malloc (16 + stride * height);
  HfCanvas c;

  for (int shift = 0; shift < 16; shift += 4)
    for (int width = 1; width <= 64; width++) {
      memset (mem, 0x5a, 16 + stride * height);
      hf_canvas_init (&c, mem + shift, width, height, stride, HF_CANVAS_BGRA);
      hf_canvas_clear (&c, hf_rgba (1, 2, 3, 4));
      for (int y = 0; y < height; y++)
        for (int b = 0; b < stride; b++) {
          const uint8_t want[4] = { 3, 2, 1, 4 };
          g_assert_cmpint (c.pixels[y * stride + b], ==,
              b < 4 * width ? want[b % 4] : 0x5a);
        }
      for (int b = 0; b < shift; b++)
        g_assert_cmpint (mem[b], ==, 0x5a);
    }
  g_free (mem);
}

HF_TEST_MAIN ();

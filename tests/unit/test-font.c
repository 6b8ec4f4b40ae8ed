/* Unit tests of hffont: glyph coverage, metrics, alignment, rendering and
 * robustness against bad UTF-8. */
#include "hffont.h"
#include "hfcomp.h"
#include "hfpath-private.h"

#include <math.h>
#include <string.h>

#include "hfunit.h"

/* Vertical ink limits relative to the size: ascenders reach 21/20 of the
 * cap height (0.7 size) plus half a stroke; descenders 6/20. */
#define ASCENT(size) ((size) * (0.7 * 21 / 20 + 0.06))
#define DESCENT(size) ((size) * (0.7 * 6 / 20 + 0.06))

HF_TEST ("/font/every-glyph", test_every_glyph)
{
  HfPath *p = hf_path_new ();
  const double size = 100;

  for (int ch = 0x20; ch <= 0x7e; ch++) {
    char s[2] = { (char) ch, 0 };
    double x0, y0, x1, y1, adv = hf_font_measure (s, size);

    hf_path_clear (p);
    hf_font_text_path (p, s, 0, 0, size, HF_ALIGN_LEFT, 1.0);
    g_assert_cmpfloat (adv, >, 0);
    if (ch == ' ') {
      g_assert_false (hf_path_bounds (p, &x0, &y0, &x1, &y1));
      continue;
    }
    if (!hf_path_bounds (p, &x0, &y0, &x1, &y1))
      g_error ("glyph '%c' is empty", ch);
    /* Ink sits within the advance (a little overhang allowed) and
     * between the descender and ascender lines. */
    g_assert_cmpfloat (x0, >=, -0.1 * size);
    g_assert_cmpfloat (x1, <=, adv + 0.1 * size);
    g_assert_cmpfloat (x1 - x0, >=, size / 11 * 0.99);
    g_assert_cmpfloat (y0, >=, -ASCENT (size));
    g_assert_cmpfloat (y1, <=, DESCENT (size));
    g_assert_cmpfloat (y1 - y0, >=, size / 11 * 0.99);
  }
  hf_path_free (p);
}

/* Renders a string in black on white and returns the canvas pixels. */
static uint8_t *
render (const char *text, int w, int h, double x, double y, double size,
    HfAlign align, double weight)
{
  uint8_t *px = g_malloc (w * h * 4);
  HfCanvas c;
  HfRaster *r = hf_raster_new ();
  HfPath *p = hf_path_new ();
  HfPaint paint;

  memset (&paint, 0, sizeof (paint));
  paint.type = HF_PAINT_SOLID;
  paint.color = hf_rgba (0, 0, 0, 255);
  paint.opacity = 1;
  hf_canvas_init (&c, px, w, h, w * 4, HF_CANVAS_RGBA);
  hf_canvas_clear (&c, hf_rgba (255, 255, 255, 255));
  hf_font_text_path (p, text, x, y, size, align, weight);
  hf_raster_fill (r, &c, p, &paint);
  hf_path_free (p);
  hf_raster_free (r);
  return px;
}

/* Every glyph renders to a distinct image at a small size: none can be
 * mistaken for another pixel for pixel. */
HF_TEST ("/font/glyphs-distinct", test_glyphs_distinct)
{
  const int W = 24, H = 32;
  uint8_t *img[0x7f];
  int min_diff = G_MAXINT, min_a = 0, min_b = 0;

  for (int ch = 0x21; ch <= 0x7e; ch++) {
    char s[2] = { (char) ch, 0 };
    img[ch] = render (s, W, H, 4, 22, 24, HF_ALIGN_LEFT, 1);
  }
  for (int a = 0x21; a <= 0x7e; a++)
    for (int b = a + 1; b <= 0x7e; b++) {
      int d = 0;
      for (int i = 0; i < W * H * 4; i += 4)
        d += abs (img[a][i] - img[b][i]);
      if (d < min_diff) {
        min_diff = d;
        min_a = a;
        min_b = b;
      }
    }
  if (min_diff < 255 * 4)
    g_error ("glyphs '%c' and '%c' differ by only %d", min_a, min_b, min_diff);
  for (int ch = 0x21; ch <= 0x7e; ch++)
    g_free (img[ch]);
}

HF_TEST ("/font/measure", test_measure)
{
  const char *text = "The quick brown fox jumps over 13 lazy dogs!";
  double prev = 0;
  char buf[64];

  g_assert_cmpfloat (hf_font_measure ("", 20), ==, 0);
  g_assert_cmpfloat (hf_font_measure (NULL, 20), ==, 0);
  g_assert_cmpfloat (hf_font_measure ("abc", 0), ==, 0);
  g_assert_cmpfloat (hf_font_measure ("abc", NAN), ==, 0);
  for (size_t n = 1; n <= strlen (text); n++) {
    double m;
    memcpy (buf, text, n);
    buf[n] = 0;
    m = hf_font_measure (buf, 30);
    g_assert_cmpfloat (m, >, prev);
    prev = m;
    /* Proportional to size. */
    g_assert_cmpfloat (fabs (hf_font_measure (buf, 90) - 3 * m), <, 1e-9 * m);
  }
  /* Proportional widths, but all digits share one advance. */
  g_assert_cmpfloat (hf_font_measure ("i", 40), <, hf_font_measure ("m", 40));
  for (char d = '0'; d <= '9'; d++) {
    char s[2] = { d, 0 };
    g_assert_cmpfloat (hf_font_measure (s, 40), ==, hf_font_measure ("0", 40));
  }
  /* The layout advances by exactly the measured width, at any weight;
   * heavier text is spaced wider. */
  for (double weight = 0.5; weight <= 3; weight += 0.5) {
    HfPath *a = hf_path_new (), *b = hf_path_new ();
    double ax0, ax1, bx0, bx1, y0, y1;
    double adv = hf_font_measure_weight ("H", 50, weight);
    hf_font_text_path (a, "H", 0, 0, 50, HF_ALIGN_LEFT, weight);
    hf_font_text_path (b, "HH", 0, 0, 50, HF_ALIGN_LEFT, weight);
    hf_path_bounds (a, &ax0, &y0, &ax1, &y1);
    hf_path_bounds (b, &bx0, &y0, &bx1, &y1);
    g_assert_cmpfloat (fabs (bx1 - ax1 - adv), <, 1e-9);
    g_assert_cmpfloat (fabs (bx0 - ax0), <, 1e-9);
    if (weight == 1.0)
      g_assert_cmpfloat (adv, ==, hf_font_measure ("H", 50));
    else if (weight > 1.0)
      g_assert_cmpfloat (adv, >, hf_font_measure ("H", 50));
    hf_path_free (a);
    hf_path_free (b);
  }
  g_assert_cmpfloat (hf_font_measure_weight ("H", 50, NAN), ==,
      hf_font_measure ("H", 50));
}

HF_TEST ("/font/alignment", test_alignment)
{
  HfPath *p = hf_path_new ();
  double x0, y0, x1, y1, w = hf_font_measure ("HOTH", 40);

  /* H, O and T are symmetric, so the ink is centred too. */
  hf_font_text_path (p, "HOTH", 200, 100, 40, HF_ALIGN_CENTER, 1);
  g_assert_true (hf_path_bounds (p, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (fabs ((x0 + x1) / 2 - 200), <, 0.02 * 40);
  g_assert_cmpfloat (x1 - x0, <=, w);
  g_assert_cmpfloat (x1 - x0, >, 0.8 * w);
  /* Baseline at y: H sits on it and reaches the cap height. */
  g_assert_cmpfloat (fabs (y1 - (100 + 40 / 22.0)), <, 0.01);
  g_assert_cmpfloat (fabs (y0 - (100 - 0.7 * 40 - 40 / 22.0)), <, 0.01);

  hf_path_clear (p);
  hf_font_text_path (p, "HOTH", 200, 100, 40, HF_ALIGN_RIGHT, 1);
  g_assert_true (hf_path_bounds (p, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x1, <=, 200);
  g_assert_cmpfloat (x1, >, 200 - 0.1 * 40);
  g_assert_cmpfloat (x0, >=, 200 - w);

  /* Bold text right-aligned ends at the anchor too. */
  hf_path_clear (p);
  hf_font_text_path (p, "HOTH", 200, 100, 40, HF_ALIGN_RIGHT, 2.5);
  g_assert_true (hf_path_bounds (p, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x1, <=, 200);
  g_assert_cmpfloat (x1, >, 200 - 0.1 * 40);
  g_assert_cmpfloat (x0, >=, 200 - hf_font_measure_weight ("HOTH", 40, 2.5));

  hf_path_clear (p);
  hf_font_text_path (p, "HOTH", 200, 100, 40, HF_ALIGN_LEFT, 1);
  g_assert_true (hf_path_bounds (p, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (x0, >=, 200);
  g_assert_cmpfloat (x0, <, 200 + 0.1 * 40);
  hf_path_free (p);
}

HF_TEST ("/font/render-24px", test_render_24px)
{
  const int W = 320, H = 60;
  const char *text = "Hello, World 0123";
  double size = 24, bx = 10, by = 40, adv = hf_font_measure (text, size);
  uint8_t *px = render (text, W, H, bx, by, size, HF_ALIGN_LEFT, 1);
  int ink = 0, solid = 0, min_x = W, max_x = -1;

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int v = px[(y * W + x) * 4];
      if (v == 255)
        continue;
      ink++;
      if (v == 0)
        solid++;
      /* Ink only inside the text's box. */
      g_assert_cmpint (x, >=, (int) bx - 1);
      g_assert_cmpint (x, <=, (int) (bx + adv) + 1);
      g_assert_cmpint (y, >=, (int) (by - ASCENT (size)) - 1);
      g_assert_cmpint (y, <=, (int) (by + DESCENT (size)) + 1);
      min_x = MIN (min_x, x);
      max_x = MAX (max_x, x);
    }
  /* Plenty of ink, some of it fully covered (strokes over 2 px wide),
   * spread across the measured width. */
  g_assert_cmpint (ink, >, 600);
  g_assert_cmpint (solid, >, 100);
  g_assert_cmpint (max_x - min_x, >, adv * 0.9);
  g_free (px);

  /* Bold draws more ink than regular. */
  {
    uint8_t *reg = render ("Hello", W, H, bx, by, size, HF_ALIGN_LEFT, 1);
    uint8_t *bold = render ("Hello", W, H, bx, by, size, HF_ALIGN_LEFT, 2);
    long sr = 0, sb = 0;
    for (int i = 0; i < W * H * 4; i += 4) {
      sr += 255 - reg[i];
      sb += 255 - bold[i];
    }
    g_assert_cmpint (sb, >, sr * 3 / 2);
    g_free (reg);
    g_free (bold);
  }
}

/* Latin-1 and the common typographic punctuation have glyphs: German,
 * French, Spanish and Portuguese titles need no font file. Letters with
 * marks are their base letter plus the mark: as wide, and taller. */
HF_TEST ("/font/latin1", test_latin1)
{
  static const gunichar punct[] = { 0x2018, 0x2019, 0x201C, 0x201D, 0x2013,
    0x2014, 0x2026, 0x2022, 0x20AC, 0x2122, 0x00A9
  };
  HfPath *p = hf_path_new (), *base = hf_path_new ();
  gunichar ch;
  guint i;
  GError *err = NULL;
  HfComposition *comp;

  for (ch = 0xA0; ch <= 0xFF; ch++) {
    char s[8] = { 0 };
    double x0, y0, x1, y1;

    g_unichar_to_utf8 (ch, s);
    if (!hf_font_has_char (ch))
      g_error ("no glyph for U+%04X", ch);
    hf_path_clear (p);
    hf_font_text_path (p, s, 0, 0, 100, HF_ALIGN_LEFT, 1.0);
    /* Ink for all but the no-break space and the soft hyphen. */
    g_assert_true (hf_path_bounds (p, &x0, &y0, &x1, &y1)
        == (ch != 0xA0 && ch != 0xAD));
    if (ch == 0xA0 || ch == 0xAD)
      continue;
    /* Marks over capitals reach higher than ASCII does. */
    g_assert_cmpfloat (y0, >=, -100 * (0.7 * 27.5 / 20 + 0.06));
    g_assert_cmpfloat (y1, <=, DESCENT (100));
  }
  for (i = 0; i < G_N_ELEMENTS (punct); i++)
    g_assert_true (hf_font_has_char (punct[i]));
  /* Not covered: refused at load, never a box (test-compparse). */
  g_assert_false (hf_font_has_char (0x65E5));
  g_assert_false (hf_font_has_char (0x0142));

  {
    const char *pairs[][2] = { {"\xc3\xa9", "e"}, {"\xc3\x85", "A"},
    {"\xc3\xb1", "n"}, {"\xc3\xa7", "c"}, {"\xc5\x91", "o"}
    };
    for (i = 0; i < G_N_ELEMENTS (pairs); i++) {
      double a0, b0, a1, b1, c0, d0, c1, d1;
      hf_path_clear (p);
      hf_path_clear (base);
      hf_font_text_path (p, pairs[i][0], 0, 0, 100, HF_ALIGN_LEFT, 1.0);
      hf_font_text_path (base, pairs[i][1], 0, 0, 100, HF_ALIGN_LEFT, 1.0);
      g_assert_cmpfloat (hf_font_measure (pairs[i][0], 100), ==,
          hf_font_measure (pairs[i][1], 100));
      g_assert_true (hf_path_bounds (p, &a0, &b0, &a1, &b1));
      g_assert_true (hf_path_bounds (base, &c0, &d0, &c1, &d1));
      /* ç's cedilla hangs below; the others' marks stand above. */
      if (i == 3)
        g_assert_cmpfloat (b1, >, d1 + 5);
      else
        g_assert_cmpfloat (b0, <, d0 - 5);
    }
  }

  comp = hf_composition_new_from_data ("<composition><text>Gr\xc3\xbc\xc3"
      "\x9f" "e \xe2\x80\x94 \xc3\x89t\xc3\xa9 \xc2\xbfQu\xc3\xa9? "
      "A\xc3\xa7\xc3\xa3o \xe2\x80\x9c\xe2\x82\xac" "5\xe2\x80\x9d"
      "</text></composition>", -1, NULL, &err);
  g_assert_no_error (err);
  hf_composition_free (comp);
  hf_path_free (p);
  hf_path_free (base);
}

HF_TEST ("/font/bad-utf8", test_bad_utf8)
{
  HfPath *p = hf_path_new (), *box = hf_path_new ();
  double box_w = hf_font_measure ("\xe2\x98\x83", 30);  /* U+2603 */
  double x0, y0, x1, y1, bx0, by0, bx1, by1;

  /* A code point the font lacks is one box, as wide as any box. */
  g_assert_cmpfloat (box_w, >, 0);
  g_assert_cmpfloat (hf_font_measure ("\xe4\xb8\x80", 30), ==, box_w);
  hf_font_text_path (box, "\xe4\xb8\x80", 0, 0, 30, HF_ALIGN_LEFT, 1);
  g_assert_true (hf_path_bounds (box, &bx0, &by0, &bx1, &by1));
  /* The box spans the cap height. */
  g_assert_cmpfloat (by1 - by0, >, 0.7 * 30);

  /* Each invalid byte is one box; valid text around it survives. */
  g_assert_cmpfloat (hf_font_measure ("\xff\xfe", 30), ==, 2 * box_w);
  g_assert_cmpfloat (hf_font_measure ("a\xe2\x98", 30), ==,
      hf_font_measure ("a", 30) + 2 * box_w);
  g_assert_cmpfloat (hf_font_measure ("\xc0\xafx", 30), ==,
      2 * box_w + hf_font_measure ("x", 30));
  hf_font_text_path (p, "\xff", 0, 0, 30, HF_ALIGN_LEFT, 1);
  g_assert_true (hf_path_bounds (p, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (fabs (x0 - bx0) + fabs (x1 - bx1) + fabs (y0 - by0)
      + fabs (y1 - by1), <, 1e-9);

  /* Control characters and odd sizes do not crash. */
  hf_path_clear (p);
  hf_font_text_path (p, "tab\there\nnew", 0, 0, 30, HF_ALIGN_CENTER, 1);
  g_assert_true (hf_path_bounds (p, &x0, &y0, &x1, &y1));
  hf_font_text_path (p, "x", NAN, 0, 30, HF_ALIGN_LEFT, 1);
  hf_font_text_path (p, "x", 0, 0, INFINITY, HF_ALIGN_LEFT, 1);
  hf_font_text_path (p, "x", 0, 0, -5, HF_ALIGN_LEFT, 1);
  hf_font_text_path (p, "x", 0, 0, 1e30, HF_ALIGN_LEFT, NAN);
  hf_font_text_path (p, "x", 0, 0, 1e-9, HF_ALIGN_RIGHT, 1);
  hf_font_text_path (p, NULL, 0, 0, 10, HF_ALIGN_LEFT, 1);
  hf_font_text_path (NULL, "x", 0, 0, 10, HF_ALIGN_LEFT, 1);
  hf_path_free (p);
  hf_path_free (box);
}

/* A line far longer than the frame: the glyphs outside the visible range
 * are not built (a twentieth of the points here) and the visible part
 * draws exactly the same pixels as the whole line. */
HF_TEST ("/font/visible-glyphs-only", test_visible_glyphs_only)
{
  GString *line = g_string_new (NULL);
  HfPath *all = hf_path_new (), *vis = hf_path_new ();
  HfRaster *r = hf_raster_new ();
  guint8 *pa = g_malloc (320 * 60 * 4), *pv = g_malloc (320 * 60 * 4);
  HfCanvas ca, cv;
  HfPaint paint;
  int i;

  for (i = 0; i < 2000; i++)
    g_string_append (line, "Wavy ");
  hf_font_text_path (all, line->str, 10, 40, 30, HF_ALIGN_LEFT, 1.0);
  hf_font_text_path_visible (vis, line->str, 10, 40, 30, HF_ALIGN_LEFT, 1.0,
      0, 320);
  g_assert_cmpint (vis->n_pts * 20, <, all->n_pts);

  memset (&paint, 0, sizeof (paint));
  paint.type = HF_PAINT_SOLID;
  paint.color = hf_rgba (255, 255, 255, 255);
  paint.opacity = 1.0;
  hf_matrix_init_identity (&paint.to_paint);
  hf_canvas_init (&ca, pa, 320, 60, 320 * 4, HF_CANVAS_RGBA);
  hf_canvas_init (&cv, pv, 320, 60, 320 * 4, HF_CANVAS_RGBA);
  hf_canvas_clear (&ca, hf_rgba (0, 0, 0, 255));
  hf_canvas_clear (&cv, hf_rgba (0, 0, 0, 255));
  hf_raster_fill (r, &ca, all, &paint);
  hf_raster_fill (r, &cv, vis, &paint);
  g_assert_cmpmem (pa, 320 * 60 * 4, pv, 320 * 60 * 4);

  g_free (pa);
  g_free (pv);
  hf_raster_free (r);
  hf_path_free (all);
  hf_path_free (vis);
  g_string_free (line, TRUE);
}

HF_TEST_MAIN ();

/* Unit tests of font files (hftype.c, hfcompfont.c): outlines against
 * FreeType's own rasteriser, HarfBuzz's kerning and ligatures against the
 * font's tables, fallback chains, collections, CFF outlines, and the load
 * errors a composition gets. The fonts come from Debian packages that the
 * README's test command installs. */
#include <math.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "hfcomp.h"
#include "hfcomp-private.h"
#include "hfpath-private.h"
#include "hftype.h"

#include "hfunit.h"

#define DEJAVU "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define WQY "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
#define FREESERIF "/usr/share/fonts/opentype/freefont/FreeSerif.otf"

static HfTypeface *
open_font (const char *path, int index)
{
  GError *err = NULL;
  HfTypeface *f;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s is missing: install fonts-dejavu-core, fonts-wqy-microhei "
        "and fonts-freefont-otf (./build.sh test does)", path);
  f = hf_typeface_new (path, index, &err);
  g_assert_no_error (err);
  return f;
}

/* Coverage (0-255) of one character drawn by the engine with its origin
 * at (ox, oy) of a w x h canvas. */
static guint8 *
engine_coverage (HfTypeface * f, gunichar ch, double size, int w, int h,
    double ox, double oy)
{
  guint8 *rgba = g_malloc0 ((gsize) w * h * 4), *cov = g_malloc (w * h);
  char utf8[8] = { 0 };
  HfShaped *s;
  HfTextLayout l;
  HfPath *p = hf_path_new ();
  HfRaster *r = hf_raster_new ();
  HfCanvas c;
  HfPaint paint;
  int i;

  g_unichar_to_utf8 (ch, utf8);
  s = hf_type_shape (&f, 1, utf8);
  hf_path_set_tolerance (p, 0.01);
  hf_text_layout_init (&l, ox, oy, size, HF_ALIGN_LEFT);
  hf_type_layout_path (p, &f, s, &l);
  hf_canvas_init (&c, rgba, w, h, w * 4, HF_CANVAS_RGBA);
  memset (&paint, 0, sizeof (paint));
  paint.type = HF_PAINT_SOLID;
  paint.color = hf_rgba (255, 255, 255, 255);
  paint.opacity = 1;
  hf_raster_fill (r, &c, p, &paint);
  for (i = 0; i < w * h; i++)
    cov[i] = rgba[4 * i + 3];
  hf_raster_free (r);
  hf_path_free (p);
  hf_shaped_free (s);
  g_free (rgba);
  return cov;
}

/* The same drawn by FreeType's own anti-aliasing rasteriser, unhinted. */
static guint8 *
freetype_coverage (const char *path, int index, gunichar ch, int size, int w,
    int h, int ox, int oy)
{
  guint8 *cov = g_malloc0 (w * h);
  FT_Library lib;
  FT_Face face;
  FT_Bitmap *bm;
  unsigned int x, y;

  g_assert_cmpint (FT_Init_FreeType (&lib), ==, 0);
  g_assert_cmpint (FT_New_Face (lib, path, index, &face), ==, 0);
  g_assert_cmpint (FT_Set_Pixel_Sizes (face, 0, size), ==, 0);
  g_assert_cmpint (FT_Load_Char (face, ch, FT_LOAD_NO_HINTING
          | FT_LOAD_RENDER | FT_LOAD_TARGET_NORMAL), ==, 0);
  bm = &face->glyph->bitmap;
  g_assert_cmpint (bm->pixel_mode, ==, FT_PIXEL_MODE_GRAY);
  for (y = 0; y < bm->rows; y++)
    for (x = 0; x < bm->width; x++) {
      int cx = ox + face->glyph->bitmap_left + (int) x;
      int cy = oy - face->glyph->bitmap_top + (int) y;
      g_assert_true (cx >= 0 && cx < w && cy >= 0 && cy < h);
      cov[cy * w + cx] = bm->buffer[y * bm->pitch + x];
    }
  FT_Done_Face (face);
  FT_Done_FreeType (lib);
  return cov;
}

static double
psnr (const guint8 * a, const guint8 * b, int n)
{
  double se = 0;
  int i;

  for (i = 0; i < n; i++)
    se += (double) (a[i] - b[i]) * (a[i] - b[i]);
  if (se == 0)
    return INFINITY;
  return 10 * log10 (255.0 * 255.0 * n / se);
}

/* Glyph outlines (quadratic TrueType and cubic CFF ones) drawn by the
 * engine match FreeType's rendering of the same glyphs. */
HF_TEST ("/type/vs-freetype", test_vs_freetype)
{
  const struct
  {
    const char *path;
    const char *chars;
  } cases[] = {
    {DEJAVU, "gQ&@\xc3\x9f\xc3\x85\xce\xa9\xd8\xb9"},   /* ß Å Ω ع */
    {FREESERIF, "gQ&@\xc3\x9f"},
  };
  const int w = 96, h = 96, size = 60;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    HfTypeface *f = open_font (cases[i].path, 0);
    const char *p;

    for (p = cases[i].chars; *p; p = g_utf8_next_char (p)) {
      gunichar ch = g_utf8_get_char (p);
      guint8 *a = engine_coverage (f, ch, size, w, h, 16, 70);
      guint8 *b = freetype_coverage (cases[i].path, 0, ch, size, w, h, 16, 70);
      double db = psnr (a, b, w * h);
      int ink = 0, k;

      for (k = 0; k < w * h; k++)
        ink += b[k] > 128;
      g_assert_cmpint (ink, >, 100);
      g_test_message ("%s U+%04X: PSNR %.1f dB against FreeType",
          cases[i].path, ch, db);
      if (db < 35)
        g_error ("%s U+%04X: PSNR %.1f dB against FreeType, want >= 35",
            cases[i].path, ch, db);
      g_free (a);
      g_free (b);
    }
    hf_typeface_free (f);
  }
}

/* "AV" is kerned by the font's own amount: what FreeType reads from the
 * kern table, or at least closer than the two advances. */
HF_TEST ("/type/kerning", test_kerning)
{
  HfTypeface *f = open_font (DEJAVU, 0);
  HfShaped *av = hf_type_shape (&f, 1, "AV"), *a = hf_type_shape (&f, 1, "A");
  FT_Library lib;
  FT_Face face;
  FT_Vector k;

  g_assert_cmpuint (av->n, ==, 2);
  g_assert_cmpfloat (av->glyphs[0].adv, <, a->glyphs[0].adv);
  g_assert_cmpint (FT_Init_FreeType (&lib), ==, 0);
  g_assert_cmpint (FT_New_Face (lib, DEJAVU, 0, &face), ==, 0);
  if (FT_HAS_KERNING (face)) {
    g_assert_cmpint (FT_Get_Kerning (face, FT_Get_Char_Index (face, 'A'),
            FT_Get_Char_Index (face, 'V'), FT_KERNING_UNSCALED, &k), ==, 0);
    g_assert_cmpfloat_with_epsilon (av->glyphs[0].adv - a->glyphs[0].adv,
        (double) k.x / face->units_per_EM, 1e-9);
  }
  FT_Done_Face (face);
  FT_Done_FreeType (lib);
  hf_shaped_free (av);
  hf_shaped_free (a);
  hf_typeface_free (f);
}

/* "fi" becomes the font's one ligature glyph (the glyph it maps U+FB01
 * to); "f i" stays three glyphs. */
HF_TEST ("/type/ligature", test_ligature)
{
  HfTypeface *f = open_font (DEJAVU, 0);
  HfShaped *fi = hf_type_shape (&f, 1, "fi"), *sep = hf_type_shape (&f, 1,
      "f i");
  FT_Library lib;
  FT_Face face;

  g_assert_cmpint (FT_Init_FreeType (&lib), ==, 0);
  g_assert_cmpint (FT_New_Face (lib, DEJAVU, 0, &face), ==, 0);
  g_assert_cmpuint (fi->n, ==, 1);
  g_assert_cmpuint (fi->glyphs[0].glyph, ==, FT_Get_Char_Index (face, 0xFB01));
  g_assert_true (fi->glyphs[0].flags & HF_TEXT_CLUSTER_END);
  g_assert_cmpuint (sep->n, ==, 3);
  g_assert_cmpuint (sep->glyphs[0].glyph, ==, FT_Get_Char_Index (face, 'f'));
  FT_Done_Face (face);
  FT_Done_FreeType (lib);
  hf_shaped_free (fi);
  hf_shaped_free (sep);
  hf_typeface_free (f);
}

/* Each character takes the first font of the chain that has it; a
 * collection opens by index; CJK text may break between ideographs. */
HF_TEST ("/type/fallback-and-collection", test_fallback_and_collection)
{
  HfTypeface *chain[2];
  HfShaped *s;
  GError *err = NULL;
  guint i, breaks = 0;

  chain[0] = open_font (DEJAVU, 0);
  chain[1] = open_font (WQY, 1);
  g_assert_false (hf_typeface_has_char (chain[0], 0x65E5));
  g_assert_true (hf_typeface_has_char (chain[1], 0x65E5));

  s = hf_type_shape (chain, 2,
      "a\xc3\xbc \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
  g_assert_cmpuint (s->n, ==, 6);
  g_assert_cmpuint (s->glyphs[0].face, ==, 0);
  g_assert_cmpuint (s->glyphs[1].face, ==, 0);
  for (i = 3; i < 6; i++) {
    g_assert_cmpuint (s->glyphs[i].face, ==, 1);
    breaks += (s->glyphs[i].flags & HF_TEXT_BREAK_BEFORE) != 0;
  }
  g_assert_cmpuint (breaks, ==, 3);
  hf_shaped_free (s);

  g_assert_null (hf_typeface_new (WQY, 2, &err));
  g_assert_error (err, HF_TYPE_ERROR, HF_TYPE_ERROR_INVALID);
  g_assert_nonnull (strstr (err->message, "index=2 is out of range: the file "
          "holds 2 fonts"));
  g_assert_nonnull (strstr (err->message, WQY));
  g_clear_error (&err);
  hf_typeface_free (chain[0]);
  hf_typeface_free (chain[1]);
}

/* Loads doc and expects an error of code whose message holds each of the
 * NULL-terminated strings. */
static void
expect_error (const char *doc, int code, ...)
{
  GError *err = NULL;
  HfComposition *comp = hf_composition_new_from_data (doc, -1, "t.xml", &err);
  va_list ap;
  const char *want;

  g_assert_null (comp);
  g_assert_nonnull (err);
  if (!g_error_matches (err, HF_COMP_ERROR, code))
    g_error ("expected code %d, got %s", code, err->message);
  va_start (ap, code);
  while ((want = va_arg (ap, const char *)) != NULL)
    if (strstr (err->message, want) == NULL)
      g_error ("\"%s\" does not say \"%s\"", err->message, want);
  va_end (ap);
  g_error_free (err);
}

#define DOC(defs, body) "<composition width=\"64\" height=\"64\">\n" \
  "<defs>" defs "</defs>\n" body "\n</composition>"
#define FONT "<font id=\"f\" src=\"" DEJAVU "\"/>"

HF_TEST ("/type/load-errors", test_load_errors)
{
  /* A character no font of the chain has, named with its position. */
  expect_error (DOC (FONT, "<text font=\"f\">Gr\xc3\xbc\xc3\x9f" "e "
          "\xe6\x97\xa5\xe6\x9c\xac</text>"), HF_COMP_ERROR_INVALID,
      "t.xml:3:1: font 'f' has no glyph for U+65E5 '\xe6\x97\xa5'", NULL);
  /* The built-in font too, and what a placeholder writes counts. */
  expect_error (DOC ("", "  <text>\xe6\x97\xa5</text>"),
      HF_COMP_ERROR_INVALID, "t.xml:3:3: the built-in font has no glyph for "
      "U+65E5", NULL);
  expect_error (DOC ("", "<text>\x07</text>"), HF_COMP_ERROR_INVALID,
      "no glyph for U+0007:", NULL);
  /* A missing file is NOT_FOUND, naming the path and the attribute. */
  expect_error (DOC ("<font id=\"f\" src=\"/nonexistent/x.ttf\"/>", ""),
      HF_COMP_ERROR_NOT_FOUND, "t.xml:2:20: cannot use font "
      "'/nonexistent/x.ttf'", "/nonexistent/x.ttf", NULL);
  expect_error (DOC ("<font id=\"f\" src=\"" DEJAVU "\" index=\"1\"/>", ""),
      HF_COMP_ERROR_INVALID, "index=1 is out of range", NULL);
  expect_error (DOC ("<font id=\"f\" src=\"" DEJAVU "\" index=\"-1\"/>", ""),
      HF_COMP_ERROR_INVALID, "index must be an integer >= 0", NULL);
  expect_error (DOC (FONT FONT, ""), HF_COMP_ERROR_INVALID,
      "font id 'f' is defined twice", NULL);
  expect_error (DOC ("<font id=\"f\"/>", ""), HF_COMP_ERROR_INVALID,
      "<font> needs an id and a src", NULL);
  expect_error (DOC ("<font id=\"f\" src=\"" DEJAVU "\" fallback=\"g\"/>",
          ""), HF_COMP_ERROR_INVALID, "t.xml:2:", "unknown font id 'g' in "
      "fallback", NULL);
  expect_error (DOC (FONT, "<text font=\"nope\">a</text>"),
      HF_COMP_ERROR_INVALID, "t.xml:3:7: unknown font id 'nope'", NULL);
  expect_error (DOC ("<font id=\"f\" src=\"" DEJAVU "\" size=\"3\"/>", ""),
      HF_COMP_ERROR_INVALID, "unknown attribute 'size' on <font>", NULL);
  expect_error (DOC ("<font id=\"f\" src=\"" DEJAVU "\"><stop/></font>", ""),
      HF_COMP_ERROR_INVALID, "<stop> is not allowed inside <font>", NULL);
}

/* Fallbacks are followed through: a character only the fallback's
 * fallback has is found there; a cycle ends. */
HF_TEST ("/type/fallback-chain", test_fallback_chain)
{
  const char *chain = "<composition><defs>"
      "<font id=\"a\" src=\"" DEJAVU "\" fallback=\"b\"/>"
      "<font id=\"b\" src=\"" FREESERIF "\" fallback=\"c a\"/>"
      "<font id=\"c\" src=\"" WQY "\"/></defs>"
      "<text font=\"a\">a\xe6\x97\xa5</text></composition>";
  const char *cut = "<composition><defs>"
      "<font id=\"a\" src=\"" DEJAVU "\" fallback=\"b\"/>"
      "<font id=\"b\" src=\"" FREESERIF "\" fallback=\"a\"/>"
      "<font id=\"c\" src=\"" WQY "\"/></defs>"
      "<text font=\"a\">a\xe6\x97\xa5</text></composition>";
  GError *err = NULL;
  HfComposition *comp = hf_composition_new_from_data (chain, -1, NULL, &err);

  g_assert_no_error (err);
  g_assert_cmpuint (comp->chains[0].n_faces, ==, 3);
  hf_composition_free (comp);
  g_assert_null (hf_composition_new_from_data (cut, -1, NULL, &err));
  g_assert_nonnull (strstr (err->message, "font 'a' has no glyph for "
          "U+65E5"));
  g_clear_error (&err);
}

/* Not a font: an error saying so, naming the file. */
HF_TEST ("/type/corrupt-font", test_corrupt_font)
{
  char *dir = g_dir_make_tmp ("hftype-XXXXXX", NULL);
  char *path = g_build_filename (dir, "bad.ttf", NULL);
  char *doc;
  GError *err = NULL;

  g_assert_true (g_file_set_contents (path, "\0\1\0\0garbage", 12, NULL));
  doc = g_strdup_printf (DOC ("<font id=\"f\" src=\"%s\"/>", ""), path);
  g_assert_null (hf_composition_new_from_data (doc, -1, "t.xml", &err));
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID);
  g_assert_nonnull (strstr (err->message, "not a font file"));
  g_assert_nonnull (strstr (err->message, path));
  g_clear_error (&err);
  g_unlink (path);
  g_rmdir (dir);
  g_free (doc);
  g_free (path);
  g_free (dir);
}

/* src is relative to the composition file's directory, or for markup
 * given as data to the working directory. */
HF_TEST ("/type/relative-paths", test_relative_paths)
{
  char *dir = g_dir_make_tmp ("hftype-XXXXXX", NULL);
  char *fonts = g_build_filename (dir, "fonts", NULL);
  char *font = g_build_filename (fonts, "sans.ttf", NULL);
  char *comp_path = g_build_filename (dir, "c.xml", NULL);
  char *cwd = g_get_current_dir ();
  const char *doc = DOC ("<font id=\"f\" src=\"fonts/sans.ttf\"/>",
      "<text font=\"f\">Gr\xc3\xbc\xc3\x9f" "e</text>");
  char *data;
  gsize len;
  GError *err = NULL;
  HfComposition *comp;

  g_assert_true (g_file_get_contents (DEJAVU, &data, &len, NULL));
  g_assert_cmpint (g_mkdir (fonts, 0755), ==, 0);
  g_assert_true (g_file_set_contents (font, data, len, NULL));
  g_assert_true (g_file_set_contents (comp_path, doc, -1, NULL));

  /* From another working directory, the file's own directory counts. */
  comp = hf_composition_new_from_file (comp_path, &err);
  g_assert_no_error (err);
  hf_composition_free (comp);
  /* As data, the working directory counts. */
  comp = hf_composition_new_from_data (doc, -1, NULL, &err);
  g_assert_null (comp);
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_NOT_FOUND);
  g_clear_error (&err);
  g_assert_cmpint (g_chdir (dir), ==, 0);
  comp = hf_composition_new_from_data (doc, -1, NULL, &err);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_no_error (err);
  hf_composition_free (comp);

  g_unlink (font);
  g_unlink (comp_path);
  g_rmdir (fonts);
  g_rmdir (dir);
  g_free (data);
  g_free (cwd);
  g_free (comp_path);
  g_free (font);
  g_free (fonts);
  g_free (dir);
}

/* Ink bounds of a composition's frame (anything not black). */
static gboolean
ink (const char *body, int *x0, int *y0, int *x1, int *y1)
{
  char *doc = g_strdup_printf ("<composition width=\"200\" height=\"100\">"
      "<defs>" FONT "</defs>%s</composition>", body);
  guint8 *px = g_malloc0 (200 * 100 * 4);
  GError *err = NULL;
  HfComposition *comp = hf_composition_new_from_data (doc, -1, NULL, &err);
  HfRenderer *r = hf_renderer_new ();
  HfCanvas c;
  int x, y;

  g_assert_no_error (err);
  hf_canvas_init (&c, px, 200, 100, 800, HF_CANVAS_RGBA);
  hf_composition_render (comp, r, &c, 0);
  *x0 = *y0 = G_MAXINT;
  *x1 = *y1 = -1;
  for (y = 0; y < 100; y++)
    for (x = 0; x < 200; x++)
      if (px[(y * 200 + x) * 4] > 0) {
        *x0 = MIN (*x0, x);
        *y0 = MIN (*y0, y);
        *x1 = MAX (*x1, x);
        *y1 = MAX (*y1, y);
      }
  hf_renderer_free (r);
  hf_composition_free (comp);
  g_free (px);
  g_free (doc);
  return *x1 >= 0;
}

/* A font text is filled, and outlined by stroke like a shape: a stroke
 * 6 wide reaches 3 px past the glyphs on every side. */
HF_TEST ("/type/text-stroke", test_text_stroke)
{
  int a0, b0, a1, b1, c0, d0, c1, d1;

  g_assert_true (ink ("<text font=\"f\" x=\"20\" y=\"70\" size=\"50\">"
          "HOH</text>", &a0, &b0, &a1, &b1));
  g_assert_true (ink ("<text font=\"f\" x=\"20\" y=\"70\" size=\"50\" "
          "stroke=\"#ff0000\" stroke-width=\"6\" stroke-linejoin=\"miter\">"
          "HOH</text>", &c0, &d0, &c1, &d1));
  g_assert_cmpint (abs (c0 - (a0 - 3)), <=, 1);
  g_assert_cmpint (abs (c1 - (a1 + 3)), <=, 1);
  g_assert_cmpint (abs (d0 - (b0 - 3)), <=, 1);
  g_assert_cmpint (abs (d1 - (b1 + 3)), <=, 1);
  /* The H's stem starts where FreeType says: at its left side bearing
   * from the pen. */
  {
    FT_Library lib;
    FT_Face face;
    double lsb;

    g_assert_cmpint (FT_Init_FreeType (&lib), ==, 0);
    g_assert_cmpint (FT_New_Face (lib, DEJAVU, 0, &face), ==, 0);
    g_assert_cmpint (FT_Load_Char (face, 'H', FT_LOAD_NO_SCALE), ==, 0);
    lsb = (double) face->glyph->metrics.horiBearingX / face->units_per_EM * 50;
    g_assert_cmpint (abs (a0 - (int) floor (20 + lsb)), <=, 1);
    FT_Done_Face (face);
    FT_Done_FreeType (lib);
  }
}

static void
leftmost (gpointer data, const HfTextGlyph * g, double x, double y)
{
  double *min = data;

  *min = MIN (*min, x);
}

/* The width of text's one line at size 20 with letter-spacing `spacing`:
 * right-aligned at x = 500, its leftmost glyph starts at 500 - width. */
static double
line_width (HfTypeface * f, const char *text, double spacing)
{
  HfShaped *s = hf_type_shape (&f, 1, text);
  HfTextLayout l;
  double min = G_MAXDOUBLE;

  hf_text_layout_init (&l, 500, 50, 20, HF_ALIGN_RIGHT);
  l.letter_spacing = spacing;
  g_assert_cmpuint (hf_text_layout (s, &l, leftmost, &min), ==, 1);
  hf_shaped_free (s);
  return 500 - min;
}

/* letter-spacing follows every character but the letters of cursive
 * scripts, which join (CSS Text 3): an Arabic word keeps its width, and
 * the Latin letters, spaces and digits around it take their spacing. */
HF_TEST ("/type/letter-spacing-cursive", test_letter_spacing_cursive)
{
  static const struct
  {
    const char *text;
    int spaced;                 /* characters that take the spacing */
  } cases[] = {
    {"abcd", 4},
    {"\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 0},    /* salam */
    {"ab \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 3},
    {"\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 12", 3},
  };
  HfTypeface *f = open_font (DEJAVU, 0);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    double plain = line_width (f, cases[i].text, 0);
    double spaced = line_width (f, cases[i].text, 4);

    g_assert_cmpfloat (plain, >, 20);
    g_assert_cmpfloat_with_epsilon (spaced - plain, 4.0 * cases[i].spaced,
        1e-9);
  }
  hf_typeface_free (f);
}

HF_TEST_MAIN ();

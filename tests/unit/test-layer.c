/* Unit tests of layers: group opacity composited once, clip paths (also
 * animated, timed from the clipped element), drop shadows (offset, blur
 * profile against the Gaussian, conserved alpha), and the cost of a layer
 * following its element's area. Pixel probes through the real renderer. */
#include <math.h>
#include <string.h>
#include <glib.h>

#include "hfcomp.h"
#include "hfdraw-testing.h"

#include "comp-helpers.h"
#include "hfunit.h"

#define W 128
#define H 96

typedef struct
{
  guint8 px[W * H * 4];
  HfRenderer *r;
} Frame;

static void
draw (const char *body, double t, Frame * f)
{
  char *doc = g_strdup_printf ("<composition width=\"%d\" height=\"%d\" "
      "duration=\"4\" background=\"#ffffff\">%s</composition>", W, H, body);
  HfComposition *comp = parse_ok (doc);
  HfCanvas c;

  hf_canvas_init (&c, f->px, W, H, W * 4, HF_CANVAS_RGBA);
  f->r = hf_renderer_new ();
  hf_composition_render (comp, f->r, &c, t);
  hf_composition_free (comp);
  g_free (doc);
}

static const guint8 *
at (const Frame * f, int x, int y)
{
  return f->px + (y * W + x) * 4;
}

#define ASSERT_PX(f, x, y, R, G, B, tol) G_STMT_START { \
    const guint8 *p_ = at ((f), (x), (y)); \
    if (abs (p_[0] - (R)) > (tol) || abs (p_[1] - (G)) > (tol) \
        || abs (p_[2] - (B)) > (tol)) \
      g_error ("%s:%d: pixel %d,%d is %d,%d,%d, expected %d,%d,%d", \
          __FILE__, __LINE__, (x), (y), p_[0], p_[1], p_[2], (R), (G), (B)); \
  } G_STMT_END

HF_TEST ("/layer/group-opacity", test_group_opacity)
{
  Frame f;

  /* Two opaque squares in a half-transparent group: where they overlap
   * only the top one shows, at half strength, as in HTML. */
  draw ("<group opacity=\"0.5\"><rect x=\"10\" y=\"10\" width=\"40\" "
      "height=\"40\" fill=\"#ff0000\"/><rect x=\"30\" y=\"30\" width=\"40\" "
      "height=\"40\" fill=\"#0000ff\"/></group>", 0, &f);
  ASSERT_PX (&f, 20, 20, 255, 128, 128, 1);
  ASSERT_PX (&f, 40, 40, 128, 128, 255, 1);
  ASSERT_PX (&f, 60, 60, 128, 128, 255, 1);
  ASSERT_PX (&f, 5, 5, 255, 255, 255, 0);
  /* Only the group's bounds (plus the anti-aliasing margin) were
   * composited, not the canvas. */
  g_assert_cmpuint (hf_renderer_get_layer_pixels (f.r), <=, 62 * 62);
  g_assert_cmpuint (hf_renderer_get_layer_pixels (f.r), >=, 60 * 60);
  hf_renderer_free (f.r);

  /* An opaque group needs no layer. */
  draw ("<group><rect x=\"10\" y=\"10\" width=\"40\" height=\"40\"/></group>",
      0, &f);
  g_assert_cmpuint (hf_renderer_get_layer_pixels (f.r), ==, 0);
  hf_renderer_free (f.r);
}

#define CLIP_DEFS "<defs><clipPath id=\"c\"><rect x=\"0\" y=\"0\" " \
  "width=\"0\" height=\"%d\"><tween attr=\"width\" from=\"0\" to=\"64\" " \
  "duration=\"1\" ease=\"none\"/></rect></clipPath></defs>"

HF_TEST ("/layer/clip", test_clip)
{
  Frame f;
  char *body;
  HfComposition *comp;
  GError *err = NULL;

  /* A static clip: the left half of the rect, edge anti-aliased. */
  draw ("<defs><clipPath id=\"half\"><rect x=\"0\" y=\"0\" width=\"32.5\" "
      "height=\"96\"/></clipPath></defs><rect x=\"0\" y=\"0\" width=\"64\" "
      "height=\"64\" fill=\"#000000\" clip-path=\"url(#half)\"/>", 0, &f);
  ASSERT_PX (&f, 10, 10, 0, 0, 0, 0);
  ASSERT_PX (&f, 31, 10, 0, 0, 0, 0);
  ASSERT_PX (&f, 32, 10, 128, 128, 128, 2);
  ASSERT_PX (&f, 33, 10, 255, 255, 255, 0);
  ASSERT_PX (&f, 48, 10, 255, 255, 255, 0);
  hf_renderer_free (f.r);

  /* An animated clip (a wipe) is timed from the clipped element's own
   * data-start: 1 s in, at t = 1.5, the clip is 32 wide. */
  body = g_strdup_printf (CLIP_DEFS "<rect x=\"0\" y=\"0\" width=\"64\" "
      "height=\"64\" fill=\"#000000\" data-start=\"1\" "
      "clip-path=\"url(#c)\"/>", H);
  draw (body, 1.5, &f);
  ASSERT_PX (&f, 31, 10, 0, 0, 0, 0);
  ASSERT_PX (&f, 32, 10, 255, 255, 255, 0);
  hf_renderer_free (f.r);
  draw (body, 1.25, &f);
  ASSERT_PX (&f, 15, 10, 0, 0, 0, 0);
  ASSERT_PX (&f, 16, 10, 255, 255, 255, 0);
  hf_renderer_free (f.r);

  /* A moving clip changes the picture while it moves, and only then. */
  {
    char *doc = g_strdup_printf ("<composition width=\"%d\" height=\"%d\" "
        "duration=\"4\">%s</composition>", W, H, body);
    comp = hf_composition_new_from_data (doc, -1, NULL, &err);
    g_assert_no_error (err);
    g_assert_true (hf_composition_changes_between (comp, 1.2, 1.3));
    g_assert_false (hf_composition_changes_between (comp, 0.2, 0.3));
    hf_composition_free (comp);
    g_free (doc);
  }
  g_free (body);

  /* Errors name the position. */
  g_assert_null (hf_composition_new_from_data ("<composition><rect "
          "clip-path=\"url(#nope)\"/></composition>", -1, "t.xml", &err));
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID);
  g_assert_cmpstr (err->message, ==, "t.xml:1:20: unknown clipPath id "
      "'nope'");
  g_clear_error (&err);
  g_assert_null (hf_composition_new_from_data ("<composition><rect "
          "clip-path=\"#nope\"/></composition>", -1, "t.xml", &err));
  g_assert_nonnull (strstr (err->message, "clip-path must be url(#id)"));
  g_clear_error (&err);
  g_assert_null (hf_composition_new_from_data ("<composition><defs>"
          "<clipPath/></defs></composition>", -1, "t.xml", &err));
  g_assert_nonnull (strstr (err->message, "<clipPath> needs an id"));
  g_clear_error (&err);
}

/* The standard normal distribution function. */
static double
phi (double x)
{
  return 0.5 * erfc (-x / sqrt (2));
}

HF_TEST ("/layer/shadow", test_shadow)
{
  Frame f;
  double sum = 0;
  int x;

  /* A sharp shadow: offset by (10, 10), half-transparent black. */
  draw ("<rect x=\"20\" y=\"20\" width=\"20\" height=\"20\" "
      "fill=\"#ff0000\" shadow-color=\"#00000080\" shadow-x=\"10\" "
      "shadow-y=\"10\"/>", 0, &f);
  ASSERT_PX (&f, 30, 30, 255, 0, 0, 0);
  ASSERT_PX (&f, 45, 45, 127, 127, 127, 1);
  ASSERT_PX (&f, 15, 15, 255, 255, 255, 0);
  ASSERT_PX (&f, 52, 52, 255, 255, 255, 0);
  hf_renderer_free (f.r);

  /* Blurred: shadow-blur 16 is a Gaussian of sigma 8. The rect, white
   * on white, hides the shadow under it; right of its edge at x = 60 the
   * darkness falls off as the normal distribution does, and a row holds
   * 255 x 8 / sqrt (2 pi) of it in all. */
  draw ("<rect x=\"-40\" y=\"-60\" width=\"100\" height=\"216\" "
      "fill=\"#ffffff\" shadow-color=\"#000000\" shadow-blur=\"16\"/>", 0, &f);
  for (x = 60; x <= 84; x += 4) {
    double want = 255 * (1 - phi ((x + 0.5 - 60) / 8.0));
    int got = 255 - at (&f, x, 48)[0];
    if (fabs (got - want) > 255 * 0.02)
      g_error ("shadow at x=%d is %d, a Gaussian edge gives %.1f", x, got,
          want);
  }
  for (x = 60; x < W; x++)
    sum += 255 - at (&f, x, 48)[0];
  g_assert_cmpfloat (fabs (sum - 255 * 8 / sqrt (2 * G_PI)), <, 0.03 * sum);
  ASSERT_PX (&f, 30, 48, 255, 255, 255, 0);
  hf_renderer_free (f.r);
}

HF_TEST_MAIN ();

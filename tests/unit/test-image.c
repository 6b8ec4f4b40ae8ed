/* Unit tests of <image>: sampling at scale 1, 0.5 and 3 and at a rotation
 * against references computed here, shrinking without aliasing, object-fit
 * geometry, and load errors. Pictures come from a decoder written here, as
 * the engine takes any HfImageDecodeFunc. */
#include <math.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "hfcomp.h"
#include "hfimage.h"

#include "hfunit.h"

#define W 64
#define H 48

typedef struct
{
  guint calls;
  int w, h;
  const char *fail;             /* a decoder message: fail with it */
} Decoder;

/* A 16x8 picture with alpha: colours that change every pixel, so any
 * misplacement shows; or a w x h one-pixel checkerboard when
 * the file name has "checker" in it. */
static guint8 *
decode (const char *path, int *width, int *height, gpointer user_data,
    GError ** error)
{
  Decoder *d = user_data;
  gboolean checker = strstr (path, "checker") != NULL;
  int w = checker ? d->w : 16, h = checker ? d->h : 8, x, y;
  guint8 *p;

  d->calls++;
  if (d->fail) {
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_DECODE, "%s", d->fail);
    return NULL;
  }
  p = g_malloc ((gsize) w * h * 4);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      guint8 *q = p + ((gsize) y * w + x) * 4;
      if (checker) {
        q[0] = q[1] = q[2] = (x + y) % 2 ? 0 : 255;
        q[3] = 255;
      } else {
        q[0] = (guint8) (x * 16);
        q[1] = (guint8) (y * 32);
        q[2] = (guint8) (255 - x * 8);
        q[3] = (guint8) (x % 2 ? 255 : 128);
      }
    }
  *width = w;
  *height = h;
  return p;
}

/* The picture's straight RGBA at integer pixel (x, y). */
static void
src_px (int x, int y, double out[4])
{
  out[0] = x * 16;
  out[1] = y * 32;
  out[2] = 255 - x * 8;
  out[3] = x % 2 ? 255 : 128;
}

static char *dir;

/* A file that exists (the decoder above makes up its content). */
static char *
touch (const char *name)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
  return path;
}

static HfComposition *
load (const char *body, Decoder * d, GError ** error)
{
  char *doc = g_strdup_printf ("<composition width=\"%d\" height=\"%d\" "
      "background=\"#000000\">%s</composition>", W, H, body);
  char *path = g_build_filename (dir, "c.xml", NULL);
  HfCompLoader loader = { decode, d };
  HfComposition *comp;

  g_assert_true (g_file_set_contents (path, doc, -1, NULL));
  comp = hf_composition_new_from_file_with (path, &loader, error);
  g_free (doc);
  g_free (path);
  return comp;
}

/* The frame at time 0 of a composition of `body` that must load. */
static guint8 *
render (const char *body, Decoder * d)
{
  GError *err = NULL;
  HfComposition *comp = load (body, d, &err);
  guint8 *px = g_malloc0 (W * H * 4);
  HfCanvas c;
  HfRenderer *r = hf_renderer_new ();

  g_assert_no_error (err);
  hf_canvas_init (&c, px, W, H, W * 4, HF_CANVAS_RGBA);
  hf_composition_render (comp, r, &c, 0);
  hf_renderer_free (r);
  hf_composition_free (comp);
  return px;
}

/* Premultiplied bilinear sample of the picture at (u, v), pixel centres
 * at .5, edges clamped; in straight RGBA. */
static void
bilinear (double u, double v, double out[4])
{
  double x = CLAMP (u - 0.5, 0, 15), y = CLAMP (v - 0.5, 0, 7), pm[4] = { 0 };
  int x0 = (int) x, y0 = (int) y, x1 = MIN (x0 + 1, 15), y1 = MIN (y0 + 1, 7);
  double fx = x - x0, fy = y - y0;
  int c, k;
  const int xs[4] = { x0, x1, x0, x1 }, ys[4] = { y0, y0, y1, y1 };
  const double ws[4] = { (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy,
    fx * fy
  };

  for (k = 0; k < 4; k++) {
    double s[4];
    src_px (xs[k], ys[k], s);
    for (c = 0; c < 3; c++)
      pm[c] += ws[k] * s[c] * s[3] / 255;
    pm[3] += ws[k] * s[3];
  }
  for (c = 0; c < 3; c++)
    out[c] = pm[3] > 0 ? pm[c] * 255 / pm[3] : 0;
  out[3] = pm[3];
}

/* Compares the canvas with the picture over black, sampled at image point
 * (u, v) = to_img (canvas pixel centre), inside [x0, x1) x [y0, y1). */
static void
check_against (const guint8 * px, int x0, int y0, int x1, int y1,
    void (*to_img) (double, double, double *, double *), int tol)
{
  int x, y, c, worst = 0;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++) {
      double u, v, s[4];
      to_img (x + 0.5, y + 0.5, &u, &v);
      bilinear (u, v, s);
      for (c = 0; c < 3; c++) {
        int want = (int) lround (s[c] * s[3] / 255);
        int got = px[(y * W + x) * 4 + c];
        worst = MAX (worst, abs (got - want));
      }
    }
  if (worst > tol)
    g_error ("pixels differ from the reference by up to %d (> %d)", worst, tol);
}

static void
at_scale_1 (double x, double y, double *u, double *v)
{
  *u = x - 10;
  *v = y - 5;
}

static void
at_scale_3 (double x, double y, double *u, double *v)
{
  *u = (x - 4) / 3;
  *v = (y - 2) / 3;
}

/* Rotated 90 degrees clockwise about the box centre (18, 9): local (lx,
 * ly) lands on (18 - (ly - 9), 9 + (lx - 18)). */
static void
at_rot_90 (double x, double y, double *u, double *v)
{
  *u = (y - 9) + 18 - 10;
  *v = 9 - (x - 18) - 5;
}

HF_TEST ("/image/sampling", test_sampling)
{
  Decoder d = { 0 };
  guint8 *px;
  char *file = touch ("pic.png");

  /* Scale 1 at whole pixels: the picture itself (width and height are
   * its own). */
  px = render ("<image src=\"pic.png\" x=\"10\" y=\"5\"/>", &d);
  check_against (px, 10, 5, 26, 13, at_scale_1, 1);
  /* Nothing outside the box. */
  g_assert_cmpint (px[(4 * W + 10) * 4 + 3], ==, 255);
  g_assert_cmpint (px[(4 * W + 10) * 4 + 0], ==, 0);
  g_free (px);

  /* Enlarged 3 times: bilinear. */
  px = render ("<image src=\"pic.png\" x=\"4\" y=\"2\" width=\"48\" "
      "height=\"24\"/>", &d);
  check_against (px, 5, 3, 51, 25, at_scale_3, 2);
  g_free (px);

  /* Rotated a quarter turn. */
  px = render ("<image src=\"pic.png\" x=\"10\" y=\"5\" rotate=\"90\"/>", &d);
  check_against (px, 15, 2, 22, 17, at_rot_90, 1);
  g_free (px);

  /* Shrunk to half: each output pixel is the mean of 2x2 (premultiplied),
   * within rounding. */
  px = render ("<image src=\"pic.png\" x=\"0\" y=\"0\" width=\"8\" "
      "height=\"4\"/>", &d);
  {
    int x, y, c, k;
    for (y = 0; y < 4; y++)
      for (x = 0; x < 8; x++) {
        double pm[4] = { 0 };
        for (k = 0; k < 4; k++) {
          double s[4];
          src_px (2 * x + k % 2, 2 * y + k / 2, s);
          for (c = 0; c < 3; c++)
            pm[c] += s[c] * s[3] / 255 / 4;
        }
        for (c = 0; c < 3; c++)
          g_assert_cmpint (abs (px[(y * W + x) * 4 + c] - (int) lround (pm[c])),
              <=, 2);
      }
  }
  g_free (px);
  /* Decoded once per file, however many loads used it. */
  g_assert_cmpuint (d.calls, ==, 4);
  g_free (file);
}

/* A one-pixel checkerboard shrunk 8 times is mean grey wherever it
 * stands: moved by fractions of a pixel, it does not shimmer. */
HF_TEST ("/image/shrink-no-aliasing", test_shrink_no_aliasing)
{
  Decoder d = { 0, 256, 256, NULL };
  const char *offsets[] = { "0", "0.25", "0.5", "0.75" };
  char *file = touch ("checker.png");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (offsets); i++) {
    char *body = g_strdup_printf ("<image src=\"checker.png\" x=\"%s\" "
        "y=\"%s\" width=\"32\" height=\"32\"/>", offsets[i], offsets[i]);
    guint8 *px = render (body, &d);
    int x, y;

    for (y = 2; y < 30; y++)
      for (x = 2; x < 30; x++)
        if (abs (px[(y * W + x) * 4] - 128) > 3)
          g_error ("offset %s: pixel %d,%d is %d, not mean grey", offsets[i],
              x, y, px[(y * W + x) * 4]);
    g_free (px);
    g_free (body);
  }
  g_free (file);
}

/* Bounds of the lit pixels. */
static void
ink_box (const guint8 * px, int *x0, int *y0, int *x1, int *y1)
{
  int x, y;

  *x0 = *y0 = G_MAXINT;
  *x1 = *y1 = -1;
  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      if (px[(y * W + x) * 4 + 1] || px[(y * W + x) * 4 + 2]) {
        *x0 = MIN (*x0, x);
        *y0 = MIN (*y0, y);
        *x1 = MAX (*x1, x + 1);
        *y1 = MAX (*y1, y + 1);
      }
}

HF_TEST ("/image/fit", test_fit)
{
  /* A 16x8 picture in a 32x32 box at (8, 8): */
  const struct
  {
    const char *fit;
    int x0, y0, x1, y1;
  } cases[] = {
    {"fill", 8, 8, 40, 40},     /* stretched to the box */
    {"contain", 8, 16, 40, 32}, /* 32x16, centred vertically */
    {"cover", 8, 8, 40, 40},    /* 64x32, its middle shown */
    {"none", 16, 20, 32, 28},   /* 16x8, centred */
  };
  Decoder d = { 0 };
  char *file = touch ("pic.png");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    char *body = g_strdup_printf ("<image src=\"pic.png\" x=\"8\" y=\"8\" "
        "width=\"32\" height=\"32\" fit=\"%s\"/>", cases[i].fit);
    guint8 *px = render (body, &d);
    int x0, y0, x1, y1;

    ink_box (px, &x0, &y0, &x1, &y1);
    if (x0 != cases[i].x0 || y0 != cases[i].y0 || x1 != cases[i].x1
        || y1 != cases[i].y1)
      g_error ("fit=%s drew [%d,%d)-[%d,%d), expected [%d,%d)-[%d,%d)",
          cases[i].fit, x0, y0, x1, y1, cases[i].x0, cases[i].y0,
          cases[i].x1, cases[i].y1);
    g_free (px);
    g_free (body);
  }
  g_free (file);
}

static void
expect_error (const char *body, Decoder * d, int code, const char *want)
{
  GError *err = NULL;
  HfComposition *comp = load (body, d, &err);

  g_assert_null (comp);
  if (!g_error_matches (err, HF_COMP_ERROR, code))
    g_error ("expected code %d, got: %s", code, err->message);
  if (strstr (err->message, want) == NULL)
    g_error ("\"%s\" does not say \"%s\"", err->message, want);
  g_error_free (err);
}

HF_TEST ("/image/errors", test_errors)
{
  Decoder d = { 0 }, big = { 0, 20000, 10, NULL }, bad = { 0, 0, 0,
    "Could not determine type of stream"
  };
  char *f1 = touch ("pic.png"), *f2 = touch ("checker.png");
  GError *err = NULL;

  expect_error ("<image src=\"nope.png\"/>", &d, HF_COMP_ERROR_NOT_FOUND,
      "c.xml:1:65: image file 'nope.png' not found (");
  expect_error ("<image x=\"3\"/>", &d, HF_COMP_ERROR_INVALID,
      "<image> needs a src attribute");
  expect_error ("<image src=\"pic.png\" fit=\"stretch\"/>", &d,
      HF_COMP_ERROR_INVALID, "fit must be fill, contain, cover or none");
  expect_error ("<image src=\"pic.png\"/>", &bad, HF_COMP_ERROR_DECODE,
      "cannot decode image 'pic.png' (");
  expect_error ("<image src=\"pic.png\"/>", &bad, HF_COMP_ERROR_DECODE,
      "Could not determine type of stream");
  expect_error ("<image src=\"checker.png\"/>", &big, HF_COMP_ERROR_TOO_BIG,
      "is 20000x10: each side must be 1 to 16384");
  /* No decoder at all. */
  g_assert_null (hf_composition_new_from_data ("<composition><image src=\""
          "/etc/hostname\"/></composition>", -1, NULL, &err));
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID);
  g_clear_error (&err);
  g_free (f1);
  g_free (f2);
}

int
main (int argc, char **argv)
{
  int rc;

  dir = g_dir_make_tmp ("hfimage-XXXXXX", NULL);

  rc = hf_unit_main (&argc, &argv);
  {
    GDir *gd = g_dir_open (dir, 0, NULL);
    const char *n;
    while ((n = g_dir_read_name (gd)) != NULL) {
      char *p = g_build_filename (dir, n, NULL);
      g_remove (p);
      g_free (p);
    }
    g_dir_close (gd);
    g_rmdir (dir);
  }
  g_free (dir);
  return rc;
}

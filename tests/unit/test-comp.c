/* Unit tests of timeline evaluation and composition drawing through the
 * real rasteriser and font: tween values, visibility, stacking,
 * changes_between, determinism and pixel probes. */
#include <math.h>
#include <string.h>
#include <glib.h>

#include "hfcomp.h"
#include "hffont.h"
#include "hfcomp-private.h"
#include "hfdraw-testing.h"

#include "comp-helpers.h"
#include "hfunit.h"

typedef struct
{
  guint8 *pixels;
  HfCanvas canvas;
  HfRenderer *r;
} Frame;

static void
frame_init (Frame * f, int w, int h, HfCanvasFormat fmt)
{
  f->pixels = g_malloc0 ((gsize) w * h * 4);
  hf_canvas_init (&f->canvas, f->pixels, w, h, w * 4, fmt);
  f->r = hf_renderer_new ();
}

static void
frame_clear (Frame * f)
{
  hf_renderer_free (f->r);
  g_free (f->pixels);
}

static HfRgba
px (Frame * f, int x, int y)
{
  return hf_canvas_get_pixel (&f->canvas, x, y);
}

#define ASSERT_RGBA(c, R, G, B, A) G_STMT_START { \
    HfRgba c_ = (c); \
    if (c_.r != (R) || c_.g != (G) || c_.b != (B) || c_.a != (A)) \
      g_error ("%s:%d: pixel %d,%d,%d,%d != %d,%d,%d,%d", __FILE__, __LINE__,\
          c_.r, c_.g, c_.b, c_.a, (R), (G), (B), (A)); \
  } G_STMT_END

/* Value of one slot of the first top-level element at t. */
static double
value_at (const HfComposition * comp, guint child, int slot, double t)
{
  double v[HF_N_SLOTS];

  hf_element_eval (comp->root->children[child], t, v);
  return v[slot];
}

#define CLOSE(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-9)

HF_TEST ("/comp/tween-values", test_tween_values)
{
  HfComposition *comp = parse_ok ("<composition duration='20'>"
      " <rect x='5' data-start='1'>"
      "  <tween attr='x' to='105' start='1' duration='2' ease='none'/>"
      "  <tween attr='x' to='5' start='4' duration='1' ease='power1.in'/>"
      " </rect>"
      " <rect y='0' data-start='0'>"
      "  <tween attr='y' from='0' to='10' start='1' duration='1'"
      "    ease='none' repeat='2' yoyo='true'/>"
      "  <tween attr='width' from='50' to='60' start='2' duration='1'"
      "    ease='none' repeat='1'/>"
      "  <tween attr='fill' from='#000000' to='#ff800040' start='0'"
      "    duration='1' ease='none'/>"
      "  <tween attr='height' from='0' to='10' start='0' duration='1'"
      "    ease='none' repeat='-1' yoyo='true'/>" " </rect>" "</composition>");

  /* Times are relative to the element's data-start (1 s). Before the
   * first tween the base holds; a tween without from starts where the
   * previous one ended. */
  CLOSE (value_at (comp, 0, HF_SLOT_X, 0.5), 5.0);
  CLOSE (value_at (comp, 0, HF_SLOT_X, 2.0), 5.0);
  CLOSE (value_at (comp, 0, HF_SLOT_X, 3.0), 55.0);
  CLOSE (value_at (comp, 0, HF_SLOT_X, 4.0), 105.0);
  CLOSE (value_at (comp, 0, HF_SLOT_X, 4.9), 105.0);
  /* Second tween: 105 -> 5 with power1.in (p^2). */
  CLOSE (value_at (comp, 0, HF_SLOT_X, 5.5), 105.0 - 100.0 * 0.25);
  CLOSE (value_at (comp, 0, HF_SLOT_X, 6.0), 5.0);
  CLOSE (value_at (comp, 0, HF_SLOT_X, 19.0), 5.0);

  /* repeat 2 with yoyo: 0->10, 10->0, 0->10 over [1, 4]. */
  CLOSE (value_at (comp, 1, HF_SLOT_Y, 0.5), 0.0);
  CLOSE (value_at (comp, 1, HF_SLOT_Y, 1.25), 2.5);
  CLOSE (value_at (comp, 1, HF_SLOT_Y, 2.25), 7.5);
  CLOSE (value_at (comp, 1, HF_SLOT_Y, 3.5), 5.0);
  CLOSE (value_at (comp, 1, HF_SLOT_Y, 3.75), 7.5);
  CLOSE (value_at (comp, 1, HF_SLOT_Y, 4.0), 10.0);
  CLOSE (value_at (comp, 1, HF_SLOT_Y, 10.0), 10.0);
  /* repeat 1 without yoyo restarts from `from`; before start: from. */
  CLOSE (value_at (comp, 1, HF_SLOT_WIDTH, 1.0), 50.0);
  CLOSE (value_at (comp, 1, HF_SLOT_WIDTH, 2.5), 55.0);
  CLOSE (value_at (comp, 1, HF_SLOT_WIDTH, 3.5), 55.0);
  CLOSE (value_at (comp, 1, HF_SLOT_WIDTH, 5.0), 60.0);
  /* Colours interpolate per channel. */
  CLOSE (value_at (comp, 1, HF_SLOT_FILL + 0, 0.5), 127.5);
  CLOSE (value_at (comp, 1, HF_SLOT_FILL + 1, 0.5), 64.0);
  CLOSE (value_at (comp, 1, HF_SLOT_FILL + 3, 0.5), 255.0 - 191.0 / 2.0);
  /* repeat -1 runs until the element ends. */
  CLOSE (value_at (comp, 1, HF_SLOT_HEIGHT, 11.25), 7.5);
  CLOSE (value_at (comp, 1, HF_SLOT_HEIGHT, 12.25), 2.5);
  hf_composition_free (comp);
}

HF_TEST ("/comp/visibility", test_visibility)
{
  HfComposition *comp = parse_ok ("<composition width='20' height='10'"
      " duration='10'>"
      " <group data-start='2' data-duration='5'>"
      "  <rect width='10' height='10' fill='red' data-start='1'"
      "    data-duration='2'/>"
      "  <rect x='10' width='10' height='10' fill='blue' data-start='4'/>"
      " </group>" "</composition>");
  Frame f;
  static const struct
  {
    double t;
    gboolean left, right;
  } cases[] = {
    {0.0, FALSE, FALSE}, {2.5, FALSE, FALSE}, {3.0, TRUE, FALSE},
    {4.99, TRUE, FALSE}, {5.0, FALSE, FALSE}, {6.0, FALSE, TRUE},
    {6.99, FALSE, TRUE}, {7.0, FALSE, FALSE}, {9.5, FALSE, FALSE},
  };
  guint i;

  frame_init (&f, 20, 10, HF_CANVAS_RGBA);
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    hf_composition_render (comp, f.r, &f.canvas, cases[i].t);
    g_assert_cmpint (px (&f, 5, 5).r, ==, cases[i].left ? 255 : 0);
    g_assert_cmpint (px (&f, 15, 5).b, ==, cases[i].right ? 255 : 0);
  }
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST ("/comp/track-order", test_track_order)
{
  /* Overlapping squares: the higher track wins whatever the document
   * order; equal tracks keep document order. */
  HfComposition *comp = parse_ok ("<composition width='30' height='10'>"
      " <rect width='10' height='10' fill='red' data-track-index='2'/>"
      " <rect width='10' height='10' fill='blue' data-track-index='1'/>"
      " <rect x='10' width='10' height='10' fill='red'/>"
      " <rect x='10' width='10' height='10' fill='lime'/>"
      " <rect x='20' width='10' height='10' fill='lime' data-track-index='5'/>"
      " <rect x='20' width='10' height='10' fill='blue'"
      "   data-track-index='-3'/>" "</composition>");
  Frame f;

  frame_init (&f, 30, 10, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 1.0);
  ASSERT_RGBA (px (&f, 5, 5), 255, 0, 0, 255);
  ASSERT_RGBA (px (&f, 15, 5), 0, 255, 0, 255);
  ASSERT_RGBA (px (&f, 25, 5), 0, 255, 0, 255);
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST ("/comp/changes-between", test_changes_between)
{
  HfComposition *comp = parse_ok ("<composition duration='20' fps='30'>"
      " <rect width='5' height='5' data-start='2' data-duration='3'/>"
      " <rect width='5' height='5' data-start='6'>"
      "  <tween attr='x' to='10' start='2' duration='1'/>"
      " </rect>"
      " <text text='{timecode}' data-start='12' data-duration='2'/>"
      " <text text='static' data-start='15' data-duration='2'/>"
      " <group data-start='17' data-duration='1'>"
      "  <rect><tween attr='opacity' from='0' to='1' duration='0.5'"
      "    start='5'/></rect>" " </group>" "</composition>");

  /* Static stretches. */
  g_assert_false (hf_composition_changes_between (comp, 0.0, 1.9));
  g_assert_false (hf_composition_changes_between (comp, 2.0, 4.9));
  g_assert_false (hf_composition_changes_between (comp, 6.0, 7.9));
  g_assert_false (hf_composition_changes_between (comp, 9.0, 11.9));
  g_assert_false (hf_composition_changes_between (comp, 15.1, 16.9));
  /* A tween whose window lies after its element's end never shows. */
  g_assert_false (hf_composition_changes_between (comp, 17.1, 17.9));
  /* Clip start and end. */
  g_assert_true (hf_composition_changes_between (comp, 1.9, 2.0));
  g_assert_true (hf_composition_changes_between (comp, 4.9, 5.0));
  g_assert_false (hf_composition_changes_between (comp, 5.0, 5.9));
  /* Tween start, inside and end. */
  g_assert_true (hf_composition_changes_between (comp, 7.9, 8.0));
  g_assert_true (hf_composition_changes_between (comp, 8.2, 8.3));
  g_assert_true (hf_composition_changes_between (comp, 8.9, 9.0));
  g_assert_false (hf_composition_changes_between (comp, 9.0, 9.1));
  /* Time placeholder text changes every frame while visible. */
  g_assert_true (hf_composition_changes_between (comp, 12.5, 12.5 + 1.0 / 30));
  g_assert_true (hf_composition_changes_between (comp, 13.5, 13.6));
  g_assert_false (hf_composition_changes_between (comp, 14.0, 14.9));
  /* Argument order does not matter. */
  g_assert_true (hf_composition_changes_between (comp, 2.0, 1.9));
  hf_composition_free (comp);

  /* Nothing timed at all (no events, no spans: found by fuzzing). */
  comp = parse_ok ("<composition/>");
  g_assert_false (hf_composition_changes_between (comp, 0.0, 5.0));
  hf_composition_free (comp);
}

/* Draw-on: a tween on trim-end reveals a curved stroke along its length;
 * the timeline knows the frames change meanwhile and not afterwards. */
HF_TEST ("/comp/trim-draw-on", test_trim_draw_on)
{
  HfComposition *comp = parse_ok ("<composition width='200' height='60'"
      " duration='2' background='black'>"
      " <path d='M10 30 C60 -10 140 70 190 30' fill='none' stroke='white'"
      "   stroke-width='8' stroke-linecap='butt' trim-end='0'>"
      "  <tween attr='trim-end' to='1' start='0' duration='1'/>"
      " </path></composition>");
  Frame f;

  frame_init (&f, 200, 60, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  ASSERT_RGBA (px (&f, 12, 29), 0, 0, 0, 255);
  /* Half way: the start is drawn, the end is not. */
  hf_composition_render (comp, f.r, &f.canvas, 0.5);
  ASSERT_RGBA (px (&f, 12, 29), 255, 255, 255, 255);
  ASSERT_RGBA (px (&f, 188, 31), 0, 0, 0, 255);
  hf_composition_render (comp, f.r, &f.canvas, 1.0);
  ASSERT_RGBA (px (&f, 188, 31), 255, 255, 255, 255);
  g_assert_true (hf_composition_changes_between (comp, 0.4, 0.5));
  g_assert_false (hf_composition_changes_between (comp, 1.2, 1.5));
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST ("/comp/shapes", test_shapes)
{
  HfComposition *comp = parse_ok ("<composition width='200' height='100'>"
      " <rect x='10.5' y='10' width='20' height='20' fill='white'/>"
      " <ellipse cx='60' cy='20' rx='10' ry='10' fill='red'/>"
      " <polygon points='90,10 110,10 100,30' fill='lime'/>"
      " <path d='M130 10 h20 v20 h-20 z M135 15 v10 h10 v-10 z'"
      "   fill='blue'/>"
      " <rect x='10' y='60' width='30' height='30' fill='none'"
      "   stroke='yellow' stroke-width='4'/>"
      " <rect x='60' y='60' width='20' height='20' rotate='45' fill='white'/>"
      "</composition>");
  Frame f;
  HfRgba c;

  frame_init (&f, 200, 100, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  /* rect: inside, outside, the half-covered column at x = 10. */
  ASSERT_RGBA (px (&f, 20, 20), 255, 255, 255, 255);
  ASSERT_RGBA (px (&f, 20, 35), 0, 0, 0, 255);
  c = px (&f, 10, 20);
  g_assert_cmpint (abs (c.r - 128), <=, 3);
  ASSERT_RGBA (px (&f, 29, 20), 255, 255, 255, 255);
  ASSERT_RGBA (px (&f, 31, 20), 0, 0, 0, 255);
  /* ellipse: centre, outside the circle near its box corner, edge. */
  ASSERT_RGBA (px (&f, 60, 20), 255, 0, 0, 255);
  ASSERT_RGBA (px (&f, 51, 11), 0, 0, 0, 255);
  c = px (&f, 69, 16);
  g_assert_cmpint (c.r, >, 20);
  g_assert_cmpint (c.r, <, 235);
  /* polygon: inside the triangle, outside beside its tip. */
  ASSERT_RGBA (px (&f, 100, 15), 0, 255, 0, 255);
  ASSERT_RGBA (px (&f, 92, 27), 0, 0, 0, 255);
  c = px (&f, 95, 20);          /* on the slanted edge */
  g_assert_cmpint (c.g, >, 20);
  g_assert_cmpint (c.g, <, 235);
  /* path: the inner contour winds the other way, so non-zero leaves a
   * hole. */
  ASSERT_RGBA (px (&f, 132, 20), 0, 0, 255, 255);
  ASSERT_RGBA (px (&f, 140, 20), 0, 0, 0, 255);
  ASSERT_RGBA (px (&f, 160, 20), 0, 0, 0, 255);
  /* stroke only: the border is yellow, the inside stays background. */
  ASSERT_RGBA (px (&f, 10, 75), 255, 255, 0, 255);
  ASSERT_RGBA (px (&f, 25, 75), 0, 0, 0, 255);
  /* rotated square: its centre is filled, its corners turned away. */
  ASSERT_RGBA (px (&f, 70, 70), 255, 255, 255, 255);
  ASSERT_RGBA (px (&f, 61, 61), 0, 0, 0, 255);
  ASSERT_RGBA (px (&f, 70, 58), 255, 255, 255, 255);
  frame_clear (&f);
  hf_composition_free (comp);
}

/* A path's stroke closes only contours ended with Z; fill closes all. */
HF_TEST ("/comp/path-stroke", test_path_stroke)
{
  HfComposition *comp = parse_ok ("<composition width='200' height='100'>"
      " <path d='M10 10 L90 10 L90 90' fill='none' stroke='white'"
      "   stroke-width='4'/>"
      " <path d='M110 10 L190 10 L190 90 Z' fill='none' stroke='white'"
      "   stroke-width='4'/>" "</composition>");
  Frame f;

  frame_init (&f, 200, 100, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  ASSERT_RGBA (px (&f, 50, 10), 255, 255, 255, 255);
  ASSERT_RGBA (px (&f, 90, 50), 255, 255, 255, 255);
  /* The diagonal closing edge exists only on the closed path. */
  ASSERT_RGBA (px (&f, 50, 50), 0, 0, 0, 255);
  ASSERT_RGBA (px (&f, 150, 50), 255, 255, 255, 255);
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST ("/comp/gradients", test_gradients)
{
  HfComposition *comp = parse_ok ("<composition width='100' height='40'>"
      " <defs><linearGradient id='g' x1='0' y1='0' x2='100' y2='0'>"
      "  <stop offset='0' color='red'/><stop offset='1' color='blue'/>"
      " </linearGradient>"
      " <radialGradient id='r' cx='0' cy='0' r='10'>"
      "  <stop offset='0' color='white'/><stop offset='1' color='black'/>"
      " </radialGradient></defs>"
      " <rect width='100' height='20' fill='url(#g)'/>"
      /* Gradient coordinates are local: they move with the shape. */
      " <rect x='-10' y='-10' width='20' height='20' translate-x='50'"
      "   translate-y='30' fill='url(#r)'/>" "</composition>");
  Frame f;
  HfRgba c;

  frame_init (&f, 100, 40, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  c = px (&f, 0, 10);
  g_assert_cmpint (c.r, >=, 250);
  g_assert_cmpint (c.b, <=, 5);
  c = px (&f, 99, 10);
  g_assert_cmpint (c.b, >=, 250);
  g_assert_cmpint (c.r, <=, 5);
  c = px (&f, 50, 10);
  g_assert_cmpint (abs (c.r - 127), <=, 4);
  g_assert_cmpint (abs (c.b - 127), <=, 4);
  /* Radial: bright at the moved centre, dark at the rim. */
  c = px (&f, 50, 30);
  g_assert_cmpint (c.r, >=, 200);
  c = px (&f, 40, 30);
  g_assert_cmpint (c.r, <=, 40);
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST ("/comp/background-alpha", test_background_alpha)
{
  HfComposition *opaque = parse_ok ("<composition width='8' height='8'"
      " background='#336699'><rect width='4' height='4' fill='#ff000080'/>"
      "</composition>");
  HfComposition *clear = parse_ok ("<composition width='8' height='8'"
      " background='transparent'><rect width='4' height='4' fill='red'/>"
      "</composition>");
  Frame f;
  int x, y;

  frame_init (&f, 8, 8, HF_CANVAS_RGBA);
  hf_composition_render (opaque, f.r, &f.canvas, 0.0);
  for (y = 0; y < 8; y++)
    for (x = 0; x < 8; x++)
      g_assert_cmpint (px (&f, x, y).a, ==, 255);
  ASSERT_RGBA (px (&f, 6, 6), 0x33, 0x66, 0x99, 255);

  hf_composition_render (clear, f.r, &f.canvas, 0.0);
  ASSERT_RGBA (px (&f, 1, 1), 255, 0, 0, 255);
  g_assert_cmpint (px (&f, 6, 6).a, ==, 0);
  g_assert_cmpint (px (&f, 1, 6).a, ==, 0);
  frame_clear (&f);
  hf_composition_free (opaque);
  hf_composition_free (clear);
}

static gboolean
box_has_ink (Frame * f, int x0, int y0, int x1, int y1)
{
  int x, y;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++)
      if (px (f, x, y).r > 128)
        return TRUE;
  return FALSE;
}

HF_TEST ("/comp/text", test_text)
{
  HfComposition *comp = parse_ok ("<composition width='300' height='100'"
      " fps='10'>"
      " <text x='20' y='60' size='40' text='HELLO'/>"
      " <text x='280' y='95' size='20' align='right'>{frame}</text>"
      "</composition>");
  Frame f;
  guint8 *copy;
  gsize size = 300 * 100 * 4;

  frame_init (&f, 300, 100, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  /* Ink between the baseline and the cap height, right of x. */
  g_assert_true (box_has_ink (&f, 20, 30, 120, 60));
  g_assert_false (box_has_ink (&f, 0, 0, 300, 25));
  g_assert_false (box_has_ink (&f, 0, 0, 18, 70));
  /* Right-aligned text ends at x = 280. */
  g_assert_true (box_has_ink (&f, 260, 78, 281, 96));
  g_assert_false (box_has_ink (&f, 283, 70, 300, 100));
  /* {frame} draws a different number on the next frame. */
  copy = g_memdup2 (f.pixels, size);
  hf_composition_render (comp, f.r, &f.canvas, 0.1);
  g_assert_true (memcmp (copy, f.pixels, size) != 0);
  g_assert_true (hf_composition_changes_between (comp, 0.0, 0.1));
  g_free (copy);
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST ("/comp/transforms-opacity", test_transforms_and_opacity)
{
  HfComposition *comp = parse_ok ("<composition width='100' height='100'>"
      " <group x='50' y='0' scale='2' origin-x='0' origin-y='0'"
      "   opacity='0.5'>"
      "  <rect width='10' height='10' fill='white' opacity='0.5'/>"
      " </group>"
      " <rect x='0' y='50' width='10' height='10' fill='white' scale-x='3'"
      "   origin-x='0'/>" "</composition>");
  Frame f;
  HfRgba c;

  frame_init (&f, 100, 100, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  /* Scaled 2x from (50, 0): covers x 50..70, y 0..20, at 25% opacity. */
  c = px (&f, 68, 18);
  g_assert_cmpint (abs (c.r - 64), <=, 2);
  ASSERT_RGBA (px (&f, 71, 10), 0, 0, 0, 255);
  /* scale-x around origin-x 0: x 0..30. */
  ASSERT_RGBA (px (&f, 28, 55), 255, 255, 255, 255);
  ASSERT_RGBA (px (&f, 31, 55), 0, 0, 0, 255);
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST ("/comp/scaling", test_scaling)
{
  HfComposition *comp = parse_ok ("<composition width='100' height='50'>"
      " <rect width='50' height='25' fill='white'/></composition>");
  Frame f;

  frame_init (&f, 200, 200, HF_CANVAS_BGRA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  ASSERT_RGBA (px (&f, 99, 99), 255, 255, 255, 255);
  ASSERT_RGBA (px (&f, 101, 50), 0, 0, 0, 255);
  ASSERT_RGBA (px (&f, 50, 101), 0, 0, 0, 255);
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST ("/comp/determinism", test_determinism)
{
  HfComposition *comp = hf_composition_new_demo ();
  static const double times[] = { 3.2, 0.0, 7.1, 3.2, 9.9, 1.0 };
  Frame a, b;
  guint8 *ref;
  gsize size = 320 * 180 * 4;
  guint i;

  frame_init (&a, 320, 180, HF_CANVAS_RGBA);
  frame_init (&b, 320, 180, HF_CANVAS_RGBA);
  hf_composition_render (comp, a.r, &a.canvas, 3.2);
  ref = g_memdup2 (a.pixels, size);
  /* The same t through a used renderer and a fresh one, in any order. */
  for (i = 0; i < G_N_ELEMENTS (times); i++) {
    hf_composition_render (comp, b.r, &b.canvas, times[i]);
    hf_composition_render (comp, a.r, &a.canvas, times[i]);
    g_assert_true (memcmp (a.pixels, b.pixels, size) == 0);
  }
  hf_composition_render (comp, b.r, &b.canvas, 3.2);
  g_assert_true (memcmp (ref, b.pixels, size) == 0);
  g_free (ref);
  frame_clear (&a);
  frame_clear (&b);
  hf_composition_free (comp);
}

typedef struct
{
  const HfComposition *comp;
  guint8 pixels[160 * 90 * 4];
} ThreadJob;

static gpointer
render_job (gpointer data)
{
  ThreadJob *job = data;
  HfRenderer *r = hf_renderer_new ();
  HfCanvas canvas;
  int i;

  hf_canvas_init (&canvas, job->pixels, 160, 90, 160 * 4, HF_CANVAS_RGBA);
  for (i = 0; i < 20; i++)
    hf_composition_render (job->comp, r, &canvas, i * 0.37);
  hf_composition_render (job->comp, r, &canvas, 4.2);
  hf_renderer_free (r);
  return NULL;
}

/* One shared, read-only composition drawn by two threads at once, each
 * with its own renderer: both get the same pixels. */
HF_TEST ("/comp/threads", test_threads)
{
  HfComposition *comp = hf_composition_new_demo ();
  ThreadJob *jobs = g_new0 (ThreadJob, 2);
  GThread *a, *b;

  jobs[0].comp = jobs[1].comp = comp;
  a = g_thread_new ("render-a", render_job, &jobs[0]);
  b = g_thread_new ("render-b", render_job, &jobs[1]);
  g_thread_join (a);
  g_thread_join (b);
  g_assert_true (memcmp (jobs[0].pixels, jobs[1].pixels,
          sizeof (jobs[0].pixels)) == 0);
  g_free (jobs);
  hf_composition_free (comp);
}

HF_TEST ("/comp/demo", test_demo)
{
  HfComposition *comp = hf_composition_new_demo ();
  HfCompInfo info;
  Frame f;
  double t;
  int x, y, n_static = 0, n_frames = 0;

  hf_composition_get_info (comp, &info);
  g_assert_cmpint (info.width, ==, 1920);
  g_assert_cmpint (info.height, ==, 1080);
  g_assert_cmpint (info.fps_n, ==, 30);
  g_assert_cmpint (info.fps_d, ==, 1);
  g_assert_cmpfloat (info.duration, >=, 5.0);
  g_assert_true (info.opaque);

  frame_init (&f, 480, 270, HF_CANVAS_RGBX);
  for (t = 0.5; t < info.duration; t += 1.5) {
    HfRgba first;
    gboolean varied = FALSE;
    hf_composition_render (comp, f.r, &f.canvas, t);
    first = px (&f, 0, 0);
    for (y = 0; y < 270; y += 7)
      for (x = 0; x < 480; x += 7) {
        HfRgba c = px (&f, x, y);
        g_assert_cmpint (c.a, ==, 255);
        varied |= c.r != first.r || c.g != first.g || c.b != first.b;
      }
    g_assert_true (varied);
  }
  /* The running timecode makes every frame differ. */
  for (t = 0; t < info.duration; t += 1.0 / 30) {
    n_frames++;
    if (!hf_composition_changes_between (comp, t, t + 1.0 / 30))
      n_static++;
  }
  g_assert_cmpint (n_static, ==, 0);
  frame_clear (&f);
  hf_composition_free (comp);
}

/* A small circle scaled up x20 is flattened in canvas space, so it stays
 * round: probes just inside and just outside the true radius at many
 * angles. Flattened in local space (0.1 units = 2 px here, worse at chord
 * middles) the inner probes fall outside the polygon. */
HF_TEST ("/comp/scaled-curves", test_scaled_curves)
{
  HfComposition *comp = parse_ok ("<composition width='400' height='400'>"
      " <ellipse cx='200' cy='200' rx='8' ry='8' scale='20' fill='white'/>"
      "</composition>");
  Frame f;
  int k;

  frame_init (&f, 400, 400, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  for (k = 0; k < 720; k++) {
    double a = k * G_PI / 360.0;
    int xi = (int) floor (200.0 + 158.6 * cos (a));
    int yi = (int) floor (200.0 + 158.6 * sin (a));
    int xo = (int) floor (200.0 + 161.4 * cos (a));
    int yo = (int) floor (200.0 + 161.4 * sin (a));
    /* The pixels holding those points lie wholly within 0.71 px. */
    g_assert_cmpint (px (&f, xi, yi).r, >=, 250);
    g_assert_cmpint (px (&f, xo, yo).r, <=, 5);
  }
  frame_clear (&f);
  hf_composition_free (comp);
}

/* The background is filled at most once per frame, and not at all when
 * an opaque rect under everything covers the canvas; the pixels are the
 * same as with the fill. */
HF_TEST ("/comp/background-fill", test_background_fill)
{
  static const char *covered[] = {
    /* solid, exactly the canvas */
    "<composition width='64' height='32' background='red'>"
        " <rect width='64' height='32' fill='#204060'/>"
        " <ellipse cx='32' cy='16' rx='9' ry='9' fill='#ffffff80'/>"
        "</composition>",
    /* opaque gradient, larger than the canvas, under a later element */
    "<composition width='64' height='32' background='red'>"
        " <defs><linearGradient id='g' x1='0' y1='0' x2='0' y2='32'>"
        "  <stop offset='0' color='#102030'/>"
        "  <stop offset='1' color='#a0b0c0'/></linearGradient></defs>"
        " <rect x='-5' y='-5' width='80' height='50' fill='url(#g)'/>"
        " <rect x='4' y='4' width='9' height='9' fill='#00ff0080'"
        "   data-track-index='2'/>" "</composition>",
  };
  static const char *not_covered[] = {
    /* translucent colour */
    "<composition width='64' height='32' background='red'>"
        " <rect width='64' height='32' fill='#20406080'/></composition>",
    /* one pixel short */
    "<composition width='64' height='32' background='red'>"
        " <rect width='63' height='32' fill='#204060'/></composition>",
    /* rotated */
    "<composition width='64' height='32' background='red'>"
        " <rect width='64' height='32' rotate='3' fill='#204060'/>"
        "</composition>",
    /* rounded corners */
    "<composition width='64' height='32' background='red'>"
        " <rect width='64' height='32' radius='4' fill='#204060'/>"
        "</composition>",
    /* group opacity below 1 */
    "<composition width='64' height='32' background='red'>"
        " <group opacity='0.5'><rect width='64' height='32'"
        "   fill='#204060'/></group></composition>",
    /* only later in time */
    "<composition width='64' height='32' background='red'>"
        " <rect width='64' height='32' fill='#204060' data-start='1'/>"
        "</composition>",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (covered) + G_N_ELEMENTS (not_covered); i++) {
    gboolean cov = i < G_N_ELEMENTS (covered);
    HfComposition *comp = parse_ok (cov ? covered[i]
        : not_covered[i - G_N_ELEMENTS (covered)]);
    Frame a, b;

    /* a starts zeroed, b full of garbage: a skipped fill must not let
     * either show. */
    frame_init (&a, 64, 32, HF_CANVAS_RGBA);
    frame_init (&b, 64, 32, HF_CANVAS_RGBA);
    memset (b.pixels, 0x5a, 64 * 32 * 4);
    hf_composition_render (comp, a.r, &a.canvas, 0.5);
    hf_composition_render (comp, b.r, &b.canvas, 0.5);
    g_assert_cmpuint (hf_renderer_get_clear_count (a.r), ==, cov ? 0 : 1);
    g_assert_cmpmem (a.pixels, 64 * 32 * 4, b.pixels, 64 * 32 * 4);
    if (!cov) {                 /* the red background shows somewhere */
      int x, y, max_r = 0;
      for (y = 0; y < 32; y++)
        for (x = 0; x < 64; x++)
          max_r = MAX (max_r, px (&a, x, y).r);
      g_assert_cmpint (max_r, >, 0x60);
    }
    frame_clear (&a);
    frame_clear (&b);
    hf_composition_free (comp);
  }
}

/* The demo title's underline spans the title's ink (it once fell short
 * when the font gained letter spacing). */
HF_TEST ("/comp/demo-underline", test_demo_underline)
{
  HfComposition *comp = hf_composition_new_demo ();
  const HfElement *title = NULL, *line = NULL;
  double v[HF_N_SLOTS], tv[HF_N_SLOTS], x0, y0, x1, y1;
  HfPath *p = hf_path_new ();
  guint i, j;

  for (i = 0; i < comp->root->n_children && !title; i++) {
    const HfElement *g = comp->root->children[i];
    for (j = 0; j + 1 < g->n_children; j++)
      if (g->children[j]->type == HF_EL_TEXT
          && g_strcmp0 (g->children[j]->text, "HFDRAW") == 0) {
        title = g->children[j];
        line = g->children[j + 1];
      }
  }
  g_assert_nonnull (title);
  g_assert_cmpint (line->type, ==, HF_EL_RECT);
  /* Late in the piece, after both have finished animating. */
  hf_element_eval (title, 6.0, tv);
  hf_element_eval (line, 6.0, v);
  hf_font_text_path (p, title->text, tv[HF_SLOT_X], tv[HF_SLOT_Y],
      tv[HF_SLOT_SIZE], title->align, tv[HF_SLOT_WEIGHT]);
  g_assert_true (hf_path_bounds (p, &x0, &y0, &x1, &y1));
  g_assert_cmpfloat (fabs (v[HF_SLOT_X] - x0), <=, 2.0);
  g_assert_cmpfloat (fabs (v[HF_SLOT_X] + v[HF_SLOT_WIDTH] - x1), <=, 2.0);
  hf_path_free (p);
  hf_composition_free (comp);
}

HF_TEST ("/comp/hostile-values", test_hostile_values)
{
  /* Extreme but valid values must draw without crashing or hanging. */
  HfComposition *comp = parse_ok ("<composition width='64' height='64'>"
      " <group scale='1000000'><group scale='1000000'><group"
      "   scale='1000000'><rect width='1' height='1'/></group></group>"
      " </group>"
      " <rect x='-1000000' y='-1000000' width='1000000' height='1000000'"
      "   scale='1000000' rotate='33'/>"
      " <rect width='10' height='10' scale='0'/>"
      " <rect width='10' height='10' scale-x='-1'/>"
      " <polygon points='0,0 1000000,1 -1000000,1000000' stroke='red'"
      "   stroke-width='1000000'/>"
      " <text size='1000000' text='W'/>"
      " <ellipse rx='0.0001' ry='1000000'><tween attr='rx' to='1000000'"
      "   ease='elastic.inOut(100, 0.01)' repeat='1000000' duration='1e-6'/>"
      " </ellipse>" "</composition>");
  Frame f;

  frame_init (&f, 64, 64, HF_CANVAS_RGBA);
  hf_composition_render (comp, f.r, &f.canvas, 0.0);
  hf_composition_render (comp, f.r, &f.canvas, 0.3);
  hf_composition_render (comp, f.r, &f.canvas, 1e6);
  frame_clear (&f);
  hf_composition_free (comp);
}

HF_TEST_MAIN ();

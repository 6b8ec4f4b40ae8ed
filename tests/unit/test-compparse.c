/* Unit tests of the composition parser: every element type, every error
 * kind with its real line and column, the size limits, and a
 * deterministic mutation loop that must never crash. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "hfcomp.h"
#include "hfcomp-private.h"
#include "hftype.h"

#include "comp-helpers.h"
#include "hfunit.h"

HF_TEST ("/compparse/all-elements", test_all_elements)
{
  const char *doc =
      "<?xml version='1.0'?>\n"
      "<!-- every element type -->\n"
      "<composition width='640' height='360' fps='25' duration='4'"
      " background='#10203040'>\n"
      " <defs>\n"
      "  <linearGradient id='g1' x1='0' y1='0' x2='100' y2='0'>\n"
      "   <stop offset='0' color='red'/><stop offset='50%' color='#0f0'/>\n"
      "   <stop offset='1' color='#0000ff80' opacity='0.5'/>\n"
      "  </linearGradient>\n"
      "  <radialGradient id='g2' cx='5' cy='5' r='20'>\n"
      "   <stop offset='0' stop-color='white'/>\n"
      "  </radialGradient>\n"
      " </defs>\n"
      " <rect x='1' y='2' width='30' height='40' radius='4' fill='url(#g1)'"
      "   stroke='url(#g2)' stroke-width='2' data-track-index='3'/>\n"
      " <ellipse cx='10' cy='10' rx='5' ry='6' fill='none' stroke='yellow'/>\n"
      " <polygon points='0,0 10,0 5,8' opacity='0.5' rotate='30'"
      "   transform-origin='5 4'/>\n"
      " <path d='M0 0 L10 0 l0 10 H0 v-5 Z m20 20 h5 v5 z'/>\n"
      " <text x='5' y='50' size='20' align='center' weight='bold'>"
      "  Hello\n   {timecode} </text>\n"
      " <group x='10' y='20' scale='2' scale-x='1.5' scale-y='0.5'"
      "   translate-x='3' translate-y='4' origin-x='1' origin-y='2'"
      "   data-start='1' data-duration='2'>\n"
      "  <rect width='5' height='5'>\n"
      "   <tween attr='fill' from='red' to='#00ff0080' start='0.5'"
      "     duration='1' ease='sine.inOut' repeat='2' yoyo='true'/>\n"
      "  </rect>\n"
      "  <text text='attr text'/>\n" " </group>\n" "</composition>\n";
  HfComposition *comp = parse_ok (doc);
  HfCompInfo info;
  HfElement *root = comp->root, *el;

  hf_composition_get_info (comp, &info);
  g_assert_cmpint (info.width, ==, 640);
  g_assert_cmpint (info.height, ==, 360);
  g_assert_cmpint (info.fps_n, ==, 25);
  g_assert_cmpint (info.fps_d, ==, 1);
  g_assert_cmpfloat (info.duration, ==, 4.0);
  g_assert_false (info.opaque);
  g_assert_cmpint (comp->background.r, ==, 0x10);
  g_assert_cmpint (comp->background.a, ==, 0x40);

  g_assert_cmpuint (comp->n_gradients, ==, 2);
  g_assert_cmpint (comp->gradients[0].n_stops, ==, 3);
  g_assert_cmpfloat (comp->gradients[0].stops[1].offset, ==, 0.5);
  g_assert_cmpint (comp->gradients[0].stops[2].color.a, ==, 64);
  g_assert_cmpint (comp->gradients[1].type, ==, HF_PAINT_RADIAL);

  g_assert_cmpuint (root->n_children, ==, 6);
  /* Sorted by track: the rect (track 3) comes last. */
  el = root->children[5];
  g_assert_cmpint (el->type, ==, HF_EL_RECT);
  g_assert_cmpint (el->fill_gradient, ==, 0);
  g_assert_cmpint (el->stroke_gradient, ==, 1);
  g_assert_cmpfloat (el->base[HF_SLOT_RADIUS], ==, 4.0);

  el = root->children[0];
  g_assert_cmpint (el->type, ==, HF_EL_ELLIPSE);
  g_assert_cmpfloat (el->base[HF_SLOT_FILL + 3], ==, 0.0);
  g_assert_cmpfloat (el->base[HF_SLOT_STROKE + 1], ==, 255.0);

  el = root->children[1];
  g_assert_cmpint (el->type, ==, HF_EL_POLYGON);
  g_assert_cmpuint (el->n_points, ==, 3);
  g_assert_true (el->origin_x_set && el->origin_y_set);
  g_assert_cmpfloat (el->base[HF_SLOT_ORIGIN_Y], ==, 4.0);

  el = root->children[2];
  g_assert_cmpint (el->type, ==, HF_EL_PATH);
  g_assert_cmpuint (el->n_contours, ==, 2);
  g_assert_cmpuint (el->contour_ends[0], ==, 5);
  g_assert_cmpuint (el->n_points, ==, 8);
  g_assert_true (el->contour_closed[0] && el->contour_closed[1]);
  /* h/v relative: (0,0) (10,0) (10,10) (0,10) (0,5); then m from the
   * closed contour's start: (20,20) (25,20) (25,25). */
  g_assert_cmpfloat (el->points[2 * 4 + 1], ==, 5.0);
  g_assert_cmpfloat (el->points[2 * 5], ==, 20.0);
  g_assert_cmpfloat (el->points[2 * 6 + 1], ==, 20.0);
  g_assert_cmpfloat (el->points[2 * 7 + 1], ==, 25.0);

  el = root->children[3];
  g_assert_cmpint (el->type, ==, HF_EL_TEXT);
  g_assert_cmpstr (el->text, ==, "Hello {timecode}");
  g_assert_true (el->text_dynamic);
  g_assert_cmpint (el->align, ==, HF_ALIGN_CENTER);
  g_assert_cmpfloat (el->base[HF_SLOT_WEIGHT], ==, 2.0);

  el = root->children[4];
  g_assert_cmpint (el->type, ==, HF_EL_GROUP);
  g_assert_cmpfloat (el->start, ==, 1.0);
  g_assert_cmpfloat (el->end, ==, 3.0);
  g_assert_cmpuint (el->n_children, ==, 2);
  g_assert_cmpuint (el->children[0]->n_tweens, ==, 1);
  g_assert_cmpfloat (el->children[0]->tweens[0].start, ==, 1.5);
  g_assert_cmpint (el->children[0]->tweens[0].n_slots, ==, 4);
  g_assert_cmpstr (el->children[1]->text, ==, "attr text");
  g_assert_false (el->children[1]->text_dynamic);
  hf_composition_free (comp);
}

/* The path element of a one-path composition. */
static HfComposition *
parse_path (const char *d, const HfElement ** el)
{
  char *doc = g_strdup_printf ("<composition><path d='%s'/></composition>",
      d);
  HfComposition *comp = parse_ok (doc);

  g_free (doc);
  *el = comp->root->children[0];
  return comp;
}

static void
assert_point (const HfElement * el, guint i, double x, double y, guint8 kind)
{
  g_assert_cmpfloat_with_epsilon (el->points[2 * i], x, 1e-9);
  g_assert_cmpfloat_with_epsilon (el->points[2 * i + 1], y, 1e-9);
  g_assert_cmpint (el->point_kinds[i], ==, kind);
}

/* SVG's path grammar: curves keep their control points (quadratics as
 * exact cubics), S and T reflect the previous control point, arcs become
 * cubics of at most 45 degrees ending exactly on the endpoint, a moveto's
 * further pairs are linetos, and flags need no separator. */
HF_TEST ("/compparse/path-grammar", test_path_grammar)
{
  const HfElement *el;
  HfComposition *comp;

  comp = parse_path ("M0 0 C0 10 10 10 10 0 S20 -10 20 0", &el);
  g_assert_cmpuint (el->n_points, ==, 7);
  assert_point (el, 1, 0, 10, HF_PT_CTRL);
  assert_point (el, 3, 10, 0, HF_PT_ON);
  assert_point (el, 4, 10, -10, HF_PT_CTRL);    /* reflected */
  assert_point (el, 6, 20, 0, HF_PT_ON);
  hf_composition_free (comp);

  /* Implicit repetition of C, and relative c from the current point. */
  comp = parse_path ("M1 1 c1 1 2 2 3 3 1 1 2 2 3 3", &el);
  g_assert_cmpuint (el->n_points, ==, 7);
  assert_point (el, 3, 4, 4, HF_PT_ON);
  assert_point (el, 6, 7, 7, HF_PT_ON);
  hf_composition_free (comp);

  comp = parse_path ("M0 0 Q3 3 6 0 T12 0", &el);
  g_assert_cmpuint (el->n_points, ==, 7);
  assert_point (el, 1, 2, 2, HF_PT_CTRL);
  assert_point (el, 2, 4, 2, HF_PT_CTRL);
  assert_point (el, 4, 8, -2, HF_PT_CTRL);      /* control (9,-3) */
  assert_point (el, 5, 10, -2, HF_PT_CTRL);
  assert_point (el, 6, 12, 0, HF_PT_ON);
  hf_composition_free (comp);

  /* A half circle of radius 5: four 45-degree cubics; after two of them
   * the top of the circle. Compact flags "01". */
  comp = parse_path ("M0 0 a5 5 0 01 10 0", &el);
  g_assert_cmpuint (el->n_points, ==, 13);
  assert_point (el, 6, 5, -5, HF_PT_ON);
  assert_point (el, 12, 10, 0, HF_PT_ON);
  hf_composition_free (comp);

  /* Further pairs after M are linetos; compact numbers. */
  comp = parse_path ("M0 0 10 0 10.5.5", &el);
  g_assert_cmpuint (el->n_points, ==, 3);
  assert_point (el, 2, 10.5, 0.5, HF_PT_ON);
  g_assert_false (el->contour_closed[0]);
  hf_composition_free (comp);
}

/* One <text> holds at most 65536 bytes, as content or attribute; the
 * error says so where the text is. */
HF_TEST ("/compparse/text-cap", test_text_cap)
{
  GString *big = g_string_new (NULL);
  char *doc;
  GError *err = NULL;
  HfComposition *comp;
  int i;

  for (i = 0; i < 65537; i++)
    g_string_append_c (big, 'W');
  doc = g_strdup_printf ("<composition>\n<text>%s</text></composition>",
      big->str);
  comp = hf_composition_new_from_data (doc, -1, NULL, &err);
  g_assert_null (comp);
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID);
  g_assert_true (strstr (err->message, "text longer than 65536 bytes"));
  g_assert_true (g_str_has_prefix (err->message, "composition:2:"));
  g_clear_error (&err);
  g_free (doc);
  doc = g_strdup_printf ("<composition><text text='%s'/></composition>",
      big->str);
  comp = hf_composition_new_from_data (doc, -1, NULL, &err);
  g_assert_null (comp);
  g_assert_true (strstr (err->message, "text longer than 65536 bytes"));
  g_clear_error (&err);
  g_free (doc);
  /* 65536 is fine. */
  g_string_truncate (big, 65536);
  doc = g_strdup_printf ("<composition><text>%s</text></composition>",
      big->str);
  comp = parse_ok (doc);
  hf_composition_free (comp);
  g_free (doc);
  g_string_free (big, TRUE);
}

HF_TEST ("/compparse/defaults-fps", test_defaults_and_fps)
{
  static const struct
  {
    const char *fps;
    int n, d;
  } rates[] = {
    {"30", 30, 1}, {"30000/1001", 30000, 1001}, {"29.97", 30000, 1001},
    {"23.976", 24000, 1001}, {"59.94", 60000, 1001}, {"12.5", 25, 2},
    {"60/1", 60, 1},
    /* The documented minimum, as a decimal and as a fraction (0.001 was
     * taken for an NTSC rate and became 0/1001). */
    {"0.001", 1, 1000}, {"1/1000", 1, 1000}, {"0.005", 1, 200},
    {"0.5", 1, 2}, {"1000", 1000, 1},
  };
  HfComposition *comp = parse_ok ("<composition/>");
  HfCompInfo info;
  guint i;

  hf_composition_get_info (comp, &info);
  g_assert_cmpint (info.width, ==, 1920);
  g_assert_cmpint (info.height, ==, 1080);
  g_assert_cmpint (info.fps_n, ==, 30);
  g_assert_cmpint (info.fps_d, ==, 1);
  g_assert_cmpfloat (info.duration, ==, 5.0);
  g_assert_true (info.opaque);
  hf_composition_free (comp);

  for (i = 0; i < G_N_ELEMENTS (rates); i++) {
    char *doc = g_strdup_printf ("<composition fps='%s'/>", rates[i].fps);
    comp = parse_ok (doc);
    hf_composition_get_info (comp, &info);
    g_assert_cmpint (info.fps_n, ==, rates[i].n);
    g_assert_cmpint (info.fps_d, ==, rates[i].d);
    hf_composition_free (comp);
    g_free (doc);
  }
  comp = parse_ok ("<composition background='transparent'/>");
  hf_composition_get_info (comp, &info);
  g_assert_false (info.opaque);
  hf_composition_free (comp);
}

/* Line and column (1-based, in characters) of needle in doc. */
static void
locate (const char *doc, const char *needle, int *line, int *col)
{
  const char *hit = strstr (doc, needle), *p;

  g_assert_nonnull (hit);
  *line = 1;
  *col = 1;
  for (p = doc; p < hit; p++) {
    if (*p == '\n') {
      (*line)++;
      *col = 1;
    } else if (((guchar) * p & 0xc0) != 0x80) {
      (*col)++;
    }
  }
}

typedef struct
{
  const char *doc;
  int code;
  const char *at;               /* where the error must point */
  const char *what;             /* part of the message */
} ErrorCase;

#define HEAD "<composition width='100' height='100' duration='2'>\n"
#define TAIL "\n</composition>"

static const ErrorCase error_cases[] = {
  {HEAD " <blob/>" TAIL, HF_COMP_ERROR_INVALID, "<blob", "unknown element"},
  {HEAD " <rect\n   x='1' foo='2'/>" TAIL, HF_COMP_ERROR_INVALID, "foo=",
      "unknown attribute 'foo'"},
  {HEAD " <rect cx='2'/>" TAIL, HF_COMP_ERROR_INVALID, "cx=",
      "no attribute 'cx'"},
  {HEAD " <rect>\n  <tween attr='x' to='1' ease='power9.out'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "ease=", "unknown ease"},
  {HEAD " <rect x='1x'/>" TAIL, HF_COMP_ERROR_INVALID, "x=", "malformed"},
  {HEAD " <rect x=''/>" TAIL, HF_COMP_ERROR_INVALID, "x=", "malformed"},
  {HEAD " <rect x='0x10'/>" TAIL, HF_COMP_ERROR_INVALID, "x=", "malformed"},
  {HEAD " <rect fill='#12'/>" TAIL, HF_COMP_ERROR_INVALID, "fill=",
      "malformed colour"},
  {HEAD " <rect fill='chartreuse'/>" TAIL, HF_COMP_ERROR_INVALID, "fill=",
      "malformed colour"},
  {HEAD " <rect data-duration='0'/>" TAIL, HF_COMP_ERROR_INVALID,
      "data-duration", "must be > 0"},
  {HEAD " <rect data-duration='-1'/>" TAIL, HF_COMP_ERROR_INVALID,
      "data-duration", "must be > 0"},
  {HEAD " <rect><tween attr='x' to='1' duration='0'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "duration='0'", "must be > 0"},
  {"<composition\n width='0'/>", HF_COMP_ERROR_INVALID, "width",
      "must be 1 to 16384"},
  {"<composition height='16385'/>", HF_COMP_ERROR_INVALID, "height",
      "must be 1 to 16384"},
  {"<composition fps='0'/>", HF_COMP_ERROR_INVALID, "fps", "fps must be"},
  {"<composition fps='-30'/>", HF_COMP_ERROR_INVALID, "fps", "fps must be"},
  {"<composition fps='30/0'/>", HF_COMP_ERROR_INVALID, "fps", "malformed"},
  {"<composition fps='0.0004'/>", HF_COMP_ERROR_INVALID, "fps",
      "fps must be 1/1000 (0.001) to 1000, got '0.0004'"},
  {"<composition fps='1/1001'/>", HF_COMP_ERROR_INVALID, "fps",
      "fps must be 1/1000"},
  {"<composition fps='1001'/>", HF_COMP_ERROR_INVALID, "fps",
      "fps must be 1/1000"},
  /* Beyond the limit of all numbers: still the attribute's own range. */
  {"<composition fps='2e6'/>", HF_COMP_ERROR_INVALID, "fps",
      "fps must be 1/1000 (0.001) to 1000, got '2e6'"},
  {"<composition width='2000000'/>", HF_COMP_ERROR_INVALID, "width",
      "width must be 1 to 16384, got '2000000'"},
  {"<composition height='1e400'/>", HF_COMP_ERROR_INVALID, "height",
      "height must be 1 to 16384, got '1e400'"},
  {"<composition duration='0'/>", HF_COMP_ERROR_INVALID, "duration",
      "must be > 0"},
  {HEAD " <rect>\n  <tween attr='cx' to='1'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "attr=", "no animatable attribute 'cx'"},
  {HEAD " <ellipse><tween attr='bogus' to='1'/></ellipse>" TAIL,
      HF_COMP_ERROR_INVALID, "attr=", "no animatable attribute"},
  {HEAD " <rect fill='url(#nope)'/>" TAIL, HF_COMP_ERROR_INVALID, "fill=",
      "unknown gradient id 'nope'"},
  {HEAD " <rect x='nan'/>" TAIL, HF_COMP_ERROR_INVALID, "x=", "malformed"},
  {HEAD " <rect x='inf'/>" TAIL, HF_COMP_ERROR_INVALID, "x=", "malformed"},
  {HEAD " <rect x='-Infinity'/>" TAIL, HF_COMP_ERROR_INVALID, "x=",
      "malformed"},
  /* A well-formed number beyond the limit is out of range, not
   * malformed, wherever it stands. */
  {HEAD " <rect x='1e999'/>" TAIL, HF_COMP_ERROR_INVALID, "x=",
      "x=\"1e999\" is out of range: numbers lie within ±1,000,000"},
  {HEAD " <rect width='1000001'/>" TAIL, HF_COMP_ERROR_INVALID,
        "width='1000001",
      "width=\"1000001\" is out of range"},
  {HEAD " <rect><tween attr='x' to='-2e6'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "to=", "to=\"-2e6\" is out of range"},
  {HEAD " <rect x='1e7x'/>" TAIL, HF_COMP_ERROR_INVALID, "x=",
      "malformed number '1e7x' for x"},
  {HEAD " <polygon points='0,0 5,1e7 9,9'/>" TAIL, HF_COMP_ERROR_INVALID,
      "points", "points: number out of range (numbers lie within"},
  {HEAD " <rect stroke-dasharray='5 2e6'/>" TAIL, HF_COMP_ERROR_INVALID,
      "stroke-dasharray", "number out of range (numbers lie within"},
  {HEAD " <rect><tween attr='x' to='1' start='NaN'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "start=", "malformed"},
  {HEAD " <rect><tween attr='x' to='1' duration='inf'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "duration='inf'", "malformed"},
  {HEAD " <rect><tween attr='x' to='nan'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "to=", "malformed"},
  {HEAD " <rect data-start='inf'/>" TAIL, HF_COMP_ERROR_INVALID,
      "data-start", "malformed"},
  {HEAD " <rect opacity='1.5'/>" TAIL, HF_COMP_ERROR_INVALID, "opacity",
      "out of range"},
  {HEAD " <polygon points='1,2 3'/>" TAIL, HF_COMP_ERROR_INVALID, "points",
      "even number"},
  {HEAD " <polygon/>" TAIL, HF_COMP_ERROR_INVALID, "<polygon",
      "needs a points"},
  /* Path data errors point at the character at fault. */
  {HEAD " <path d='M0 0 K5 5'/>" TAIL, HF_COMP_ERROR_INVALID, "K5",
      "unknown path command"},
  {HEAD " <path d='10 10'/>" TAIL, HF_COMP_ERROR_INVALID, "10 10'",
      "must start with M, at character 1 of d"},
  {HEAD " <path d='M0 0 L10 x5'/>" TAIL, HF_COMP_ERROR_INVALID, "x5'",
      "malformed or missing number"},
  {HEAD " <path d='M0 0 C1 1 2 2 3'/>" TAIL, HF_COMP_ERROR_INVALID, "'/>",
      "missing number in path data, at character 16 of d"},
  {HEAD " <path d='M0 0 a5 5 0 2 1 9 9'/>" TAIL, HF_COMP_ERROR_INVALID,
      "2 1 9", "arc flag must be 0 or 1"},
  {HEAD " <path d='M0 0 L1e9 0'/>" TAIL, HF_COMP_ERROR_INVALID, "1e9 0'",
      "number out of range in path data (numbers lie within ±1,000,000), "
        "at character 7 of d"},
  {HEAD " <path d='M0 0 Z 5'/>" TAIL, HF_COMP_ERROR_INVALID, "5'/>",
      "number after Z"},
  {HEAD " <rect fill-rule='odd'/>" TAIL, HF_COMP_ERROR_INVALID, "fill-rule",
      "fill-rule must be nonzero or evenodd"},
  /* Unknown names suggest the likely one. */
  {HEAD " <rect><tween attr='x' to='1' ease='easeOutCubic'/></rect>" TAIL,
        HF_COMP_ERROR_INVALID, "ease=",
      "unknown ease 'easeOutCubic'; did you mean 'power2.out'? Eases are"},
  {HEAD " <rect><tween attr='x' to='1' ease='bounse.in'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "ease=", "did you mean 'bounce.in'?"},
  {HEAD " <rect><tween attr='x' to='1' ease='wobble'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "ease=", "unknown ease 'wobble'. Eases are none"},
  {HEAD " <rect><tween attr='x' to='1' delay='2'/></rect>" TAIL,
        HF_COMP_ERROR_INVALID, "delay=",
      "unknown attribute 'delay' on <tween>; " "did you mean 'start'?"},
  {HEAD " <rect stroke-linejoin='sharp'/>" TAIL, HF_COMP_ERROR_INVALID,
      "stroke-linejoin", "must be miter, round or bevel"},
  {HEAD " <rect stroke-linecap='flat'/>" TAIL, HF_COMP_ERROR_INVALID,
      "stroke-linecap", "must be butt, round or square"},
  {HEAD " <rect stroke-miterlimit='0.5'/>" TAIL, HF_COMP_ERROR_INVALID,
      "stroke-miterlimit", "out of range"},
  {HEAD " <rect stroke-dasharray='5 -1'/>" TAIL, HF_COMP_ERROR_INVALID,
      "stroke-dasharray", "lengths must be >= 0"},
  {HEAD " <rect stroke-dasharray='5 x'/>" TAIL, HF_COMP_ERROR_INVALID,
      "stroke-dasharray", "malformed number"},
  {HEAD " <path d='M0 0 h9' trim-end='1.5'/>" TAIL, HF_COMP_ERROR_INVALID,
      "trim-end", "out of range"},
  {HEAD " <rect><tween attr='stroke-miterlimit' to='2'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "attr=", "no animatable attribute"},
  {HEAD " <rect x='1' x='2'/>" TAIL, HF_COMP_ERROR_INVALID, NULL,
      "given twice"},
  {HEAD " <rect>stray</rect>" TAIL, HF_COMP_ERROR_INVALID, NULL,
      "unexpected text"},
  {HEAD " <text align='middle'/>" TAIL, HF_COMP_ERROR_INVALID, "align",
      "align must be"},
  {HEAD " <rect><tween to='1'/></rect>" TAIL, HF_COMP_ERROR_INVALID,
      "<tween", "needs an attr"},
  {HEAD " <rect><tween attr='x' to='1' repeat='1.5'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "repeat", "integer"},
  {HEAD " <rect><tween attr='x' to='1' yoyo='maybe'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "yoyo", "yoyo"},
  {HEAD " <rect><rect/></rect>" TAIL, HF_COMP_ERROR_INVALID, "<rect/>",
      "not allowed inside <rect>"},
  {HEAD " <defs><linearGradient id='a'><stop offset='2'/></linearGradient>"
        "</defs>" TAIL, HF_COMP_ERROR_INVALID, "offset", "offset must be"},
  {HEAD " <defs><linearGradient id='a'/></defs>" TAIL,
      HF_COMP_ERROR_INVALID, NULL, "at least one <stop>"},
  {HEAD " <defs><radialGradient id='a' x1='0'><stop/></radialGradient>"
        "</defs>" TAIL, HF_COMP_ERROR_INVALID, "x1", "unknown attribute"},
  {HEAD " <defs><linearGradient><stop/></linearGradient></defs>" TAIL,
      HF_COMP_ERROR_INVALID, "<linearGradient", "needs an id"},
  {HEAD " <defs><linearGradient id='g'><stop/></linearGradient>"
        "<linearGradient id='g'><stop/></linearGradient></defs>\n"
        " <rect fill='url(#g)'><tween attr='fill' to='red'/></rect>" TAIL,
        HF_COMP_ERROR_INVALID, "id='g'><stop/></linearGradient></defs>",
      "already defined"},
  {HEAD " <defs><linearGradient id='g'><stop/></linearGradient></defs>\n"
        " <rect fill='url(#g)'><tween attr='fill' to='red'/></rect>" TAIL,
      HF_COMP_ERROR_INVALID, "attr='fill'", "gradient"},
  {"<rect/>", HF_COMP_ERROR_INVALID, "<rect", "one <composition>"},
  {HEAD " <composition/>" TAIL, HF_COMP_ERROR_INVALID, " <composition/>",
      "not allowed inside"},
  /* Not well-formed: GMarkup's own errors, with its position. */
  {HEAD " <rect>" TAIL, HF_COMP_ERROR_PARSE, NULL, NULL},

  {HEAD " <text>bad \xff\xfe bytes</text>" TAIL, HF_COMP_ERROR_PARSE, NULL,
      NULL},
  {HEAD " <text text='\xc3\x28'/>" TAIL, HF_COMP_ERROR_PARSE, NULL, NULL},
  {"", HF_COMP_ERROR_PARSE, NULL, NULL},
  {HEAD " <rect", HF_COMP_ERROR_PARSE, NULL, NULL},
};

HF_TEST ("/compparse/errors", test_errors)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (error_cases); i++) {
    const ErrorCase *c = &error_cases[i];
    GError *err = NULL;
    HfComposition *comp;
    char *prefix;
    int line, col;

    comp = hf_composition_new_from_data (c->doc, -1, NULL, &err);
    if (comp != NULL)
      g_error ("case %u parsed but should fail: %s", i, c->doc);
    g_assert_error (err, HF_COMP_ERROR, c->code);
    g_assert_true (g_str_has_prefix (err->message, "composition:"));
    if (c->at != NULL) {
      locate (c->doc, c->at, &line, &col);
      /* Attribute errors point at the attribute, tag errors at '<'. */
      if (c->at[0] == ' ')
        col++;
      prefix = g_strdup_printf ("composition:%d:%d: ", line, col);
      if (!g_str_has_prefix (err->message, prefix))
        g_error ("case %u: expected '%s...', got '%s'", i, prefix,
            err->message);
      g_free (prefix);
    } else {
      /* Still NAME:LINE:COL: with numbers. */
      int l = 0, k = 0;
      g_assert_cmpint (sscanf (err->message, "composition:%d:%d:", &l, &k),
          ==, 2);
      g_assert_cmpint (l, >=, 1);
    }
    if (c->what != NULL && strstr (err->message, c->what) == NULL)
      g_error ("case %u: '%s' lacks '%s'", i, err->message, c->what);
    g_clear_error (&err);
  }
}

/* An SVG or CSS element or attribute name gets the name to use instead,
 * where the element takes it; other unknown names get no guess. */
HF_TEST ("/compparse/attribute-hints", test_attribute_hints)
{
  static const struct
  {
    const char *element;
    const char *message;
  } cases[] = {
    {"<image href='a.png'/>",
        "unknown attribute 'href' on <image>; did you mean 'src'?"},
    {"<text font-size='9'>a</text>",
        "unknown attribute 'font-size' on <text>; did you mean 'size'?"},
    {"<rect rx='4'/>", "<rect> has no attribute 'rx'; did you mean 'radius'?"},
    {"<rect transform='rotate(9)'/>", "unknown attribute 'transform' on "
          "<rect>; a transform is written as the attributes translate-x, "
          "translate-y, scale and rotate"},
    {"<circle r='4'/>",
        "unknown element <circle>; did you mean <ellipse> with rx and ry?"},
    {"<g/>", "unknown element <g>; did you mean <group>?"},
    {"<blob/>", "unknown element <blob>"},
    /* <rect> takes no size, <ellipse> no radius: no guess. */
    {"<rect font-size='9'/>", "unknown attribute 'font-size' on <rect>"},
    {"<ellipse radius='4'/>", "<ellipse> has no attribute 'radius'"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    char *doc = g_strconcat (HEAD " ", cases[i].element, TAIL, NULL);
    GError *err = NULL;
    const char *msg;

    g_assert_null (hf_composition_new_from_data (doc, -1, NULL, &err));
    g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID);
    /* After "composition:LINE:COL: ". */
    msg = strstr (err->message, ": ");
    g_assert_nonnull (msg);
    g_assert_cmpstr (msg + 2, ==, cases[i].message);
    g_clear_error (&err);
    g_free (doc);
  }
}

/* Well-formed markup with no root element is refused, pointing at the end
 * of the input (a NULL root used to reach hf_composition_render). */
HF_TEST ("/compparse/no-root", test_no_root)
{
  static const struct
  {
    const char *doc;
    const char *message;
  } cases[] = {
    {"<!-- only a comment -->", "composition:1:24: no <composition> element"},
    {"<!-- a -->\n<!-- b -->\n", "composition:3:1: no <composition> element"},
    {"<?xml version='1.0'?>", "composition:1:22: no <composition> element"},
    {"  <!-- \xc3\xa9 -->  ", "composition:1:15: no <composition> element"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GError *err = NULL;
    HfComposition *comp;

    comp = hf_composition_new_from_data (cases[i].doc, -1, NULL, &err);
    g_assert_null (comp);
    g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID);
    g_assert_cmpstr (err->message, ==, cases[i].message);
    g_clear_error (&err);
  }
}

HF_TEST ("/compparse/files", test_source_name_and_files)
{
  GError *err = NULL;
  HfComposition *comp;
  char *dir = g_dir_make_tmp ("hfcomp-XXXXXX", NULL);
  char *path = g_build_filename (dir, "c.xml", NULL);
  char *missing = g_build_filename (dir, "missing.xml", NULL);
  char *prefix;

  comp = hf_composition_new_from_data ("<composition>\n<x/>\n</composition>",
      -1, "my.xml", &err);
  g_assert_null (comp);
  g_assert_true (g_str_has_prefix (err->message, "my.xml:2:1: "));
  g_clear_error (&err);

  comp = hf_composition_new_from_file (missing, &err);
  g_assert_null (comp);
  g_assert_error (err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (err->message, missing));
  g_clear_error (&err);

  g_assert_true (g_file_set_contents (path,
          "<composition width='64' height='48'>\n <rect x='q'/>\n"
          "</composition>", -1, NULL));
  comp = hf_composition_new_from_file (path, &err);
  g_assert_null (comp);
  prefix = g_strdup_printf ("%s:2:8: ", path);
  g_assert_true (g_str_has_prefix (err->message, prefix));
  g_free (prefix);
  g_clear_error (&err);

  g_assert_true (g_file_set_contents (path,
          "<composition width='64' height='48'/>", -1, NULL));
  comp = hf_composition_new_from_file (path, &err);
  g_assert_no_error (err);
  hf_composition_free (comp);

  g_unlink (path);
  g_rmdir (dir);
  g_free (missing);
  g_free (path);
  g_free (dir);
}

/* "<composition>" + n × open + n × close [+ "</composition>"], parsed. */
static HfComposition *
parse_repeated (const char *open, const char *close, int n, gboolean end,
    GError ** err)
{
  GString *doc = g_string_new ("<composition>");
  HfComposition *comp;
  int i;

  for (i = 0; i < n; i++)
    g_string_append (doc, open);
  for (i = 0; i < n; i++)
    g_string_append (doc, close);
  if (end)
    g_string_append (doc, "</composition>");
  comp = hf_composition_new_from_data (doc->str, doc->len, NULL, err);
  g_string_free (doc, TRUE);
  return comp;
}

HF_TEST ("/compparse/too-many-elements", test_too_many_elements)
{
  GError *err = NULL;
  HfComposition *comp;

  comp = parse_repeated ("<rect/>", "", 100000, TRUE, &err);
  g_assert_null (comp);
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_TOO_BIG);
  g_clear_error (&err);

  /* Exactly at the limit (the root counts too) is accepted. */
  comp = parse_repeated ("<rect/>", "", HF_COMP_MAX_ELEMENTS - 1, TRUE, &err);
  g_assert_no_error (err);
  g_assert_cmpuint (comp->root->n_children, ==, HF_COMP_MAX_ELEMENTS - 1);
  hf_composition_free (comp);
}

/* Many gradient references stay linear: a reference's error position is
 * worked out only when it is unknown (a scan per reference would make
 * this quadratic). */
HF_TEST ("/compparse/many-refs", test_many_refs)
{
  GString *doc = g_string_new ("<composition><defs><linearGradient id='g'>"
      "<stop/></linearGradient></defs>");
  GError *err = NULL;
  HfComposition *comp;
  int i;

  for (i = 0; i < HF_COMP_MAX_ELEMENTS - 10; i++)
    g_string_append (doc, "<rect fill='url(#g)' stroke='url(#g)'/>");
  g_string_append (doc, "\n<rect stroke='url(#h)'/></composition>");
  comp = hf_composition_new_from_data (doc->str, doc->len, NULL, &err);
  g_assert_null (comp);
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (err->message, "composition:2:7: "));
  g_clear_error (&err);
  g_string_free (doc, TRUE);
}

HF_TEST ("/compparse/too-deep", test_too_deep)
{
  GError *err = NULL;
  HfComposition *comp;

  comp = parse_repeated ("<group>", "</group>", 10000, TRUE, &err);
  g_assert_null (comp);
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_TOO_BIG);
  g_clear_error (&err);

  /* The deepest allowed nesting parses (and frees) fine. */
  comp = parse_repeated ("<group>", "</group>", HF_COMP_MAX_DEPTH - 1, TRUE,
      &err);
  g_assert_no_error (err);
  hf_composition_free (comp);

  /* One deeper is refused as soon as it opens, before the document ends. */
  comp = parse_repeated ("<group>", "", HF_COMP_MAX_DEPTH, FALSE, &err);
  g_assert_null (comp);
  g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_TOO_BIG);
  g_clear_error (&err);
}

/* Mutated and truncated documents: each parse either succeeds or fails
 * with an HF_COMP_ERROR "composition:L:C: ..." message, never crashes.
 * Successful parses are drawn small at a few times, NaN included. */
HF_TEST ("/compparse/mutations", test_mutations)
{
  static const char *tokens[] = {
    "<", ">", "/>", "'", "\"", "=", "<group>", "</group>", "<rect/>",
    "nan", "inf", "-1", "1e308", "url(#", "&amp;", "&#0;", "{timecode}",
    "\xff", "\xc3", "<tween attr='x' to='5' repeat='-1'/>", "<!--", "-->",
    "<![CDATA[", "]]>", "\0",
  };
  const char *seeds[] = {
    hf_composition_demo_markup (),
    "<composition width='32' height='24' fps='30000/1001' duration='2'>"
        "<defs><radialGradient id='r' cx='4' cy='4' r='9'><stop color='red'/>"
        "<stop offset='1' color='#0000'/></radialGradient></defs>"
        "<group scale='3' rotate='10'><path d='M0 0 l5 5 h3 z' fill='url(#r)'"
        " stroke='blue' stroke-width='2'><tween attr='stroke' to='red'"
        " yoyo='true' repeat='3' duration='0.2'/></path>"
        "<text size='9' text='{frame} {time}'/></group></composition>",
  };
  GRand *rand = g_rand_new_with_seed (20261125);
  HfRenderer *r = hf_renderer_new ();
  guint8 pixels[16 * 9 * 4];
  HfCanvas canvas;
  guint i, n_ok = 0;

  hf_canvas_init (&canvas, pixels, 16, 9, 16 * 4, HF_CANVAS_RGBA);
  for (i = 0; i < 3000; i++) {
    const char *seed = seeds[i % G_N_ELEMENTS (seeds)];
    gsize len = strlen (seed);
    GString *buf = g_string_sized_new (len + 256);
    GError *err = NULL;
    HfComposition *comp;
    int k, n_mut = g_rand_int_range (rand, 1, 6);

    g_string_append_len (buf, seed, len);
    for (k = 0; k < n_mut; k++) {
      guint pos = g_rand_int_range (rand, 0, buf->len + 1);
      switch (g_rand_int_range (rand, 0, 5)) {
        case 0:                /* flip a byte */
          if (pos < buf->len)
            buf->str[pos] = (char) g_rand_int_range (rand, 0, 256);
          break;
        case 1:{               /* insert a token */
          const char *t = tokens[g_rand_int_range (rand, 0,
                  G_N_ELEMENTS (tokens))];
          g_string_insert_len (buf, pos, t, t[0] ? (gssize) strlen (t) : 1);
          break;
        }
        case 2:                /* delete a run */
          if (pos < buf->len) {
            gsize n = g_rand_int_range (rand, 1, 40);
            g_string_erase (buf, pos, MIN (buf->len - pos, n));
          }
          break;
        case 3:                /* truncate */
          g_string_truncate (buf, MIN (pos, buf->len));
          break;
        default:{              /* duplicate a slice */
          guint a = g_rand_int_range (rand, 0, buf->len + 1);
          gsize n = g_rand_int_range (rand, 0, 200);
          n = MIN (buf->len - a, n);
          char *copy = g_memdup2 (buf->str + a, n);
          g_string_insert_len (buf, pos, copy, n);
          g_free (copy);
          break;
        }
      }
    }
    comp = hf_composition_new_from_data (buf->str, buf->len, NULL, &err);
    if (comp != NULL) {
      static const double times[] = { 0.0, 0.5, 1.7, 9.9, -1.0, 1e300, NAN };
      guint j;
      g_assert_no_error (err);
      for (j = 0; j < G_N_ELEMENTS (times); j++) {
        hf_composition_render (comp, r, &canvas, times[j]);
        hf_composition_changes_between (comp, times[j], times[j] + 0.1);
      }
      hf_composition_free (comp);
      n_ok++;
    } else {
      g_assert_nonnull (err);
      g_assert_true (err->domain == HF_COMP_ERROR);
      g_assert_true (g_str_has_prefix (err->message, "composition:"));
      g_clear_error (&err);
    }
    g_string_free (buf, TRUE);
  }
  /* Some mutants stay valid (e.g. a flipped digit): both paths ran. */
  g_assert_cmpuint (n_ok, >, 0);
  g_assert_cmpuint (n_ok, <, 3000);
  hf_renderer_free (r);
  g_rand_free (rand);
}

HF_TEST ("/compparse/random-bytes", test_random_bytes)
{
  GRand *rand = g_rand_new_with_seed (7);
  guint8 buf[512];
  guint i, j;

  for (i = 0; i < 2000; i++) {
    GError *err = NULL;
    guint len = g_rand_int_range (rand, 0, sizeof (buf));
    HfComposition *comp;

    for (j = 0; j < len; j++)
      buf[j] = g_rand_int_range (rand, 0, 256);
    if (i % 2 == 0 && len > 13)
      memcpy (buf, "<composition>", 13);
    comp = hf_composition_new_from_data ((const char *) buf, len, NULL, &err);
    g_assert_null (comp);
    g_assert_true (err != NULL && err->domain == HF_COMP_ERROR);
    g_clear_error (&err);
  }
  g_rand_free (rand);
}

/* The example compositions parse. They live in the source tree, found from
 * this file's path (meson compiles with paths relative to the build dir). */
HF_TEST ("/compparse/examples", test_examples)
{
  static const char *names[] = {
    "lower-third.xml", "dashboard.xml", "logo-sting.xml",
  };
  char *dir = g_path_get_dirname (__FILE__);
  char *examples = g_build_filename (dir, "..", "..", "examples",
      "compositions", NULL);
  guint i;

  if (!g_path_is_absolute (dir)) {
    /* Relative to the build root, two levels above this test binary. */
    g_free (examples);
    examples = g_build_filename (g_test_get_dir (G_TEST_BUILT), "..", "..",
        dir, "..", "..", "examples", "compositions", NULL);
  }

  if (!g_file_test (examples, G_FILE_TEST_IS_DIR)) {
    g_test_skip ("examples/compositions not found from the build directory");
  } else {
    for (i = 0; i < G_N_ELEMENTS (names); i++) {
      char *path = g_build_filename (examples, names[i], NULL);
      GError *err = NULL;
      HfComposition *comp = hf_composition_new_from_file (path, &err);
      g_assert_no_error (err);
      g_assert_cmpuint (comp->n_nodes, >, 10);
      hf_composition_free (comp);
      g_free (path);
    }
  }
  g_free (examples);
  g_free (dir);
}

/* A build without FreeType and HarfBuzz refuses a <font>, saying why and
 * where (tests/ci/nofonts.sh runs this there); a build with them loads
 * it. The text that does not use it still loads either way. */
HF_TEST ("/compparse/fonts-build-option", test_fonts_build_option)
{
  const char *doc = "<composition><defs>\n  <font id=\"f\" src=\""
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\"/></defs>"
      "<text>Gr\xc3\xbc\xc3\x9f" "e</text></composition>";
  GError *err = NULL;
  HfComposition *comp = hf_composition_new_from_data (doc, -1, "t.xml", &err);

  if (hf_type_available ()) {
    g_assert_no_error (err);
    hf_composition_free (comp);
  } else {
    g_assert_null (comp);
    g_assert_error (err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID);
    g_assert_cmpstr (err->message, ==, "t.xml:2:3: <font> needs FreeType "
        "and HarfBuzz, and this build of hfdrawsrc has them turned off "
        "(meson -Dfonts=disabled)");
    g_clear_error (&err);
  }
}

HF_TEST_MAIN ();

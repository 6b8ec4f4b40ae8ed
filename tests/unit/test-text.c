/* Unit tests of hftext: line breaking, alignment, letter spacing, bidi
 * reordering and clipping, on glyph lists built here (no font needed). */
#include "hftext.h"

#include <string.h>

#include "hfunit.h"

/* One glyph per character of spec: 'a'-'z' are 1 em wide left-to-right
 * letters, 'A'-'Z' right-to-left ones (level 1), ' ' a space, '|' a
 * forced break, '#' an ideograph (breakable on both sides). */
static HfShaped *
make (const char *spec)
{
  HfShaped *s = g_new0 (HfShaped, 1);
  gunichar prev = 0;
  guint i;

  s->glyphs = g_new0 (HfTextGlyph, strlen (spec) + 1);
  for (i = 0; spec[i]; i++) {
    HfTextGlyph *g = &s->glyphs[s->n++];
    char c = spec[i];
    gunichar ch = c == '|' ? '\n' : c == '#' ? 0x65E5 : (gunichar) c;

    g->glyph = (guint32) c;
    g->adv = c == '|' ? 0 : 1;
    g->flags = hf_text_char_flags (prev, ch) | HF_TEXT_CLUSTER_END;
    if (c >= 'A' && c <= 'Z')
      g->flags |= 1 << HF_TEXT_LEVEL_SHIFT;
    prev = ch;
  }
  return s;
}

typedef struct
{
  GString *order;               /* glyphs in drawing order, lines split by / */
  double last_y;
  double x[64], y[64];
  guint n;
} Drawn;

static void
drawn_init (Drawn * d)
{
  memset (d, 0, sizeof (*d));
  d->order = g_string_new (NULL);
}

static void
record (gpointer data, const HfTextGlyph * g, double x, double y)
{
  Drawn *d = data;

  if (g->flags & HF_TEXT_SPACE)
    return;                     /* spaces have no ink */
  if (d->n > 0 && y != d->last_y)
    g_string_append_c (d->order, '/');
  d->last_y = y;
  g_string_append_c (d->order, (char) g->glyph);
  if (d->n < G_N_ELEMENTS (d->x)) {
    d->x[d->n] = x;
    d->y[d->n] = y;
  }
  d->n++;
}

/* The glyphs of spec, laid out at size 10, and what they drew. */
typedef struct
{
  HfShaped *s;
  HfTextLayout l;
  Drawn d;
} Line;

static void
line_init (Line * t, const char *spec, double x, double y, HfAlign align)
{
  t->s = make (spec);
  hf_text_layout_init (&t->l, x, y, 10, align);
  drawn_init (&t->d);
}

/* Lays the glyphs out afresh; returns the number of lines. */
static guint
line_layout (Line * t)
{
  t->d.n = 0;
  g_string_truncate (t->d.order, 0);
  return hf_text_layout (t->s, &t->l, record, &t->d);
}

static void
line_clear (Line * t)
{
  g_string_free (t->d.order, TRUE);
  hf_shaped_free (t->s);
}

/* Lays spec out at (100, 50) and returns the drawing order. */
static char *
lay (const char *spec, double max_width, HfAlign align, Drawn * d,
    guint * lines)
{
  Line t;
  guint n;

  line_init (&t, spec, 100, 50, align);
  t.l.max_width = max_width;
  n = line_layout (&t);
  if (lines)
    *lines = n;
  hf_shaped_free (t.s);
  *d = t.d;
  return g_string_free (d->order, FALSE);
}

static void
check_order (const char *spec, double max_width, const char *want)
{
  Drawn d;
  char *got = lay (spec, max_width, HF_ALIGN_LEFT, &d, NULL);

  if (strcmp (got, want) != 0)
    g_error ("\"%s\" at max-width %g drew \"%s\", expected \"%s\"", spec,
        max_width, got, want);
  g_free (got);
}

HF_TEST ("/text/wrap", test_wrap)
{
  Drawn d;
  guint lines;
  char *got;

  /* No limit: one line. Each word is 30 px (3 em at size 10). */
  check_order ("abc def ghi", 0, "abcdefghi");
  /* 70 px fits two words and the space between them. */
  check_order ("abc def ghi", 70, "abcdef/ghi");
  check_order ("abc def ghi", 69, "abc/def/ghi");
  /* A word longer than the line stays whole, on its own line. */
  check_order ("abcdefgh ij", 30, "abcdefgh/ij");
  /* Several spaces are one break; none leads the next line. */
  check_order ("ab   cd", 25, "ab/cd");
  /* Forced breaks, also for an empty line. */
  check_order ("ab|cd", 0, "ab/cd");
  /* Ideographs break anywhere. */
  check_order ("####", 20, "##/##");
  check_order ("ab##", 30, "ab#/#");

  /* Baselines line-height (1.2 em) apart; each line starts at x. */
  got = lay ("abc def ghi", 30, HF_ALIGN_LEFT, &d, &lines);
  g_assert_cmpstr (got, ==, "abc/def/ghi");
  g_assert_cmpuint (lines, ==, 3);
  g_assert_cmpfloat (d.y[0], ==, 50);
  g_assert_cmpfloat (d.y[3], ==, 62);
  g_assert_cmpfloat (d.y[6], ==, 74);
  g_assert_cmpfloat (d.x[3], ==, 100);
  g_assert_cmpfloat (d.x[4], ==, 110);
  g_free (got);
}

HF_TEST ("/text/align", test_align)
{
  Drawn d;
  char *got;

  /* Each line is aligned on its own; trailing spaces do not count. */
  got = lay ("abcd ef ", 45, HF_ALIGN_RIGHT, &d, NULL);
  g_assert_cmpstr (got, ==, "abcd/ef");
  g_assert_cmpfloat (d.x[3] + 10, ==, 100);
  g_assert_cmpfloat (d.x[5] + 10, ==, 100);
  g_free (got);
  got = lay ("abcd ef", 45, HF_ALIGN_CENTER, &d, NULL);
  g_assert_cmpfloat (d.x[0], ==, 80);
  g_assert_cmpfloat (d.x[4], ==, 90);
  g_free (got);
}

HF_TEST ("/text/letter-spacing", test_letter_spacing)
{
  Line t;

  /* Spacing follows every character, the last one too (as in CSS): a
   * right-aligned line moves left by three spacings. */
  line_init (&t, "abc", 100, 0, HF_ALIGN_RIGHT);
  t.l.letter_spacing = 2.5;
  line_layout (&t);
  g_assert_cmpfloat (t.d.x[0], ==, 100 - 37.5);
  g_assert_cmpfloat (t.d.x[1], ==, 100 - 25);
  t.l.letter_spacing = -1;
  line_layout (&t);
  g_assert_cmpfloat (t.d.x[0], ==, 100 - 27);
  g_assert_cmpfloat (t.d.x[2], ==, 100 - 9);
  line_clear (&t);
}

HF_TEST ("/text/bidi-order", test_bidi_order)
{
  Line t;
  guint i;

  /* Right-to-left letters are stored in logical order and drawn
   * reversed; a left-to-right line keeps its runs in order. */
  check_order ("ab CDE fg", 0, "abEDCfg");
  /* A right-to-left line (its first glyph at level 1) draws its runs
   * from the right: level-2 text inside it reads left to right. */
  line_init (&t, "ABC de FG", 0, 0, HF_ALIGN_LEFT);
  for (i = 3; i < 6; i++)       /* " de" at level 2 */
    t.s->glyphs[i].flags = (t.s->glyphs[i].flags & ~(3 << HF_TEXT_LEVEL_SHIFT))
        | (2 << HF_TEXT_LEVEL_SHIFT);
  t.s->glyphs[6].flags |= 1 << HF_TEXT_LEVEL_SHIFT;
  line_layout (&t);
  g_assert_cmpstr (t.d.order->str, ==, "GFdeCBA");
  line_clear (&t);
}

HF_TEST ("/text/clip", test_clip)
{
  Line t;

  /* Only glyphs within one em of the visible box are handed out. */
  line_init (&t, "abcdefghij", 0, 50, HF_ALIGN_LEFT);
  t.l.clip_x0 = 40;
  t.l.clip_x1 = 60;
  line_layout (&t);
  g_assert_cmpstr (t.d.order->str, ==, "cdefgh");
  /* A line far below the box draws nothing. */
  t.l.clip_x0 = -G_MAXDOUBLE;
  t.l.clip_x1 = G_MAXDOUBLE;
  t.l.clip_y0 = 0;
  t.l.clip_y1 = 20;
  line_layout (&t);
  g_assert_cmpstr (t.d.order->str, ==, "");
  line_clear (&t);
}

/* Letters of cursive scripts are marked (no letter-spacing follows
 * them), and still break after a space like any word. */
HF_TEST ("/text/cursive-flags", test_cursive_flags)
{
  /* Arabic seen, Syriac olaph, N'Ko a, Mongolian a. */
  static const gunichar cursive[] = { 0x0633, 0x0710, 0x07CA, 0x1820 };
  static const gunichar plain[] = { 'a', '1', 0x05D0, 0x0915, 0x65E5 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cursive); i++) {
    g_assert_cmpuint (hf_text_char_flags ('x', cursive[i]), ==,
        HF_TEXT_CURSIVE);
    g_assert_cmpuint (hf_text_char_flags (' ', cursive[i]), ==,
        HF_TEXT_CURSIVE | HF_TEXT_BREAK_BEFORE);
  }
  for (i = 0; i < G_N_ELEMENTS (plain); i++)
    g_assert_false (hf_text_char_flags ('x', plain[i]) & HF_TEXT_CURSIVE);
}

HF_TEST_MAIN ();

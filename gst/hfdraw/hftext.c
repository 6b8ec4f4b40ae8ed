/* hftext: line breaking, alignment and run order for shaped text
 * (hftext.h). Engine code: no GStreamer. */
#include "hftext.h"
#include "hftype.h"

#include <math.h>

/* Here rather than in hftype.c, which has a variant without fonts. */
GQuark
hf_type_error_quark (void)
{
  return g_quark_from_static_string ("hf-type-error-quark");
}

void
hf_shaped_free (HfShaped * s)
{
  if (s == NULL)
    return;
  g_free (s->glyphs);
  g_free (s);
}

void
hf_text_layout_init (HfTextLayout * l, double x, double y, double size,
    HfAlign align)
{
  l->x = x;
  l->y = y;
  l->size = size;
  l->letter_spacing = 0;
  l->extra_em = 0;
  l->max_width = 0;
  l->line_height = 1.2;
  l->align = align;
  l->clip_x0 = l->clip_y0 = -G_MAXDOUBLE;
  l->clip_x1 = l->clip_y1 = G_MAXDOUBLE;
}

static gboolean
is_ideographic (gunichar ch)
{
  return g_unichar_break_type (ch) == G_UNICODE_BREAK_IDEOGRAPHIC;
}

/* Scripts whose letters join (CSS Text 3, "cursive scripts"). */
static gboolean
is_cursive (gunichar ch)
{
  switch (g_unichar_get_script (ch)) {
    case G_UNICODE_SCRIPT_ARABIC:
    case G_UNICODE_SCRIPT_SYRIAC:
    case G_UNICODE_SCRIPT_NKO:
    case G_UNICODE_SCRIPT_MONGOLIAN:
    case G_UNICODE_SCRIPT_MANDAIC:
    case G_UNICODE_SCRIPT_MANICHAEAN:
    case G_UNICODE_SCRIPT_PSALTER_PAHLAVI:
    case G_UNICODE_SCRIPT_ADLAM:
    case G_UNICODE_SCRIPT_HANIFI_ROHINGYA:
    case G_UNICODE_SCRIPT_SOGDIAN:
    case G_UNICODE_SCRIPT_OLD_UYGHUR:
      return TRUE;
    default:
      return FALSE;
  }
}

guint16
hf_text_char_flags (gunichar prev, gunichar ch)
{
  guint16 cursive;

  if (ch == ' ' || ch == '\t')
    return HF_TEXT_SPACE;
  if (ch == '\n')
    return HF_TEXT_NEWLINE;
  cursive = is_cursive (ch) ? HF_TEXT_CURSIVE : 0;
  if (prev == 0 || prev == '\n')
    return cursive;
  if (prev == ' ' || prev == '\t' || is_ideographic (prev)
      || is_ideographic (ch))
    return HF_TEXT_BREAK_BEFORE | cursive;
  return cursive;
}

static double
glyph_width (const HfTextGlyph * g, const HfTextLayout * l)
{
  double w = g->adv * l->size;

  if (g->flags & HF_TEXT_CLUSTER_END)
    w += l->extra_em * l->size;
  if ((g->flags & (HF_TEXT_CLUSTER_END | HF_TEXT_CURSIVE)) ==
      HF_TEXT_CLUSTER_END)
    w += l->letter_spacing;
  return w;
}

typedef struct
{
  const HfShaped *s;
  const HfTextLayout *l;
  HfGlyphFunc func;
  gpointer data;
  guint *order;                 /* a line's glyphs in visual order (NULL:
                                 * no right-to-left glyph) */
} LineCtx;

static void
draw_glyph (LineCtx * c, const HfTextGlyph * g, double pen, double baseline)
{
  const HfTextLayout *l = c->l;
  double x = pen + g->dx * l->size, y = baseline - g->dy * l->size;
  double w = glyph_width (g, l);

  /* A glyph's ink stays within one em of its advance box. */
  if (x + w + l->size >= l->clip_x0 && x - l->size <= l->clip_x1
      && y + l->size >= l->clip_y0 && y - 2 * l->size <= l->clip_y1)
    c->func (c->data, g, x, y);
}

/* Reverses order[a, b). */
static void
reverse (guint * order, guint a, guint b)
{
  while (a + 1 < b) {
    guint t = order[a];
    order[a++] = order[--b];
    order[b] = t;
  }
}

/* One line, glyphs [a, b) without trailing spaces, index n. */
static void
line_out (LineCtx * c, guint a, guint b, guint n)
{
  const HfTextGlyph *gl = c->s->glyphs;
  const HfTextLayout *l = c->l;
  double w = 0, pen, baseline;
  guint i, j, lev, top = 0, len;

  while (b > a && (gl[b - 1].flags & HF_TEXT_SPACE))
    b--;
  for (i = a; i < b; i++) {
    w += glyph_width (&gl[i], l);
    top = MAX (top, HF_TEXT_LEVEL (gl[i].flags));
  }
  if (b == a)
    return;

  pen = l->x;
  if (l->align == HF_ALIGN_CENTER)
    pen -= w / 2;
  else if (l->align == HF_ALIGN_RIGHT)
    pen -= w;
  baseline = l->y + n * l->line_height * l->size;

  len = b - a;
  if (top == 0) {
    for (i = a; i < b; i++) {
      draw_glyph (c, &gl[i], pen, baseline);
      pen += glyph_width (&gl[i], l);
    }
    return;
  }
  /* Visual order: from the highest level down to 1, every run at that
   * level or above is reversed. */
  for (i = 0; i < len; i++)
    c->order[i] = a + i;
  for (lev = top; lev >= 1; lev--) {
    for (i = 0; i < len; i = j + 1) {
      for (; i < len && HF_TEXT_LEVEL (gl[c->order[i]].flags) < lev; i++);
      for (j = i; j < len && HF_TEXT_LEVEL (gl[c->order[j]].flags) >= lev; j++);
      reverse (c->order, i, j);
    }
  }
  for (i = 0; i < len; i++) {
    const HfTextGlyph *g = &gl[c->order[i]];
    draw_glyph (c, g, pen, baseline);
    pen += glyph_width (g, l);
  }
}

static guint
for_each_line (LineCtx * c)
{
  const HfShaped *s = c->s;
  const HfTextLayout *l = c->l;
  guint i, start = 0, bk = 0, n = 0;
  double w = 0, bk_w = 0;

  if (s == NULL || !(l->size > 0) || !isfinite (l->size))
    return 0;
  for (i = 0; i < s->n; i++) {
    const HfTextGlyph *g = &s->glyphs[i];
    double gw;

    if (g->flags & HF_TEXT_NEWLINE) {
      line_out (c, start, i, n++);
      start = i + 1;
      w = 0;
      bk = 0;
      continue;
    }
    if (i > start && (g->flags & HF_TEXT_BREAK_BEFORE)) {
      bk = i;
      bk_w = w;
    }
    gw = glyph_width (g, l);
    if (l->max_width > 0 && !(g->flags & HF_TEXT_SPACE)
        && w + gw > l->max_width && bk > start) {
      line_out (c, start, bk, n++);
      w -= bk_w;
      start = bk;
      bk = 0;
    }
    w += gw;
  }
  line_out (c, start, s->n, n++);
  return n;
}

guint
hf_text_layout (const HfShaped * s, const HfTextLayout * l,
    HfGlyphFunc func, gpointer data)
{
  LineCtx c = { s, l, func, data, NULL };
  guint stack[256], n, i;

  if (!isfinite (l->x) || !isfinite (l->y) || s == NULL)
    return 0;
  /* Only right-to-left text is reordered; a short text's order lives on
   * the stack, so drawing text every frame does not allocate. */
  for (i = 0; i < s->n && c.order == NULL; i++)
    if (HF_TEXT_LEVEL (s->glyphs[i].flags) > 0)
      c.order = s->n <= G_N_ELEMENTS (stack) ? stack : g_new (guint, s->n);
  n = for_each_line (&c);
  if (c.order != stack)
    g_free (c.order);
  return n;
}

/* hffont: lays out UTF-8 text with the built-in stroke font and strokes the
 * glyph polylines into fillable outlines. Engine code: no GStreamer. */
#include "hffont.h"
#include "hfpath-private.h"
#include "hffontdata.h"

#include <math.h>
#include <string.h>

/* Cap height (20 grid units) is 0.7 of the em size. */
#define UNIT_PER_SIZE (0.7 / 20.0)
/* Letter spacing added to every advance, half on each side, in units. */
#define TRACKING 2.5
/* The regular stroke width (size / 11) in units. */
#define STROKE_UNITS (1.0 / 11 / UNIT_PER_SIZE)

/* Weight outside this range is clamped; NaN or <= 0 means regular. */
static double
sane_weight (double weight)
{
  if (!isfinite (weight) || weight <= 0)
    return 1.0;
  return CLAMP (weight, 0.1, 10.0);
}

/* Spacing per glyph: a heavier stroke eats into the gaps, so the advance
 * grows by the extra stroke width and letters keep the same clearance. */
static double
tracking (double weight)
{
  return TRACKING + (weight - 1.0) * STROKE_UNITS;
}

/* A glyph of the tables, without composing; NULL when there is none. */
static const HfGlyph *
simple_glyph (gunichar ch)
{
  int lo = 0, hi = G_N_ELEMENTS (hf_glyphs_more) - 1;

  if (ch >= HF_FONT_FIRST && ch <= HF_FONT_LAST)
    return &hf_glyphs[ch - HF_FONT_FIRST];
  if (ch == '\t')
    return &hf_glyphs[' ' - HF_FONT_FIRST];
  while (lo <= hi) {
    int mid = (lo + hi) / 2;
    if (hf_glyphs_more[mid].cp == ch)
      return &hf_glyphs_more[mid].g;
    if (hf_glyphs_more[mid].cp < ch)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return NULL;
}

static const HfMark *
find_mark (gunichar cp)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (hf_marks); i++)
    if (hf_marks[i].cp == cp)
      return &hf_marks[i];
  return NULL;
}

/* What draws a character: a glyph, and up to three marks on it. */
typedef struct
{
  const HfGlyph *base;
  const HfMark *marks[3];
  int n_marks;
  double raise;                 /* units the marks above go up */
} Composite;

/* A letter Unicode decomposes into a base and marks we have (é, Å, ç,
 * ő, š) is drawn as them; an i loses its dot under a mark. FALSE when
 * the font cannot draw ch. */
static gboolean
compose (gunichar ch, Composite * c)
{
  gunichar d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n, i;

  c->n_marks = 0;
  c->raise = 0;
  if ((c->base = simple_glyph (ch)) != NULL)
    return TRUE;
  n = g_unichar_fully_decompose (ch, FALSE, d, G_N_ELEMENTS (d));
  if (n < 2 || n > 4)
    return FALSE;
  c->base = simple_glyph (d[0] == 'i' ? 0x0131 : d[0]);
  if (c->base == NULL || d[0] > 0x7f)
    return FALSE;
  /* Above the capitals, or above the ascenders. */
  if (g_unichar_isupper (d[0]))
    c->raise = 6;
  else if (strchr ("bdhklt", (int) d[0]))
    c->raise = 7;
  for (i = 1; i < n; i++)
    if ((c->marks[c->n_marks++] = find_mark (d[i])) == NULL)
      return FALSE;
  return TRUE;
}

/* The composite for ch, or the box. */
static void
lookup (gunichar ch, Composite * c)
{
  if (!compose (ch, c)) {
    c->base = &hf_glyph_box;
    c->n_marks = 0;
  }
}

static unsigned
advance_of (gunichar ch)
{
  Composite c;

  lookup (ch, &c);
  return c.base->adv;
}

gboolean
hf_font_has_char (gunichar ch)
{
  Composite c;

  return ch == '\n' || compose (ch, &c);
}

/* Decodes the character at *p and steps past it. An invalid or truncated
 * sequence yields one (gunichar) -1 per byte, drawn as a box, so valid
 * text after it survives. */
static gunichar
next_char (const char **p, gssize * left)
{
  gunichar ch = g_utf8_get_char_validated (*p, *left);
  int len;

  if (ch == (gunichar) - 1 || ch == (gunichar) - 2) {
    (*p)++;
    (*left)--;
    return (gunichar) - 1;
  }
  len = g_utf8_next_char (*p) - *p;
  *p += len;
  *left -= len;
  return ch;
}

/* Sum of advances in units. */
static double
advance_units (const char *text, double track)
{
  const char *p = text;
  gssize left;
  double adv = 0;

  if (!text)
    return 0;
  left = strlen (text);
  while (left > 0) {
    gunichar ch = next_char (&p, &left);
    if (ch != '\n')
      adv += advance_of (ch) + track;
  }
  return adv;
}

double
hf_font_measure_weight (const char *text, double size, double weight)
{
  if (!isfinite (size) || size <= 0)
    return 0;
  size = MIN (size, 1e5);
  return advance_units (text, tracking (sane_weight (weight))) * size
      * UNIT_PER_SIZE;
}

double
hf_font_measure (const char *text, double size)
{
  return hf_font_measure_weight (text, size, 1.0);
}

/* A glyph path string tokenizer: locale-independent number parsing. */
static gboolean
read_num (const char **s, double *out)
{
  const char *p = *s;
  double v = 0, scale = 0.1;
  gboolean neg = FALSE, any = FALSE;

  while (*p == ' ')
    p++;
  if (*p == '-') {
    neg = TRUE;
    p++;
  }
  while (*p >= '0' && *p <= '9') {
    v = v * 10 + (*p++ - '0');
    any = TRUE;
  }
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9') {
      v += (*p++ - '0') * scale;
      scale *= 0.1;
      any = TRUE;
    }
  }
  *s = p;
  *out = neg ? -v : v;
  return any;
}

typedef struct
{
  HfPath *open, *closed, *out;
  double ox, oy, scale;         /* glyph origin on canvas, px per unit */
  double dot_r;                 /* dot radius in px */
  double tol;                   /* flattening tolerance of the output */
  gboolean pen;                 /* a polyline is in progress */
} GlyphPen;

static void
pen_point (GlyphPen * g, double x, double y, gboolean connect)
{
  double cx = g->ox + x * g->scale, cy = g->oy - y * g->scale;
  if (connect && g->pen) {
    hf_path_line_to (g->open, cx, cy);
  } else {
    hf_path_move_to (g->open, cx, cy);
    g->pen = TRUE;
  }
}

static void
emit_glyph (GlyphPen * g, const char *s)
{
  double v[6];

  g->pen = FALSE;
  while (*s) {
    char cmd = *s++;
    int need = cmd == 'A' ? 6 : cmd == 'O' ? 4 : (cmd == 'M' || cmd == 'L'
        || cmd == 'D') ? 2 : 0;
    int got = 0;

    if (cmd == ' ')
      continue;
    while (got < need && read_num (&s, &v[got]))
      got++;
    if (need == 0 || got < need)
      return;                   /* malformed data: stop, never loop */
    if (cmd == 'M') {
      pen_point (g, v[0], v[1], FALSE);
    } else if (cmd == 'L') {
      pen_point (g, v[0], v[1], TRUE);
    } else if (cmd == 'D') {
      hf_path_ellipse (g->out, g->ox + v[0] * g->scale,
          g->oy - v[1] * g->scale, g->dot_r, g->dot_r);
      g->pen = FALSE;
    } else {
      double a0 = v[4] * G_PI / 180, a1 = v[5] * G_PI / 180;
      double r = MAX (fabs (v[2]), fabs (v[3])) * g->scale;
      if (cmd == 'O') {
        int n = MAX (12, hf_arc_segments (r, 2 * G_PI, g->tol));
        double cx = g->ox + v[0] * g->scale, cy = g->oy - v[1] * g->scale;
        hf_path_move_to (g->closed, cx + v[2] * g->scale, cy);
        for (int k = 1; k < n; k++) {
          double a = 2 * G_PI * k / n;
          hf_path_line_to (g->closed, cx + v[2] * g->scale * cos (a),
              cy - v[3] * g->scale * sin (a));
        }
        hf_path_close (g->closed);
        g->pen = FALSE;
      } else {
        int n = hf_arc_segments (r, a1 - a0, g->tol);
        for (int k = 0; k <= n; k++) {
          double a = a0 + (a1 - a0) * k / n;
          pen_point (g, v[0] + v[2] * cos (a), v[1] + v[3] * sin (a), TRUE);
        }
      }
    }
  }
}

/* Scratch paths for glyph skeletons, one pair per thread, kept for reuse
 * so text drawn every frame does not allocate. */
typedef struct
{
  HfPath *open, *closed;
} FontScratch;

static void
scratch_free (gpointer data)
{
  FontScratch *fs = data;
  hf_path_free (fs->open);
  hf_path_free (fs->closed);
  g_free (fs);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

static FontScratch *
get_scratch (void)
{
  FontScratch *fs = g_private_get (&scratch_key);
  if (!fs) {
    fs = g_new0 (FontScratch, 1);
    fs->open = hf_path_new ();
    fs->closed = hf_path_new ();
    g_private_set (&scratch_key, fs);
  }
  return fs;
}

HfShaped *
hf_font_shape (const char *text)
{
  HfShaped *s = g_new0 (HfShaped, 1);
  gssize left = text ? strlen (text) : 0;
  const char *p = text;
  gunichar prev = 0;

  /* At most one glyph per byte. */
  s->glyphs = g_new (HfTextGlyph, MAX (left, 1));
  while (left > 0) {
    gunichar ch = next_char (&p, &left);
    HfTextGlyph *g = &s->glyphs[s->n++];

    g->glyph = ch;
    g->face = 0;
    g->flags = hf_text_char_flags (prev, ch) | HF_TEXT_CLUSTER_END;
    g->adv = ch == '\n' ? 0 : advance_of (ch) * UNIT_PER_SIZE;
    g->dx = g->dy = 0;
    prev = ch;
  }
  return s;
}

typedef struct
{
  GlyphPen pen;
  double track_px;              /* half the tracking lands before a glyph */
} EmitCtx;

static void
emit_at (gpointer data, const HfTextGlyph * g, double x, double y)
{
  EmitCtx *e = data;
  Composite c;
  double raise;
  int i;

  lookup (g->glyph, &c);
  e->pen.ox = x + e->track_px / 2;
  e->pen.oy = y;
  emit_glyph (&e->pen, c.base->d);
  /* Marks sit on the middle of the advance; a second one above goes
   * higher. */
  e->pen.ox += c.base->adv / 2.0 * e->pen.scale;
  for (i = 0, raise = c.raise; i < c.n_marks; i++) {
    double up = c.marks[i]->below ? 0 : raise;
    e->pen.oy = y - up * e->pen.scale;
    emit_glyph (&e->pen, c.marks[i]->d);
    if (!c.marks[i]->below)
      raise += 4.5;
  }
}

void
hf_font_layout_path (HfPath * path, const HfShaped * s,
    const HfTextLayout * layout, double weight)
{
  FontScratch *fs;
  HfTextLayout l = *layout;
  EmitCtx e;
  double width, track;

  if (!path || !s || !isfinite (l.size) || l.size <= 0)
    return;
  weight = sane_weight (weight);
  track = tracking (weight);
  l.size = MIN (l.size, 1e5);
  l.extra_em = track * UNIT_PER_SIZE;
  width = l.size / 11 * weight;

  fs = get_scratch ();
  hf_path_clear (fs->open);
  hf_path_clear (fs->closed);
  e.pen.out = path;
  e.pen.dot_r = width * 0.65;
  e.pen.tol = hf_path_tol (path);
  e.pen.open = fs->open;
  e.pen.closed = fs->closed;
  e.pen.scale = l.size * UNIT_PER_SIZE;
  e.track_px = track * e.pen.scale;
  hf_text_layout (s, &l, emit_at, &e);
  hf_path_stroke (path, fs->open, width, FALSE);
  hf_path_stroke (path, fs->closed, width, TRUE);
}

void
hf_font_text_path (HfPath * path, const char *text, double x, double y,
    double size, HfAlign align, double weight)
{
  hf_font_text_path_visible (path, text, x, y, size, align, weight,
      -G_MAXDOUBLE, G_MAXDOUBLE);
}

void
hf_font_text_path_visible (HfPath * path, const char *text, double x,
    double y, double size, HfAlign align, double weight, double x0, double x1)
{
  HfTextLayout l;
  HfShaped *s;

  if (!path || !text || !isfinite (size) || size <= 0 || !isfinite (x)
      || !isfinite (y))
    return;
  hf_text_layout_init (&l, x, y, size, align);
  l.clip_x0 = x0;
  l.clip_x1 = x1;
  s = hf_font_shape (text);
  hf_font_layout_path (path, s, &l, weight);
  hf_shaped_free (s);
}

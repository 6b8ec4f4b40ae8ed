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

static const HfGlyph *
glyph_for (gunichar ch)
{
  if (ch >= HF_FONT_FIRST && ch <= HF_FONT_LAST)
    return &hf_glyphs[ch - HF_FONT_FIRST];
  return &hf_glyph_box;
}

/* Decodes the glyph at *p and steps past it. An invalid or truncated
 * sequence yields one box per byte, so valid text after it survives. */
static const HfGlyph *
next_glyph (const char **p, gssize * left)
{
  gunichar ch = g_utf8_get_char_validated (*p, *left);
  int len;

  if (ch == (gunichar) - 1 || ch == (gunichar) - 2) {
    (*p)++;
    (*left)--;
    return &hf_glyph_box;
  }
  len = g_utf8_next_char (*p) - *p;
  *p += len;
  *left -= len;
  return glyph_for (ch);
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
  while (left > 0)
    adv += next_glyph (&p, &left)->adv + track;
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
emit_glyph (GlyphPen * g, const HfGlyph * gl)
{
  const char *s = gl->d;
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
  FontScratch *fs;
  GlyphPen g;
  const char *p = text;
  gssize left;
  double width, track;

  if (!path || !text || !isfinite (size) || size <= 0 || !isfinite (x)
      || !isfinite (y))
    return;
  weight = sane_weight (weight);
  track = tracking (weight);
  size = MIN (size, 1e5);
  width = size / 11 * weight;

  fs = get_scratch ();
  hf_path_clear (fs->open);
  hf_path_clear (fs->closed);
  g.out = path;
  g.dot_r = width * 0.65;
  g.tol = hf_path_tol (path);
  g.open = fs->open;
  g.closed = fs->closed;
  g.scale = size * UNIT_PER_SIZE;
  g.oy = y;
  g.ox = x + track / 2 * g.scale;
  if (align == HF_ALIGN_CENTER)
    g.ox -= hf_font_measure_weight (text, size, weight) / 2;
  else if (align == HF_ALIGN_RIGHT)
    g.ox -= hf_font_measure_weight (text, size, weight);

  left = strlen (text);
  while (left > 0) {
    const HfGlyph *gl = next_glyph (&p, &left);
    double adv = (gl->adv + track) * g.scale;

    /* A glyph's ink stays well within one em of its advance box. */
    if (g.ox + adv + size >= x0 && g.ox - size <= x1)
      emit_glyph (&g, gl);
    g.ox += adv;
  }
  hf_path_stroke (path, fs->open, width, FALSE);
  hf_path_stroke (path, fs->closed, width, TRUE);
}

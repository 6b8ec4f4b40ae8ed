/* hftype: font files through FreeType (outlines) and HarfBuzz (shaping).
 * See hftype.h. Engine code: no GStreamer.
 *
 * HarfBuzz shapes with its own OpenType functions, which are safe to call
 * from several threads on one font. FreeType faces are not, so each
 * glyph's outline is read once, under the typeface's lock, and kept: a
 * frame then only reads the cache. */
#include "hftype.h"
#include "hfpath-private.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <hb.h>

/* One glyph's outline in em units, y up: ops are 'M', 'L' and 'C' (a
 * cubic; quadratics are raised to the cubics they equal), each taking
 * 2, 2 or 6 coordinates. */
typedef struct
{
  guint8 *ops;
  double *xy;
  guint n_ops;
} Outline;

struct HfTypeface
{
  char *path;
  char *data;                   /* the file: FreeType and HarfBuzz share it */
  double upem;
  hb_font_t *hb;
  GMutex lock;                  /* guards ft and outlines */
  FT_Library lib;
  FT_Face ft;
  GHashTable *outlines;         /* glyph index -> Outline */
};

gboolean
hf_type_available (void)
{
  return TRUE;
}

static void
outline_free (gpointer p)
{
  Outline *o = p;

  g_free (o->ops);
  g_free (o->xy);
  g_free (o);
}

static const char *
ft_message (FT_Error e)
{
  const char *s = FT_Error_String (e);

  return s ? s : "FreeType could not read it";
}

/* *INDENT-OFF* */
static gboolean fail (GError ** error, const char *path, const char *fmt, ...)
    G_GNUC_PRINTF (3, 4);
/* *INDENT-ON* */

static gboolean
fail (GError ** error, const char *path, const char *fmt, ...)
{
  va_list ap;
  char *why;

  va_start (ap, fmt);
  why = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, HF_TYPE_ERROR, HF_TYPE_ERROR_INVALID, "%s: %s", path,
      why);
  g_free (why);
  return FALSE;
}

HfTypeface *
hf_typeface_new (const char *path, int index, GError ** error)
{
  HfTypeface *f;
  GStatBuf st;
  gsize len = 0;
  FT_Face probe;
  FT_Error e;
  long n_faces;
  hb_blob_t *blob;
  hb_face_t *face;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) == 0 && st.st_size > HF_TYPE_MAX_FILE_SIZE) {
    fail (error, path, "font file larger than %d bytes", HF_TYPE_MAX_FILE_SIZE);
    return NULL;
  }
  f = g_new0 (HfTypeface, 1);
  g_mutex_init (&f->lock);
  f->path = g_strdup (path);
  f->outlines = g_hash_table_new_full (NULL, NULL, NULL, outline_free);
  if (!g_file_get_contents (path, &f->data, &len, error))
    goto failed;
  if ((e = FT_Init_FreeType (&f->lib)) != 0) {
    fail (error, path, "%s", ft_message (e));
    goto failed;
  }
  /* Face -1 reads only how many faces the file holds. */
  e = FT_New_Memory_Face (f->lib, (const FT_Byte *) f->data, (FT_Long) len,
      -1, &probe);
  if (e != 0) {
    fail (error, path, "not a font file FreeType can read (%s)",
        ft_message (e));
    goto failed;
  }
  n_faces = probe->num_faces;
  FT_Done_Face (probe);
  if (index < 0 || index >= n_faces) {
    fail (error, path, "index=%d is out of range: the file holds %ld "
        "font%s (0 to %ld)", index, n_faces, n_faces == 1 ? "" : "s",
        n_faces - 1);
    goto failed;
  }
  e = FT_New_Memory_Face (f->lib, (const FT_Byte *) f->data, (FT_Long) len,
      index, &f->ft);
  if (e != 0) {
    fail (error, path, "font %d cannot be read (%s)", index, ft_message (e));
    goto failed;
  }
  if (!FT_IS_SCALABLE (f->ft) || f->ft->units_per_EM == 0) {
    fail (error, path, "font %d has no outlines (a bitmap-only font)", index);
    goto failed;
  }
  f->upem = f->ft->units_per_EM;

  blob = hb_blob_create (f->data, (unsigned int) len, HB_MEMORY_MODE_READONLY,
      NULL, NULL);
  face = hb_face_create (blob, (unsigned int) index);
  hb_blob_destroy (blob);
  f->hb = hb_font_create (face);
  hb_face_destroy (face);
  /* Positions in font units; divided by upem they are in em. */
  hb_font_set_scale (f->hb, (int) f->upem, (int) f->upem);
  hb_font_make_immutable (f->hb);
  return f;

failed:
  hf_typeface_free (f);
  return NULL;
}

void
hf_typeface_free (HfTypeface * f)
{
  if (f == NULL)
    return;
  if (f->hb)
    hb_font_destroy (f->hb);
  if (f->ft)
    FT_Done_Face (f->ft);
  if (f->lib)
    FT_Done_FreeType (f->lib);
  g_hash_table_destroy (f->outlines);
  g_mutex_clear (&f->lock);
  g_free (f->data);
  g_free (f->path);
  g_free (f);
}

gboolean
hf_typeface_has_char (const HfTypeface * f, gunichar ch)
{
  hb_codepoint_t gid;

  if (ch == '\n' || ch == '\t')
    return TRUE;
  return hb_font_get_nominal_glyph (f->hb, ch, &gid) && gid != 0;
}

/* ---- shaping ------------------------------------------------------ */

/* Characters that belong to no script's direction take their
 * neighbours'; digits are left-to-right even inside right-to-left text
 * (a simplified Unicode bidi: no embedding levels). */
enum
{
  DIR_NEUTRAL,
  DIR_LTR,
  DIR_RTL,
  DIR_DIGIT,
};

static int
char_dir (hb_unicode_funcs_t * uf, gunichar ch)
{
  hb_script_t sc = hb_unicode_script (uf, ch);

  if (g_unichar_isdigit (ch))
    return DIR_DIGIT;
  if (sc == HB_SCRIPT_COMMON || sc == HB_SCRIPT_INHERITED
      || sc == HB_SCRIPT_UNKNOWN)
    return DIR_NEUTRAL;
  return hb_script_get_horizontal_direction (sc) == HB_DIRECTION_RTL
      ? DIR_RTL : DIR_LTR;
}

/* Spaces, marks and format characters stay in the run they follow. */
static gboolean
joins_previous (gunichar ch)
{
  switch (g_unichar_type (ch)) {
    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_FORMAT:
    case G_UNICODE_CONTROL:
      return TRUE;
    default:
      return FALSE;
  }
}

typedef struct
{
  guint offset;                 /* byte offset */
  gunichar ch;
  guint16 face;
  guint8 dir;                   /* its class; neutrals become LTR or RTL */
  guint8 ctx;                   /* a digit: the strong direction before it */
  guint8 level;                 /* bidi embedding level, 0 to 2 */
} CharInfo;

static void
shape_run (HfTypeface * f, hb_buffer_t * buf, const char *text, int len,
    const CharInfo * ci, guint a, guint b, guint n_chars, GArray * out)
{
  unsigned int n, i, k;
  hb_glyph_info_t *info;
  hb_glyph_position_t *pos;
  guint end_off = b < n_chars ? ci[b].offset : (guint) len;
  gboolean rtl = ci[a].level & 1;

  hb_buffer_clear_contents (buf);
  hb_buffer_add_utf8 (buf, text, len, ci[a].offset, end_off - ci[a].offset);
  hb_buffer_set_direction (buf, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
  hb_buffer_guess_segment_properties (buf);
  hb_shape (f->hb, buf, NULL, 0);
  info = hb_buffer_get_glyph_infos (buf, &n);
  pos = hb_buffer_get_glyph_positions (buf, NULL);

  /* Stored in logical order: HarfBuzz gives right-to-left runs
   * reversed. */
  for (k = 0; k < n; k++) {
    HfTextGlyph g;
    guint cl, prev_cl, next_cl;
    gunichar ch, prev;
    guint16 cf;

    i = rtl ? n - 1 - k : k;
    cl = info[i].cluster;
    prev_cl = k > 0 ? info[rtl ? i + 1 : i - 1].cluster : G_MAXUINT;
    next_cl = k + 1 < n ? info[rtl ? i - 1 : i + 1].cluster : G_MAXUINT;
    ch = g_utf8_get_char (text + cl);
    prev = cl > 0 ? g_utf8_get_char (g_utf8_prev_char (text + cl)) : 0;
    cf = hf_text_char_flags (prev, ch);

    g.glyph = info[i].codepoint;
    g.face = ci[a].face;
    g.flags = (ci[a].level << HF_TEXT_LEVEL_SHIFT) | (cf & (HF_TEXT_SPACE
            | HF_TEXT_NEWLINE));
    if (cl != prev_cl)
      g.flags |= cf & HF_TEXT_BREAK_BEFORE;
    if (cl != next_cl)
      g.flags |= HF_TEXT_CLUSTER_END | (cf & HF_TEXT_CURSIVE);
    g.adv = (cf & HF_TEXT_NEWLINE) ? 0 : pos[i].x_advance / f->upem;
    g.dx = pos[i].x_offset / f->upem;
    g.dy = pos[i].y_offset / f->upem;
    g_array_append_val (out, g);
  }
}

/* A simplified Unicode bidi (UAX #9) for one paragraph without explicit
 * embeddings. base is the paragraph's direction (its first strong
 * character's). Digits read left to right but count as the strong
 * direction before them; a run of neutrals takes the direction on both
 * sides when they agree, else the base direction (rules N1 and N2). */
static void
resolve_directions (CharInfo * ci, guint n, int base)
{
  int last = base;
  guint i, j;

  for (i = 0; i < n; i++) {
    if (ci[i].dir == DIR_LTR || ci[i].dir == DIR_RTL)
      last = ci[i].dir;
    else if (ci[i].dir == DIR_DIGIT)
      ci[i].ctx = last;
  }
  last = base;
  for (i = 0; i < n; i = j) {
    int next;

    if (ci[i].dir != DIR_NEUTRAL) {
      last = ci[i].dir == DIR_DIGIT ? ci[i].ctx : ci[i].dir;
      j = i + 1;
      continue;
    }
    for (j = i; j < n && ci[j].dir == DIR_NEUTRAL; j++);
    next = j == n ? base : ci[j].dir == DIR_DIGIT ? ci[j].ctx : ci[j].dir;
    for (; i < j; i++)
      ci[i].dir = last == next ? last : base;
  }
  /* Embedding levels: the paragraph's is 0 (left to right) or 1; text
   * against it goes one level up, and digits after right-to-left text two
   * (rules W2, W7, I1 and I2). */
  for (i = 0; i < n; i++) {
    int d = ci[i].dir == DIR_DIGIT ? ci[i].ctx : ci[i].dir;
    if (d == DIR_RTL)
      ci[i].level = ci[i].dir == DIR_DIGIT ? 2 : 1;
    else
      ci[i].level = base == DIR_RTL ? 2 : 0;
  }
}

HfShaped *
hf_type_shape (HfTypeface * const *chain, guint n_fonts, const char *text)
{
  hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default ();
  GArray *chars = g_array_new (FALSE, FALSE, sizeof (CharInfo));
  GArray *out = g_array_new (FALSE, FALSE, sizeof (HfTextGlyph));
  HfShaped *s = g_new0 (HfShaped, 1);
  char *copy;
  const char *p;
  CharInfo *ci;
  guint i, a, n;
  int strong = DIR_NEUTRAL;
  hb_buffer_t *buf;

  if (text == NULL || n_fonts == 0 || !g_utf8_validate (text, -1, NULL))
    goto done;
  /* A tab is shaped as a space. */
  copy = g_strdup (text);
  g_strdelimit (copy, "\t", ' ');

  for (p = copy; *p; p = g_utf8_next_char (p)) {
    CharInfo c = { (guint) (p - copy), g_utf8_get_char (p), 0, DIR_NEUTRAL,
      DIR_NEUTRAL, 0
    };
    guint16 prev_face = chars->len ? g_array_index (chars, CharInfo,
        chars->len - 1).face : 0;
    guint k;

    c.dir = char_dir (uf, c.ch);
    if (chars->len > 0 && joins_previous (c.ch)
        && hf_typeface_has_char (chain[prev_face], c.ch)) {
      c.face = prev_face;
    } else {
      for (k = 0; k < n_fonts && !hf_typeface_has_char (chain[k], c.ch); k++);
      c.face = k < n_fonts ? k : 0;
    }
    if (strong == DIR_NEUTRAL && (c.dir == DIR_LTR || c.dir == DIR_RTL))
      strong = c.dir;
    g_array_append_val (chars, c);
  }
  ci = (CharInfo *) chars->data;
  n = chars->len;
  resolve_directions (ci, n, strong == DIR_NEUTRAL ? DIR_LTR : strong);

  buf = hb_buffer_create ();
  for (a = 0; a < n; a = i) {
    for (i = a + 1; i < n && ci[i].face == ci[a].face
        && ci[i].level == ci[a].level; i++);
    shape_run (chain[ci[a].face], buf, copy, (int) strlen (copy), ci, a, i, n,
        out);
  }
  hb_buffer_destroy (buf);
  g_free (copy);

done:
  g_array_free (chars, TRUE);
  s->n = out->len;
  s->glyphs = (HfTextGlyph *) g_array_free (out, FALSE);
  return s;
}

/* ---- outlines ----------------------------------------------------- */

typedef struct
{
  GArray *ops, *xy;
  double k;                     /* em per font unit */
  double cx, cy;                /* current point, em */
} OutlineSink;

static void
sink_op (OutlineSink * s, guint8 op, const double *v, int n)
{
  g_array_append_val (s->ops, op);
  g_array_append_vals (s->xy, v, n);
  s->cx = v[n - 2];
  s->cy = v[n - 1];
}

/* A move or a line to `to`; 0 tells FreeType to go on. */
static int
sink_point_op (OutlineSink * s, guint8 op, const FT_Vector * to)
{
  double v[2] = { to->x * s->k, to->y * s->k };

  sink_op (s, op, v, 2);
  return 0;
}

static int
on_move (const FT_Vector * to, void *user)
{
  return sink_point_op (user, 'M', to);
}

static int
on_line (const FT_Vector * to, void *user)
{
  return sink_point_op (user, 'L', to);
}

/* A quadratic is the cubic with control points 2/3 of the way from each
 * end to its one control point. */
static int
on_conic (const FT_Vector * c, const FT_Vector * to, void *user)
{
  OutlineSink *s = user;
  double qx = c->x * s->k, qy = c->y * s->k;
  double x = to->x * s->k, y = to->y * s->k;
  double v[6] = { s->cx + 2.0 / 3.0 * (qx - s->cx),
    s->cy + 2.0 / 3.0 * (qy - s->cy),
    x + 2.0 / 3.0 * (qx - x), y + 2.0 / 3.0 * (qy - y), x, y
  };

  sink_op (s, 'C', v, 6);
  return 0;
}

static int
on_cubic (const FT_Vector * c1, const FT_Vector * c2, const FT_Vector * to,
    void *user)
{
  OutlineSink *s = user;
  double v[6] = { c1->x * s->k, c1->y * s->k, c2->x * s->k, c2->y * s->k,
    to->x * s->k, to->y * s->k
  };

  sink_op (s, 'C', v, 6);
  return 0;
}

static const FT_Outline_Funcs outline_funcs = {
  on_move, on_line, on_conic, on_cubic, 0, 0
};

/* The outline of glyph gid, read on first use. A glyph FreeType cannot
 * load is empty (drawn as nothing), as it is in every renderer. */
static const Outline *
get_outline (HfTypeface * f, guint gid)
{
  Outline *o;

  g_mutex_lock (&f->lock);
  o = g_hash_table_lookup (f->outlines, GUINT_TO_POINTER (gid));
  if (o == NULL) {
    OutlineSink s;

    s.ops = g_array_new (FALSE, FALSE, sizeof (guint8));
    s.xy = g_array_new (FALSE, FALSE, sizeof (double));
    s.k = 1.0 / f->upem;
    s.cx = s.cy = 0;
    if (FT_Load_Glyph (f->ft, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING
            | FT_LOAD_NO_BITMAP) == 0
        && f->ft->glyph->format == FT_GLYPH_FORMAT_OUTLINE)
      FT_Outline_Decompose (&f->ft->glyph->outline, &outline_funcs, &s);
    o = g_new0 (Outline, 1);
    o->n_ops = s.ops->len;
    o->ops = (guint8 *) g_array_free (s.ops, FALSE);
    o->xy = (double *) g_array_free (s.xy, FALSE);
    g_hash_table_insert (f->outlines, GUINT_TO_POINTER (gid), o);
  }
  g_mutex_unlock (&f->lock);
  return o;
}

typedef struct
{
  HfPath *path;
  HfTypeface *const *chain;
  double size;
} EmitCtx;

static void
emit_glyph (gpointer data, const HfTextGlyph * g, double x, double y)
{
  EmitCtx *e = data;
  const Outline *o = get_outline (e->chain[g->face], g->glyph);
  const double *v = o->xy;
  double k = e->size;
  gboolean open = FALSE;
  guint i;

  for (i = 0; i < o->n_ops; i++) {
    switch (o->ops[i]) {
      case 'M':
        if (open)
          hf_path_close (e->path);
        hf_path_move_to (e->path, x + v[0] * k, y - v[1] * k);
        open = TRUE;
        v += 2;
        break;
      case 'L':
        hf_path_line_to (e->path, x + v[0] * k, y - v[1] * k);
        v += 2;
        break;
      default:
        hf_path_cubic_to (e->path, x + v[0] * k, y - v[1] * k,
            x + v[2] * k, y - v[3] * k, x + v[4] * k, y - v[5] * k);
        v += 6;
        break;
    }
  }
  if (open)
    hf_path_close (e->path);
}

void
hf_type_layout_path (HfPath * path, HfTypeface * const *chain,
    const HfShaped * s, const HfTextLayout * l)
{
  EmitCtx e = { path, chain, MIN (l->size, 1e5) };
  HfTextLayout lc = *l;

  lc.size = e.size;
  hf_text_layout (s, &lc, emit_glyph, &e);
}

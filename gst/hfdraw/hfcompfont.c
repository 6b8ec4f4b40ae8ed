/* hfcompfont: <font> declarations and the texts that use them
 * (docs/composition-format.md, "Fonts"). A composition renders the same on
 * every machine or is refused: fonts come only from the files it names,
 * and every character of every text must have a glyph in its font chain
 * when the composition loads. */
#include "hfcompparse.h"

#include <string.h>

static void
font_def_clear (gpointer p)
{
  FontDef *d = p;

  g_free (d->id);
  g_free (d->fallback);
}

static void
text_ref_clear (gpointer p)
{
  g_free (((TextRef *) p)->font_id);
}

static void
face_free (gpointer p)
{
  hf_typeface_free (p);
}

void
hf_parse_fonts_init (ParseState * ps)
{
  ps->faces = g_ptr_array_new_with_free_func (face_free);
  ps->face_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ps->fonts = g_array_new (FALSE, FALSE, sizeof (FontDef));
  g_array_set_clear_func (ps->fonts, font_def_clear);
  ps->font_ids = g_hash_table_new (g_str_hash, g_str_equal);
  ps->texts = g_array_new (FALSE, FALSE, sizeof (TextRef));
  g_array_set_clear_func (ps->texts, text_ref_clear);
}

void
hf_parse_fonts_clear (ParseState * ps)
{
  if (ps->faces)
    g_ptr_array_unref (ps->faces);
  g_hash_table_unref (ps->face_keys);
  g_hash_table_unref (ps->font_ids);
  g_array_free (ps->fonts, TRUE);
  g_array_free (ps->texts, TRUE);
}

/* The typeface for (path, index), opened on first use. */
static gboolean
open_face (ParseState * ps, const char *src, gint64 index, guint * face,
    GError ** error)
{
  char *path = ps->base_dir && !g_path_is_absolute (src)
      ? g_build_filename (ps->base_dir, src, NULL) : g_strdup (src);
  char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", index, path);
  gpointer idx = g_hash_table_lookup (ps->face_keys, key);
  GError *err = NULL;
  HfTypeface *tf;
  int line, col;

  if (idx != NULL) {
    *face = GPOINTER_TO_UINT (idx) - 1;
    g_free (key);
    g_free (path);
    return TRUE;
  }
  tf = hf_typeface_new (path, (int) index, &err);
  g_free (path);
  if (tf == NULL) {
    hf_parse_attr_position (ps, "src", &line, &col);
    hf_parse_fail_at (ps, error,
        g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT)
        ? HF_COMP_ERROR_NOT_FOUND : HF_COMP_ERROR_INVALID, line, col,
        "cannot use font '%s': %s", src, err->message);
    g_error_free (err);
    g_free (key);
    return FALSE;
  }
  g_ptr_array_add (ps->faces, tf);
  *face = ps->faces->len - 1;
  g_hash_table_insert (ps->face_keys, key, GUINT_TO_POINTER (*face + 1));
  return TRUE;
}

gboolean
hf_parse_font (ParseState * ps, const char **names, const char **values,
    GError ** error)
{
  const char *id = NULL, *src = NULL, *fallback = NULL;
  gint64 index = 0;
  FontDef def;
  guint i;

  for (i = 0; names[i] != NULL; i++) {
    if (strcmp (names[i], "id") == 0) {
      id = values[i];
    } else if (strcmp (names[i], "src") == 0) {
      src = values[i];
    } else if (strcmp (names[i], "fallback") == 0) {
      fallback = values[i];
    } else if (strcmp (names[i], "index") == 0) {
      if (!hf_comp_parse_int (values[i], &index) || index < 0
          || index > G_MAXINT)
        return hf_parse_fail_attr (ps, error, names[i],
            "index must be an integer >= 0 (a font of a collection), got "
            "'%s'", values[i]);
    } else {
      return hf_parse_fail_attr (ps, error, names[i],
          "unknown attribute '%s' on <font>", names[i]);
    }
  }
  if (!hf_type_available ())
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<font> needs FreeType and HarfBuzz, and this build of hfdrawsrc has "
        "them turned off (meson -Dfonts=disabled)");
  if (id == NULL || id[0] == '\0' || src == NULL || src[0] == '\0')
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<font> needs an id and a src (the font file)");
  if (g_hash_table_contains (ps->font_ids, id))
    return hf_parse_fail_attr (ps, error, "id", "font id '%s' is defined "
        "twice", id);
  if (!open_face (ps, src, index, &def.face, error))
    return FALSE;
  def.id = g_strdup (id);
  def.fallback = g_strdup (fallback);
  g_markup_parse_context_get_position (ps->ctx, &def.line, &def.col);
  g_array_append_val (ps->fonts, def);
  g_hash_table_insert (ps->font_ids, def.id, GUINT_TO_POINTER (ps->fonts->len));
  return TRUE;
}

void
hf_parse_add_text (ParseState * ps, HfElement * el)
{
  TextRef t = { el, NULL, 0, 0 };

  g_markup_parse_context_get_position (ps->ctx, &t.line, &t.col);
  g_array_append_val (ps->texts, t);
}

void
hf_parse_text_font (ParseState * ps, const char *id)
{
  TextRef *t = &g_array_index (ps->texts, TextRef, ps->texts->len - 1);

  g_free (t->font_id);
  t->font_id = g_strdup (id);
}

/* The fonts font i names in fallback, as indices into ps->fonts (-1
 * ends the list), into out (room for every font). */
static gboolean
direct_fallbacks (ParseState * ps, guint i, int *out, GError ** error)
{
  const FontDef *d = &g_array_index (ps->fonts, FontDef, i);
  char **ids = g_strsplit_set (d->fallback ? d->fallback : "", " \t\n,",
      -1);
  guint k, n = 0;

  for (k = 0; ids[k] != NULL; k++) {
    guint f;

    if (ids[k][0] == '\0')
      continue;
    f = GPOINTER_TO_UINT (g_hash_table_lookup (ps->font_ids, ids[k]));
    if (f == 0) {
      int line, col;
      hf_parse_attr_position_at (ps, d->line, d->col, "fallback", &line, &col);
      hf_parse_fail_at (ps, error, HF_COMP_ERROR_INVALID, line, col,
          "unknown font id '%s' in fallback", ids[k]);
      g_strfreev (ids);
      return FALSE;
    }
    if (n < ps->fonts->len)
      out[n++] = (int) f - 1;
  }
  out[n] = -1;
  g_strfreev (ids);
  return TRUE;
}

/* Chains: each font, then its fallbacks, then theirs, breadth first, each
 * font once. */
static gboolean
build_chains (ParseState * ps, GError ** error)
{
  HfComposition *comp = ps->comp;
  guint n = ps->fonts->len, i, k;
  int *direct = g_new (int, (gsize) n * (n + 1));
  int *queue = g_new (int, n + 1);
  gboolean *seen = g_new (gboolean, n + 1);

  for (i = 0; i < n; i++)
    if (!direct_fallbacks (ps, i, direct + (gsize) i * (n + 1), error)) {
      g_free (direct);
      g_free (queue);
      g_free (seen);
      return FALSE;
    }
  comp->n_chains = n;
  comp->chains = g_new0 (HfFontChain, n);
  for (i = 0; i < n; i++) {
    HfFontChain *c = &comp->chains[i];
    guint head = 0, tail = 0;

    memset (seen, 0, (n + 1) * sizeof (gboolean));
    c->id = g_strdup (g_array_index (ps->fonts, FontDef, i).id);
    c->faces = g_new (HfTypeface *, n);
    queue[tail++] = (int) i;
    seen[i] = TRUE;
    while (head < tail) {
      int f = queue[head++];
      const int *fb = direct + (gsize) f * (n + 1);

      c->faces[c->n_faces++] = g_ptr_array_index (ps->faces,
          g_array_index (ps->fonts, FontDef, f).face);
      for (k = 0; fb[k] >= 0; k++)
        if (!seen[fb[k]]) {
          seen[fb[k]] = TRUE;
          queue[tail++] = fb[k];
        }
    }
  }
  g_free (direct);
  g_free (queue);
  g_free (seen);
  return TRUE;
}

static gboolean
chain_has (const HfComposition * comp, int font, gunichar ch)
{
  const HfFontChain *c;
  guint i;

  if (font < 0)
    return hf_font_has_char (ch);
  c = &comp->chains[font];
  for (i = 0; i < c->n_faces; i++)
    if (hf_typeface_has_char (c->faces[i], ch))
      return TRUE;
  return FALSE;
}

/* The first character of t's text (or of what its placeholders write)
 * that its fonts cannot draw; 0 when there is none. */
static gunichar
first_missing (const HfComposition * comp, const HfElement * el)
{
  const char *p = el->text, *q;

  while (*p) {
    gsize n = hf_comp_placeholder_at (p);
    if (n > 0) {
      for (q = HF_COMP_PLACEHOLDER_CHARS; *q; q++)
        if (!chain_has (comp, el->font, (guchar) * q))
          return (guchar) * q;
      p += n;
      continue;
    }
    if (!chain_has (comp, el->font, g_utf8_get_char (p)))
      return g_utf8_get_char (p);
    p = g_utf8_next_char (p);
  }
  return 0;
}

static gboolean
refuse_missing (ParseState * ps, const TextRef * t, gunichar ch,
    GError ** error)
{
  char shown[16] = "";
  int line, col;

  hf_parse_tag_position_at (ps, t->line, t->col, &line, &col);
  if (g_unichar_isprint (ch)) {
    shown[0] = ' ';
    shown[1] = '\'';
    shown[2 + g_unichar_to_utf8 (ch, shown + 2)] = '\'';
  }
  if (t->el->font < 0)
    return hf_parse_fail_at (ps, error, HF_COMP_ERROR_INVALID, line, col,
        "the built-in font has no glyph for U+%04X%s: declare a <font> "
        "that has one and use it with font=\"id\"", ch, shown);
  return hf_parse_fail_at (ps, error, HF_COMP_ERROR_INVALID, line, col,
      "font '%s' has no glyph for U+%04X%s, nor have its fallbacks",
      ps->comp->chains[t->el->font].id, ch, shown);
}

gboolean
hf_parse_finish_texts (ParseState * ps, GError ** error)
{
  HfComposition *comp = ps->comp;
  guint i;

  if (!build_chains (ps, error))
    return FALSE;
  comp->faces = g_steal_pointer (&ps->faces);
  for (i = 0; i < ps->texts->len; i++) {
    const TextRef *t = &g_array_index (ps->texts, TextRef, i);
    HfElement *el = t->el;
    gunichar missing;

    el->font = -1;
    if (t->font_id != NULL) {
      guint f = GPOINTER_TO_UINT (g_hash_table_lookup (ps->font_ids,
              t->font_id));
      if (f == 0) {
        int line, col;
        hf_parse_attr_position_at (ps, t->line, t->col, "font", &line, &col);
        return hf_parse_fail_at (ps, error, HF_COMP_ERROR_INVALID, line, col,
            "unknown font id '%s'", t->font_id);
      }
      el->font = (int) f - 1;
    }
    if (el->text == NULL)
      continue;
    if ((missing = first_missing (comp, el)) != 0)
      return refuse_missing (ps, t, missing, error);
    if (el->text_dynamic)
      continue;
    if (el->font < 0)
      el->shaped = hf_font_shape (el->text);
    else
      el->shaped = hf_type_shape (comp->chains[el->font].faces,
          comp->chains[el->font].n_faces, el->text);
  }
  return TRUE;
}

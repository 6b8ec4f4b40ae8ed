/* hfcompparse: reads composition markup (docs/composition-format.md) with
 * GMarkup into the scene model of hfcomp-private.h.
 *
 * Hostile input stays bounded: the element count and the nesting depth are
 * checked as each start tag arrives, so neither memory nor the (bounded)
 * recursion elsewhere can grow past the limits of hfcomp.h. Errors carry
 * "NAME:LINE:COL", pointing at the offending tag or attribute. */
#include "hfcompparse.h"

#include <math.h>
#include <string.h>
#include <stdarg.h>
#include <glib/gstdio.h>

/* Spelled out rather than G_DEFINE_QUARK, whose name argument is not a
 * string: gst-indent would put spaces around its hyphens. */
GQuark
hf_comp_error_quark (void)
{
  return g_quark_from_static_string ("hf-comp-error-quark");
}

static const char *element_names[HF_EL_N_TYPES] = {
  "group",
  "rect",
  "ellipse",
  "polygon",
  "path",
  "text",
  "image",
};

static void
element_free_ptr (gpointer p)
{
  hf_element_free (p);
}

static Frame *
push_frame (ParseState * ps, FrameKind kind, const char *name)
{
  Frame *f = &ps->stack[ps->depth++];

  memset (f, 0, sizeof (*f));
  f->kind = kind;
  f->name = name;
  return f;
}

static void
frame_clear (Frame * f)
{
  if (f->children)
    g_ptr_array_free (f->children, TRUE);
  if (f->tweens)
    g_array_free (f->tweens, TRUE);
  if (f->text)
    g_string_free (f->text, TRUE);
  memset (f, 0, sizeof (*f));
}

/* Attributes of a drawable element (or a group). */
static gboolean
start_composition (ParseState * ps, const char **names, const char **values,
    GError ** error)
{
  HfElement *root;
  Frame *f;

  if (!hf_parse_composition_attrs (ps, names, values, error))
    return FALSE;
  root = hf_parse_element_new (HF_EL_GROUP, ps->order++);
  root->begin = root->start = 0.0;
  root->end = ps->comp->info.duration;
  ps->comp->root = root;
  f = push_frame (ps, F_COMPOSITION, "composition");
  f->el = root;
  f->children = g_ptr_array_new_with_free_func (element_free_ptr);
  return TRUE;
}

static gboolean
start_tween (ParseState * ps, const char **names, const char **values,
    GError ** error)
{
  Frame *parent = &ps->stack[ps->depth - 1];
  HfTween tw;

  if (!hf_parse_tween (ps, parent->el, parent->name, names, values, &tw, error))
    return FALSE;
  if (parent->tweens == NULL)
    parent->tweens = g_array_new (FALSE, FALSE, sizeof (HfTween));
  g_array_append_val (parent->tweens, tw);
  push_frame (ps, F_TWEEN, "tween");
  return TRUE;
}

static gboolean
start_element_node (ParseState * ps, HfElementType type, const char *tag,
    const char **names, const char **values, GError ** error)
{
  Frame *parent = &ps->stack[ps->depth - 1];
  HfElement *el = hf_parse_element_new (type, ps->order++);
  Frame *f;

  /* The parent owns the element from here on, also on error paths. */
  g_ptr_array_add (parent->children, el);
  if (type == HF_EL_TEXT)
    hf_parse_add_text (ps, el);
  if (!hf_parse_element_attrs (ps, el, parent->el, tag, names, values, error))
    return FALSE;
  f = push_frame (ps, F_ELEMENT, element_names[type]);
  f->el = el;
  if (type == HF_EL_GROUP)
    f->children = g_ptr_array_new_with_free_func (element_free_ptr);
  if (type == HF_EL_TEXT)
    f->text = g_string_new (NULL);
  return TRUE;
}

/* A <clipPath>: a group of shapes that is never drawn itself. Its times
 * count from 0, the data-start of whatever it clips. */
static gboolean
start_clip_path (ParseState * ps, const char **names, const char **values,
    GError ** error)
{
  const char *id = NULL;
  HfElement *root;
  Frame *f;
  guint i;

  for (i = 0; names[i] != NULL; i++) {
    if (strcmp (names[i], "id") != 0)
      return hf_parse_fail_attr (ps, error, names[i],
          "unknown attribute '%s' on <clipPath>", names[i]);
    id = values[i];
  }
  if (id == NULL || id[0] == '\0')
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<clipPath> needs an id");
  if (g_hash_table_contains (ps->clip_ids, id))
    return hf_parse_fail_attr (ps, error, "id", "clipPath id '%s' is "
        "defined twice", id);
  root = hf_parse_element_new (HF_EL_GROUP, ps->order++);
  root->end = HF_COMP_MAX_TIME;
  g_ptr_array_add (ps->clips, root);
  g_hash_table_insert (ps->clip_ids, g_strdup (id),
      GUINT_TO_POINTER (ps->clips->len));
  f = push_frame (ps, F_ELEMENT, "clipPath");
  f->el = root;
  f->children = g_ptr_array_new_with_free_func (element_free_ptr);
  ps->in_clip++;
  return TRUE;
}

static int
element_type_of (const char *name)
{
  int i;

  for (i = 0; i < HF_EL_N_TYPES; i++)
    if (strcmp (element_names[i], name) == 0)
      return i;
  return -1;
}

static void
on_start_element (GMarkupParseContext * ctx, const char *name,
    const char **names, const char **values, gpointer user_data,
    GError ** error)
{
  ParseState *ps = user_data;
  static const char *others[] = {
    "composition",
    "defs",
    "font",
    "clipPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "tween",
  };
  Frame *parent;
  int type = element_type_of (name);
  gboolean known = type >= 0;
  guint i;

  if (++ps->comp->n_nodes > HF_COMP_MAX_ELEMENTS) {
    hf_parse_fail_tag (ps, error, HF_COMP_ERROR_TOO_BIG,
        "more than %d elements", HF_COMP_MAX_ELEMENTS);
    return;
  }
  if (ps->depth >= HF_COMP_MAX_DEPTH) {
    hf_parse_fail_tag (ps, error, HF_COMP_ERROR_TOO_BIG,
        "elements nested deeper than %d", HF_COMP_MAX_DEPTH);
    return;
  }
  for (i = 0; i < G_N_ELEMENTS (others) && !known; i++)
    known = strcmp (others[i], name) == 0;
  if (!known) {
    char hint[64];

    hf_parse_tag_hint (name, hint, sizeof (hint));
    hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "unknown element <%s>%s", name, hint);
    return;
  }

  if (ps->depth == 0) {
    if (strcmp (name, "composition") != 0 || ps->have_root) {
      hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
          "the document must be one <composition> element, found <%s>", name);
      return;
    }
    ps->have_root = TRUE;
    start_composition (ps, names, values, error);
    return;
  }

  parent = &ps->stack[ps->depth - 1];
  switch (parent->kind) {
    case F_COMPOSITION:
      if (strcmp (name, "defs") == 0) {
        for (i = 0; names[i] != NULL; i++)
          if (strcmp (names[i], "id") != 0) {
            hf_parse_fail_attr (ps, error, names[i],
                "unknown attribute '%s' on <defs>", names[i]);
            return;
          }
        push_frame (ps, F_DEFS, "defs");
        return;
      }
      /* fall through */
    case F_ELEMENT:
      if (type >= 0
          && (parent->kind == F_COMPOSITION
              || parent->el->type == HF_EL_GROUP)) {
        start_element_node (ps, type, name, names, values, error);
        return;
      }
      if (strcmp (name, "tween") == 0 && parent->kind == F_ELEMENT) {
        start_tween (ps, names, values, error);
        return;
      }
      break;
    case F_DEFS:
      if (strcmp (name, "clipPath") == 0) {
        start_clip_path (ps, names, values, error);
        return;
      }
      if (strcmp (name, "font") == 0) {
        if (hf_parse_font (ps, names, values, error))
          push_frame (ps, F_FONT, "font");
        return;
      }
      if (strcmp (name, "linearGradient") == 0
          || strcmp (name, "radialGradient") == 0) {
        gboolean linear = name[0] == 'l';
        if (hf_parse_gradient (ps, linear ? HF_PAINT_LINEAR : HF_PAINT_RADIAL,
                name, names, values, error))
          push_frame (ps, F_GRADIENT,
              linear ? "linearGradient" : "radialGradient");
        return;
      }
      break;
    case F_GRADIENT:
      if (strcmp (name, "stop") == 0) {
        if (hf_parse_stop (ps, names, values, error))
          push_frame (ps, F_STOP, "stop");
        return;
      }
      break;
    case F_STOP:
    case F_TWEEN:
    case F_FONT:
      break;
  }
  hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
      "<%s> is not allowed inside <%s>", name, parent->name);
}

static int
compare_children (gconstpointer a, gconstpointer b)
{
  const HfElement *x = *(HfElement * const *) a;
  const HfElement *y = *(HfElement * const *) b;

  if (x->track != y->track)
    return x->track < y->track ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int
compare_tweens (gconstpointer a, gconstpointer b)
{
  const HfTween *x = a, *y = b;

  if (x->slot != y->slot)
    return x->slot < y->slot ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Collapses runs of white space to one space and trims the ends, as HTML
 * does with text content. */
static char *
normalize_text (const char *s, gsize len)
{
  GString *out = g_string_sized_new (len);
  gboolean space = FALSE;
  gsize i;

  for (i = 0; i < len; i++) {
    if (hf_parse_is_space (s[i])) {
      space = TRUE;
      continue;
    }
    if (space && out->len > 0)
      g_string_append_c (out, ' ');
    space = FALSE;
    g_string_append_c (out, s[i]);
  }
  return g_string_free (out, FALSE);
}

static void
finish_element (ParseState * ps, Frame * f)
{
  HfElement *el = f->el;
  const char *p;
  guint i;

  if (f->children != NULL) {
    g_ptr_array_sort (f->children, compare_children);
    el->n_children = f->children->len;
    el->children = (HfElement **) g_ptr_array_steal (f->children, NULL);
  }
  if (f->tweens != NULL) {
    g_array_sort (f->tweens, compare_tweens);
    el->n_tweens = f->tweens->len;
    el->tweens = (HfTween *) g_array_free (f->tweens, FALSE);
    f->tweens = NULL;
    /* A tween without from starts from the value held just before it:
     * the base value, or where the previous tween on the slot left it. */
    for (i = 0; i < el->n_tweens; i++) {
      HfTween *tw = &el->tweens[i];
      if (tw->from_set)
        continue;
      if (i > 0 && el->tweens[i - 1].slot == tw->slot)
        hf_tween_eval (&el->tweens[i - 1], tw->start, tw->from);
      else
        memcpy (tw->from, el->base + tw->slot, tw->n_slots * sizeof (double));
    }
    hf_timeline_add_tweens (ps, el);
  }
  if (f->text != NULL) {
    char *content = normalize_text (f->text->str, f->text->len);
    if (content[0] != '\0') {
      g_free (el->text);
      el->text = content;
    } else {
      g_free (content);
    }
    for (p = el->text; p && *p && !el->text_dynamic; p++)
      el->text_dynamic = hf_comp_placeholder_at (p) > 0;
    if (el->text_dynamic)
      hf_timeline_add_span (ps, el->start, el->end);
  }
}

static void
on_end_element (GMarkupParseContext * ctx, const char *name, gpointer user_data,
    GError ** error)
{
  ParseState *ps = user_data;
  Frame *f = &ps->stack[ps->depth - 1];

  if (f->kind == F_ELEMENT || f->kind == F_COMPOSITION)
    finish_element (ps, f);
  if (f->kind == F_ELEMENT && strcmp (f->name, "clipPath") == 0)
    ps->in_clip--;
  if (f->kind == F_GRADIENT) {
    const HfGradient *g
        = &g_array_index (ps->gradients, HfGradient, ps->gradients->len - 1);
    if (g->n_stops == 0) {
      hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
          "<%s> needs at least one <stop>", f->name);
    }
  }
  frame_clear (f);
  ps->depth--;
}

static void
on_text (GMarkupParseContext * ctx, const char *text, gsize len,
    gpointer user_data, GError ** error)
{
  ParseState *ps = user_data;
  Frame *f = ps->depth > 0 ? &ps->stack[ps->depth - 1] : NULL;
  gsize i;

  if (f != NULL && f->text != NULL) {
    if (f->text->len + len > HF_COMP_MAX_TEXT) {
      int line, col;
      g_markup_parse_context_get_position (ctx, &line, &col);
      hf_parse_fail_at (ps, error, HF_COMP_ERROR_INVALID, line, col,
          "text longer than %d bytes: split it " "into several <text> elements",
          HF_COMP_MAX_TEXT);
      return;
    }
    g_string_append_len (f->text, text, len);
    return;
  }
  for (i = 0; i < len; i++) {
    if (!hf_parse_is_space (text[i])) {
      int line, col;
      g_markup_parse_context_get_position (ctx, &line, &col);
      hf_parse_fail_at (ps, error, HF_COMP_ERROR_INVALID, line, col,
          "unexpected text%s%s%s", f ? " inside <" : "", f ? f->name : "",
          f ? ">" : "");
      return;
    }
  }
}

static const GMarkupParser parser = {
  on_start_element,
  on_end_element,
  on_text,
  NULL,
  NULL,
};

static gboolean
resolve_refs (ParseState * ps, GError ** error)
{
  HfComposition *comp = ps->comp;
  guint i;

  comp->n_clips = ps->clips->len;
  comp->clips_animated = g_new0 (gboolean, comp->n_clips);
  for (i = 0; i < comp->n_clips; i++)
    comp->clips_animated[i] =
        hf_timeline_clip_animated (g_ptr_array_index (ps->clips, i), TRUE);
  comp->clips = (HfElement **) g_ptr_array_steal (ps->clips, NULL);

  for (i = 0; i < ps->refs->len; i++) {
    PendingRef *ref = &g_array_index (ps->refs, PendingRef, i);
    GHashTable *ids = ref->kind == HF_REF_CLIP ? ps->clip_ids
        : ps->gradient_ids;
    guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (ids, ref->id));
    const char *attr = ref->kind == HF_REF_CLIP ? "clip-path"
        : ref->kind == HF_REF_STROKE ? "stroke" : "fill";

    if (idx == 0) {
      int line, col;
      hf_parse_attr_position_at (ps, ref->line, ref->col, attr, &line, &col);
      return hf_parse_fail_at (ps, error, HF_COMP_ERROR_INVALID, line, col,
          "unknown %s id '%s'", ref->kind == HF_REF_CLIP ? "clipPath"
          : "gradient", ref->id);
    }
    if (ref->kind == HF_REF_CLIP) {
      ref->el->clip = idx - 1;
      /* A moving clip changes the picture all the while it is shown. */
      if (comp->clips_animated[idx - 1])
        hf_timeline_add_span (ps, ref->el->start, ref->el->end);
    } else if (ref->kind == HF_REF_STROKE) {
      ref->el->stroke_gradient = idx - 1;
    } else {
      ref->el->fill_gradient = idx - 1;
    }
  }
  return TRUE;
}

static void
clear_ref (gpointer p)
{
  g_free (((PendingRef *) p)->id);
}

/* Rewrites a GMarkup error as "NAME:LINE:COL: what". */
static void
convert_markup_error (ParseState * ps, GError * err, GError ** error)
{
  const char *msg = err->message;
  int line, col;

  g_markup_parse_context_get_position (ps->ctx, &line, &col);
  if (g_str_has_prefix (msg, "Error on line ")) {
    const char *colon = strstr (msg, ": ");
    if (colon)
      msg = colon + 2;
  }
  g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_PARSE, "%s:%d:%d: %s",
      ps->name, line, col, msg);
}

/* Files the composition names are relative to base_dir (NULL: the
 * working directory). */
static HfComposition *
parse (const char *data, gssize len, const char *source_name,
    const char *base_dir, const HfCompLoader * loader, GError ** error)
{
  ParseState ps;
  GError *err = NULL;
  gboolean ok;
  int i;

  memset (&ps, 0, sizeof (ps));
  ps.name = source_name ? source_name : "composition";
  ps.base_dir = base_dir;
  if (loader)
    ps.loader = *loader;
  hf_parse_fonts_init (&ps);
  hf_parse_images_init (&ps);
  ps.data = data;
  ps.len = len < 0 ? strlen (data) : (gsize) len;
  ps.comp = g_new0 (HfComposition, 1);
  ps.gradients = g_array_new (FALSE, FALSE, sizeof (HfGradient));
  ps.gradient_ids
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ps.refs = g_array_new (FALSE, FALSE, sizeof (PendingRef));
  ps.clips = g_ptr_array_new_with_free_func (element_free_ptr);
  ps.clip_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_array_set_clear_func (ps.refs, clear_ref);
  ps.events = g_array_new (FALSE, FALSE, sizeof (double));
  ps.spans = g_array_new (FALSE, FALSE, sizeof (double));
  ps.ctx = g_markup_parse_context_new (&parser, 0, &ps, NULL);

  ok = g_markup_parse_context_parse (ps.ctx, data, ps.len, &err)
      && g_markup_parse_context_end_parse (ps.ctx, &err);
  if (!ok) {
    if (err->domain == G_MARKUP_ERROR)
      convert_markup_error (&ps, err, error);
    else
      g_propagate_error (error, g_steal_pointer (&err));
    g_clear_error (&err);
  } else if (!ps.have_root) {
    int line, col;

    /* A lone comment or declaration is well-formed markup without a root:
     * point at the end of the input, where <composition> was expected. */
    hf_parse_position_of_offset (&ps, ps.len, &line, &col);
    ok = hf_parse_fail_at (&ps, error, HF_COMP_ERROR_INVALID, line, col,
        "no <composition> element");
  } else {
    ok = resolve_refs (&ps, error) && hf_parse_finish_texts (&ps, error);
  }

  for (i = ps.depth; i-- > 0;)
    frame_clear (&ps.stack[i]);
  if (ok) {
    hf_timeline_finish (&ps);
    ps.comp->images = g_steal_pointer (&ps.images);
    ps.comp->n_gradients = ps.gradients->len;
    ps.comp->gradients = (HfGradient *) g_array_free (ps.gradients, FALSE);
    ps.gradients = NULL;
  } else {
    hf_composition_free (ps.comp);
    ps.comp = NULL;
  }

  g_markup_parse_context_free (ps.ctx);
  if (ps.gradients)
    g_array_free (ps.gradients, TRUE);
  g_hash_table_unref (ps.gradient_ids);
  g_array_free (ps.refs, TRUE);
  g_ptr_array_unref (ps.clips);
  g_hash_table_unref (ps.clip_ids);
  hf_parse_fonts_clear (&ps);
  hf_parse_images_clear (&ps);
  if (ps.events)
    g_array_free (ps.events, TRUE);
  if (ps.spans)
    g_array_free (ps.spans, TRUE);
  return ps.comp;
}

HfComposition *
hf_composition_new_from_data (const char *data, gssize len,
    const char *source_name, GError ** error)
{
  g_return_val_if_fail (data != NULL, NULL);

  return parse (data, len, source_name, NULL, NULL, error);
}

HfComposition *
hf_composition_new_from_data_with (const char *data, gssize len,
    const char *source_name, const HfCompLoader * loader, GError ** error)
{
  g_return_val_if_fail (data != NULL, NULL);

  return parse (data, len, source_name, NULL, loader, error);
}

HfComposition *
hf_composition_new_from_file (const char *path, GError ** error)
{
  return hf_composition_new_from_file_with (path, NULL, error);
}

HfComposition *
hf_composition_new_from_file_with (const char *path,
    const HfCompLoader * loader, GError ** error)
{
  GStatBuf st;
  char *contents = NULL, *dir;
  gsize len = 0;
  HfComposition *comp;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) == 0 && st.st_size > HF_COMP_MAX_FILE_SIZE) {
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_TOO_BIG,
        "%s: file larger than %d bytes", path, HF_COMP_MAX_FILE_SIZE);
    return NULL;
  }
  /* The GFileError message names the path. */
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  dir = g_path_get_dirname (path);
  comp = parse (contents, len, path, dir, loader, error);
  g_free (dir);
  g_free (contents);
  return comp;
}

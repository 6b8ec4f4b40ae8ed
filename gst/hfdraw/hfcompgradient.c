/* hfcompgradient: <linearGradient>, <radialGradient> and their <stop>s
 * (docs/composition-format.md, "Gradients"). */
#include "hfcompparse.h"

#include <math.h>
#include <string.h>

#define BIG HF_COMP_MAX_COORD

/* A gradient's numeric attributes: where each goes, and its least value. */
typedef struct
{
  const char *name;
  gsize offset;
  double min;
} GradientAttr;

static const GradientAttr linear_attrs[] = {
  {"x1", G_STRUCT_OFFSET (HfGradient, x0), -BIG},
  {"y1", G_STRUCT_OFFSET (HfGradient, y0), -BIG},
  {"x2", G_STRUCT_OFFSET (HfGradient, x1), -BIG},
  {"y2", G_STRUCT_OFFSET (HfGradient, y1), -BIG},
  {NULL, 0, 0}
};

static const GradientAttr radial_attrs[] = {
  {"cx", G_STRUCT_OFFSET (HfGradient, x0), -BIG},
  {"cy", G_STRUCT_OFFSET (HfGradient, y0), -BIG},
  {"r", G_STRUCT_OFFSET (HfGradient, r), 0},
  {NULL, 0, 0}
};

gboolean
hf_parse_gradient (ParseState * ps, HfPaintType type, const char *tag,
    const char **names, const char **values, GError ** error)
{
  HfGradient g;
  const char *id = NULL;
  guint i;

  memset (&g, 0, sizeof (g));
  g.type = type;
  g.x1 = 100.0;
  g.r = 100.0;
  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];
    const GradientAttr *a;

    if (strcmp (n, "id") == 0) {
      id = val;
      continue;
    }
    for (a = type == HF_PAINT_LINEAR ? linear_attrs : radial_attrs;
        a->name != NULL && strcmp (n, a->name) != 0; a++);
    if (a->name == NULL)
      return hf_parse_fail_attr (ps, error, n, "unknown attribute '%s' on <%s>",
          n, tag);
    if (!hf_parse_number_in_range (ps, error, n, val, a->min, BIG,
            G_STRUCT_MEMBER_P (&g, a->offset)))
      return FALSE;
  }
  if (id == NULL || *id == '\0')
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "a gradient needs an id");
  if (g_hash_table_contains (ps->gradient_ids, id))
    return hf_parse_fail_attr (ps, error, "id",
        "gradient id '%s' is already defined", id);
  g_array_append_val (ps->gradients, g);
  g_hash_table_insert (ps->gradient_ids, g_strdup (id),
      GUINT_TO_POINTER (ps->gradients->len));
  return TRUE;
}

gboolean
hf_parse_stop (ParseState * ps, const char **names, const char **values,
    GError ** error)
{
  HfGradient *g
      = &g_array_index (ps->gradients, HfGradient, ps->gradients->len - 1);
  HfStop stop = { 0.0, {0, 0, 0, 255} };
  double opacity = 1.0;
  guint i;

  if (g->n_stops == HF_MAX_STOPS)
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "a gradient has at most %d stops", HF_MAX_STOPS);
  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];

    if (strcmp (n, "offset") == 0) {
      size_t len = strlen (val);
      gboolean pct = len > 0 && val[len - 1] == '%';
      char *num = g_strndup (val, pct ? len - 1 : len);
      gboolean ok = hf_comp_parse_number (num, &stop.offset);
      g_free (num);
      if (!ok)
        return hf_parse_fail_attr (ps, error, n, "malformed offset '%s'", val);
      if (pct)
        stop.offset /= 100.0;
      if (stop.offset < 0.0 || stop.offset > 1.0)
        return hf_parse_fail_attr (ps, error, n,
            "offset must be 0 to 1 (or 0%% to 100%%), got '%s'", val);
    } else if (strcmp (n, "color") == 0 || strcmp (n, "stop-color") == 0) {
      if (!hf_comp_parse_color (val, &stop.color))
        return hf_parse_fail_attr (ps, error, n, "malformed colour '%s'", val);
    } else if (strcmp (n, "opacity") == 0 || strcmp (n, "stop-opacity") == 0) {
      if (!hf_parse_number_in_range (ps, error, n, val, 0, 1, &opacity))
        return FALSE;
    } else {
      return hf_parse_fail_attr (ps, error, n,
          "unknown attribute '%s' on <stop>", n);
    }
  }
  stop.color.a = (guint8) lround (stop.color.a * opacity);
  /* As in SVG, an offset below the previous one is raised to it. */
  if (g->n_stops > 0 && stop.offset < g->stops[g->n_stops - 1].offset)
    stop.offset = g->stops[g->n_stops - 1].offset;
  g->stops[g->n_stops++] = stop;
  return TRUE;
}

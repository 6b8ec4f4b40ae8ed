/* hfcomphint: what the error for an unknown element or attribute adds
 * when SVG, CSS or another animation tool uses that name: the name to
 * write here instead. */
#include "hfcompparse.h"

#include <string.h>

void
hf_parse_element_hint (const char *name, HfElementType type, char *buf,
    gsize len)
{
  static const struct
  {
    const char *theirs, *ours, *say;
  } hints[] = {
    {"href", "src", NULL}, {"xlink:href", "src", NULL},
    {"preserveAspectRatio", "fit", NULL}, {"font-size", "size", NULL},
    {"font-weight", "weight", NULL}, {"font-family", "font", NULL},
    {"text-anchor", "align", NULL}, {"rx", "radius", NULL},
    {"ry", "radius", NULL}, {"fill-opacity", "opacity", NULL},
    {"transform", "rotate", "; a transform is written as the attributes "
          "translate-x, translate-y, scale and rotate"},
  };
  guint i;

  buf[0] = '\0';
  for (i = 0; i < G_N_ELEMENTS (hints); i++)
    if (strcmp (name, hints[i].theirs) == 0
        && hf_parse_attr_applies (hints[i].ours, type)) {
      if (hints[i].say)
        g_snprintf (buf, len, "%s", hints[i].say);
      else
        g_snprintf (buf, len, "; did you mean '%s'?", hints[i].ours);
      return;
    }
}

void
hf_parse_tween_hint (const char *name, char *buf, gsize len)
{
  /* Names from other animation tools, and near misspellings. */
  static const char *alias[][2] = {
    {"delay", "start"}, {"begin", "start"}, {"dur", "duration"},
    {"time", "duration"}, {"easing", "ease"}, {"property", "attr"},
    {"attribute", "attr"}, {"value", "to"}, {"loop", "repeat"},
    {"repeatCount", "repeat"}, {"reverse", "yoyo"},
  };
  static const char *known[] = { "attr", "from", "to", "start",
    "duration", "ease", "repeat", "yoyo"
  };
  const char *hint = NULL;
  guint k;

  for (k = 0; k < G_N_ELEMENTS (alias) && !hint; k++)
    if (g_ascii_strcasecmp (name, alias[k][0]) == 0)
      hint = alias[k][1];
  for (k = 0; k < G_N_ELEMENTS (known) && !hint; k++)
    if (g_ascii_strncasecmp (name, known[k], 3) == 0)
      hint = known[k];
  if (hint)
    g_snprintf (buf, len, "; did you mean '%s'?", hint);
  else
    g_snprintf (buf, len, ".");
}

void
hf_parse_tag_hint (const char *name, char *buf, gsize len)
{
  static const char *hints[][2] = {
    {"circle", "<ellipse> with rx and ry"}, {"g", "<group>"},
    {"line", "<path>"}, {"polyline", "<path>"}, {"img", "<image>"},
    {"svg", "<composition>"}, {"animate", "<tween>"},
    {"animateTransform", "<tween>"}, {"linear-gradient", "<linearGradient>"},
    {"radial-gradient", "<radialGradient>"}, {"clip-path", "<clipPath>"},
  };
  guint i;

  buf[0] = '\0';
  for (i = 0; i < G_N_ELEMENTS (hints); i++)
    if (strcmp (name, hints[i][0]) == 0) {
      g_snprintf (buf, len, "; did you mean %s?", hints[i][1]);
      return;
    }
}

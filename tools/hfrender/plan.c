/* hfrender plan: the chunks of a render, for scripts and job arrays
 * (docs/hfrender.md).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "hfrender.h"

#include <string.h>

/* One chunk's file name: {i} in the pattern becomes the index, padded to
 * the width of the largest. */
static gchar *
chunk_name (const gchar * pattern, gint i, gint k)
{
  gint digits = 1, m;
  g_autofree gchar *index = NULL;
  GString *s = g_string_new (pattern);

  for (m = k - 1; m >= 10; m /= 10)
    digits++;
  index = g_strdup_printf ("%0*d", digits, i);
  g_string_replace (s, "{i}", index, 0);
  return g_string_free (s, FALSE);
}

/* A JSON string: quotes, backslashes and control characters escaped, any
 * other byte (UTF-8 included) as it is. */
static gchar *
json_string (const gchar * text)
{
  GString *s = g_string_new ("\"");
  const guchar *p;

  for (p = (const guchar *) text; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_printf (s, "\\%c", *p);
    else if (*p < 0x20)
      g_string_append_printf (s, "\\u%04x", *p);
    else
      g_string_append_c (s, (gchar) * p);
  }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

int
hfr_print_plan (gint64 n, gint fps_n, gint fps_d, gint width, gint height,
    gint chunks, gint chunk_frames, const gchar * pattern, gboolean json)
{
  gint k = chunks, i;

  if (n < 0) {
    g_printerr ("hfrender: the composition's length is unknown: it cannot "
        "be split.\n");
    return 2;
  }
  if (chunk_frames > 0)
    k = (gint) MIN ((n + chunk_frames - 1) / chunk_frames, G_MAXINT);
  if (k > n) {
    g_printerr ("hfrender: %d chunks of a %" G_GINT64_FORMAT "-frame "
        "composition; at most %" G_GINT64_FORMAT " chunks.\n", k, n, n);
    return 2;
  }
  if (!strstr (pattern, "{i}") && k > 1) {
    g_printerr ("hfrender: -o '%s' has no {i}: every chunk would get the "
        "same name.\n", pattern);
    return 2;
  }
  if (json)
    g_print ("{\"frames\": %" G_GINT64_FORMAT ", \"fps\": \"%d/%d\", "
        "\"size\": \"%dx%d\", \"chunks\": [", n, fps_n, fps_d, width, height);
  for (i = 0; i < k; i++) {
    g_autofree gchar *name = chunk_name (pattern, i, k);
    gint64 first, end;

    /* --chunk-frames cuts at multiples of N; --chunks evenly. */
    if (chunk_frames > 0) {
      first = chunk_frames * (gint64) i;
      end = MIN (n, first + chunk_frames);
    } else {
      hfr_chunk_range (n, i, k, &first, &end);
    }
    if (json) {
      g_autofree gchar *quoted = json_string (name);
      g_print ("%s\n  {\"index\": %d, \"first\": %" G_GINT64_FORMAT
          ", \"end\": %" G_GINT64_FORMAT ", \"output\": %s}",
          i ? "," : "", i, first, end, quoted);
    } else {
      g_print ("%d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s\n", i, first,
          end, name);
    }
  }
  if (json)
    g_print ("\n]}\n");
  return 0;
}

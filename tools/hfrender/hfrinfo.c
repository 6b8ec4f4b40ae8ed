/* hfrinfo: hfrender's tag, written and read (hfrinfo.h).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "hfrinfo.h"

#include <stdio.h>
#include <string.h>

/* The tag's first word; the version changes if the fields do. */
#define INFO_MAGIC "hfrender-v1"

gchar *
hfr_info_format (const HfrInfo * info)
{
  return g_strdup_printf (INFO_MAGIC " frames=%" G_GINT64_FORMAT "-%"
      G_GINT64_FORMAT " total=%" G_GINT64_FORMAT " size=%dx%d fps=%d/%d "
      "quality=%d source=%s", info->first, info->end, info->total,
      info->width, info->height, info->fps_n, info->fps_d, info->quality,
      info->source);
}

gboolean
hfr_info_parse (const gchar * text, HfrInfo * info)
{
  char source[65];
  int used = 0;

  memset (info, 0, sizeof (*info));
  if (sscanf (text, INFO_MAGIC " frames=%" G_GINT64_FORMAT "-%"
          G_GINT64_FORMAT " total=%" G_GINT64_FORMAT " size=%dx%d fps=%d/%d "
          "quality=%d source=%64[0-9a-z]%n", &info->first, &info->end,
          &info->total, &info->width, &info->height, &info->fps_n,
          &info->fps_d, &info->quality, source, &used) != 9
      || text[used] != '\0')
    return FALSE;
  g_strlcpy (info->source, source, sizeof (info->source));
  return info->first >= 0 && info->end > info->first
      && info->end <= info->total && info->fps_n > 0 && info->fps_d > 0;
}

gboolean
hfr_info_same_render (const HfrInfo * a, const HfrInfo * b)
{
  return a->total == b->total && a->width == b->width
      && a->height == b->height && a->fps_n == b->fps_n
      && a->fps_d == b->fps_d && a->quality == b->quality
      && strcmp (a->source, b->source) == 0;
}

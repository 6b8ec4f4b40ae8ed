/* hfrinfo: the tag hfrender writes into every file it makes, which says
 * which frames of which render the file holds (docs/hfrender.md). No
 * GStreamer: it is fuzzed on its own (tests/fuzz/fuzz-hfrinfo.c), since
 * join and verify read it from any file they are given. */
#ifndef HFRINFO_H
#define HFRINFO_H

#include <glib.h>

G_BEGIN_DECLS

/* What a file holds: frames [first, end) of a render of `total` frames,
 * at width x height, fps_n/fps_d, JPEG quality `quality`, of the
 * composition whose SHA-256 is `source` ("demo": the built-in one). */
typedef struct
{
  gint64 first, end, total;
  gint width, height, fps_n, fps_d, quality;
  gchar source[65];
} HfrInfo;

/* The tag's text, and back. hfr_info_parse returns FALSE for any other
 * comment. */
gchar *hfr_info_format (const HfrInfo * info);
gboolean hfr_info_parse (const gchar * text, HfrInfo * info);

/* Everything but the frame range is the same: chunks of one render. */
gboolean hfr_info_same_render (const HfrInfo * a, const HfrInfo * b);

G_END_DECLS

#endif

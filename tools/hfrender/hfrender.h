/* hfrender: render compositions to MJPEG files, in chunks on many
 * machines, and join the chunks without re-encoding (docs/hfrender.md,
 * docs/render-farm.md).
 *
 * Each file hfrender writes carries one tag (GST_TAG_COMMENT) that says
 * which frames of which render it holds, so that join and verify need no
 * side files; see HfrInfo. */
#ifndef HFRENDER_H
#define HFRENDER_H

#include <gst/gst.h>

#include "hfrinfo.h"

G_BEGIN_DECLS

/* SHA-256 of the composition file's bytes, or "demo" for NULL. */
gboolean hfr_source_hash (const gchar * path, gchar out[65], GError ** err);

/* The muxer for the output file's extension (.avi, .mkv, .mov), or NULL
 * with a message printed. */
const gchar *hfr_muxer_for (const gchar * path);

/* gst_element_factory_make that says what is missing and how to fix it. */
GstElement *hfr_make (const gchar * factory, const gchar * name);

/* GLib's curly quotes, as ASCII where the locale cannot show them. */
gchar *hfr_printable (const gchar * text);

/* Prints an ERROR or WARNING message: which element, what, and the
 * debug text. */
void hfr_print_message (GstMessage * msg);

/* An empty temporary file beside `path`, for a rename when complete. */
gchar *hfr_temp_output (const gchar * path);

/* The composition's first and end frame of chunk i of k over n frames:
 * contiguous, near-equal ranges. */
void hfr_chunk_range (gint64 n, gint i, gint k, gint64 * first,
    gint64 * end);

/* When frame f starts at fps_n/fps_d: the one formula render, join and
 * verify share, so that their timestamps agree. */
GstClockTime hfr_frame_time (gint64 f, gint fps_n, gint fps_d);

/* Parses "I/K" for --chunk. */
gboolean hfr_parse_chunk (const gchar * text, gint * i, gint * k);

/* Parses a command's options (entries, then more if not NULL, and
 * GStreamer's), printing what is wrong. */
gboolean hfr_parse_options (int *argc, char ***argv, const gchar * usage,
    const GOptionEntry * entries, const GOptionEntry * more);

/* Prints the plan of a render of n frames (plan.c): `chunks` even ranges,
 * or ranges of `chunk_frames` if that is > 0, one line each or as JSON.
 * Returns the exit status. */
int hfr_print_plan (gint64 n, gint fps_n, gint fps_d, gint width,
    gint height, gint chunks, gint chunk_frames, const gchar * pattern,
    gboolean json);

/* The subcommands; argv[0] is the subcommand's name. */
int hfr_render (int argc, char **argv);
int hfr_join (int argc, char **argv);
int hfr_verify (int argc, char **argv);

G_END_DECLS

#endif

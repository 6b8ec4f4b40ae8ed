/* hfrender: the command and what its subcommands share (hfrender.h).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "hfrender.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

gboolean
hfr_source_hash (const gchar * path, gchar out[65], GError ** err)
{
  gchar *data, *sum;
  gsize len;

  if (path == NULL) {
    g_strlcpy (out, "demo", 65);
    return TRUE;
  }
  if (!g_file_get_contents (path, &data, &len, err))
    return FALSE;
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) data, len);
  g_strlcpy (out, sum, 65);
  g_free (sum);
  g_free (data);
  return TRUE;
}

const gchar *
hfr_muxer_for (const gchar * path)
{
  static const gchar *map[][2] = {
    {".avi", "avimux"}, {".mkv", "matroskamux"}, {".mov", "qtmux"},
  };
  g_autofree gchar *lower = g_ascii_strdown (path, -1);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_has_suffix (lower, map[i][0]))
      return map[i][1];
  g_printerr ("hfrender: cannot tell the container of '%s': name it .avi, "
      ".mkv or .mov.\n", path);
  return NULL;
}

GstElement *
hfr_make (const gchar * factory, const gchar * name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (!e) {
    static gboolean hinted = FALSE;

    g_printerr ("hfrender: element '%s' is not available.\n", factory);
    if (g_str_has_prefix (factory, "hf") && !hinted) {
      hinted = TRUE;
      g_printerr ("  Install the plugins where GStreamer looks, with the /usr "
          "prefix:\n    meson configure build -Dprefix=/usr && sudo meson "
          "install -C build\n  or point GStreamer at the build tree with "
          "absolute paths, from the source directory:\n    export "
          "GST_PLUGIN_PATH=$PWD/build/gst/hfdraw:$PWD/build/ext/turbojpeg\n");
    }
  }
  return e;
}

/* GLib quotes names with U+201C/U+201D (and U+2018/U+2019). Where the
 * locale is not UTF-8 (C, POSIX) g_printerr turns them into '?', so they
 * become ASCII quotes there. */
gchar *
hfr_printable (const gchar * text)
{
  GString *s;

  if (g_get_charset (NULL))
    return g_strdup (text);
  s = g_string_new (text);
  g_string_replace (s, "\u201c", "\"", 0);
  g_string_replace (s, "\u201d", "\"", 0);
  g_string_replace (s, "\u2018", "'", 0);
  g_string_replace (s, "\u2019", "'", 0);
  return g_string_free (s, FALSE);
}

void
hfr_print_message (GstMessage * msg)
{
  g_autoptr (GError) err = NULL;
  g_autofree gchar *debug = NULL;
  g_autofree gchar *path = gst_object_get_path_string (msg->src);
  gboolean error = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR;
  gchar *text;

  if (error)
    gst_message_parse_error (msg, &err, &debug);
  else
    gst_message_parse_warning (msg, &err, &debug);
  text = hfr_printable (err->message);
  g_printerr ("hfrender: %s from %s: %s\n", error ? "ERROR" : "WARNING",
      path, text);
  g_free (text);
  /* For developers (G_MESSAGES_DEBUG=all), not in the user's face. */
  g_debug ("error domain %s, code %d", g_quark_to_string (err->domain),
      err->code);
  if (debug) {
    text = hfr_printable (debug);
    g_printerr ("  debug: %s\n", text);
    g_free (text);
  }
}

/* Same directory as `path`, so that the final rename is atomic; the
 * permissions a new file gets. */
gchar *
hfr_temp_output (const gchar * path)
{
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autofree gchar *base = g_path_get_basename (path);
  gchar *tmp = g_strdup_printf ("%s/.%s.XXXXXX.part", dir, base);
  gint fd = g_mkstemp_full (tmp, O_WRONLY, 0666);

  if (fd < 0) {
    g_printerr ("hfrender: cannot write in %s: %s\n", dir, g_strerror (errno));
    g_free (tmp);
    return NULL;
  }
  close (fd);
  return tmp;
}

void
hfr_chunk_range (gint64 n, gint i, gint k, gint64 * first, gint64 * end)
{
  *first = n * i / k;
  *end = n * (i + 1) / k;
}

GstClockTime
hfr_frame_time (gint64 f, gint fps_n, gint fps_d)
{
  return gst_util_uint64_scale (f, (guint64) fps_d * GST_SECOND, fps_n);
}

gboolean
hfr_parse_chunk (const gchar * text, gint * i, gint * k)
{
  char rest;

  if (sscanf (text, "%d/%d%c", i, k, &rest) != 2 || *k < 1 || *i < 0
      || *i >= *k) {
    g_printerr ("hfrender: bad --chunk '%s': expected I/K with 0 <= I < K, "
        "e.g. 0/4 for the first of four.\n", text);
    return FALSE;
  }
  return TRUE;
}

gboolean
hfr_parse_options (int *argc, char ***argv, const gchar * usage,
    const GOptionEntry * entries, const GOptionEntry * more)
{
  GOptionContext *ctx = g_option_context_new (usage);
  GError *err = NULL;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (more)
    g_option_context_add_main_entries (ctx, more, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  ok = g_option_context_parse (ctx, argc, argv, &err);
  if (!ok) {
    g_printerr ("hfrender: %s\n", err->message);
    g_error_free (err);
  }
  g_option_context_free (ctx);
  return ok;
}

static const gchar usage[] =
    "Usage: hfrender COMMAND [OPTION...] ...\n"
    "\n"
    "Render compositions with hfdrawsrc and hfjpegenc to MJPEG files, in\n"
    "chunks on many machines if needed, and join the chunks losslessly.\n"
    "\n"
    "Commands:\n"
    "  render [COMPOSITION] -o OUT   render all, a --start/--end range or a\n"
    "                                --chunk I/K; OUT is .avi, .mkv or .mov\n"
    "  plan COMPOSITION --chunks K   print each chunk's frame range and\n"
    "                                file name (--json)\n"
    "  join CHUNK... -o OUT          join chunks without re-encoding\n"
    "  verify OUT --against COMP     re-render a sample of frames, compare\n"
    "\n"
    "'hfrender COMMAND --help' lists a command's options; docs/hfrender.md\n"
    "and docs/render-farm.md (GNU parallel, Slurm, Kubernetes) say more.\n"
    "Exit status: 0 done, 1 failed, 2 bad usage, 130 interrupted.\n";

int
main (int argc, char **argv)
{
  static const struct
  {
    const gchar *name;
    int (*run) (int argc, char **argv);
  } commands[] = {
    {"render", hfr_render}, {"plan", hfr_render}, {"join", hfr_join},
    {"verify", hfr_verify},
  };
  guint i;

  /* Messages in the user's language and charset; see hfr_printable(). */
  setlocale (LC_ALL, "");
  if (argc < 2 || strcmp (argv[1], "--help") == 0
      || strcmp (argv[1], "-h") == 0) {
    fputs (usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (i = 0; i < G_N_ELEMENTS (commands); i++) {
    if (strcmp (argv[1], commands[i].name) == 0) {
      /* "Usage: hfrender render ..." in the command's --help */
      g_autofree gchar *name = g_strdup_printf ("hfrender %s", argv[1]);
      g_set_prgname (name);
      return commands[i].run (argc - 1, argv + 1);
    }
  }
  g_printerr ("hfrender: unknown command '%s'.\n\n%s", argv[1], usage);
  return 2;
}

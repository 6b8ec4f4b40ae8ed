/* Compositions for the end-to-end and static benchmarks, written inline so
 * the benchmark needs no files (docs/composition-format.md has the
 * grammar). Sizes are parameters so --quick can draw small frames. */
#include "report.h"

#include <glib.h>

/* Heavy: large overlapping translucent gradient shapes that move and
 * rotate all the time, plus several lines of text, so the draw costs about
 * as much as the JPEG encode of the result at 1080p. */
char *
hfb_composition_heavy (int width, int height, int seconds)
{
  GString *s = g_string_new (NULL);
  int i;

  g_string_append_printf (s, "<composition width=\"%d\" height=\"%d\" "
      "fps=\"30\" duration=\"%d\" background=\"#0b1020\">\n", width, height,
      seconds);
  /* full-frame gradient */
  g_string_append_printf (s, "  <rect x=\"0\" y=\"0\" width=\"%d\" "
      "height=\"%d\" data-start=\"0\" data-duration=\"%d\" "
      "data-track-index=\"0\">\n"
      "    <linear-gradient x1=\"0\" y1=\"0\" x2=\"%d\" y2=\"%d\">\n"
      "      <stop offset=\"0\" color=\"#1e3a8a\"/>\n"
      "      <stop offset=\"0.5\" color=\"#7c3aed\"/>\n"
      "      <stop offset=\"1\" color=\"#db2777\"/>\n"
      "    </linear-gradient>\n  </rect>\n", width, height, seconds, width,
      height);
  for (i = 0; i < 14; i++) {
    int cx = (i * 337) % width, cy = (i * 211) % height;
    int r = height / 5 + (i * 53) % (height / 4);
    g_string_append_printf (s, "  <ellipse cx=\"%d\" cy=\"%d\" rx=\"%d\" "
        "ry=\"%d\" opacity=\"0.55\" data-start=\"0\" data-duration=\"%d\" "
        "data-track-index=\"%d\">\n"
        "    <radial-gradient cx=\"%d\" cy=\"%d\" r=\"%d\">\n"
        "      <stop offset=\"0\" color=\"#%06x\"/>\n"
        "      <stop offset=\"1\" color=\"#%06xff\"/>\n"
        "    </radial-gradient>\n"
        "    <tween attribute=\"cx\" from=\"%d\" to=\"%d\" start=\"0\" "
        "duration=\"%d\" ease=\"sine.inOut\" repeat=\"-1\" yoyo=\"true\"/>\n"
        "  </ellipse>\n", cx, cy, r, r * 2 / 3, seconds, i + 1, cx, cy, r,
        (0x30a0f0 * (i + 1)) & 0xffffff, (0xf05030 * (i + 3)) & 0xffffff, cx,
        (cx + width / 2) % width, 2 + i % 3);
  }
  for (i = 0; i < 6; i++) {
    g_string_append_printf (s, "  <rect x=\"%d\" y=\"%d\" width=\"%d\" "
        "height=\"%d\" rx=\"24\" fill=\"#ffffff40\" stroke=\"#ffffff\" "
        "stroke-width=\"3\" rotate=\"0\" data-start=\"0\" "
        "data-duration=\"%d\" data-track-index=\"%d\">\n"
        "    <tween attribute=\"rotate\" from=\"0\" to=\"360\" start=\"0\" "
        "duration=\"%d\" ease=\"none\"/>\n  </rect>\n",
        width / 8 + i * width / 8, height / 3, width / 10, height / 3,
        seconds, 20 + i, seconds);
  }
  for (i = 0; i < 8; i++)
    g_string_append_printf (s, "  <text x=\"%d\" y=\"%d\" font-size=\"%d\" "
        "fill=\"#ffffff\" data-start=\"0\" data-duration=\"%d\" "
        "data-track-index=\"%d\">The quick brown fox jumps over the lazy "
        "dog %d</text>\n", width / 20, height / 10 + i * height / 9,
        height / 20, seconds, 40 + i, i);
  g_string_append (s, "</composition>\n");
  return g_string_free (s, FALSE);
}

/* The same scene twice: `animated` moves a card for the whole duration;
 * otherwise the card moves only in [0, 0.2] s and [5, 5.2] s, and the
 * rest is static (long stretches hfdrawsrc and hfjpegenc can skip). */
char *
hfb_composition_static (int width, int height, int seconds, int animated)
{
  GString *s = g_string_new (NULL);
  double t0 = 0, d0 = animated ? seconds : 0.2;

  g_string_append_printf (s, "<composition width=\"%d\" height=\"%d\" "
      "fps=\"30\" duration=\"%d\" background=\"#f3f4f6\">\n", width, height,
      seconds);
  g_string_append_printf (s, "  <rect x=\"0\" y=\"0\" width=\"%d\" "
      "height=\"%d\" fill=\"#1f2937\" data-start=\"0\" data-duration=\"%d\" "
      "data-track-index=\"1\"/>\n", width / 5, height, seconds);
  g_string_append_printf (s, "  <text x=\"%d\" y=\"%d\" font-size=\"%d\" "
      "fill=\"#111827\" data-start=\"0\" data-duration=\"%d\" "
      "data-track-index=\"2\">Quarterly report</text>\n", width / 4,
      height / 8, height / 14, seconds);
  g_string_append_printf (s, "  <rect x=\"%d\" y=\"%d\" width=\"%d\" "
      "height=\"%d\" rx=\"12\" fill=\"#3b82f6\" data-start=\"0\" "
      "data-duration=\"%d\" data-track-index=\"3\">\n"
      "    <tween attribute=\"x\" from=\"%d\" to=\"%d\" start=\"%g\" "
      "duration=\"%g\" ease=\"power2.inOut\"/>\n", width / 4, height / 3,
      width / 4, height / 3, seconds, width / 4, width / 2, t0, d0);
  if (!animated)
    g_string_append_printf (s, "    <tween attribute=\"x\" from=\"%d\" "
        "to=\"%d\" start=\"%g\" duration=\"%g\" ease=\"power2.inOut\"/>\n",
        width / 2, width / 4, seconds / 2.0, 0.2);
  g_string_append (s, "  </rect>\n</composition>\n");
  return g_string_free (s, FALSE);
}

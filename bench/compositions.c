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
      "fps=\"30\" duration=\"%d\" background=\"#0b1020\">\n"
      "  <defs>\n"
      "    <linearGradient id=\"bg\" x1=\"0\" y1=\"0\" x2=\"%d\" "
      "y2=\"%d\">\n"
      "      <stop offset=\"0\" color=\"#1e3a8a\"/>\n"
      "      <stop offset=\"0.5\" color=\"#7c3aed\"/>\n"
      "      <stop offset=\"1\" color=\"#db2777\"/>\n"
      "    </linearGradient>\n", width, height, seconds, width, height);
  for (i = 0; i < 4; i++)
    g_string_append_printf (s, "    <radialGradient id=\"g%d\" cx=\"0\" "
        "cy=\"0\" r=\"%d\">\n"
        "      <stop offset=\"0\" color=\"#%06x\"/>\n"
        "      <stop offset=\"1\" color=\"#%06x\" opacity=\"0\"/>\n"
        "    </radialGradient>\n", i, height / 3,
        (0x30a0f0 * (i + 1)) & 0xffffff, (0xf05030 * (i + 3)) & 0xffffff);
  g_string_append_printf (s, "  </defs>\n"
      "  <rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
      "fill=\"url(#bg)\"/>\n", width, height);
  /* large translucent glows drifting all the time */
  for (i = 0; i < 6; i++) {
    int cx = (i * 337) % width, cy = (i * 211) % height;
    g_string_append_printf (s, "  <ellipse cx=\"0\" cy=\"0\" "
        "rx=\"%d\" ry=\"%d\" fill=\"url(#g%d)\" opacity=\"0.7\" "
        "translate-x=\"%d\" translate-y=\"%d\" data-track-index=\"%d\">\n"
        "    <tween attr=\"translate-x\" from=\"%d\" to=\"%d\" "
        "duration=\"%d\" ease=\"sine.inOut\" repeat=\"-1\" "
        "yoyo=\"true\"/>\n"
        "  </ellipse>\n", height / 3, height / 4, i % 4, cx, cy, i + 1, cx,
        (cx + width / 2) % width, 2 + i % 3);
  }
  /* turning cards with strokes */
  for (i = 0; i < 4; i++)
    g_string_append_printf (s, "  <rect x=\"%d\" y=\"%d\" width=\"%d\" "
        "height=\"%d\" radius=\"%d\" fill=\"#ffffff40\" "
        "stroke=\"#ffffff\" stroke-width=\"3\" data-track-index=\"%d\">\n"
        "    <tween attr=\"rotate\" from=\"0\" to=\"360\" "
        "duration=\"%d\" ease=\"none\"/>\n  </rect>\n",
        width / 16 + i * width / 7, height / 3, width / 10, height / 3,
        height / 40, 20 + i, seconds);
  /* lines of text, one with a running timecode */
  for (i = 0; i < 8; i++)
    g_string_append_printf (s, "  <text x=\"%d\" y=\"%d\" size=\"%d\" "
        "data-track-index=\"%d\">The quick brown fox jumps over the lazy "
        "dog %s</text>\n", width / 20, height / 10 + i * height / 9,
        height / 20, 40 + i, i == 0 ? "{timecode}" : "0123456789");
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
  int i;

  g_string_append_printf (s, "<composition width=\"%d\" height=\"%d\" "
      "fps=\"30\" duration=\"%d\" background=\"#f3f4f6\">\n", width,
      height, seconds);
  g_string_append_printf (s, "  <rect x=\"0\" y=\"0\" width=\"%d\" "
      "height=\"%d\" fill=\"#1f2937\" data-track-index=\"1\"/>\n",
      width / 5, height);
  for (i = 0; i < 6; i++)
    g_string_append_printf (s, "  <text x=\"%d\" y=\"%d\" size=\"%d\" "
        "fill=\"#%s\" data-track-index=\"2\">%s</text>\n",
        i == 0 ? width / 4 : width / 4, height / 8 + i * height / 12,
        i == 0 ? height / 14 : height / 28, i == 0 ? "111827" : "374151",
        i == 0 ? "Quarterly report" :
        "Revenue grew in every region this quarter");
  g_string_append_printf (s, "  <rect x=\"%d\" y=\"%d\" width=\"%d\" "
      "height=\"%d\" radius=\"12\" fill=\"#3b82f6\" "
      "data-track-index=\"3\">\n", width / 4, height * 2 / 3,
      width / 4, height / 5);
  if (animated)
    g_string_append_printf (s, "    <tween attr=\"translate-x\" from=\"0\" "
        "to=\"%d\" duration=\"%d\" ease=\"power2.inOut\"/>\n",
        width / 3, seconds);
  else
    g_string_append_printf (s, "    <tween attr=\"translate-x\" from=\"0\" "
        "to=\"%d\" duration=\"0.2\" ease=\"power2.inOut\"/>\n"
        "    <tween attr=\"translate-x\" to=\"0\" start=\"%g\" "
        "duration=\"0.2\" ease=\"power2.inOut\"/>\n", width / 3, seconds / 2.0);
  g_string_append (s, "  </rect>\n</composition>\n");
  return g_string_free (s, FALSE);
}

/* Balanced: a flat background, two moving solid shapes, two translucent
 * cards and two lines of text (one changing every frame). Its draw costs
 * about what its JPEG encode does, which is where pipelining at depth 2 pays
 * most (the second card restores that balance after the rasteriser got
 * faster). */
char *
hfb_composition_balanced (int width, int height, int seconds)
{
  return g_strdup_printf ("<composition width=\"%d\" height=\"%d\" "
      "fps=\"30\" duration=\"%d\" background=\"#101826\">\n"
      "  <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
      "radius=\"%d\" fill=\"#3b82f6\">\n"
      "    <tween attr=\"translate-x\" from=\"0\" to=\"%d\" "
      "duration=\"%d\" ease=\"none\"/>\n  </rect>\n"
      "  <ellipse cx=\"%d\" cy=\"%d\" rx=\"%d\" ry=\"%d\" "
      "fill=\"#f59e0b\">\n"
      "    <tween attr=\"translate-y\" from=\"0\" to=\"%d\" "
      "duration=\"2\" ease=\"sine.inOut\" repeat=\"-1\" "
      "yoyo=\"true\"/>\n  </ellipse>\n"
      "  <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
      "radius=\"%d\" fill=\"#ffffff30\" stroke=\"#ffffff80\" "
      "stroke-width=\"2\">\n"
      "    <tween attr=\"translate-y\" from=\"0\" to=\"%d\" "
      "duration=\"3\" ease=\"sine.inOut\" repeat=\"-1\" "
      "yoyo=\"true\"/>\n  </rect>\n"
      "  <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
      "radius=\"%d\" fill=\"#ffffff30\" stroke=\"#ffffff80\" "
      "stroke-width=\"2\">\n"
      "    <tween attr=\"translate-x\" from=\"0\" to=\"%d\" "
      "duration=\"4\" ease=\"sine.inOut\" repeat=\"-1\" "
      "yoyo=\"true\"/>\n  </rect>\n"
      "  <text x=\"%d\" y=\"%d\" size=\"%d\" weight=\"1.4\">Balanced "
      "composition</text>\n"
      "  <text x=\"%d\" y=\"%d\" size=\"%d\" fill=\"#9ca3af\">Frame "
      "{frame}  {timecode}</text>\n"
      "</composition>\n", width, height, seconds,
      width / 12, height * 10 / 27, width / 4, height / 4, height / 45,
      width / 2, seconds,
      width * 25 / 32, height * 5 / 18, height / 7, height / 7,
      height * 25 / 54,
      width / 2, height / 10, width * 2 / 5, height * 2 / 5, height / 40,
      height / 4,
      width / 10, height / 2, width * 2 / 5, height * 2 / 5, height / 40,
      width / 3,
      width / 12, height / 7, height / 15,
      width / 12, height * 5 / 6, height / 27);
}

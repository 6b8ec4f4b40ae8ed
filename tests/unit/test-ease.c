/* Unit tests of hfease: values at known points, computed here from the
 * published GSAP/Penner formulas, independently of hfease.c. */
#include <math.h>
#include <glib.h>

#include "hfease.h"

#include "hfunit.h"

static double
ev (const char *name, double p)
{
  HfEase e;

  g_assert_true (hf_ease_parse (name, &e));
  return hf_ease_apply (&e, p);
}

#define CLOSE(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-9)

static const char *all_families[] = {
  "none", "linear", "power1", "power2", "power3", "power4", "sine", "expo",
  "circ", "back", "elastic", "bounce", "quad", "cubic", "quart", "quint",
};

HF_TEST ("/ease/endpoints", test_endpoints)
{
  static const char *dirs[] = { "", ".in", ".out", ".inOut" };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (all_families); i++) {
    for (j = 0; j < G_N_ELEMENTS (dirs); j++) {
      char *name = g_strconcat (all_families[i], dirs[j], NULL);
      CLOSE (ev (name, 0.0), 0.0);
      CLOSE (ev (name, 1.0), 1.0);
      /* Out of range progress clamps, NaN goes to 0. */
      CLOSE (ev (name, -3.0), 0.0);
      CLOSE (ev (name, 7.0), 1.0);
      CLOSE (ev (name, NAN), 0.0);
      g_free (name);
    }
  }
}

HF_TEST ("/ease/power", test_power)
{
  int n;

  CLOSE (ev ("none", 0.3), 0.3);
  CLOSE (ev ("linear", 0.7), 0.7);
  CLOSE (ev ("power2.in", 0.5), 0.125);
  CLOSE (ev ("power1.in", 0.5), 0.25);
  CLOSE (ev ("power1.out", 0.5), 0.75);
  CLOSE (ev ("power2.out", 0.5), 0.875);
  /* A family alone is .out, as in GSAP. */
  CLOSE (ev ("power2", 0.5), 0.875);
  CLOSE (ev ("cubic.in", 0.5), 0.125);
  for (n = 1; n <= 4; n++) {
    char in[16], out[16], io[16];
    double k = n + 1;
    g_snprintf (in, sizeof in, "power%d.in", n);
    g_snprintf (out, sizeof out, "power%d.out", n);
    g_snprintf (io, sizeof io, "power%d.inOut", n);
    CLOSE (ev (in, 0.3), pow (0.3, k));
    CLOSE (ev (out, 0.3), 1.0 - pow (0.7, k));
    CLOSE (ev (io, 0.5), 0.5);
    CLOSE (ev (io, 0.2), pow (0.4, k) / 2.0);
    CLOSE (ev (io, 0.9), 1.0 - pow (0.2, k) / 2.0);
  }
}

HF_TEST ("/ease/sine-expo-circ", test_sine_expo_circ)
{
  CLOSE (ev ("sine.in", 0.5), 1.0 - cos (G_PI / 4.0));
  CLOSE (ev ("sine.out", 0.5), sin (G_PI / 4.0));
  CLOSE (ev ("sine.inOut", 0.25), -(cos (G_PI * 0.25) - 1.0) / 2.0);
  CLOSE (ev ("sine.inOut", 0.5), 0.5);
  CLOSE (ev ("expo.in", 0.5), pow (2.0, -5.0));
  CLOSE (ev ("expo.out", 0.5), 1.0 - pow (2.0, -5.0));
  CLOSE (ev ("expo.inOut", 0.25), pow (2.0, 10.0 * (0.5 - 1.0)) / 2.0);
  CLOSE (ev ("circ.in", 0.6), 1.0 - sqrt (1.0 - 0.36));
  CLOSE (ev ("circ.out", 0.4), sqrt (1.0 - 0.36));
  CLOSE (ev ("circ.inOut", 0.5), 0.5);
}

HF_TEST ("/ease/back", test_back)
{
  const double s = 1.70158;
  double p, max = 0.0, min = 0.0;

  CLOSE (ev ("back.in", 0.5), 0.25 * ((s + 1.0) * 0.5 - s));
  CLOSE (ev ("back.out", 0.3), 1.0 - 0.49 * ((s + 1.0) * 0.7 - s));
  CLOSE (ev ("back.out(3)", 0.3), 1.0 - 0.49 * ((3.0 + 1.0) * 0.7 - 3.0));
  for (p = 0.01; p < 1.0; p += 0.01) {
    max = MAX (max, ev ("back.out", p));
    min = MIN (min, ev ("back.in", p));
  }
  /* Back overshoots the target, and undershoots the start. */
  g_assert_cmpfloat (max, >, 1.05);
  g_assert_cmpfloat (min, <, -0.05);
}

HF_TEST ("/ease/elastic", test_elastic)
{
  const double a = 1.0, per = 0.3;
  double s = per / (2.0 * G_PI) * asin (1.0 / a);
  double p = 0.2, max = 0.0, q;

  CLOSE (ev ("elastic.out", p),
      a * pow (2.0, -10.0 * p) * sin ((p - s) * 2.0 * G_PI / per) + 1.0);
  CLOSE (ev ("elastic.in", 0.8), 1.0 - ev ("elastic.out", 0.2));
  CLOSE (ev ("elastic.out(1, 0.3)", 0.2), ev ("elastic.out", 0.2));
  for (q = 0.01; q < 1.0; q += 0.01)
    max = MAX (max, ev ("elastic.out", q));
  g_assert_cmpfloat (max, >, 1.1);
  /* inOut uses GSAP's longer default period, 0.45. */
  s = 0.45 / (2.0 * G_PI) * asin (1.0);
  q = 0.6;
  CLOSE (ev ("elastic.inOut", 0.8),
      1.0 - (1.0 - (pow (2.0, -10.0 * q) * sin ((q - s) * 2.0 * G_PI / 0.45)
              + 1.0)) / 2.0);
}

HF_TEST ("/ease/bounce", test_bounce)
{
  CLOSE (ev ("bounce.out", 0.2), 7.5625 * 0.04);
  CLOSE (ev ("bounce.out", 0.5), 7.5625 * pow (0.5 - 1.5 / 2.75, 2) + 0.75);
  CLOSE (ev ("bounce.out", 0.8), 7.5625 * pow (0.8 - 2.25 / 2.75, 2)
      + 0.9375);
  CLOSE (ev ("bounce.out", 0.95), 7.5625 * pow (0.95 - 2.625 / 2.75, 2)
      + 0.984375);
  CLOSE (ev ("bounce.in", 0.2), 1.0 - ev ("bounce.out", 0.8));
  CLOSE (ev ("bounce.inOut", 0.5), 0.5);
}

HF_TEST ("/ease/unknown", test_unknown)
{
  static const char *bad[] = {
    "", "power5", "power2.sideways", "Power2.easeOut", "sine.", "bounce(1)",
    "back.out(", "back.out(x)", "back.out(1,2)", "back.out(nan)",
    "back.out(1)x", "elastic.out(1, inf)", "power2.in(1)", "easeIn",
    ".out", "power2.inOut.in",
  };
  guint i;
  HfEase e;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    if (hf_ease_parse (bad[i], &e))
      g_error ("accepted bad ease name '%s'", bad[i]);
  }
  g_assert_false (hf_ease_parse (NULL, &e));
}

HF_TEST_MAIN ();

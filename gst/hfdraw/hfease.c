/* hfease: GSAP-style eases. Each family is defined by its ease-in curve;
 * out and inOut are derived from it the way GSAP derives them:
 *   out(p)   = 1 - in(1 - p)
 *   inOut(p) = p < 0.5 ? in(2p) / 2 : 1 - in(2 - 2p) / 2
 * except bounce and elastic, whose natural definition is the out curve. */
#include "hfease.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>

#define DEFAULT_BACK_OVERSHOOT 1.70158
#define DEFAULT_ELASTIC_AMPLITUDE 1.0
#define DEFAULT_ELASTIC_PERIOD 0.3
#define DEFAULT_ELASTIC_PERIOD_INOUT 0.45

static double
bounce_out (double p)
{
  const double n = 7.5625, d = 2.75;

  if (p < 1.0 / d)
    return n * p * p;
  if (p < 2.0 / d) {
    p -= 1.5 / d;
    return n * p * p + 0.75;
  }
  if (p < 2.5 / d) {
    p -= 2.25 / d;
    return n * p * p + 0.9375;
  }
  p -= 2.625 / d;
  return n * p * p + 0.984375;
}

static double
elastic_out (double p, double amplitude, double period)
{
  double s;

  if (p <= 0.0)
    return 0.0;
  if (p >= 1.0)
    return 1.0;
  s = period / (2.0 * G_PI) * asin (1.0 / amplitude);
  return amplitude * pow (2.0, -10.0 * p)
      * sin ((p - s) * (2.0 * G_PI) / period) + 1.0;
}

/* The ease-in curve of a family. */
static double
ease_in (const HfEase * e, double p)
{
  switch (e->family) {
    case HF_EASE_LINEAR:
      return p;
    case HF_EASE_POWER1:
      return p * p;
    case HF_EASE_POWER2:
      return p * p * p;
    case HF_EASE_POWER3:
      return p * p * p * p;
    case HF_EASE_POWER4:
      return p * p * p * p * p;
    case HF_EASE_SINE:
      return 1.0 - cos (p * G_PI / 2.0);
    case HF_EASE_EXPO:
      return p <= 0.0 ? 0.0 : pow (2.0, 10.0 * (p - 1.0));
    case HF_EASE_CIRC:
      return 1.0 - sqrt (MAX (0.0, 1.0 - p * p));
    case HF_EASE_BACK:
      return p * p * ((e->p1 + 1.0) * p - e->p1);
    case HF_EASE_ELASTIC:
      return 1.0 - elastic_out (1.0 - p, e->p1, e->p2);
    case HF_EASE_BOUNCE:
      return 1.0 - bounce_out (1.0 - p);
  }
  return p;
}

double
hf_ease_apply (const HfEase * ease, double p)
{
  /* NaN lands on 0 rather than propagating into the picture. */
  if (!(p > 0.0))
    return 0.0;
  if (p >= 1.0)
    return 1.0;

  switch (ease->direction) {
    case HF_EASE_IN:
      return ease_in (ease, p);
    case HF_EASE_OUT:
      return 1.0 - ease_in (ease, 1.0 - p);
    case HF_EASE_IN_OUT:
    default:
      if (p < 0.5)
        return ease_in (ease, 2.0 * p) / 2.0;
      return 1.0 - ease_in (ease, 2.0 - 2.0 * p) / 2.0;
  }
}

typedef struct
{
  const char *name;
  HfEaseFamily family;
} FamilyName;

static const FamilyName families[] = {
  {"none", HF_EASE_LINEAR},
  {"linear", HF_EASE_LINEAR},
  {"power0", HF_EASE_LINEAR},
  {"power1", HF_EASE_POWER1},
  {"quad", HF_EASE_POWER1},
  {"power2", HF_EASE_POWER2},
  {"cubic", HF_EASE_POWER2},
  {"power3", HF_EASE_POWER3},
  {"quart", HF_EASE_POWER3},
  {"power4", HF_EASE_POWER4},
  {"quint", HF_EASE_POWER4},
  {"strong", HF_EASE_POWER4},
  {"sine", HF_EASE_SINE},
  {"expo", HF_EASE_EXPO},
  {"circ", HF_EASE_CIRC},
  {"back", HF_EASE_BACK},
  {"elastic", HF_EASE_ELASTIC},
  {"bounce", HF_EASE_BOUNCE},
};

/* Parses "(a)" or "(a, b)" at s, up to max_params finite numbers, and
 * requires the string to end right after ')'. */
static gboolean
parse_params (const char *s, double *params, int max_params, int *n_out)
{
  int n = 0;

  if (*s++ != '(')
    return FALSE;
  for (;;) {
    char *end;
    double v;

    while (*s == ' ')
      s++;
    if (n == max_params)
      return FALSE;
    v = g_ascii_strtod (s, &end);
    if (end == s || !isfinite (v))
      return FALSE;
    params[n++] = v;
    s = end;
    while (*s == ' ')
      s++;
    if (*s == ')')
      break;
    if (*s++ != ',')
      return FALSE;
  }
  *n_out = n;
  return s[1] == '\0';
}

gboolean
hf_ease_parse (const char *name, HfEase * ease)
{
  const char *dot, *paren, *dir;
  size_t fam_len, dir_len;
  double params[2];
  int n_params = 0;
  guint i;
  gboolean found = FALSE;

  if (name == NULL)
    return FALSE;

  paren = strchr (name, '(');
  dot = strchr (name, '.');
  if (dot != NULL && paren != NULL && dot > paren)
    dot = NULL;
  fam_len = dot ? (size_t) (dot - name)
      : paren ? (size_t) (paren - name) : strlen (name);

  for (i = 0; i < G_N_ELEMENTS (families); i++) {
    if (strlen (families[i].name) == fam_len
        && strncmp (families[i].name, name, fam_len) == 0) {
      ease->family = families[i].family;
      found = TRUE;
      break;
    }
  }
  if (!found)
    return FALSE;

  ease->direction = HF_EASE_OUT;
  if (dot != NULL) {
    dir = dot + 1;
    dir_len = paren ? (size_t) (paren - dir) : strlen (dir);
    if (dir_len == 2 && strncmp (dir, "in", 2) == 0)
      ease->direction = HF_EASE_IN;
    else if (dir_len == 3 && strncmp (dir, "out", 3) == 0)
      ease->direction = HF_EASE_OUT;
    else if (dir_len == 5 && strncmp (dir, "inOut", 5) == 0)
      ease->direction = HF_EASE_IN_OUT;
    else
      return FALSE;
  }

  if (paren != NULL) {
    int max = ease->family == HF_EASE_BACK ? 1
        : ease->family == HF_EASE_ELASTIC ? 2 : 0;
    if (max == 0 || !parse_params (paren, params, max, &n_params))
      return FALSE;
  }

  ease->p1 = ease->p2 = 0.0;
  if (ease->family == HF_EASE_BACK) {
    ease->p1 = n_params > 0 ? params[0] : DEFAULT_BACK_OVERSHOOT;
    if (ease->p1 < 0.0 || ease->p1 > 100.0)
      return FALSE;
  } else if (ease->family == HF_EASE_ELASTIC) {
    ease->p1 = n_params > 0 ? params[0] : DEFAULT_ELASTIC_AMPLITUDE;
    ease->p2 = n_params > 1 ? params[1]
        : ease->direction == HF_EASE_IN_OUT ? DEFAULT_ELASTIC_PERIOD_INOUT
        : DEFAULT_ELASTIC_PERIOD;
    /* GSAP clamps the amplitude to at least 1 (asin needs 1/a <= 1). */
    if (ease->p1 < 1.0)
      ease->p1 = 1.0;
    if (ease->p1 > 100.0 || !(ease->p2 >= 0.01 && ease->p2 <= 10.0))
      return FALSE;
  }
  return TRUE;
}

/* Levenshtein distance, case-insensitive (names are short). */
static guint
edit_distance (const char *a, const char *b)
{
  guint la = strlen (a), lb = strlen (b), i, j;
  guint *row = g_new (guint, lb + 1), result;

  for (j = 0; j <= lb; j++)
    row[j] = j;
  for (i = 1; i <= la; i++) {
    guint diag = row[0];

    row[0] = i;
    for (j = 1; j <= lb; j++) {
      guint up = row[j], cost =
          g_ascii_tolower (a[i - 1]) != g_ascii_tolower (b[j - 1]);

      row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
      diag = up;
    }
  }
  result = row[lb];
  g_free (row);
  return result;
}

char *
hf_ease_suggest (const char *name)
{
  static const char *canon[] = { "none", "power0", "power1", "power2",
    "power3", "power4", "sine", "expo", "circ", "back", "elastic", "bounce"
  };
  static const char *dirs[] = { "in", "out", "inOut" };
  /* Penner's family names, as GSAP maps them. */
  static const struct
  {
    const char *penner, *gsap;
  } penner[] = {
    {"linear", "none"}, {"quad", "power1"}, {"cubic", "power2"},
    {"quart", "power3"}, {"quint", "power4"}, {"sine", "sine"},
    {"expo", "expo"}, {"circ", "circ"}, {"back", "back"},
    {"elastic", "elastic"}, {"bounce", "bounce"},
  };
  char *lower, *best = NULL;
  const char *rest;
  guint i, j, best_d = G_MAXUINT;

  if (name == NULL || *name == '\0')
    return NULL;
  lower = g_ascii_strdown (name, -1);
  /* CSS keywords. */
  if (strcmp (lower, "ease") == 0 || strcmp (lower, "ease-out") == 0)
    best = g_strdup ("power1.out");
  else if (strcmp (lower, "ease-in") == 0)
    best = g_strdup ("power1.in");
  else if (strcmp (lower, "ease-in-out") == 0)
    best = g_strdup ("power1.inOut");
  /* Penner: easeInOutCubic, easeOutQuad, ... */
  rest = g_str_has_prefix (lower, "ease") ? lower + 4 : NULL;
  for (i = 0; best == NULL && rest && i < G_N_ELEMENTS (penner); i++) {
    const char *dir = g_str_has_prefix (rest, "inout") ? "inOut" :
        g_str_has_prefix (rest, "in") ? "in" :
        g_str_has_prefix (rest, "out") ? "out" : NULL;
    const char *fam = rest + (dir ? strlen (dir) : 0);

    if (dir && strcmp (fam, penner[i].penner) == 0)
      best = g_strdup_printf ("%s.%s", penner[i].gsap, dir);
  }
  if (best != NULL) {
    g_free (lower);
    return best;
  }
  /* Otherwise the closest spelling of a valid name, if it is close. */
  for (i = 0; i < G_N_ELEMENTS (canon); i++)
    for (j = 0; j < G_N_ELEMENTS (dirs); j++) {
      char *cand = g_strdup_printf ("%s.%s", canon[i], dirs[j]);
      guint d = edit_distance (name, cand);

      if (d < best_d) {
        best_d = d;
        g_free (best);
        best = cand;
      } else {
        g_free (cand);
      }
    }
  if (best_d > MAX (2, strlen (name) / 3))
    g_clear_pointer (&best, g_free);
  g_free (lower);
  return best;
}

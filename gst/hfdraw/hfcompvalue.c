/* hfcompvalue: the syntax of attribute values in compositions (numbers,
 * colours, frame rates, point lists, path data). Strict: anything not
 * fully consumed, not finite or out of range is malformed. */
#include "hfcompprivate.h"

#include <math.h>
#include <string.h>

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
is_number_char (char c)
{
  return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E'
      || c == '+' || c == '-';
}

/* Reads one decimal number at *p (no leading separators) and advances.
 * g_ascii_strtod also knows "inf", "nan" and hex: the character check
 * keeps to plain decimal notation. */
static gboolean
scan_number (const char **p, double *out)
{
  const char *s = *p, *c;
  char *end;
  double v;

  if (!is_number_char (*s) || *s == 'e' || *s == 'E')
    return FALSE;
  v = g_ascii_strtod (s, &end);
  if (end == s)
    return FALSE;
  for (c = s; c < end; c++)
    if (!is_number_char (*c))
      return FALSE;
  if (!isfinite (v) || fabs (v) > HF_COMP_MAX_COORD)
    return FALSE;
  *out = v;
  *p = end;
  return TRUE;
}

gboolean
hf_comp_parse_number (const char *s, double *out)
{
  while (is_space (*s))
    s++;
  if (!scan_number (&s, out))
    return FALSE;
  while (is_space (*s))
    s++;
  return *s == '\0';
}

gboolean
hf_comp_parse_int (const char *s, gint64 * out)
{
  double v;

  if (!hf_comp_parse_number (s, &v) || v != floor (v))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

typedef struct
{
  const char *name;
  guint32 rgba;
} NamedColor;

static const NamedColor named_colors[] = {
  {"black", 0x000000ff},
  {"white", 0xffffffff},
  {"red", 0xff0000ff},
  {"green", 0x008000ff},
  {"lime", 0x00ff00ff},
  {"blue", 0x0000ffff},
  {"navy", 0x000080ff},
  {"yellow", 0xffff00ff},
  {"cyan", 0x00ffffff},
  {"magenta", 0xff00ffff},
  {"orange", 0xffa500ff},
  {"purple", 0x800080ff},
  {"pink", 0xffc0cbff},
  {"teal", 0x008080ff},
  {"gray", 0x808080ff},
  {"grey", 0x808080ff},
  {"silver", 0xc0c0c0ff},
  {"transparent", 0x00000000},
};

gboolean
hf_comp_parse_color (const char *s, HfRgba * out)
{
  guint i;
  size_t n;
  int d[8];

  while (is_space (*s))
    s++;
  n = strlen (s);
  while (n > 0 && is_space (s[n - 1]))
    n--;

  if (n > 0 && s[0] == '#') {
    n--;
    s++;
    if (n != 3 && n != 4 && n != 6 && n != 8)
      return FALSE;
    for (i = 0; i < n; i++)
      if ((d[i] = hex_digit (s[i])) < 0)
        return FALSE;
    if (n <= 4) {
      out->r = d[0] * 17;
      out->g = d[1] * 17;
      out->b = d[2] * 17;
      out->a = n == 4 ? d[3] * 17 : 255;
    } else {
      out->r = d[0] * 16 + d[1];
      out->g = d[2] * 16 + d[3];
      out->b = d[4] * 16 + d[5];
      out->a = n == 8 ? d[6] * 16 + d[7] : 255;
    }
    return TRUE;
  }

  for (i = 0; i < G_N_ELEMENTS (named_colors); i++) {
    if (strlen (named_colors[i].name) == n
        && g_ascii_strncasecmp (named_colors[i].name, s, n) == 0) {
      guint32 v = named_colors[i].rgba;
      out->r = v >> 24;
      out->g = (v >> 16) & 0xff;
      out->b = (v >> 8) & 0xff;
      out->a = v & 0xff;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
parse_uint (const char *s, const char *end, gint64 * out)
{
  gint64 v = 0;

  if (s == end)
    return FALSE;
  for (; s < end; s++) {
    if (*s < '0' || *s > '9')
      return FALSE;
    v = v * 10 + (*s - '0');
    if (v > G_MAXINT)
      return FALSE;
  }
  *out = v;
  return TRUE;
}

static gint64
gcd64 (gint64 a, gint64 b)
{
  while (b != 0) {
    gint64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* "30", "30000/1001" or a decimal such as "29.97" (an NTSC-style rate
 * close to N*1000/1001 becomes exactly that). Zero and negative rates
 * parse; the caller range-checks n/d. */
gboolean
hf_comp_parse_fps (const char *s, int *fps_n, int *fps_d)
{
  const char *slash = strchr (s, '/');
  gint64 n, d;
  double v, ntsc;

  if (slash != NULL) {
    if (!parse_uint (s, slash, &n)
        || !parse_uint (slash + 1, slash + strlen (slash), &d) || d == 0)
      return FALSE;
    *fps_n = (int) n;
    *fps_d = (int) d;
    return TRUE;
  }
  if (!hf_comp_parse_number (s, &v))
    return FALSE;
  if (v <= 0.0 || v > HF_COMP_MAX_FPS) {
    /* Out of range: report it as such, not as malformed. */
    *fps_n = v <= 0.0 ? 0 : HF_COMP_MAX_FPS + 1;
    *fps_d = 1;
    return TRUE;
  }
  if (v == floor (v)) {
    *fps_n = (int) v;
    *fps_d = 1;
    return TRUE;
  }
  /* NTSC rates are N x 1000/1001 for N >= 1; below 1 fps there is none
   * (0.001 would otherwise "snap" to 0/1001). */
  ntsc = round (v * 1.001);
  if (ntsc >= 1 && fabs (v - ntsc / 1.001) < 0.006) {
    *fps_n = (int) ntsc *1000;
    *fps_d = 1001;
    return TRUE;
  }
  n = (gint64) round (v * 1000.0);
  d = 1000;
  {
    gint64 g = gcd64 (n, d);
    *fps_n = (int) (n / g);
    *fps_d = (int) (d / g);
  }
  return TRUE;
}

static void
skip_separators (const char **p)
{
  while (is_space (**p) || **p == ',')
    (*p)++;
}

gboolean
hf_comp_parse_points (const char *s, GArray * coords, const char **why)
{
  const char *p = s;
  double v;

  for (;;) {
    skip_separators (&p);
    if (*p == '\0')
      break;
    if (!scan_number (&p, &v)) {
      *why = "malformed number in points";
      return FALSE;
    }
    g_array_append_val (coords, v);
  }
  if (coords->len == 0) {
    *why = "points is empty";
    return FALSE;
  }
  if (coords->len % 2 != 0) {
    *why = "points needs an even number of coordinates";
    return FALSE;
  }
  return TRUE;
}

typedef struct
{
  GArray *coords, *ends, *closed;
  gboolean open;
  double x, y;                  /* current point */
  double sx, sy;                /* start of the current contour */
} PathBuilder;

static void
path_end_contour (PathBuilder * b, gboolean closed)
{
  guint end = b->coords->len / 2;

  if (!b->open)
    return;
  g_array_append_val (b->ends, end);
  g_array_append_val (b->closed, closed);
  b->open = FALSE;
}

static void
path_add_point (PathBuilder * b, double x, double y)
{
  g_array_append_val (b->coords, x);
  g_array_append_val (b->coords, y);
  b->x = x;
  b->y = y;
}

gboolean
hf_comp_parse_path (const char *s, GArray * coords, GArray * ends,
    GArray * closed, const char **why)
{
  PathBuilder b = { coords, ends, closed, FALSE, 0, 0, 0, 0 };
  const char *p = s;
  char cmd = 0;

  for (;;) {
    double a[2] = { 0.0, 0.0 };
    int n_args, i;
    gboolean rel;

    skip_separators (&p);
    if (*p == '\0')
      break;
    if (g_ascii_isalpha (*p) && *p != 'e' && *p != 'E') {
      cmd = *p++;
      if (cmd == 'Z' || cmd == 'z') {
        if (b.open) {
          path_end_contour (&b, TRUE);
          b.x = b.sx;
          b.y = b.sy;
        }
        continue;
      }
      if (!strchr ("MmLlHhVv", cmd)) {
        *why = "unsupported path command (only M, L, H, V, Z and their "
            "relative forms: straight segments)";
        return FALSE;
      }
    } else if (cmd == 0 || cmd == 'Z' || cmd == 'z') {
      *why = cmd == 0 ? "path data must start with M"
          : "number after Z without a command";
      return FALSE;
    }

    n_args = (cmd == 'H' || cmd == 'h' || cmd == 'V' || cmd == 'v') ? 1 : 2;
    for (i = 0; i < n_args; i++) {
      skip_separators (&p);
      if (!scan_number (&p, &a[i])) {
        *why = "malformed or missing number in path data";
        return FALSE;
      }
    }

    rel = g_ascii_islower (cmd);
    if (cmd == 'M' || cmd == 'm') {
      path_end_contour (&b, FALSE);
      if (rel) {
        a[0] += b.x;
        a[1] += b.y;
      }
    } else if (cmd == 'L' || cmd == 'l') {
      if (rel) {
        a[0] += b.x;
        a[1] += b.y;
      }
    } else if (cmd == 'H' || cmd == 'h') {
      a[1] = b.y;
      if (rel)
        a[0] += b.x;
    } else {
      a[1] = rel ? b.y + a[0] : a[0];
      a[0] = b.x;
    }
    if (fabs (a[0]) > HF_COMP_MAX_COORD || fabs (a[1]) > HF_COMP_MAX_COORD) {
      *why = "path coordinate out of range";
      return FALSE;
    }
    if (cmd == 'M' || cmd == 'm') {
      b.open = TRUE;
      b.sx = a[0];
      b.sy = a[1];
      path_add_point (&b, a[0], a[1]);
      /* Further pairs after a moveto are linetos, as in SVG. */
      cmd = rel ? 'l' : 'L';
      continue;
    }
    if (!b.open) {
      /* A lineto after Z starts a new contour at the current point. */
      b.open = TRUE;
      b.sx = b.x;
      b.sy = b.y;
      path_add_point (&b, b.x, b.y);
    }
    path_add_point (&b, a[0], a[1]);
  }
  path_end_contour (&b, FALSE);
  if (coords->len == 0) {
    *why = "path data is empty";
    return FALSE;
  }
  return TRUE;
}

/* hfcompvalue: the syntax of attribute values in compositions (numbers,
 * colours, frame rates, point lists, path data). Strict: anything not
 * fully consumed or not a plain decimal is malformed; a number beyond
 * ±HF_COMP_MAX_COORD is refused as out of range. */
#include "hfcomp-private.h"

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

/* Reads one number in plain decimal notation at *p (no leading
 * separators) and advances; it may be out of range. g_ascii_strtod also
 * knows "inf", "nan" and hex: the character check keeps to decimals. */
static gboolean
scan_decimal (const char **p, double *out)
{
  const char *s = *p, *c;
  char *end;

  if (!is_number_char (*s) || *s == 'e' || *s == 'E')
    return FALSE;
  *out = g_ascii_strtod (s, &end);
  if (end == s)
    return FALSE;
  for (c = s; c < end; c++)
    if (!is_number_char (*c))
      return FALSE;
  *p = end;
  return TRUE;
}

static gboolean
in_range (double v)
{
  return isfinite (v) && fabs (v) <= HF_COMP_MAX_COORD;
}

/* The same, within ±HF_COMP_MAX_COORD; *why says which check failed. */
static gboolean
scan_number (const char **p, double *out, const char **why)
{
  const char *s = *p;
  double v;

  if (!scan_decimal (&s, &v)) {
    *why = "malformed number";
    return FALSE;
  }
  if (!in_range (v)) {
    *why = HF_COMP_NUMBER_RANGE;
    return FALSE;
  }
  *out = v;
  *p = s;
  return TRUE;
}

/* The whole of s (spaces around it allowed) as one number. */
static gboolean
parse_whole (const char *s, double *out, const char **why)
{
  double v;

  *why = "malformed number";
  while (is_space (*s))
    s++;
  if (!scan_decimal (&s, &v))
    return FALSE;
  while (is_space (*s))
    s++;
  if (*s != '\0')
    return FALSE;
  *out = v;
  if (!in_range (v)) {
    *why = HF_COMP_NUMBER_RANGE;
    return FALSE;
  }
  return TRUE;
}

gboolean
hf_comp_parse_number (const char *s, double *out)
{
  const char *why;
  double v;

  if (!parse_whole (s, &v, &why))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
hf_comp_parse_decimal (const char *s, double *out)
{
  const char *why;

  return parse_whole (s, out, &why) || g_str_equal (why, HF_COMP_NUMBER_RANGE);
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
  if (!hf_comp_parse_decimal (s, &v))
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

/* Appends the numbers of a separator-delimited list to out; at least
 * one. */
gboolean
hf_comp_parse_numbers (const char *s, GArray * out, const char **why)
{
  const char *p = s;
  double v;

  for (;;) {
    skip_separators (&p);
    if (*p == '\0')
      break;
    if (!scan_number (&p, &v, why))
      return FALSE;
    g_array_append_val (out, v);
  }
  if (out->len == 0) {
    *why = "no number";
    return FALSE;
  }
  return TRUE;
}

gboolean
hf_comp_parse_points (const char *s, GArray * coords, const char **why)
{
  if (!hf_comp_parse_numbers (s, coords, why))
    return FALSE;
  if (coords->len % 2 != 0) {
    *why = "needs an even number of coordinates";
    return FALSE;
  }
  return TRUE;
}

typedef struct
{
  GArray *coords, *kinds, *ends, *closed;
  gboolean open;
  double x, y;                  /* current point */
  double sx, sy;                /* start of the current contour */
  /* For S and T: the control point to reflect, when the previous command
   * was a cubic (S) or a quadratic (T); else the current point is used. */
  char prev;                    /* previous command, upper case */
  double c2x, c2y;              /* last cubic's second control point */
  double qx, qy;                /* last quadratic's control point */
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
path_add (PathBuilder * b, double x, double y, guint8 kind)
{
  g_array_append_val (b->coords, x);
  g_array_append_val (b->coords, y);
  g_array_append_val (b->kinds, kind);
}

/* A drawing command after Z (or after nothing) starts a contour at the
 * current point, as in SVG. */
static void
path_begin (PathBuilder * b)
{
  if (!b->open) {
    b->open = TRUE;
    b->sx = b->x;
    b->sy = b->y;
    path_add (b, b->x, b->y, HF_PT_ON);
  }
}

static void
path_cubic (PathBuilder * b, double x1, double y1, double x2, double y2,
    double x3, double y3)
{
  path_begin (b);
  path_add (b, x1, y1, HF_PT_CTRL);
  path_add (b, x2, y2, HF_PT_CTRL);
  path_add (b, x3, y3, HF_PT_ON);
  b->c2x = x2;
  b->c2y = y2;
  b->x = x3;
  b->y = y3;
}

/* A quadratic is the cubic with controls 2/3 of the way to its control
 * point: exact, so quadratics need no flattening of their own. */
static void
path_quad (PathBuilder * b, double qx, double qy, double x, double y)
{
  double x0 = b->x, y0 = b->y;

  path_cubic (b, x0 + 2.0 / 3.0 * (qx - x0), y0 + 2.0 / 3.0 * (qy - y0),
      x + 2.0 / 3.0 * (qx - x), y + 2.0 / 3.0 * (qy - y), x, y);
  b->qx = qx;
  b->qy = qy;
}

/* An elliptical arc (SVG's endpoint form, implementation notes F.6.5 and
 * F.6.6: out-of-range radii are scaled up, zero radii make a line) as
 * cubics of at most 45 degrees each, which stay within 5e-6 of the radius
 * of the true ellipse. */
static void
path_arc (PathBuilder * b, double rx, double ry, double rot_deg,
    gboolean large, gboolean sweep, double x, double y)
{
  double x0 = b->x, y0 = b->y, phi = rot_deg * G_PI / 180.0;
  double cphi = cos (phi), sphi = sin (phi);
  double dx = (x0 - x) / 2.0, dy = (y0 - y) / 2.0;
  double x1p = cphi * dx + sphi * dy, y1p = -sphi * dx + cphi * dy;
  double lambda, num, den, co, cxp, cyp, cx, cy, t1, dt, ux, uy, vx, vy;
  int n, k;

  if (x == x0 && y == y0)
    return;
  rx = fabs (rx);
  ry = fabs (ry);
  if (rx == 0.0 || ry == 0.0) {
    path_begin (b);
    path_add (b, x, y, HF_PT_ON);
    b->x = x;
    b->y = y;
    return;
  }
  lambda = x1p * x1p / (rx * rx) + y1p * y1p / (ry * ry);
  if (lambda > 1.0) {
    rx *= sqrt (lambda);
    ry *= sqrt (lambda);
  }
  num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
  den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
  co = den > 0.0 ? sqrt (MAX (0.0, num / den)) : 0.0;
  if (large == sweep)
    co = -co;
  cxp = co * rx * y1p / ry;
  cyp = -co * ry * x1p / rx;
  cx = cphi * cxp - sphi * cyp + (x0 + x) / 2.0;
  cy = sphi * cxp + cphi * cyp + (y0 + y) / 2.0;
  ux = (x1p - cxp) / rx;
  uy = (y1p - cyp) / ry;
  vx = (-x1p - cxp) / rx;
  vy = (-y1p - cyp) / ry;
  t1 = atan2 (uy, ux);
  dt = atan2 (ux * vy - uy * vx, ux * vx + uy * vy);
  if (!sweep && dt > 0)
    dt -= 2 * G_PI;
  else if (sweep && dt < 0)
    dt += 2 * G_PI;

  n = (int) ceil (fabs (dt) / (G_PI / 4) - 1e-9);
  n = MAX (n, 1);
  for (k = 0; k < n; k++) {
    double a0 = t1 + dt * k / n, a1 = t1 + dt * (k + 1) / n;
    double h = 4.0 / 3.0 * tan ((a1 - a0) / 4.0);
    double c0 = cos (a0), s0 = sin (a0), c1 = cos (a1), s1 = sin (a1);
    /* Unit-circle control points, then scale, rotate and move. */
    double px[3] = { c0 - h * s0, c1 + h * s1, c1 };
    double py[3] = { s0 + h * c0, s1 - h * c1, s1 };
    double ox[3], oy[3];
    int j;

    for (j = 0; j < 3; j++) {
      ox[j] = cx + rx * px[j] * cphi - ry * py[j] * sphi;
      oy[j] = cy + rx * px[j] * sphi + ry * py[j] * cphi;
    }
    if (k == n - 1) {
      ox[2] = x;                /* land exactly on the endpoint */
      oy[2] = y;
    }
    path_cubic (b, ox[0], oy[0], ox[1], oy[1], ox[2], oy[2]);
  }
}

/* An arc flag: a single 0 or 1, which needs no separator ("a1 1 0 01 2 2"). */
static gboolean
scan_flag (const char **p, gboolean * flag)
{
  skip_separators (p);
  if (**p != '0' && **p != '1')
    return FALSE;
  *flag = **p == '1';
  (*p)++;
  return TRUE;
}

gboolean
hf_comp_parse_path (const char *s, GArray * coords, GArray * kinds,
    GArray * ends, GArray * closed, const char **why, gsize * err_at)
{
  PathBuilder b = { coords, kinds, ends, closed, FALSE, 0, 0, 0, 0, 0,
    0, 0, 0, 0
  };
  const char *p = s;
  char cmd = 0;

  for (;;) {
    static const char commands[] = "MmLlHhVvCcSsQqTtAaZz";
    double a[7] = { 0 };
    gboolean flags[2] = { FALSE, FALSE };
    int n_args, i;
    gboolean rel;
    char up;

    skip_separators (&p);
    if (*p == '\0')
      break;
    if (g_ascii_isalpha (*p) && *p != 'e' && *p != 'E') {
      if (!strchr (commands, *p)) {
        *why = "unknown path command (M L H V C S Q T A Z, or lower case "
            "for relative)";
        *err_at = p - s;
        return FALSE;
      }
      cmd = *p++;
      if (cmd == 'Z' || cmd == 'z') {
        if (b.open) {
          path_end_contour (&b, TRUE);
          b.x = b.sx;
          b.y = b.sy;
        }
        b.prev = 'Z';
        continue;
      }
    } else if (cmd == 0 || cmd == 'Z' || cmd == 'z') {
      *why = cmd == 0 ? "path data must start with M"
          : "number after Z without a command";
      *err_at = p - s;
      return FALSE;
    }

    up = g_ascii_toupper (cmd);
    rel = g_ascii_islower (cmd);
    n_args = up == 'H' || up == 'V' ? 1 : up == 'C' ? 6 : up == 'S'
        || up == 'Q' ? 4 : up == 'A' ? 7 : 2;
    for (i = 0; i < n_args; i++) {
      gboolean ok;

      if (up == 'A' && (i == 3 || i == 4)) {
        ok = scan_flag (&p, &flags[i - 3]);
      } else {
        skip_separators (&p);
        ok = scan_number (&p, &a[i], why);
        if (!ok)
          *why = g_str_equal (*why, HF_COMP_NUMBER_RANGE) ?
              "number out of range in path data (" HF_COMP_NUMBER_LIMIT ")" :
              "malformed or missing number in path data";
      }
      if (!ok) {
        if (up == 'A' && (i == 3 || i == 4))
          *why = "an arc flag must be 0 or 1";
        *err_at = p - s;
        return FALSE;
      }
    }
    /* Relative coordinates: every x,y pair from the current point (an
     * arc's radii, rotation and flags are not coordinates). */
    if (rel) {
      if (up == 'H')
        a[0] += b.x;
      else if (up == 'V')
        a[0] += b.y;
      else if (up == 'A') {
        a[5] += b.x;
        a[6] += b.y;
      } else {
        for (i = 0; i < n_args; i += 2) {
          a[i] += b.x;
          a[i + 1] += b.y;
        }
      }
    }
    for (i = 0; i < n_args; i++)
      if (fabs (a[i]) > HF_COMP_MAX_COORD) {
        *why = "path coordinate out of range (" HF_COMP_NUMBER_LIMIT ")";
        *err_at = p - s;
        return FALSE;
      }

    switch (up) {
      case 'M':
        path_end_contour (&b, FALSE);
        b.x = a[0];
        b.y = a[1];
        path_begin (&b);
        /* Further pairs after a moveto are linetos, as in SVG. */
        cmd = rel ? 'l' : 'L';
        break;
      case 'L':
      case 'H':
      case 'V':
        path_begin (&b);
        b.x = up == 'V' ? b.x : a[0];
        b.y = up == 'L' ? a[1] : up == 'V' ? a[0] : b.y;
        path_add (&b, b.x, b.y, HF_PT_ON);
        break;
      case 'C':
        path_cubic (&b, a[0], a[1], a[2], a[3], a[4], a[5]);
        break;
      case 'S':
        if (b.prev == 'C' || b.prev == 'S')
          path_cubic (&b, 2 * b.x - b.c2x, 2 * b.y - b.c2y, a[0], a[1],
              a[2], a[3]);
        else
          path_cubic (&b, b.x, b.y, a[0], a[1], a[2], a[3]);
        break;
      case 'Q':
        path_quad (&b, a[0], a[1], a[2], a[3]);
        break;
      case 'T':
        if (b.prev == 'Q' || b.prev == 'T')
          path_quad (&b, 2 * b.x - b.qx, 2 * b.y - b.qy, a[0], a[1]);
        else
          path_quad (&b, b.x, b.y, a[0], a[1]);
        break;
      case 'A':
        path_arc (&b, a[0], a[1], a[2], flags[0], flags[1], a[5], a[6]);
        break;
    }
    b.prev = up;
    if (coords->len / 2 > HF_COMP_MAX_PATH_POINTS) {
      *why = "path data has too many points";
      *err_at = p - s;
      return FALSE;
    }
  }
  path_end_contour (&b, FALSE);
  if (coords->len == 0) {
    *why = "path data is empty";
    *err_at = 0;
    return FALSE;
  }
  return TRUE;
}

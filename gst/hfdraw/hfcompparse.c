/* hfcompparse: reads composition markup (docs/composition-format.md) with
 * GMarkup into the scene model of hfcompprivate.h.
 *
 * Hostile input stays bounded: the element count and the nesting depth are
 * checked as each start tag arrives, so neither memory nor the (bounded)
 * recursion elsewhere can grow past the limits of hfcomp.h. Errors carry
 * "NAME:LINE:COL", pointing at the offending tag or attribute. */
#include "hfcompprivate.h"

#include <math.h>
#include <string.h>
#include <stdarg.h>
#include <glib/gstdio.h>

G_DEFINE_QUARK (hf-comp-error-quark, hf_comp_error);

#define M(t) (1u << (t))
#define M_GROUP M (HF_EL_GROUP)
#define M_RECT M (HF_EL_RECT)
#define M_ELLIPSE M (HF_EL_ELLIPSE)
#define M_POLYGON M (HF_EL_POLYGON)
#define M_PATH M (HF_EL_PATH)
#define M_TEXT M (HF_EL_TEXT)
#define M_SHAPES (M_RECT | M_ELLIPSE | M_POLYGON | M_PATH | M_TEXT)
#define M_ALL (M_SHAPES | M_GROUP)
#define BIG HF_COMP_MAX_COORD

typedef enum
{
  A_ID,
  A_START,
  A_DURATION,
  A_TRACK,
  A_NUM,                        /* animatable number */
  A_PAINT,                      /* animatable colour, or a gradient */
  A_WEIGHT,                     /* animatable number or keyword */
  A_ORIGIN,
  A_POINTS,
  A_D,
  A_ALIGN,
  A_TEXT,
} AttrKind;

typedef struct
{
  const char *name;
  AttrKind kind;
  int slot;
  guint mask;
  double min, max;
} AttrDef;

static const AttrDef attr_defs[] = {
  {"id", A_ID, -1, M_ALL, 0, 0},
  {"data-start", A_START, -1, M_ALL, 0, HF_COMP_MAX_TIME},
  {"data-duration", A_DURATION, -1, M_ALL, 0, HF_COMP_MAX_TIME},
  {"data-track-index", A_TRACK, -1, M_ALL, -BIG, BIG},
  {"opacity", A_NUM, HF_SLOT_OPACITY, M_ALL, 0, 1},
  {"translate-x", A_NUM, HF_SLOT_TRANSLATE_X, M_ALL, -BIG, BIG},
  {"translate-y", A_NUM, HF_SLOT_TRANSLATE_Y, M_ALL, -BIG, BIG},
  {"scale", A_NUM, HF_SLOT_SCALE, M_ALL, -BIG, BIG},
  {"scale-x", A_NUM, HF_SLOT_SCALE_X, M_ALL, -BIG, BIG},
  {"scale-y", A_NUM, HF_SLOT_SCALE_Y, M_ALL, -BIG, BIG},
  {"rotate", A_NUM, HF_SLOT_ROTATE, M_ALL, -BIG, BIG},
  {"origin-x", A_NUM, HF_SLOT_ORIGIN_X, M_ALL, -BIG, BIG},
  {"origin-y", A_NUM, HF_SLOT_ORIGIN_Y, M_ALL, -BIG, BIG},
  {"transform-origin", A_ORIGIN, -1, M_ALL, -BIG, BIG},
  {"fill", A_PAINT, HF_SLOT_FILL, M_SHAPES, 0, 0},
  {"stroke", A_PAINT, HF_SLOT_STROKE, M_SHAPES, 0, 0},
  {"stroke-width", A_NUM, HF_SLOT_STROKE_WIDTH, M_SHAPES, 0, BIG},
  {"x", A_NUM, HF_SLOT_X, M_GROUP | M_RECT | M_TEXT, -BIG, BIG},
  {"y", A_NUM, HF_SLOT_Y, M_GROUP | M_RECT | M_TEXT, -BIG, BIG},
  {"width", A_NUM, HF_SLOT_WIDTH, M_RECT, 0, BIG},
  {"height", A_NUM, HF_SLOT_HEIGHT, M_RECT, 0, BIG},
  {"radius", A_NUM, HF_SLOT_RADIUS, M_RECT, 0, BIG},
  {"cx", A_NUM, HF_SLOT_CX, M_ELLIPSE, -BIG, BIG},
  {"cy", A_NUM, HF_SLOT_CY, M_ELLIPSE, -BIG, BIG},
  {"rx", A_NUM, HF_SLOT_RX, M_ELLIPSE, 0, BIG},
  {"ry", A_NUM, HF_SLOT_RY, M_ELLIPSE, 0, BIG},
  {"points", A_POINTS, -1, M_POLYGON, 0, 0},
  {"d", A_D, -1, M_PATH, 0, 0},
  {"size", A_NUM, HF_SLOT_SIZE, M_TEXT, 0, BIG},
  {"weight", A_WEIGHT, HF_SLOT_WEIGHT, M_TEXT, 0.1, 10},
  {"align", A_ALIGN, -1, M_TEXT, 0, 0},
  {"text", A_TEXT, -1, M_TEXT, 0, 0},
};

static const char *element_names[HF_EL_N_TYPES] = {
  "group", "rect", "ellipse", "polygon", "path", "text",
};

typedef enum
{
  F_COMPOSITION,
  F_DEFS,
  F_GRADIENT,
  F_STOP,
  F_ELEMENT,
  F_TWEEN,
} FrameKind;

typedef struct
{
  FrameKind kind;
  const char *name;             /* static tag name, for messages */
  HfElement *el;                /* F_COMPOSITION, F_ELEMENT */
  GPtrArray *children;          /* owns child HfElements until the end tag */
  GArray *tweens;               /* HfTween */
  GString *text;                /* text element content */
} Frame;

typedef struct
{
  HfElement *el;
  gboolean stroke;
  char *id;
  int line, col;
} PendingRef;

typedef struct
{
  const char *name;
  const char *data;
  gsize len;
  GMarkupParseContext *ctx;
  HfComposition *comp;
  Frame stack[HF_COMP_MAX_DEPTH];
  int depth;
  gboolean have_root;
  guint order;
  GArray *gradients;            /* HfGradient */
  GHashTable *gradient_ids;     /* id -> index + 1 */
  GArray *refs;                 /* PendingRef */
  GArray *events;               /* double */
  GArray *spans;                /* double pairs */
} ParseState;

/* ---- positions ---------------------------------------------------- */

/* GMarkup reports where its scanner is (just after a start tag, in
 * characters); error messages point at the tag or attribute itself, so
 * positions are recomputed from byte offsets into the document. */
static gsize
offset_of_position (const ParseState * ps, int line, int chr)
{
  gsize i = 0;
  int l = 1, c;

  while (l < line && i < ps->len) {
    if (ps->data[i] == '\n')
      l++;
    i++;
  }
  for (c = 1; c < chr && i < ps->len && ps->data[i] != '\n'; c++) {
    i++;
    while (i < ps->len && ((guchar) ps->data[i] & 0xc0) == 0x80)
      i++;
  }
  return i;
}

static void
position_of_offset (const ParseState * ps, gsize off, int *line, int *col)
{
  gsize i;
  int l = 1, c = 1;

  for (i = 0; i < off && i < ps->len; i++) {
    if (ps->data[i] == '\n') {
      l++;
      c = 1;
    } else if (((guchar) ps->data[i] & 0xc0) != 0x80) {
      c++;
    }
  }
  *line = l;
  *col = c;
}

/* Byte range [lt, gt] of the start tag GMarkup has just reported. */
static gboolean
current_tag_range (const ParseState * ps, gsize * lt, gsize * gt)
{
  int line, chr;
  gsize off, i;

  if (ps->len == 0)
    return FALSE;
  g_markup_parse_context_get_position (ps->ctx, &line, &chr);
  off = offset_of_position (ps, line, chr);
  if (off >= ps->len)
    off = ps->len - 1;
  for (i = off + 1; i-- > 0;)
    if (ps->data[i] == '>')
      break;
  if (i == (gsize) - 1)
    return FALSE;
  *gt = i;
  for (; i-- > 0;)
    if (ps->data[i] == '<')
      break;
  if (i == (gsize) - 1)
    return FALSE;
  *lt = i;
  return TRUE;
}

static void
tag_position (const ParseState * ps, int *line, int *col)
{
  gsize lt, gt;

  if (current_tag_range (ps, &lt, &gt))
    position_of_offset (ps, lt, line, col);
  else
    g_markup_parse_context_get_position (ps->ctx, line, col);
}

static gboolean
is_space_char (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Position of attribute `attr` inside the current start tag. */
static void
attr_position (const ParseState * ps, const char *attr, int *line, int *col)
{
  gsize lt, gt, i, n = strlen (attr);
  char quote = 0;

  if (!current_tag_range (ps, &lt, &gt)) {
    g_markup_parse_context_get_position (ps->ctx, line, col);
    return;
  }
  for (i = lt; i < gt; i++) {
    char c = ps->data[i];
    if (quote) {
      if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (is_space_char (c) && i + 1 + n <= gt
        && strncmp (ps->data + i + 1, attr, n) == 0
        && (is_space_char (ps->data[i + 1 + n]) || ps->data[i + 1 + n] == '='))
    {
      position_of_offset (ps, i + 1, line, col);
      return;
    }
  }
  position_of_offset (ps, lt, line, col);
}

/* ---- errors ------------------------------------------------------- */

static void G_GNUC_PRINTF (6, 0)
    fail_v (const ParseState * ps, GError ** error, int code, int line,
    int col, const char *fmt, va_list ap)
{
  char *msg = g_strdup_vprintf (fmt, ap);

  g_set_error (error, HF_COMP_ERROR, code, "%s:%d:%d: %s", ps->name, line,
      col, msg);
  g_free (msg);
}

static gboolean G_GNUC_PRINTF (4, 5)
    fail_tag (const ParseState * ps, GError ** error, int code,
    const char *fmt, ...)
{
  va_list ap;
  int line, col;

  tag_position (ps, &line, &col);
  va_start (ap, fmt);
  fail_v (ps, error, code, line, col, fmt, ap);
  va_end (ap);
  return FALSE;
}

static gboolean G_GNUC_PRINTF (4, 5)
    fail_attr (const ParseState * ps, GError ** error, const char *attr,
    const char *fmt, ...)
{
  va_list ap;
  int line, col;

  attr_position (ps, attr, &line, &col);
  va_start (ap, fmt);
  fail_v (ps, error, HF_COMP_ERROR_INVALID, line, col, fmt, ap);
  va_end (ap);
  return FALSE;
}

static gboolean G_GNUC_PRINTF (5, 6)
    fail_at (const ParseState * ps, GError ** error, int line, int col,
    const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  fail_v (ps, error, HF_COMP_ERROR_INVALID, line, col, fmt, ap);
  va_end (ap);
  return FALSE;
}

/* ---- values ------------------------------------------------------- */

static gboolean
number_in_range (const ParseState * ps, GError ** error, const char *attr,
    const char *value, double min, double max, double *out)
{
  if (!hf_comp_parse_number (value, out))
    return fail_attr (ps, error, attr, "malformed number '%s' for %s",
        value, attr);
  if (*out < min || *out > max)
    return fail_attr (ps, error, attr, "%s=\"%s\" is out of range "
        "[%g, %g]", attr, value, min, max);
  return TRUE;
}

static gboolean
parse_weight (const char *value, double *out)
{
  if (strcmp (value, "normal") == 0)
    *out = 1.0;
  else if (strcmp (value, "bold") == 0)
    *out = 2.0;
  else if (strcmp (value, "light") == 0)
    *out = 0.6;
  else
    return hf_comp_parse_number (value, out);
  return TRUE;
}

static void
set_color (double *v, HfRgba c)
{
  v[0] = c.r;
  v[1] = c.g;
  v[2] = c.b;
  v[3] = c.a;
}

/* A colour for an animatable paint slot ("none" is transparent). */
static gboolean
parse_paint_color (const char *value, double *v)
{
  HfRgba c;

  if (strcmp (value, "none") == 0) {
    HfRgba none = { 0, 0, 0, 0 };
    c = none;
  } else if (!hf_comp_parse_color (value, &c)) {
    return FALSE;
  }
  set_color (v, c);
  return TRUE;
}

static const AttrDef *
find_attr (const char *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (attr_defs); i++)
    if (strcmp (attr_defs[i].name, name) == 0)
      return &attr_defs[i];
  return NULL;
}

/* ---- elements ----------------------------------------------------- */

static HfElement *
element_new (HfElementType type, guint order)
{
  HfElement *el = g_new0 (HfElement, 1);
  HfRgba white = { 255, 255, 255, 255 }, none = { 0, 0, 0, 0 };

  el->type = type;
  el->order = order;
  el->base[HF_SLOT_OPACITY] = 1.0;
  el->base[HF_SLOT_SCALE] = 1.0;
  el->base[HF_SLOT_SCALE_X] = 1.0;
  el->base[HF_SLOT_SCALE_Y] = 1.0;
  el->base[HF_SLOT_SIZE] = 48.0;
  el->base[HF_SLOT_WEIGHT] = 1.0;
  el->base[HF_SLOT_STROKE_WIDTH] = 1.0;
  set_color (el->base + HF_SLOT_FILL, white);
  set_color (el->base + HF_SLOT_STROKE, none);
  el->fill_gradient = -1;
  el->stroke_gradient = -1;
  el->align = HF_ALIGN_LEFT;
  return el;
}

static void
element_free_ptr (gpointer p)
{
  hf_element_free (p);
}

static Frame *
push_frame (ParseState * ps, FrameKind kind, const char *name)
{
  Frame *f = &ps->stack[ps->depth++];

  memset (f, 0, sizeof (*f));
  f->kind = kind;
  f->name = name;
  return f;
}

static void
frame_clear (Frame * f)
{
  if (f->children)
    g_ptr_array_free (f->children, TRUE);
  if (f->tweens)
    g_array_free (f->tweens, TRUE);
  if (f->text)
    g_string_free (f->text, TRUE);
  memset (f, 0, sizeof (*f));
}

static void
add_event (ParseState * ps, double t)
{
  g_array_append_val (ps->events, t);
}

static void
add_span (ParseState * ps, double a, double b)
{
  if (!(a < b))
    return;
  g_array_append_val (ps->spans, a);
  g_array_append_val (ps->spans, b);
}

/* Attributes of a drawable element (or a group). */
static gboolean
parse_element_attrs (ParseState * ps, HfElement * el, const HfElement * pe,
    const char *tag, const char **names, const char **values,
    GError ** error)
{
  double start = 0.0, duration = 0.0, v;
  gboolean have_duration = FALSE;
  gboolean have_points = FALSE, have_d = FALSE;
  guint64 seen = 0;
  guint i;

  G_STATIC_ASSERT (G_N_ELEMENTS (attr_defs) <= 64);

  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];
    const AttrDef *def = find_attr (n);

    if (def == NULL)
      return fail_attr (ps, error, n, "unknown attribute '%s' on <%s>", n,
          tag);
    if (!(def->mask & M (el->type)))
      return fail_attr (ps, error, n, "<%s> has no attribute '%s'", tag, n);
    if (seen & (G_GUINT64_CONSTANT (1) << (def - attr_defs)))
      return fail_attr (ps, error, n, "attribute '%s' given twice", n);
    seen |= G_GUINT64_CONSTANT (1) << (def - attr_defs);

    switch (def->kind) {
      case A_ID:
        break;
      case A_START:
        if (!number_in_range (ps, error, n, val, 0, def->max, &start))
          return FALSE;
        break;
      case A_DURATION:
        if (!number_in_range (ps, error, n, val, -HF_COMP_MAX_TIME,
                def->max, &duration))
          return FALSE;
        if (duration <= 0.0)
          return fail_attr (ps, error, n, "data-duration must be > 0, "
              "got '%s'", val);
        have_duration = TRUE;
        break;
      case A_TRACK:{
        gint64 track;
        if (!hf_comp_parse_int (val, &track))
          return fail_attr (ps, error, n, "malformed integer '%s' for %s",
              val, n);
        el->track = (int) track;
        break;
      }
      case A_NUM:
        if (!number_in_range (ps, error, n, val, def->min, def->max, &v))
          return FALSE;
        el->base[def->slot] = v;
        if (def->slot == HF_SLOT_ORIGIN_X)
          el->origin_x_set = TRUE;
        else if (def->slot == HF_SLOT_ORIGIN_Y)
          el->origin_y_set = TRUE;
        break;
      case A_WEIGHT:
        if (!parse_weight (val, &v))
          return fail_attr (ps, error, n, "malformed weight '%s' (a number, "
              "normal, bold or light)", val);
        if (v < def->min || v > def->max)
          return fail_attr (ps, error, n, "weight=\"%s\" is out of range "
              "[%g, %g]", val, def->min, def->max);
        el->base[def->slot] = v;
        break;
      case A_PAINT:{
        gboolean stroke = def->slot == HF_SLOT_STROKE;
        if (g_str_has_prefix (val, "url(#") && g_str_has_suffix (val, ")")
            && strlen (val) > 6) {
          PendingRef ref;
          ref.el = el;
          ref.stroke = stroke;
          ref.id = g_strndup (val + 5, strlen (val) - 6);
          attr_position (ps, n, &ref.line, &ref.col);
          g_array_append_val (ps->refs, ref);
          /* Resolved at the end: gradients may be defined later. */
          if (stroke)
            el->stroke_gradient = -2;
          else
            el->fill_gradient = -2;
        } else if (!parse_paint_color (val, el->base + def->slot)) {
          return fail_attr (ps, error, n, "malformed colour '%s' for %s",
              val, n);
        }
        break;
      }
      case A_ORIGIN:{
        GArray *xy = g_array_new (FALSE, FALSE, sizeof (double));
        const char *why;
        gboolean ok = hf_comp_parse_points (val, xy, &why) && xy->len == 2;
        if (ok) {
          el->base[HF_SLOT_ORIGIN_X] = g_array_index (xy, double, 0);
          el->base[HF_SLOT_ORIGIN_Y] = g_array_index (xy, double, 1);
          el->origin_x_set = el->origin_y_set = TRUE;
        }
        g_array_free (xy, TRUE);
        if (!ok)
          return fail_attr (ps, error, n, "transform-origin must be two "
              "numbers \"x y\", got '%s'", val);
        break;
      }
      case A_POINTS:
      case A_D:{
        GArray *coords = g_array_new (FALSE, FALSE, sizeof (double));
        GArray *ends = g_array_new (FALSE, FALSE, sizeof (guint));
        GArray *closed = g_array_new (FALSE, FALSE, sizeof (gboolean));
        const char *why = NULL;
        gboolean ok;

        if (def->kind == A_POINTS) {
          ok = hf_comp_parse_points (val, coords, &why);
          if (ok) {
            guint end = coords->len / 2;
            gboolean yes = TRUE;
            g_array_append_val (ends, end);
            g_array_append_val (closed, yes);
          }
        } else {
          ok = hf_comp_parse_path (val, coords, ends, closed, &why);
        }
        if (!ok || el->points != NULL) {
          g_array_free (coords, TRUE);
          g_array_free (ends, TRUE);
          g_array_free (closed, TRUE);
          return fail_attr (ps, error, n, "%s", why ? why : "given twice");
        }
        el->n_points = coords->len / 2;
        el->points = (double *) g_array_free (coords, FALSE);
        el->n_contours = ends->len;
        el->contour_ends = (guint *) g_array_free (ends, FALSE);
        el->contour_closed = (gboolean *) g_array_free (closed, FALSE);
        if (def->kind == A_POINTS)
          have_points = TRUE;
        else
          have_d = TRUE;
        break;
      }
      case A_ALIGN:
        if (strcmp (val, "left") == 0)
          el->align = HF_ALIGN_LEFT;
        else if (strcmp (val, "center") == 0 || strcmp (val, "centre") == 0)
          el->align = HF_ALIGN_CENTER;
        else if (strcmp (val, "right") == 0)
          el->align = HF_ALIGN_RIGHT;
        else
          return fail_attr (ps, error, n, "align must be left, center or "
              "right, got '%s'", val);
        break;
      case A_TEXT:
        g_free (el->text);
        el->text = g_strdup (val);
        break;
    }
  }

  if (el->type == HF_EL_POLYGON && !have_points)
    return fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<polygon> needs a points attribute");
  if (el->type == HF_EL_PATH && !have_d)
    return fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<path> needs a d attribute");

  if (el->n_points > 0) {
    double x0 = el->points[0], x1 = x0, y0 = el->points[1], y1 = y0;
    for (i = 1; i < el->n_points; i++) {
      x0 = MIN (x0, el->points[2 * i]);
      x1 = MAX (x1, el->points[2 * i]);
      y0 = MIN (y0, el->points[2 * i + 1]);
      y1 = MAX (y1, el->points[2 * i + 1]);
    }
    el->center_x = (x0 + x1) / 2.0;
    el->center_y = (y0 + y1) / 2.0;
  }

  /* Times are relative to the parent's data-start; the window is clipped
   * to the parent's. */
  el->begin = pe->begin + start;
  el->start = MAX (el->begin, pe->start);
  el->end = have_duration ? el->begin + duration : pe->end;
  el->end = MIN (el->end, pe->end);
  if (el->end <= el->start) {
    el->start = el->end = 0.0;
  } else {
    add_event (ps, el->start);
    add_event (ps, el->end);
  }
  return TRUE;
}

static gboolean
start_composition (ParseState * ps, const char **names, const char **values,
    GError ** error)
{
  HfCompInfo *info = &ps->comp->info;
  HfRgba black = { 0, 0, 0, 255 };
  HfElement *root;
  Frame *f;
  guint i;

  info->width = 1920;
  info->height = 1080;
  info->fps_n = 30;
  info->fps_d = 1;
  info->duration = 5.0;
  ps->comp->background = black;

  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];
    gint64 iv;

    if (strcmp (n, "width") == 0 || strcmp (n, "height") == 0) {
      if (!hf_comp_parse_int (val, &iv))
        return fail_attr (ps, error, n, "malformed integer '%s' for %s",
            val, n);
      if (iv < 1 || iv > HF_COMP_MAX_SIZE)
        return fail_attr (ps, error, n, "%s must be 1 to %d, got '%s'", n,
            HF_COMP_MAX_SIZE, val);
      if (n[0] == 'w')
        info->width = (int) iv;
      else
        info->height = (int) iv;
    } else if (strcmp (n, "fps") == 0) {
      if (!hf_comp_parse_fps (val, &info->fps_n, &info->fps_d))
        return fail_attr (ps, error, n, "malformed fps '%s' (use 30, "
            "30000/1001 or 29.97)", val);
      if (info->fps_n <= 0
          || (double) info->fps_n / info->fps_d > HF_COMP_MAX_FPS)
        return fail_attr (ps, error, n, "fps must be > 0 and <= %d, got "
            "'%s'", HF_COMP_MAX_FPS, val);
    } else if (strcmp (n, "duration") == 0) {
      if (!number_in_range (ps, error, n, val, -HF_COMP_MAX_TIME,
              HF_COMP_MAX_TIME, &info->duration))
        return FALSE;
      if (info->duration <= 0.0)
        return fail_attr (ps, error, n, "duration must be > 0, got '%s'",
            val);
    } else if (strcmp (n, "background") == 0) {
      if (!hf_comp_parse_color (val, &ps->comp->background))
        return fail_attr (ps, error, n, "malformed colour '%s' for "
            "background", val);
    } else if (strcmp (n, "id") != 0) {
      return fail_attr (ps, error, n, "unknown attribute '%s' on "
          "<composition>", n);
    }
  }
  info->opaque = ps->comp->background.a == 255;

  root = element_new (HF_EL_GROUP, ps->order++);
  root->begin = root->start = 0.0;
  root->end = info->duration;
  ps->comp->root = root;
  f = push_frame (ps, F_COMPOSITION, "composition");
  f->el = root;
  f->children = g_ptr_array_new_with_free_func (element_free_ptr);
  return TRUE;
}

static gboolean
start_element_node (ParseState * ps, HfElementType type, const char *tag,
    const char **names, const char **values, GError ** error)
{
  Frame *parent = &ps->stack[ps->depth - 1];
  HfElement *el = element_new (type, ps->order++);
  Frame *f;

  /* The parent owns the element from here on, also on error paths. */
  g_ptr_array_add (parent->children, el);
  if (!parse_element_attrs (ps, el, parent->el, tag, names, values, error))
    return FALSE;
  f = push_frame (ps, F_ELEMENT, element_names[type]);
  f->el = el;
  if (type == HF_EL_GROUP)
    f->children = g_ptr_array_new_with_free_func (element_free_ptr);
  if (type == HF_EL_TEXT)
    f->text = g_string_new (NULL);
  return TRUE;
}

static gboolean
tween_value (ParseState * ps, const AttrDef * def, const char *attr,
    const char *val, double *out, GError ** error)
{
  if (def->kind == A_PAINT) {
    if (!parse_paint_color (val, out))
      return fail_attr (ps, error, attr, "malformed colour '%s'", val);
    return TRUE;
  }
  if (def->kind == A_WEIGHT) {
    if (!parse_weight (val, out))
      return fail_attr (ps, error, attr, "malformed weight '%s'", val);
    if (*out < def->min || *out > def->max)
      return fail_attr (ps, error, attr, "weight '%s' is out of range", val);
    return TRUE;
  }
  return number_in_range (ps, error, attr, val, def->min, def->max, out);
}

static gboolean
start_tween (ParseState * ps, const char **names, const char **values,
    GError ** error)
{
  Frame *parent = &ps->stack[ps->depth - 1];
  HfElement *el = parent->el;
  const AttrDef *def = NULL;
  const char *from = NULL, *to = NULL;
  HfTween tw;
  double start = 0.0;
  guint i;

  memset (&tw, 0, sizeof (tw));
  tw.duration = 0.5;
  tw.order = ps->order++;
  hf_ease_parse (HF_EASE_DEFAULT_NAME, &tw.ease);

  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];
    double v;

    if (strcmp (n, "attr") == 0) {
      def = find_attr (val);
      if (def == NULL || def->slot < 0 || !(def->mask & M (el->type)))
        return fail_attr (ps, error, n, "<%s> has no animatable attribute "
            "'%s'", parent->name, val);
      if ((def->slot == HF_SLOT_FILL && el->fill_gradient != -1)
          || (def->slot == HF_SLOT_STROKE && el->stroke_gradient != -1))
        return fail_attr (ps, error, n, "cannot tween %s: it is a "
            "gradient", val);
      /* An animated origin is used as given, not the shape's centre. */
      if (def->slot == HF_SLOT_ORIGIN_X)
        el->origin_x_set = TRUE;
      else if (def->slot == HF_SLOT_ORIGIN_Y)
        el->origin_y_set = TRUE;
    } else if (strcmp (n, "from") == 0) {
      from = val;
    } else if (strcmp (n, "to") == 0) {
      to = val;
    } else if (strcmp (n, "start") == 0) {
      if (!number_in_range (ps, error, n, val, 0, HF_COMP_MAX_TIME, &start))
        return FALSE;
    } else if (strcmp (n, "duration") == 0) {
      if (!number_in_range (ps, error, n, val, -HF_COMP_MAX_TIME,
              HF_COMP_MAX_TIME, &tw.duration))
        return FALSE;
      if (tw.duration <= 0.0)
        return fail_attr (ps, error, n, "tween duration must be > 0, got "
            "'%s'", val);
    } else if (strcmp (n, "ease") == 0) {
      if (!hf_ease_parse (val, &tw.ease))
        return fail_attr (ps, error, n, "unknown ease '%s'", val);
    } else if (strcmp (n, "repeat") == 0) {
      if (!number_in_range (ps, error, n, val, -1, HF_COMP_MAX_REPEAT, &v))
        return FALSE;
      if (v != floor (v))
        return fail_attr (ps, error, n, "repeat must be an integer, got "
            "'%s'", val);
      tw.forever = v < 0;
      tw.repeat = tw.forever ? 0 : (int) v;
    } else if (strcmp (n, "yoyo") == 0) {
      if (strcmp (val, "true") == 0 || strcmp (val, "1") == 0)
        tw.yoyo = TRUE;
      else if (strcmp (val, "false") == 0 || strcmp (val, "0") == 0)
        tw.yoyo = FALSE;
      else
        return fail_attr (ps, error, n, "yoyo must be true or false, got "
            "'%s'", val);
    } else {
      return fail_attr (ps, error, n, "unknown attribute '%s' on <tween>",
          n);
    }
  }
  if (def == NULL)
    return fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<tween> needs an attr attribute");
  if (to == NULL)
    return fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<tween> needs a to attribute");

  tw.slot = def->slot;
  tw.n_slots = def->kind == A_PAINT ? 4 : 1;
  if (!tween_value (ps, def, "to", to, tw.to, error))
    return FALSE;
  if (from != NULL) {
    if (!tween_value (ps, def, "from", from, tw.from, error))
      return FALSE;
    tw.from_set = TRUE;
  }
  tw.start = el->begin + start;

  if (parent->tweens == NULL)
    parent->tweens = g_array_new (FALSE, FALSE, sizeof (HfTween));
  g_array_append_val (parent->tweens, tw);
  push_frame (ps, F_TWEEN, "tween");
  return TRUE;
}

static gboolean
start_gradient (ParseState * ps, HfPaintType type, const char *tag,
    const char **names, const char **values, GError ** error)
{
  HfGradient g;
  const char *id = NULL;
  guint i;

  memset (&g, 0, sizeof (g));
  g.type = type;
  g.x1 = 100.0;
  g.r = 100.0;
  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];
    double *dst = NULL;

    if (strcmp (n, "id") == 0) {
      id = val;
      continue;
    }
    if (type == HF_PAINT_LINEAR) {
      if (strcmp (n, "x1") == 0)
        dst = &g.x0;
      else if (strcmp (n, "y1") == 0)
        dst = &g.y0;
      else if (strcmp (n, "x2") == 0)
        dst = &g.x1;
      else if (strcmp (n, "y2") == 0)
        dst = &g.y1;
    } else {
      if (strcmp (n, "cx") == 0)
        dst = &g.x0;
      else if (strcmp (n, "cy") == 0)
        dst = &g.y0;
      else if (strcmp (n, "r") == 0)
        dst = &g.r;
    }
    if (dst == NULL)
      return fail_attr (ps, error, n, "unknown attribute '%s' on <%s>", n,
          tag);
    if (!number_in_range (ps, error, n, val, dst == &g.r ? 0 : -BIG, BIG,
            dst))
      return FALSE;
  }
  if (id == NULL || *id == '\0')
    return fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "a gradient needs an id");
  if (g_hash_table_contains (ps->gradient_ids, id))
    return fail_attr (ps, error, "id", "gradient id '%s' is already "
        "defined", id);
  g_array_append_val (ps->gradients, g);
  g_hash_table_insert (ps->gradient_ids, g_strdup (id),
      GUINT_TO_POINTER (ps->gradients->len));
  return TRUE;
}

static gboolean
start_stop (ParseState * ps, const char **names, const char **values,
    GError ** error)
{
  HfGradient *g = &g_array_index (ps->gradients, HfGradient,
      ps->gradients->len - 1);
  HfStop stop = { 0.0, {0, 0, 0, 255} };
  double opacity = 1.0;
  guint i;

  if (g->n_stops == HF_MAX_STOPS)
    return fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "a gradient has at most %d stops", HF_MAX_STOPS);
  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];

    if (strcmp (n, "offset") == 0) {
      size_t len = strlen (val);
      gboolean pct = len > 0 && val[len - 1] == '%';
      char *num = g_strndup (val, pct ? len - 1 : len);
      gboolean ok = hf_comp_parse_number (num, &stop.offset);
      g_free (num);
      if (!ok)
        return fail_attr (ps, error, n, "malformed offset '%s'", val);
      if (pct)
        stop.offset /= 100.0;
      if (stop.offset < 0.0 || stop.offset > 1.0)
        return fail_attr (ps, error, n, "offset must be 0 to 1 (or 0%% to "
            "100%%), got '%s'", val);
    } else if (strcmp (n, "color") == 0 || strcmp (n, "stop-color") == 0) {
      if (!hf_comp_parse_color (val, &stop.color))
        return fail_attr (ps, error, n, "malformed colour '%s'", val);
    } else if (strcmp (n, "opacity") == 0
        || strcmp (n, "stop-opacity") == 0) {
      if (!number_in_range (ps, error, n, val, 0, 1, &opacity))
        return FALSE;
    } else {
      return fail_attr (ps, error, n, "unknown attribute '%s' on <stop>",
          n);
    }
  }
  stop.color.a = (guint8) lround (stop.color.a * opacity);
  /* As in SVG, an offset below the previous one is raised to it. */
  if (g->n_stops > 0 && stop.offset < g->stops[g->n_stops - 1].offset)
    stop.offset = g->stops[g->n_stops - 1].offset;
  g->stops[g->n_stops++] = stop;
  return TRUE;
}

static int
element_type_of (const char *name)
{
  int i;

  for (i = 0; i < HF_EL_N_TYPES; i++)
    if (strcmp (element_names[i], name) == 0)
      return i;
  return -1;
}

static void
on_start_element (GMarkupParseContext * ctx, const char *name,
    const char **names, const char **values, gpointer user_data,
    GError ** error)
{
  ParseState *ps = user_data;
  static const char *others[] = {
    "composition", "defs", "linearGradient", "radialGradient", "stop",
    "tween",
  };
  Frame *parent;
  int type = element_type_of (name);
  gboolean known = type >= 0;
  guint i;

  if (++ps->comp->n_nodes > HF_COMP_MAX_ELEMENTS) {
    fail_tag (ps, error, HF_COMP_ERROR_TOO_BIG,
        "more than %d elements", HF_COMP_MAX_ELEMENTS);
    return;
  }
  if (ps->depth >= HF_COMP_MAX_DEPTH) {
    fail_tag (ps, error, HF_COMP_ERROR_TOO_BIG,
        "elements nested deeper than %d", HF_COMP_MAX_DEPTH);
    return;
  }
  for (i = 0; i < G_N_ELEMENTS (others) && !known; i++)
    known = strcmp (others[i], name) == 0;
  if (!known) {
    fail_tag (ps, error, HF_COMP_ERROR_INVALID, "unknown element <%s>",
        name);
    return;
  }

  if (ps->depth == 0) {
    if (strcmp (name, "composition") != 0 || ps->have_root) {
      fail_tag (ps, error, HF_COMP_ERROR_INVALID,
          "the document must be one <composition> element, found <%s>",
          name);
      return;
    }
    ps->have_root = TRUE;
    start_composition (ps, names, values, error);
    return;
  }

  parent = &ps->stack[ps->depth - 1];
  switch (parent->kind) {
    case F_COMPOSITION:
      if (strcmp (name, "defs") == 0) {
        for (i = 0; names[i] != NULL; i++)
          if (strcmp (names[i], "id") != 0) {
            fail_attr (ps, error, names[i], "unknown attribute '%s' on "
                "<defs>", names[i]);
            return;
          }
        push_frame (ps, F_DEFS, "defs");
        return;
      }
      /* fall through */
    case F_ELEMENT:
      if (type >= 0 && (parent->kind == F_COMPOSITION
              || parent->el->type == HF_EL_GROUP)) {
        start_element_node (ps, type, name, names, values, error);
        return;
      }
      if (strcmp (name, "tween") == 0 && parent->kind == F_ELEMENT) {
        start_tween (ps, names, values, error);
        return;
      }
      break;
    case F_DEFS:
      if (strcmp (name, "linearGradient") == 0
          || strcmp (name, "radialGradient") == 0) {
        gboolean linear = name[0] == 'l';
        if (start_gradient (ps, linear ? HF_PAINT_LINEAR : HF_PAINT_RADIAL,
                name, names, values, error))
          push_frame (ps, F_GRADIENT, linear ? "linearGradient"
              : "radialGradient");
        return;
      }
      break;
    case F_GRADIENT:
      if (strcmp (name, "stop") == 0) {
        if (start_stop (ps, names, values, error))
          push_frame (ps, F_STOP, "stop");
        return;
      }
      break;
    case F_STOP:
    case F_TWEEN:
      break;
  }
  fail_tag (ps, error, HF_COMP_ERROR_INVALID, "<%s> is not allowed inside "
      "<%s>", name, parent->name);
}

static int
compare_children (gconstpointer a, gconstpointer b)
{
  const HfElement *x = *(HfElement * const *) a;
  const HfElement *y = *(HfElement * const *) b;

  if (x->track != y->track)
    return x->track < y->track ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int
compare_tweens (gconstpointer a, gconstpointer b)
{
  const HfTween *x = a, *y = b;

  if (x->slot != y->slot)
    return x->slot < y->slot ? -1 : 1;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Collapses runs of white space to one space and trims the ends, as HTML
 * does with text content. */
static char *
normalize_text (const char *s, gsize len)
{
  GString *out = g_string_sized_new (len);
  gboolean space = FALSE;
  gsize i;

  for (i = 0; i < len; i++) {
    if (is_space_char (s[i])) {
      space = TRUE;
      continue;
    }
    if (space && out->len > 0)
      g_string_append_c (out, ' ');
    space = FALSE;
    g_string_append_c (out, s[i]);
  }
  return g_string_free (out, FALSE);
}

static void
finish_element (ParseState * ps, Frame * f)
{
  HfElement *el = f->el;
  guint i;

  if (f->children != NULL) {
    g_ptr_array_sort (f->children, compare_children);
    el->n_children = f->children->len;
    el->children = (HfElement **) g_ptr_array_steal (f->children, NULL);
  }
  if (f->tweens != NULL) {
    g_array_sort (f->tweens, compare_tweens);
    el->n_tweens = f->tweens->len;
    el->tweens = (HfTween *) g_array_free (f->tweens, FALSE);
    f->tweens = NULL;
    /* A tween without from starts from the value held just before it:
     * the base value, or where the previous tween on the slot left it. */
    for (i = 0; i < el->n_tweens; i++) {
      HfTween *tw = &el->tweens[i];
      if (tw->from_set)
        continue;
      if (i > 0 && el->tweens[i - 1].slot == tw->slot)
        hf_tween_eval (&el->tweens[i - 1], tw->start, tw->from);
      else
        memcpy (tw->from, el->base + tw->slot, tw->n_slots * sizeof
            (double));
    }
    for (i = 0; i < el->n_tweens && el->end > el->start; i++) {
      const HfTween *tw = &el->tweens[i];
      double te = tw->forever ? el->end
          : tw->start + tw->duration * ((double) tw->repeat + 1.0);
      double a = MAX (tw->start, el->start), b = MIN (te, el->end);
      if (a < b) {
        add_span (ps, a, b);
        add_event (ps, a);
        add_event (ps, b);
      } else if (tw->start >= el->start && tw->start < el->end) {
        add_event (ps, tw->start);
      }
    }
  }
  if (f->text != NULL) {
    char *content = normalize_text (f->text->str, f->text->len);
    if (content[0] != '\0') {
      g_free (el->text);
      el->text = content;
    } else {
      g_free (content);
    }
    if (el->text != NULL
        && (strstr (el->text, "{timecode}") || strstr (el->text, "{frame}")
            || strstr (el->text, "{time}"))) {
      el->text_dynamic = TRUE;
      add_span (ps, el->start, el->end);
    }
  }
}

static void
on_end_element (GMarkupParseContext * ctx, const char *name,
    gpointer user_data, GError ** error)
{
  ParseState *ps = user_data;
  Frame *f = &ps->stack[ps->depth - 1];

  if (f->kind == F_ELEMENT || f->kind == F_COMPOSITION)
    finish_element (ps, f);
  if (f->kind == F_GRADIENT) {
    const HfGradient *g = &g_array_index (ps->gradients, HfGradient,
        ps->gradients->len - 1);
    if (g->n_stops == 0) {
      fail_tag (ps, error, HF_COMP_ERROR_INVALID,
          "<%s> needs at least one <stop>", f->name);
    }
  }
  frame_clear (f);
  ps->depth--;
}

static void
on_text (GMarkupParseContext * ctx, const char *text, gsize len,
    gpointer user_data, GError ** error)
{
  ParseState *ps = user_data;
  Frame *f = ps->depth > 0 ? &ps->stack[ps->depth - 1] : NULL;
  gsize i;

  if (f != NULL && f->text != NULL) {
    g_string_append_len (f->text, text, len);
    return;
  }
  for (i = 0; i < len; i++) {
    if (!is_space_char (text[i])) {
      int line, col;
      g_markup_parse_context_get_position (ctx, &line, &col);
      fail_at (ps, error, line, col, "unexpected text%s%s%s",
          f ? " inside <" : "", f ? f->name : "", f ? ">" : "");
      return;
    }
  }
}

static const GMarkupParser parser = {
  on_start_element, on_end_element, on_text, NULL, NULL,
};

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static int
compare_span (gconstpointer a, gconstpointer b)
{
  return compare_double (a, b);
}

/* Sorts the events (without duplicates) and merges the spans. */
static void
finish_timeline (ParseState * ps)
{
  HfComposition *comp = ps->comp;
  guint i, n = 0;
  double *ev, *sp;

  g_array_sort (ps->events, compare_double);
  ev = (double *) ps->events->data;
  for (i = 0; i < ps->events->len; i++)
    if (n == 0 || ev[i] != ev[n - 1])
      ev[n++] = ev[i];
  comp->n_events = n;
  comp->events = (double *) g_array_free (ps->events, FALSE);
  ps->events = NULL;

  if (ps->spans->len > 0)
    qsort (ps->spans->data, ps->spans->len / 2, 2 * sizeof (double),
        compare_span);
  sp = (double *) ps->spans->data;
  n = 0;
  for (i = 0; i < ps->spans->len / 2; i++) {
    if (n > 0 && sp[2 * i] <= sp[2 * n - 1]) {
      sp[2 * n - 1] = MAX (sp[2 * n - 1], sp[2 * i + 1]);
    } else {
      sp[2 * n] = sp[2 * i];
      sp[2 * n + 1] = sp[2 * i + 1];
      n++;
    }
  }
  comp->n_spans = n;
  comp->spans = (double *) g_array_free (ps->spans, FALSE);
  ps->spans = NULL;
}

static gboolean
resolve_refs (ParseState * ps, GError ** error)
{
  guint i;

  for (i = 0; i < ps->refs->len; i++) {
    PendingRef *ref = &g_array_index (ps->refs, PendingRef, i);
    guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (ps->gradient_ids,
            ref->id));

    if (idx == 0)
      return fail_at (ps, error, ref->line, ref->col, "unknown gradient "
          "id '%s'", ref->id);
    if (ref->stroke)
      ref->el->stroke_gradient = idx - 1;
    else
      ref->el->fill_gradient = idx - 1;
  }
  return TRUE;
}

static void
clear_ref (gpointer p)
{
  g_free (((PendingRef *) p)->id);
}

/* Rewrites a GMarkup error as "NAME:LINE:COL: what". */
static void
convert_markup_error (ParseState * ps, GError * err, GError ** error)
{
  const char *msg = err->message;
  int line, col;

  g_markup_parse_context_get_position (ps->ctx, &line, &col);
  if (g_str_has_prefix (msg, "Error on line ")) {
    const char *colon = strstr (msg, ": ");
    if (colon)
      msg = colon + 2;
  }
  g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_PARSE, "%s:%d:%d: %s",
      ps->name, line, col, msg);
}

HfComposition *
hf_composition_new_from_data (const char *data, gssize len,
    const char *source_name, GError ** error)
{
  ParseState ps;
  GError *err = NULL;
  gboolean ok;
  int i;

  g_return_val_if_fail (data != NULL, NULL);

  memset (&ps, 0, sizeof (ps));
  ps.name = source_name ? source_name : "composition";
  ps.data = data;
  ps.len = len < 0 ? strlen (data) : (gsize) len;
  ps.comp = g_new0 (HfComposition, 1);
  ps.gradients = g_array_new (FALSE, FALSE, sizeof (HfGradient));
  ps.gradient_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  ps.refs = g_array_new (FALSE, FALSE, sizeof (PendingRef));
  g_array_set_clear_func (ps.refs, clear_ref);
  ps.events = g_array_new (FALSE, FALSE, sizeof (double));
  ps.spans = g_array_new (FALSE, FALSE, sizeof (double));
  ps.ctx = g_markup_parse_context_new (&parser, 0, &ps, NULL);

  ok = g_markup_parse_context_parse (ps.ctx, data, ps.len, &err)
      && g_markup_parse_context_end_parse (ps.ctx, &err);
  if (!ok) {
    if (err->domain == G_MARKUP_ERROR)
      convert_markup_error (&ps, err, error);
    else
      g_propagate_error (error, g_steal_pointer (&err));
    g_clear_error (&err);
  } else {
    ok = resolve_refs (&ps, error);
  }

  for (i = ps.depth; i-- > 0;)
    frame_clear (&ps.stack[i]);
  if (ok) {
    finish_timeline (&ps);
    ps.comp->n_gradients = ps.gradients->len;
    ps.comp->gradients = (HfGradient *) g_array_free (ps.gradients, FALSE);
    ps.gradients = NULL;
  } else {
    hf_composition_free (ps.comp);
    ps.comp = NULL;
  }

  g_markup_parse_context_free (ps.ctx);
  if (ps.gradients)
    g_array_free (ps.gradients, TRUE);
  g_hash_table_unref (ps.gradient_ids);
  g_array_free (ps.refs, TRUE);
  if (ps.events)
    g_array_free (ps.events, TRUE);
  if (ps.spans)
    g_array_free (ps.spans, TRUE);
  return ps.comp;
}

HfComposition *
hf_composition_new_from_file (const char *path, GError ** error)
{
  GStatBuf st;
  char *contents = NULL;
  gsize len = 0;
  HfComposition *comp;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) == 0 && st.st_size > HF_COMP_MAX_FILE_SIZE) {
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_TOO_BIG,
        "%s: file larger than %d bytes", path, HF_COMP_MAX_FILE_SIZE);
    return NULL;
  }
  /* The GFileError message names the path. */
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  comp = hf_composition_new_from_data (contents, len, path, error);
  g_free (contents);
  return comp;
}

/* hfcompattr: the attributes of each composition element, checked and
 * stored into the scene model (docs/composition-format.md lists them).
 * Every unknown or malformed attribute is an error at its position. */
#include "hfcompparse.h"

#include <math.h>
#include <string.h>

#define M(t) (1u << (t))
#define M_GROUP M (HF_EL_GROUP)
#define M_RECT M (HF_EL_RECT)
#define M_ELLIPSE M (HF_EL_ELLIPSE)
#define M_POLYGON M (HF_EL_POLYGON)
#define M_PATH M (HF_EL_PATH)
#define M_TEXT M (HF_EL_TEXT)
#define M_IMAGE M (HF_EL_IMAGE)
#define M_SHAPES (M_RECT | M_ELLIPSE | M_POLYGON | M_PATH | M_TEXT)
#define M_ALL (M_SHAPES | M_GROUP | M_IMAGE)
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
  A_FILL_RULE,
  A_LINE_JOIN,
  A_LINE_CAP,
  A_DASHES,
  A_FONT,
  A_SRC,
  A_FIT,
  A_CLIP,
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
  {"fill-rule", A_FILL_RULE, -1, M_SHAPES, 0, 0},
  {"stroke-linejoin", A_LINE_JOIN, -1, M_SHAPES, 0, 0},
  {"stroke-miterlimit", A_NUM, -1, M_SHAPES, 1, BIG},
  {"stroke-linecap", A_LINE_CAP, -1, M_SHAPES, 0, 0},
  {"stroke-dasharray", A_DASHES, -1, M_SHAPES, 0, 0},
  {"stroke-dashoffset", A_NUM, HF_SLOT_DASH_OFFSET, M_SHAPES, -BIG, BIG},
  {"trim-start", A_NUM, HF_SLOT_TRIM_START, M_SHAPES, 0, 1},
  {"trim-end", A_NUM, HF_SLOT_TRIM_END, M_SHAPES, 0, 1},
  {"x", A_NUM, HF_SLOT_X, M_GROUP | M_RECT | M_TEXT | M_IMAGE, -BIG, BIG},
  {"y", A_NUM, HF_SLOT_Y, M_GROUP | M_RECT | M_TEXT | M_IMAGE, -BIG, BIG},
  {"width", A_NUM, HF_SLOT_WIDTH, M_RECT | M_IMAGE, 0, BIG},
  {"height", A_NUM, HF_SLOT_HEIGHT, M_RECT | M_IMAGE, 0, BIG},
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
  {"font", A_FONT, -1, M_TEXT, 0, 0},
  {"src", A_SRC, -1, M_IMAGE, 0, 0},
  {"clip-path", A_CLIP, -1, M_ALL, 0, 0},
  {"shadow-color", A_PAINT, HF_SLOT_SHADOW_COLOR, M_ALL, 0, 0},
  {"shadow-x", A_NUM, HF_SLOT_SHADOW_X, M_ALL, -BIG, BIG},
  {"shadow-y", A_NUM, HF_SLOT_SHADOW_Y, M_ALL, -BIG, BIG},
  {"shadow-blur", A_NUM, HF_SLOT_SHADOW_BLUR, M_ALL, 0, BIG},
  {"fit", A_FIT, -1, M_IMAGE, 0, 0},
  {"letter-spacing", A_NUM, HF_SLOT_LETTER_SPACING, M_TEXT, -BIG, BIG},
  {"max-width", A_NUM, HF_SLOT_MAX_WIDTH, M_TEXT, 0, BIG},
  {"line-height", A_NUM, HF_SLOT_LINE_HEIGHT, M_TEXT, -100, 100},
};

/* The attributes that take one of a few words, each stored as an int
 * field of HfElement. */
typedef struct
{
  AttrKind kind;
  gsize offset;
  const char *choices;          /* for the error message */
  struct
  {
    const char *word;
    int value;
  } words[5];                   /* ends at a NULL word */
} KeywordAttr;

G_STATIC_ASSERT (sizeof (HfAlign) == sizeof (int));
G_STATIC_ASSERT (sizeof (HfImageFit) == sizeof (int));
G_STATIC_ASSERT (sizeof (HfLineJoin) == sizeof (int));
G_STATIC_ASSERT (sizeof (HfLineCap) == sizeof (int));
G_STATIC_ASSERT (sizeof (HfFillRule) == sizeof (int));

static const KeywordAttr keyword_attrs[] = {
  {A_ALIGN, G_STRUCT_OFFSET (HfElement, align), "left, center or right",
        {{"left", HF_ALIGN_LEFT}, {"center", HF_ALIGN_CENTER},
          {"centre", HF_ALIGN_CENTER}, {"right", HF_ALIGN_RIGHT}}},
  {A_FIT, G_STRUCT_OFFSET (HfElement, fit), "fill, contain, cover or none",
        {{"fill", HF_FIT_FILL}, {"contain", HF_FIT_CONTAIN},
          {"cover", HF_FIT_COVER}, {"none", HF_FIT_NONE}}},
  {A_LINE_JOIN, G_STRUCT_OFFSET (HfElement, line_join),
        "miter, round or bevel",
        {{"round", HF_JOIN_ROUND}, {"miter", HF_JOIN_MITER},
          {"bevel", HF_JOIN_BEVEL}}},
  {A_LINE_CAP, G_STRUCT_OFFSET (HfElement, line_cap), "butt, round or square",
        {{"round", HF_CAP_ROUND}, {"butt", HF_CAP_BUTT},
          {"square", HF_CAP_SQUARE}}},
  {A_FILL_RULE, G_STRUCT_OFFSET (HfElement, fill_rule), "nonzero or evenodd",
      {{"nonzero", HF_FILL_NONZERO}, {"evenodd", HF_FILL_EVENODD}}},
};

/* ---- values ------------------------------------------------------- */

gboolean
hf_parse_number_in_range (const ParseState * ps, GError ** error,
    const char *attr, const char *value, double min, double max, double *out)
{
  if (!hf_comp_parse_number (value, out)) {
    if (hf_comp_parse_decimal (value, out))
      return hf_parse_fail_attr (ps, error, attr, "%s=\"%s\" is out of "
          "range: " HF_COMP_NUMBER_LIMIT, attr, value);
    return hf_parse_fail_attr (ps, error, attr, "malformed number '%s' for %s",
        value, attr);
  }
  if (*out < min || *out > max)
    return hf_parse_fail_attr (ps, error, attr,
        "%s=\"%s\" is out of range [%g, %g]", attr, value, min, max);
  return TRUE;
}

/* A duration in seconds, > 0 and at most HF_COMP_MAX_TIME (a negative
 * one is refused as not > 0, not as out of range). */
static gboolean
parse_duration (const ParseState * ps, GError ** error, const char *attr,
    const char *value, double *out)
{
  if (!hf_parse_number_in_range (ps, error, attr, value, -HF_COMP_MAX_TIME,
          HF_COMP_MAX_TIME, out))
    return FALSE;
  if (*out <= 0.0)
    return hf_parse_fail_attr (ps, error, attr, "%s must be > 0, got '%s'",
        attr, value);
  return TRUE;
}

/* One of the words keyword_attrs lists for `kind`, stored in its field. */
static gboolean
parse_keyword (const ParseState * ps, GError ** error, HfElement * el,
    AttrKind kind, const char *attr, const char *value)
{
  const KeywordAttr *ka = keyword_attrs;
  guint i;

  while (ka->kind != kind)
    ka++;
  for (i = 0; ka->words[i].word != NULL; i++) {
    if (strcmp (value, ka->words[i].word) == 0) {
      G_STRUCT_MEMBER (int, el, ka->offset) = ka->words[i].value;
      return TRUE;
    }
  }
  return hf_parse_fail_attr (ps, error, attr, "%s must be %s, got '%s'", attr,
      ka->choices, value);
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

gboolean
hf_parse_attr_applies (const char *name, HfElementType type)
{
  const AttrDef *def = find_attr (name);

  return def != NULL && (def->mask & M (type));
}

/* ---- elements ----------------------------------------------------- */

HfElement *
hf_parse_element_new (HfElementType type, guint order)
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
  el->base[HF_SLOT_TRIM_END] = 1.0;
  el->base[HF_SLOT_LINE_HEIGHT] = 1.2;
  el->font = -1;
  el->image = -1;
  el->clip = -1;
  el->miter_limit = 4.0;
  set_color (el->base + HF_SLOT_FILL, white);
  set_color (el->base + HF_SLOT_STROKE, none);
  el->fill_gradient = -1;
  el->stroke_gradient = -1;
  el->align = HF_ALIGN_LEFT;
  return el;
}

/* The bit of attribute `name` in hf_parse_element_attrs's seen set. */
static guint64
attr_bit (const char *name)
{
  return G_GUINT64_CONSTANT (1) << (find_attr (name) - attr_defs);
}

gboolean
hf_parse_element_attrs (ParseState * ps, HfElement * el, const HfElement * pe,
    const char *tag, const char **names, const char **values, GError ** error)
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

    if (def == NULL || !(def->mask & M (el->type))) {
      char hint[128];

      hf_parse_element_hint (n, el->type, hint, sizeof (hint));
      if (def == NULL)
        return hf_parse_fail_attr (ps, error, n,
            "unknown attribute '%s' on <%s>%s", n, tag, hint);
      return hf_parse_fail_attr (ps, error, n, "<%s> has no attribute '%s'%s",
          tag, n, hint);
    }
    if (seen & (G_GUINT64_CONSTANT (1) << (def - attr_defs)))
      return hf_parse_fail_attr (ps, error, n, "attribute '%s' given twice", n);
    seen |= G_GUINT64_CONSTANT (1) << (def - attr_defs);

    switch (def->kind) {
      case A_ID:
        break;
      case A_START:
        if (!hf_parse_number_in_range (ps, error, n, val, 0, def->max, &start))
          return FALSE;
        break;
      case A_DURATION:
        if (!parse_duration (ps, error, n, val, &duration))
          return FALSE;
        have_duration = TRUE;
        break;
      case A_TRACK:{
        gint64 track;
        if (!hf_comp_parse_int (val, &track))
          return hf_parse_fail_attr (ps, error, n,
              "malformed integer '%s' for %s", val, n);
        el->track = (int) track;
        break;
      }
      case A_NUM:
        if (!hf_parse_number_in_range (ps, error, n, val, def->min, def->max,
                &v))
          return FALSE;
        if (def->slot < 0) {
          el->miter_limit = v;  /* the one number that is not animatable */
          break;
        }
        el->base[def->slot] = v;
        if (def->slot == HF_SLOT_ORIGIN_X)
          el->origin_x_set = TRUE;
        else if (def->slot == HF_SLOT_ORIGIN_Y)
          el->origin_y_set = TRUE;
        break;
      case A_WEIGHT:
        if (!parse_weight (val, &v))
          return hf_parse_fail_attr (ps, error, n,
              "malformed weight '%s' (a number, normal, bold or light)", val);
        if (v < def->min || v > def->max)
          return hf_parse_fail_attr (ps, error, n,
              "weight=\"%s\" is out of range [%g, %g]",
              val, def->min, def->max);
        el->base[def->slot] = v;
        break;
      case A_PAINT:{
        gboolean stroke = def->slot == HF_SLOT_STROKE;
        if (def->slot == HF_SLOT_SHADOW_COLOR) {
          if (!parse_paint_color (val, el->base + def->slot))
            return hf_parse_fail_attr (ps, error, n,
                "malformed colour '%s' for %s (a colour, no gradient)", val, n);
        } else if (g_str_has_prefix (val, "url(#")
            && g_str_has_suffix (val, ")")
            && strlen (val) > 6) {
          PendingRef ref;
          ref.el = el;
          ref.kind = stroke ? HF_REF_STROKE : HF_REF_FILL;
          ref.id = g_strndup (val + 5, strlen (val) - 6);
          /* The exact position is worked out only on error. */
          g_markup_parse_context_get_position (ps->ctx, &ref.line, &ref.col);
          g_array_append_val (ps->refs, ref);
          /* Resolved at the end: gradients may be defined later. */
          if (stroke)
            el->stroke_gradient = -2;
          else
            el->fill_gradient = -2;
        } else if (!parse_paint_color (val, el->base + def->slot)) {
          return hf_parse_fail_attr (ps, error, n,
              "malformed colour '%s' for %s", val, n);
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
          return hf_parse_fail_attr (ps, error, n,
              "transform-origin must be two numbers \"x y\", got '%s'", val);
        break;
      }
      case A_POINTS:
      case A_D:{
        GArray *coords = g_array_new (FALSE, FALSE, sizeof (double));
        GArray *kinds = g_array_new (FALSE, FALSE, sizeof (guint8));
        GArray *ends = g_array_new (FALSE, FALSE, sizeof (guint));
        GArray *closed = g_array_new (FALSE, FALSE, sizeof (gboolean));
        const char *why = NULL;
        gsize at = 0;
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
          ok = hf_comp_parse_path (val, coords, kinds, ends, closed, &why, &at);
        }
        if (!ok || el->points != NULL) {
          g_array_free (coords, TRUE);
          g_array_free (kinds, TRUE);
          g_array_free (ends, TRUE);
          g_array_free (closed, TRUE);
          if (!ok && def->kind == A_D)
            return hf_parse_fail_attr_value (ps, error, n, at,
                "%s, at character %" G_GSIZE_FORMAT " of d", why, at + 1);
          if (!ok)
            return hf_parse_fail_attr (ps, error, n, "%s: %s", n, why);
          return hf_parse_fail_attr (ps, error, n, "given twice");
        }
        el->n_points = coords->len / 2;
        el->points = (double *) g_array_free (coords, FALSE);
        if (def->kind == A_D)
          el->point_kinds = (guint8 *) g_array_free (kinds, FALSE);
        else
          g_array_free (kinds, TRUE);
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
      case A_FIT:
      case A_LINE_JOIN:
      case A_LINE_CAP:
      case A_FILL_RULE:
        if (!parse_keyword (ps, error, el, def->kind, n, val))
          return FALSE;
        break;
      case A_FONT:
        hf_parse_text_font (ps, val);
        break;
      case A_SRC:
        if (!hf_parse_image_src (ps, el, val, error))
          return FALSE;
        break;
      case A_CLIP:{
        PendingRef ref;
        if (!g_str_has_prefix (val, "url(#") || !g_str_has_suffix (val, ")")
            || strlen (val) <= 6)
          return hf_parse_fail_attr (ps, error, n,
              "clip-path must be url(#id) of a <clipPath>, got '%s'", val);
        ref.el = el;
        ref.kind = HF_REF_CLIP;
        ref.id = g_strndup (val + 5, strlen (val) - 6);
        g_markup_parse_context_get_position (ps->ctx, &ref.line, &ref.col);
        g_array_append_val (ps->refs, ref);
        break;
      }
      case A_TEXT:
        if (strlen (val) > HF_COMP_MAX_TEXT)
          return hf_parse_fail_attr (ps, error, n, "text longer than %d "
              "bytes: split it into several <text> elements", HF_COMP_MAX_TEXT);
        g_free (el->text);
        el->text = g_strdup (val);
        break;
      case A_DASHES:{
        GArray *d = g_array_new (FALSE, FALSE, sizeof (double));
        const char *why = NULL;
        double sum = 0;
        guint k;

        g_clear_pointer (&el->dashes, g_free);
        el->n_dashes = 0;
        if (strcmp (val, "none") == 0) {
          g_array_free (d, TRUE);
          break;
        }
        if (!hf_comp_parse_numbers (val, d, &why)) {
          g_array_free (d, TRUE);
          return hf_parse_fail_attr (ps, error, n, "%s in stroke-dasharray "
              "'%s' (lengths separated by spaces or commas, or none)", why,
              val);
        }
        for (k = 0; k < d->len; k++) {
          double x = g_array_index (d, double, k);
          if (x < 0) {
            g_array_free (d, TRUE);
            return hf_parse_fail_attr (ps, error, n,
                "stroke-dasharray lengths must be >= 0, got '%s'", val);
          }
          sum += x;
        }
        /* All zero is solid, as in SVG. */
        if (sum > 0) {
          el->n_dashes = d->len;
          el->dashes = (double *) g_array_free (d, FALSE);
        } else {
          g_array_free (d, TRUE);
        }
        break;
      }
    }
  }

  if (el->type == HF_EL_POLYGON && !have_points)
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<polygon> needs a points attribute");
  if (el->type == HF_EL_PATH && !have_d)
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<path> needs a d attribute");
  if (el->type == HF_EL_IMAGE) {
    const HfImage *img;

    if (el->image < 0)
      return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
          "<image> needs a src attribute");
    /* Without a size, the picture's own. */
    img = g_ptr_array_index (ps->images, el->image);
    if (!(seen & attr_bit ("width")))
      el->base[HF_SLOT_WIDTH] = img->width;
    if (!(seen & attr_bit ("height")))
      el->base[HF_SLOT_HEIGHT] = img->height;
  }

  if (el->n_points > 0) {
    double x0 = el->points[0], x1 = x0, y0 = el->points[1], y1 = y0;
    for (i = 1; i < el->n_points; i++) {
      const double *q = el->points + 2 * i;
      guint k;

      if (el->point_kinds && el->point_kinds[i] == HF_PT_CTRL)
        continue;
      x0 = MIN (x0, q[0]);
      x1 = MAX (x1, q[0]);
      y0 = MIN (y0, q[1]);
      y1 = MAX (y1, q[1]);
      /* A cubic ending here: its box is that of the curve, not of its
       * control points (sampled; the centre only sets a default origin). */
      if (el->point_kinds && i >= 3 && el->point_kinds[i - 1] == HF_PT_CTRL)
        for (k = 1; k < 32; k++) {
          double t = k / 32.0, u = 1 - t;
          double w0 = u * u * u, w1 = 3 * u * u * t, w2 = 3 * u * t * t,
              w3 = t * t * t;
          double x = w0 * q[-6] + w1 * q[-4] + w2 * q[-2] + w3 * q[0];
          double y = w0 * q[-5] + w1 * q[-3] + w2 * q[-1] + w3 * q[1];
          x0 = MIN (x0, x);
          x1 = MAX (x1, x);
          y0 = MIN (y0, y);
          y1 = MAX (y1, y);
        }
    }
    el->center_x = (x0 + x1) / 2.0;
    el->center_y = (y0 + y1) / 2.0;
  }

  hf_timeline_set_window (ps, el, pe, start, have_duration, duration);
  return TRUE;
}

gboolean
hf_parse_composition_attrs (ParseState * ps, const char **names,
    const char **values, GError ** error)
{
  HfCompInfo *info = &ps->comp->info;
  HfRgba black = { 0, 0, 0, 255 };
  guint i;

  info->width = HF_COMP_DEFAULT_WIDTH;
  info->height = HF_COMP_DEFAULT_HEIGHT;
  info->fps_n = HF_COMP_DEFAULT_FPS;
  info->fps_d = 1;
  info->duration = 5.0;
  ps->comp->background = black;

  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];
    double v;

    if (strcmp (n, "width") == 0 || strcmp (n, "height") == 0) {
      if (!hf_comp_parse_decimal (val, &v) || v != floor (v))
        return hf_parse_fail_attr (ps, error, n,
            "malformed integer '%s' for %s", val, n);
      if (v < 1 || v > HF_COMP_MAX_SIZE)
        return hf_parse_fail_attr (ps, error, n, "%s must be 1 to %d, got '%s'",
            n, HF_COMP_MAX_SIZE, val);
      if (n[0] == 'w')
        info->width = (int) v;
      else
        info->height = (int) v;
    } else if (strcmp (n, "fps") == 0) {
      if (!hf_comp_parse_fps (val, &info->fps_n, &info->fps_d))
        return hf_parse_fail_attr (ps, error, n,
            "malformed fps '%s' (use 30, 30000/1001 or 29.97)", val);
      if ((gint64) info->fps_n * HF_COMP_MAX_FPS < info->fps_d
          || info->fps_n > (gint64) info->fps_d * HF_COMP_MAX_FPS)
        return hf_parse_fail_attr (ps, error, n,
            "fps must be 1/%d (0.001) to %d, got '%s'", HF_COMP_MAX_FPS,
            HF_COMP_MAX_FPS, val);
    } else if (strcmp (n, "duration") == 0) {
      if (!parse_duration (ps, error, n, val, &info->duration))
        return FALSE;
    } else if (strcmp (n, "background") == 0) {
      if (!hf_comp_parse_color (val, &ps->comp->background))
        return hf_parse_fail_attr (ps, error, n,
            "malformed colour '%s' for background", val);
    } else if (strcmp (n, "id") != 0) {
      return hf_parse_fail_attr (ps, error, n,
          "unknown attribute '%s' on <composition>", n);
    }
  }
  info->opaque = ps->comp->background.a == 255;

  return TRUE;
}

static gboolean
tween_value (ParseState * ps, const AttrDef * def, const char *attr,
    const char *val, double *out, GError ** error)
{
  if (def->kind == A_PAINT) {
    if (!parse_paint_color (val, out))
      return hf_parse_fail_attr (ps, error, attr, "malformed colour '%s'", val);
    return TRUE;
  }
  if (def->kind == A_WEIGHT) {
    if (!parse_weight (val, out))
      return hf_parse_fail_attr (ps, error, attr, "malformed weight '%s'", val);
    if (*out < def->min || *out > def->max)
      return hf_parse_fail_attr (ps, error, attr, "weight '%s' is out of range",
          val);
    return TRUE;
  }
  return hf_parse_number_in_range (ps, error, attr, val, def->min, def->max,
      out);
}

gboolean
hf_parse_tween (ParseState * ps, HfElement * el, const char *tag,
    const char **names, const char **values, HfTween * tw, GError ** error)
{
  const AttrDef *def = NULL;
  const char *from = NULL, *to = NULL;
  double start = 0.0;
  guint i;

  memset (tw, 0, sizeof (*tw));
  tw->duration = 0.5;
  tw->order = ps->order++;
  hf_ease_parse (HF_EASE_DEFAULT_NAME, &tw->ease);

  for (i = 0; names[i] != NULL; i++) {
    const char *n = names[i], *val = values[i];
    double v;

    if (strcmp (n, "attr") == 0) {
      def = find_attr (val);
      if (def == NULL || def->slot < 0 || !(def->mask & M (el->type)))
        return hf_parse_fail_attr (ps, error, n,
            "<%s> has no animatable attribute '%s'", tag, val);
      if ((def->slot == HF_SLOT_FILL && el->fill_gradient != -1)
          || (def->slot == HF_SLOT_STROKE && el->stroke_gradient != -1))
        return hf_parse_fail_attr (ps, error, n,
            "cannot tween %s: it is a gradient", val);
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
      if (!hf_parse_number_in_range (ps, error, n, val, 0, HF_COMP_MAX_TIME,
              &start))
        return FALSE;
    } else if (strcmp (n, "duration") == 0) {
      if (!parse_duration (ps, error, n, val, &tw->duration))
        return FALSE;
    } else if (strcmp (n, "ease") == 0) {
      if (!hf_ease_parse (val, &tw->ease)) {
        char *hint = hf_ease_suggest (val);
        gboolean r = hf_parse_fail_attr (ps, error, n, "unknown ease '%s'%s%s"
            "%s Eases are %s.", val, hint ? "; did you mean '" : ".",
            hint ? hint : "", hint ? "'?" : "", HF_EASE_FAMILIES);

        g_free (hint);
        return r;
      }
    } else if (strcmp (n, "repeat") == 0) {
      if (!hf_parse_number_in_range (ps, error, n, val, -1, HF_COMP_MAX_REPEAT,
              &v))
        return FALSE;
      if (v != floor (v))
        return hf_parse_fail_attr (ps, error, n,
            "repeat must be an integer, got '%s'", val);
      tw->forever = v < 0;
      tw->repeat = tw->forever ? 0 : (int) v;
    } else if (strcmp (n, "yoyo") == 0) {
      if (strcmp (val, "true") == 0 || strcmp (val, "1") == 0)
        tw->yoyo = TRUE;
      else if (strcmp (val, "false") == 0 || strcmp (val, "0") == 0)
        tw->yoyo = FALSE;
      else
        return hf_parse_fail_attr (ps, error, n,
            "yoyo must be true or false, got '%s'", val);
    } else {
      char hint[64];

      hf_parse_tween_hint (n, hint, sizeof (hint));
      return hf_parse_fail_attr (ps, error, n,
          "unknown attribute '%s' on <tween>%s <tween> takes attr, from, to, "
          "start, duration, ease, repeat and yoyo", n, hint);
    }
  }
  if (def == NULL)
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<tween> needs an attr attribute");
  if (to == NULL)
    return hf_parse_fail_tag (ps, error, HF_COMP_ERROR_INVALID,
        "<tween> needs a to attribute");

  tw->slot = def->slot;
  tw->n_slots = def->kind == A_PAINT ? 4 : 1;
  if (!tween_value (ps, def, "to", to, tw->to, error))
    return FALSE;
  if (from != NULL) {
    if (!tween_value (ps, def, "from", from, tw->from, error))
      return FALSE;
    tw->from_set = TRUE;
  }
  tw->start = el->begin + start;
  return TRUE;
}

/* The element pages in docs/ must document every property gst-inspect shows,
 * with the default gst-inspect shows.
 *
 * Contract with docs/<element>.md: each property has a row in a Markdown
 * table whose first cell is the property name (backticks allowed) and whose
 * header has a "Default" column. That cell must hold the value gst-inspect
 * prints for a fresh element:
 *   - numbers: the number (anything after it, like "(30 s)", is ignored);
 *   - booleans: true / false;
 *   - enums and flags: the nick (e.g. 4:2:0) or the value name or number;
 *   - strings: the text, or null / none when there is none.
 * GstObject's name and parent are the only properties not required.
 *
 * The checker itself is tested on a made-up class, so a broken page cannot
 * pass because the checker went blind.
 */

#include <gst/check/gstcheck.h>
#include <stdlib.h>
#include <string.h>

#include "hfcheck.h"

/* ---- the checker ---------------------------------------------------- */

typedef struct
{
  gchar **cells;                /* row cells, trimmed */
  gint default_col;             /* -1 when the table has no Default column */
} Row;

static gchar *
clean_cell (const gchar * s)
{
  GString *out = g_string_new (NULL);

  /* Markup around a value is not part of it. */
  for (; *s; s++)
    if (*s != '`' && *s != '*' && *s != '"')
      g_string_append_c (out, *s);
  return g_strstrip (g_string_free (out, FALSE));
}

static gchar **
split_row (const gchar * line)
{
  GPtrArray *cells = g_ptr_array_new ();
  GString *cur = g_string_new (NULL);
  const gchar *p = line;

  p = strchr (p, '|') + 1;
  for (; *p; p++) {
    if (p[0] == '\\' && p[1] == '|') {
      g_string_append_c (cur, '|');
      p++;
    } else if (*p == '|') {
      g_ptr_array_add (cells, clean_cell (cur->str));
      g_string_truncate (cur, 0);
    } else {
      g_string_append_c (cur, *p);
    }
  }
  /* A row without a closing pipe still has a last cell. */
  if (*g_strstrip (cur->str))
    g_ptr_array_add (cells, clean_cell (cur->str));
  g_string_free (cur, TRUE);
  g_ptr_array_add (cells, NULL);
  return (gchar **) g_ptr_array_free (cells, FALSE);
}

static gboolean
is_separator (const gchar * line)
{
  return g_regex_match_simple ("^\\s*\\|?\\s*:?-{3,}", line, 0, 0);
}

/* The first table row, across all tables of the page, naming @prop. */
static gboolean
find_row (const gchar * page, const gchar * prop, Row * row)
{
  gchar **lines = g_strsplit (page, "\n", -1);
  gchar **header = NULL;
  gboolean found = FALSE;
  gint i, j;

  for (i = 0; lines[i] && !found; i++) {
    const gchar *l = g_strchug (lines[i]);

    if (*l != '|') {
      g_clear_pointer (&header, g_strfreev);
      continue;
    }
    if (!header) {
      /* A header is a pipe row followed by a --- row. */
      if (lines[i + 1] && is_separator (lines[i + 1])) {
        header = split_row (l);
        i++;
      }
      continue;
    }
    {
      gchar **cells = split_row (l);

      if (cells[0] && g_strcmp0 (cells[0], prop) == 0) {
        row->cells = cells;
        row->default_col = -1;
        for (j = 0; header[j]; j++)
          if (g_ascii_strncasecmp (header[j], "default", 7) == 0)
            row->default_col = j;
        found = TRUE;
      } else {
        g_strfreev (cells);
      }
    }
  }
  g_strfreev (header);
  g_strfreev (lines);
  return found;
}

/* What gst-inspect prints after "Default:", for the failure message. */
static gchar *
inspect_default (GParamSpec * pspec, const GValue * v)
{
  GType t = G_VALUE_TYPE (v);

  if (G_TYPE_IS_ENUM (t)) {
    GEnumValue *ev = g_enum_get_value (g_type_class_peek (t),
        g_value_get_enum (v));
    return g_strdup_printf ("%d, \"%s\"", g_value_get_enum (v),
        ev ? ev->value_nick : "(unknown)");
  }
  if (t == G_TYPE_BOOLEAN)
    return g_strdup (g_value_get_boolean (v) ? "true" : "false");
  if (t == G_TYPE_STRING)
    return g_value_get_string (v) ?
        g_strdup_printf ("\"%s\"", g_value_get_string (v)) : g_strdup ("null");
  return g_strdup_value_contents (v);
}

static gboolean
tokens_contain (const gchar * cell, const gchar * want)
{
  gchar **tok = g_regex_split_simple ("\\s*[,()=;]\\s*", cell, 0, 0);
  gboolean hit = FALSE;
  gint i;

  for (i = 0; tok[i] && !hit; i++)
    hit = g_strcmp0 (g_strstrip (tok[i]), want) == 0;
  g_strfreev (tok);
  return hit;
}

/* Does the cell hold the integer @v, of a signed type or not? */
static gboolean
integer_cell_matches (const gchar * cell, const GValue * v, gboolean is_signed)
{
  GValue wide = G_VALUE_INIT;
  gchar *end = NULL;
  gboolean same;

  g_value_init (&wide, is_signed ? G_TYPE_INT64 : G_TYPE_UINT64);
  fail_unless (g_value_transform (v, &wide));
  if (is_signed)
    same = g_ascii_strtoll (cell, &end, 10) == g_value_get_int64 (&wide);
  else
    same = cell[0] != '-'
        && g_ascii_strtoull (cell, &end, 10) == g_value_get_uint64 (&wide);
  return same && end != cell;
}

/* Does the page's cell say the same value as @v? */
static gboolean
cell_matches (const gchar * cell, const GValue * v)
{
  GType t = G_VALUE_TYPE (v);
  GType ft = G_TYPE_FUNDAMENTAL (t);
  gchar *end = NULL;

  switch (ft) {
    case G_TYPE_BOOLEAN:
      return g_ascii_strncasecmp (cell,
          g_value_get_boolean (v) ? "true" : "false",
          g_value_get_boolean (v) ? 4 : 5) == 0;
    case G_TYPE_INT:
    case G_TYPE_INT64:
    case G_TYPE_LONG:
      return integer_cell_matches (cell, v, TRUE);
    case G_TYPE_UINT:
    case G_TYPE_UINT64:
    case G_TYPE_ULONG:
      return integer_cell_matches (cell, v, FALSE);
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:{
      gdouble want = ft == G_TYPE_FLOAT ? g_value_get_float (v) :
          g_value_get_double (v);
      gdouble n = g_ascii_strtod (cell, &end);
      return end != cell && fabs (n - want) <= 1e-6 * MAX (1.0, fabs (want));
    }
    case G_TYPE_ENUM:{
      GEnumValue *ev = g_enum_get_value (g_type_class_peek (t),
          g_value_get_enum (v));
      gchar num[16];

      g_snprintf (num, sizeof (num), "%d", g_value_get_enum (v));
      return ev && (tokens_contain (cell, ev->value_nick)
          || tokens_contain (cell, ev->value_name)
          || tokens_contain (cell, num));
    }
    case G_TYPE_FLAGS:{
      GFlagsClass *fc = g_type_class_peek (t);
      guint val = g_value_get_flags (v), i;
      gchar num[16];
      gboolean all = TRUE;

      g_snprintf (num, sizeof (num), "0x%08x", val);
      if (tokens_contain (cell, num))
        return TRUE;
      /* Otherwise every set flag's nick must be named, e.g. "a+b". */
      for (i = 0; i < fc->n_values; i++)
        if (fc->values[i].value && (val & fc->values[i].value) ==
            fc->values[i].value)
          all = all && strstr (cell, fc->values[i].value_nick) != NULL;
      return all && (val != 0 || g_ascii_strcasecmp (cell, "none") == 0
          || g_ascii_strcasecmp (cell, "0") == 0);
    }
    case G_TYPE_STRING:{
      const gchar *s = g_value_get_string (v);
      if (!s)
        return !g_ascii_strcasecmp (cell, "null")
            || !g_ascii_strcasecmp (cell, "none")
            || !g_ascii_strcasecmp (cell, "(none)");
      return g_strcmp0 (cell, s) == 0;
    }
    default:
      /* Objects, boxed types: gst-inspect prints no plain default. */
      return TRUE;
  }
}

/* Checks @page against every property of @obj; appends one line per
 * problem to @errors and returns how many there were. */
static guint
check_page (GObject * obj, const gchar * page, GString * errors)
{
  guint n_props, i, n_bad = 0;
  GParamSpec **props =
      g_object_class_list_properties (G_OBJECT_GET_CLASS (obj), &n_props);

  for (i = 0; i < n_props; i++) {
    GParamSpec *p = props[i];
    GValue v = G_VALUE_INIT;
    Row row = { NULL, -1 };
    gchar *shown;

    if (p->owner_type == GST_TYPE_OBJECT)
      continue;                 /* name, parent */
    g_value_init (&v, p->value_type);
    /* Like gst-inspect: a fresh instance's value when it can be read. */
    if (p->flags & G_PARAM_READABLE)
      g_object_get_property (obj, p->name, &v);
    else
      g_param_value_set_default (p, &v);
    shown = inspect_default (p, &v);

    if (!find_row (page, p->name, &row)) {
      g_string_append_printf (errors, "  %s: not in any property table "
          "(gst-inspect default: %s)\n", p->name, shown);
      n_bad++;
    } else if (row.default_col < 0
        || row.default_col >= (gint) g_strv_length (row.cells)) {
      g_string_append_printf (errors, "  %s: its table has no Default "
          "column\n", p->name);
      n_bad++;
    } else if (!cell_matches (row.cells[row.default_col], &v)) {
      g_string_append_printf (errors, "  %s: page says default '%s', "
          "gst-inspect shows %s\n", p->name, row.cells[row.default_col], shown);
      n_bad++;
    }
    g_strfreev (row.cells);
    g_free (shown);
    g_value_unset (&v);
  }
  g_free (props);
  return n_bad;
}

static gchar *
read_page (const gchar * element)
{
  const gchar *dir = g_getenv ("HF_DOCS_DIR");
  gchar *path, *text = NULL;
  GError *err = NULL;

  fail_unless (dir != NULL, "HF_DOCS_DIR is not set (run through meson)");
  path = g_strdup_printf ("%s/%s.md", dir, element);
  fail_unless (g_file_get_contents (path, &text, NULL, &err),
      "cannot read %s: %s", path, err ? err->message : "?");
  g_free (path);
  return text;
}

static void
check_element (const gchar * name)
{
  GstElement *e = gst_element_factory_make (name, NULL);
  GString *errors = g_string_new (NULL);
  gchar *page;
  guint n_bad;

  fail_unless (e != NULL, "%s is not available", name);
  page = read_page (name);
  n_bad = check_page (G_OBJECT (e), page, errors);
  fail_unless (n_bad == 0, "docs/%s.md disagrees with gst-inspect:\n%s",
      name, errors->str);
  g_string_free (errors, TRUE);
  g_free (page);
  gst_object_unref (e);
}

HF_CHECK_TEST ("general", test_hfjpegenc_page)
{
  check_element ("hfjpegenc");
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_hfdrawsrc_page)
{
  check_element ("hfdrawsrc");
}

GST_END_TEST;

/* ---- the checker on a made-up class --------------------------------- */

typedef enum
{
  MODE_SLOW,
  MODE_FAST
} Mode;

static GType
mode_get_type (void)
{
  static GType t = 0;
  static const GEnumValue values[] = {
    {MODE_SLOW, "MODE_SLOW", "slow"},
    {MODE_FAST, "MODE_FAST", "fast"},
    {0, NULL, NULL}
  };

  if (!t)
    t = g_enum_register_static ("HfDocsTestMode", values);
  return t;
}

typedef struct
{
  GstObject parent;
} Fake;

typedef struct
{
  GstObjectClass parent_class;
} FakeClass;

GType fake_get_type (void);
G_DEFINE_TYPE (Fake, fake, GST_TYPE_OBJECT);

static void
fake_get_property (GObject * o, guint id, GValue * v, GParamSpec * p)
{
  g_param_value_set_default (p, v);
}

static void
fake_class_init (FakeClass * klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);

  oc->get_property = fake_get_property;
  g_object_class_install_property (oc, 1, g_param_spec_int ("level", "l",
          "l", 1, 100, 85, G_PARAM_READABLE));
  g_object_class_install_property (oc, 2, g_param_spec_boolean ("dedup",
          "d", "d", TRUE, G_PARAM_READABLE));
  g_object_class_install_property (oc, 3, g_param_spec_enum ("mode", "m",
          "m", mode_get_type (), MODE_FAST, G_PARAM_READABLE));
  g_object_class_install_property (oc, 4, g_param_spec_string ("dir", "d",
          "d", NULL, G_PARAM_READABLE));
  g_object_class_install_property (oc, 5, g_param_spec_uint64 ("timeout",
          "t", "t", 0, G_MAXUINT64, 30000, G_PARAM_READABLE));
}

static void
fake_init (Fake * f)
{
}

static const gchar *good_page =
    "# fake\n\nSome text | with a pipe.\n\n"
    "| Property | Type | Range | Default | Description |\n"
    "|----------|------|-------|---------|-------------|\n"
    "| `level` | int | 1 - 100 | 85 | how much |\n"
    "| `dedup` | boolean | | `true` | skip repeats |\n"
    "| `mode` | enum | slow, fast | `fast` | speed |\n"
    "| `dir` | string | | none | where \\| when |\n"
    "| `timeout` | guint64 | ms | 30000 (30 s) | watchdog |\n";

static guint
check_text (const gchar * page)
{
  GObject *obj = gst_object_ref_sink (g_object_new (fake_get_type (), NULL));
  GString *errors = g_string_new (NULL);
  guint n = check_page (obj, page, errors);

  GST_INFO ("problems:\n%s", errors->str);
  g_string_free (errors, TRUE);
  gst_object_unref (obj);
  return n;
}

static gchar *
replace (const gchar * text, const gchar * from, const gchar * to)
{
  gchar **parts = g_strsplit (text, from, 2);
  gchar *out;

  fail_unless (parts[1] != NULL, "'%s' not in the page", from);
  out = g_strconcat (parts[0], to, parts[1], NULL);
  g_strfreev (parts);
  return out;
}

HF_CHECK_TEST ("general", test_checker_accepts_good_page)
{
  fail_unless_equals_int (check_text (good_page), 0);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_checker_catches_mistakes)
{
  /* Each edit breaks exactly one property. */
  static const gchar *edits[][2] = {
    {"| `level` | int | 1 - 100 | 85 | how much |\n", ""},
    {"| 85 |", "| 80 |"},
    {"`true`", "false"},
    {"`fast`", "slow"},
    {"| none |", "| /tmp |"},
    {"30000 (30 s)", "3000"},
    {"| `mode` |", "| `modes` |"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (edits); i++) {
    gchar *bad = replace (good_page, edits[i][0], edits[i][1]);
    fail_unless_equals_int (check_text (bad), 1);
    g_free (bad);
  }

  /* A table without a Default column fails every row in it. */
  {
    gchar *bad = replace (good_page, "| Default |", "| Initial |");
    fail_unless_equals_int (check_text (bad), 5);
    g_free (bad);
  }
}

GST_END_TEST;

HF_CHECK_MAIN ("docs-properties");

/* hfcompposition: where in the document an error is. GMarkup reports the
 * position of its scanner; messages point at the offending tag's '<' or
 * at the attribute itself, so positions are worked out from byte offsets
 * into the document, only when an error needs them. Errors are
 * "NAME:LINE:COL: what". */
#include "hfcompparse.h"

#include <string.h>
#include <stdarg.h>

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

void
hf_parse_position_of_offset (const ParseState * ps, gsize off, int *line,
    int *col)
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

/* Byte range [lt, gt] of the start tag GMarkup reported at (line, chr). */
static gboolean
tag_range_at (const ParseState * ps, int line, int chr, gsize * lt, gsize * gt)
{
  gsize off, i;

  if (ps->len == 0)
    return FALSE;
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

static gboolean
current_tag_range (const ParseState * ps, gsize * lt, gsize * gt)
{
  int line, chr;

  g_markup_parse_context_get_position (ps->ctx, &line, &chr);
  return tag_range_at (ps, line, chr, lt, gt);
}

void
hf_parse_tag_position_at (const ParseState * ps, int gm_line, int gm_chr,
    int *line, int *col)
{
  gsize lt, gt;

  if (tag_range_at (ps, gm_line, gm_chr, &lt, &gt)) {
    hf_parse_position_of_offset (ps, lt, line, col);
  } else {
    *line = gm_line;
    *col = gm_chr;
  }
}

static void
tag_position (const ParseState * ps, int *line, int *col)
{
  gsize lt, gt;

  if (current_tag_range (ps, &lt, &gt))
    hf_parse_position_of_offset (ps, lt, line, col);
  else
    g_markup_parse_context_get_position (ps->ctx, line, col);
}

gboolean
hf_parse_is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Position of attribute `attr` inside the start tag that GMarkup reported
 * at (gm_line, gm_chr). Costs a scan from the document start: only for
 * errors. */
/* *INDENT-OFF* */
static void fail_v (const ParseState * ps, GError ** error, int code,
    int line, int col, const char *fmt, va_list ap) G_GNUC_PRINTF (6, 0);
/* *INDENT-ON* */

/* Byte offset of attribute attr in the start tag GMarkup reported at
 * (gm_line, gm_chr); -1 when the tag is not found. *tag_start gets the
 * tag's '<' when it is found. */
static gssize
attr_offset (const ParseState * ps, int gm_line, int gm_chr,
    const char *attr, gsize * tag_start)
{
  gsize lt, gt, i, n = strlen (attr);
  char quote = 0;

  if (!tag_range_at (ps, gm_line, gm_chr, &lt, &gt))
    return -1;
  *tag_start = lt;
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
    if (hf_parse_is_space (c) && i + 1 + n <= gt
        && strncmp (ps->data + i + 1, attr, n) == 0
        && (hf_parse_is_space (ps->data[i + 1 + n])
            || ps->data[i + 1 + n] == '='))
      return (gssize) (i + 1);
  }
  return (gssize) lt;
}

void
hf_parse_attr_position_at (const ParseState * ps, int gm_line, int gm_chr,
    const char *attr, int *line, int *col)
{
  gsize lt = 0;
  gssize off = attr_offset (ps, gm_line, gm_chr, attr, &lt);

  if (off < 0) {
    *line = gm_line;
    *col = gm_chr;
    return;
  }
  hf_parse_position_of_offset (ps, (gsize) off, line, col);
}

gboolean
hf_parse_fail_attr_value (const ParseState * ps, GError ** error,
    const char *attr, gsize value_off, const char *fmt, ...)
{
  int gm_line, gm_chr, line, col;
  gsize lt = 0, i;
  gssize off;
  va_list ap;

  g_markup_parse_context_get_position (ps->ctx, &gm_line, &gm_chr);
  off = attr_offset (ps, gm_line, gm_chr, attr, &lt);
  if (off < 0 || (gsize) off == lt) {
    hf_parse_attr_position_at (ps, gm_line, gm_chr, attr, &line, &col);
  } else {
    /* Past the name, the '=' and the opening quote, to the value's byte. */
    for (i = (gsize) off; i < ps->len && ps->data[i] != '"'
        && ps->data[i] != '\''; i++);
    hf_parse_position_of_offset (ps, MIN (ps->len, i + 1 + value_off), &line,
        &col);
  }
  va_start (ap, fmt);
  fail_v (ps, error, HF_COMP_ERROR_INVALID, line, col, fmt, ap);
  va_end (ap);
  return FALSE;
}

void
hf_parse_attr_position (const ParseState * ps, const char *attr, int *line,
    int *col)
{
  int gm_line, gm_chr;

  g_markup_parse_context_get_position (ps->ctx, &gm_line, &gm_chr);
  hf_parse_attr_position_at (ps, gm_line, gm_chr, attr, line, col);
}

/* ---- errors ------------------------------------------------------- */

static void
fail_v (const ParseState * ps, GError ** error, int code, int line, int col,
    const char *fmt, va_list ap)
{
  char *msg = g_strdup_vprintf (fmt, ap);

  g_set_error (error, HF_COMP_ERROR, code, "%s:%d:%d: %s", ps->name, line, col,
      msg);
  g_free (msg);
}

gboolean
hf_parse_fail_tag (const ParseState * ps, GError ** error, int code,
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

gboolean
hf_parse_fail_attr (const ParseState * ps, GError ** error, const char *attr,
    const char *fmt, ...)
{
  va_list ap;
  int line, col;

  hf_parse_attr_position (ps, attr, &line, &col);
  va_start (ap, fmt);
  fail_v (ps, error, HF_COMP_ERROR_INVALID, line, col, fmt, ap);
  va_end (ap);
  return FALSE;
}

gboolean
hf_parse_fail_at (const ParseState * ps, GError ** error, int code, int line,
    int col, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  fail_v (ps, error, code, line, col, fmt, ap);
  va_end (ap);
  return FALSE;
}

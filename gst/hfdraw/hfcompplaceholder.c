/* hfcompplaceholder: the placeholders of <text> ({timecode}, {frame} and
 * {time}; docs/composition-format.md), which the parser finds and the
 * renderer substitutes on every frame. */
#include "hfcomp-private.h"

#include <math.h>
#include <string.h>

typedef enum
{
  PH_TIMECODE,
  PH_FRAME,
  PH_TIME,
  PH_NONE,
} Placeholder;

static const char *const names[] = { "{timecode}", "{frame}", "{time}" };

static Placeholder
placeholder_at (const char *p)
{
  Placeholder k;

  for (k = 0; k < PH_NONE; k++)
    if (g_str_has_prefix (p, names[k]))
      break;
  return k;
}

gsize
hf_comp_placeholder_at (const char *p)
{
  Placeholder k = placeholder_at (p);

  return k == PH_NONE ? 0 : strlen (names[k]);
}

/* Appends n bytes to buf; it only grows. */
static void
append (HfTextBuf * buf, const char *s, gsize n)
{
  if (buf->len + n > buf->alloc) {
    buf->alloc = MAX (buf->alloc, 256);
    while (buf->len + n > buf->alloc)
      buf->alloc *= 2;
    buf->data = g_realloc (buf->data, buf->alloc);
  }
  memcpy (buf->data + buf->len, s, n);
  buf->len += n;
}

const char *
hf_comp_format_text (const HfCompInfo * info, double t, const char *text,
    HfTextBuf * buf)
{
  double frames = floor (t * info->fps_n / info->fps_d + 1e-6);
  /* Clamped so that the conversion is defined for any t. */
  gint64 frame = frames > 0 ? (gint64) MIN (frames, 1e15) : 0;
  /* Non-drop-frame timecode, counted at the nominal (rounded up) rate. */
  gint64 nominal = (info->fps_n + info->fps_d - 1) / info->fps_d;
  gint64 ff = frame % nominal, s = frame / nominal;
  const char *p = text;
  /* Formatted on the stack: g_string_append_printf would allocate. */
  char num[64];

  buf->len = 0;
  while (*p) {
    Placeholder k = *p == '{' ? placeholder_at (p) : PH_NONE;

    if (k == PH_NONE) {
      append (buf, p++, 1);
      continue;
    }
    if (k == PH_TIMECODE)
      g_snprintf (num, sizeof (num), "%02d:%02d:%02d:%02d",
          (int) (s / 3600 % 100), (int) (s / 60 % 60), (int) (s % 60),
          (int) ff);
    else if (k == PH_FRAME)
      g_snprintf (num, sizeof (num), "%" G_GINT64_FORMAT, frame);
    else                        /* the C locale's point on every machine */
      g_ascii_formatd (num, sizeof (num), "%.2f", t);
    append (buf, num, strlen (num));
    p += strlen (names[k]);
  }
  append (buf, "", 1);
  return buf->data;
}

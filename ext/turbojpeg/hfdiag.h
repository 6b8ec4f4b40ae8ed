/* hfdiag: what a failed frame leaves behind for diagnosis: the whole
 * record (a PNG of the input and a JSON of what is known), written here;
 * the element only turns its GStreamer values into strings. Engine code:
 * no GStreamer. */
#ifndef __HF_DIAG_H__
#define __HF_DIAG_H__

#include "hfencpool.h"

G_BEGIN_DECLS

/* Writes the input frame that params describes (any packed TJPF_* layout,
 * or planar YUV) as an 8-bit RGB PNG, or gray for gray input, that image
 * viewers open. Deflate "stored" blocks: no compression library needed.
 * Returns FALSE with a message naming the path on failure. */
gboolean hf_diag_write_png (const char *path, const HfEncParams * params,
    char *error, size_t error_len);

/* Appends s to out as a quoted JSON string, escaping as RFC 8259 requires:
 * quote and backslash with a backslash, control characters as \u00XX.
 * Each byte that is not part of valid UTF-8 becomes U+FFFD. A NULL s
 * appends the JSON literal null. */
void hf_diag_json_append_string (GString * out, const char *s);

/* What is known of a frame that failed. */
typedef struct
{
  guint64 number;               /* frame number */
  gint64 pts;                   /* nanoseconds, or -1: none */
  const char *pts_string;       /* as the element prints it */
  const char *caps;             /* the input caps, or NULL */
  const HfEncParams *params;    /* a complete input frame, or NULL */
  const char *reason;           /* the error message */
} HfDiagRecord;

/* Writes frame-error-<number>.png (when rec->params describes a complete
 * input frame) and frame-error-<number>.json into dir. Returns, newly
 * allocated, a sentence for the error's debug text saying what was
 * written or what failed. dir NULL or empty: nothing is written. */
char *hf_diag_dump (const char *dir, const HfDiagRecord * rec);

G_END_DECLS

#endif /* __HF_DIAG_H__ */

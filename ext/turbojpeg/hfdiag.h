/* hfdiag: what a failed frame leaves behind for diagnosis. Engine code: no
 * GStreamer. */
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

G_END_DECLS

#endif /* __HF_DIAG_H__ */

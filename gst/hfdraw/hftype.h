/* hftype: font files. FreeType reads the glyph outlines (unhinted, curves
 * kept as curves) and HarfBuzz shapes the text (kerning, ligatures, marks,
 * right-to-left and complex scripts); the outlines are filled by this
 * project's own rasteriser. Fonts are only ever the files a composition
 * names: nothing is looked up on the system. Engine code: no GStreamer.
 *
 * A typeface may be used from several threads at once. */
#ifndef __HF_TYPE_H__
#define __HF_TYPE_H__

#include "hfraster.h"
#include "hftext.h"

G_BEGIN_DECLS

/* Largest font file read (a CJK collection is about 20 MB). */
#define HF_TYPE_MAX_FILE_SIZE (128 * 1024 * 1024)

typedef struct HfTypeface HfTypeface;

#define HF_TYPE_ERROR (hf_type_error_quark ())
GQuark hf_type_error_quark (void);

typedef enum
{
  HF_TYPE_ERROR_INVALID,        /* not a font file, or no such face in it */
  HF_TYPE_ERROR_UNSUPPORTED,    /* this build reads no font files */
} HfTypeError;

/* FALSE when this build has no FreeType and HarfBuzz (meson -Dfonts). */
gboolean hf_type_available (void);

/* Face `index` of a TrueType, OpenType or collection file. Errors name
 * the path: a G_FILE_ERROR when the file cannot be read, else an
 * HF_TYPE_ERROR saying why it is not a usable font. */
HfTypeface *hf_typeface_new (const char *path, int index, GError ** error);
void hf_typeface_free (HfTypeface * face);
gboolean hf_typeface_has_char (const HfTypeface * face, gunichar ch);

/* Shapes text with a font chain: each character takes the first font of
 * chain[0..n) that has it (spaces and marks stay with their neighbours'
 * font when it has them). HfTextGlyph.face indexes chain. */
HfShaped *hf_type_shape (HfTypeface * const *chain, guint n,
    const char *text);
/* Appends the glyph outlines of s, laid out by l, to path. */
void hf_type_layout_path (HfPath * path, HfTypeface * const *chain,
    const HfShaped * s, const HfTextLayout * l);

G_END_DECLS

#endif /* __HF_TYPE_H__ */

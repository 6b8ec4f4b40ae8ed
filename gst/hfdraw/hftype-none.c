/* hftype without FreeType and HarfBuzz (meson -Dfonts=disabled): no font
 * file can be opened, so the parser refuses every <font> and the other
 * functions are never reached. */
#include "hftype.h"


gboolean
hf_type_available (void)
{
  return FALSE;
}

HfTypeface *
hf_typeface_new (const char *path, int index, GError ** error)
{
  g_set_error (error, HF_TYPE_ERROR, HF_TYPE_ERROR_UNSUPPORTED,
      "%s: this build has no font support (FreeType and HarfBuzz were "
      "turned off with meson -Dfonts=disabled)", path);
  return NULL;
}

void
hf_typeface_free (HfTypeface * face)
{
}

gboolean
hf_typeface_has_char (const HfTypeface * face, gunichar ch)
{
  return FALSE;
}

HfShaped *
hf_type_shape (HfTypeface * const *chain, guint n, const char *text)
{
  return g_new0 (HfShaped, 1);
}

void
hf_type_layout_path (HfPath * path, HfTypeface * const *chain,
    const HfShaped * s, const HfTextLayout * l)
{
}

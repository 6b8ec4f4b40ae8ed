/* What the unit tests of compositions (test-comp.c, test-compparse.c,
 * test-layer.c) share. */
#ifndef __COMP_HELPERS_H__
#define __COMP_HELPERS_H__

#include <glib.h>

#include "hfcomp.h"

/* Parses markup that must load, failing the test with the error if not. */
static G_GNUC_UNUSED HfComposition *
parse_ok (const char *doc)
{
  GError *err = NULL;
  HfComposition *comp = hf_composition_new_from_data (doc, -1, NULL, &err);

  g_assert_no_error (err);
  g_assert_nonnull (comp);
  return comp;
}

#endif /* __COMP_HELPERS_H__ */

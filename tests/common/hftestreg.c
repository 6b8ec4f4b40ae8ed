/* The test registry (hftestreg.h). */
#include "hftestreg.h"

/* Filled by constructors, before main. */
static GArray *registry;

void
hf_test_register (const char *group, const char *name, HfTestFunc fn,
    int start, int end, int line)
{
  HfTestEntry e = { group, name, fn, start, end, line };

  if (registry == NULL)
    registry = g_array_new (FALSE, FALSE, sizeof (HfTestEntry));
  g_array_append_val (registry, e);
}

static gint
by_line (gconstpointer a, gconstpointer b)
{
  return ((const HfTestEntry *) a)->line - ((const HfTestEntry *) b)->line;
}

GArray *
hf_test_take_all (void)
{
  GArray *all = registry;

  g_assert_nonnull (all);
  registry = NULL;
  g_array_sort (all, by_line);
  return all;
}

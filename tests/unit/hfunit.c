/* HF_TEST's main (hfunit.h). */
#include "hfunit.h"

int
hf_unit_main (int *argc, char ***argv)
{
  GArray *all;
  guint i;

  g_test_init (argc, argv, NULL);
  all = hf_test_take_all ();
  for (i = 0; i < all->len; i++) {
    HfTestEntry *t = &g_array_index (all, HfTestEntry, i);

    g_test_add_func (t->group, (GTestFunc) t->fn);
  }
  g_array_unref (all);
  return g_test_run ();
}

/* The unit tests' one way to declare a test: it registers itself where it
 * is defined (tests/common/hftestreg.h), so a test cannot exist without
 * running.
 *
 *   HF_TEST ("/raster/fill-rule", test_fill_rule)
 *   {
 *     ...
 *   }
 *
 *   HF_TEST_MAIN ();
 *
 * Tests run in the order they stand in the file. */
#ifndef __HF_UNIT_H__
#define __HF_UNIT_H__

#include "hftestreg.h"

G_BEGIN_DECLS

/* g_test_init, every registered test, g_test_run. */
int hf_unit_main (int *argc, char ***argv);

#define HF_TEST(path, fn)                                               \
  static void fn (void);                                                \
  HF_TEST_AT_START (fn, hf_test_register (path, NULL, (HfTestFunc) fn,  \
          0, 1, __LINE__))                                              \
  static void fn (void)

#define HF_TEST_MAIN()                                                  \
  int main (int argc, char **argv)                                      \
  {                                                                     \
    return hf_unit_main (&argc, &argv);                                 \
  }

G_END_DECLS

#endif /* __HF_UNIT_H__ */

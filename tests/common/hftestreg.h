/* The registry behind both test schemes: a test registers itself where it
 * is defined (HF_TEST in tests/unit/hfunit.h, HF_CHECK_TEST in
 * tests/check/hfcheck.h), so no test exists without running
 * (docs/design.md, "Tests"). */
#ifndef __HF_TEST_REG_H__
#define __HF_TEST_REG_H__

#include <glib.h>

G_BEGIN_DECLS

/* Any test function; cast back to its own type before calling. */
typedef void (*HfTestFunc) (void);

typedef struct
{
  const char *group;            /* GTest path, or check TCase */
  const char *name;             /* check test name; NULL for GTest */
  HfTestFunc fn;
  int start, end;               /* check loop range */
  int line;
} HfTestEntry;

void hf_test_register (const char *group, const char *name, HfTestFunc fn,
    int start, int end, int line);

/* Every registered entry, in the order they stand in the file; the
 * registry is empty afterwards. g_array_unref the result. */
GArray *hf_test_take_all (void);

/* Runs `call`, a function call, before main. */
#define HF_TEST_AT_START(fn, call)                                      \
  static void __attribute__ ((constructor)) fn##_register (void)        \
  {                                                                     \
    call;                                                               \
  }

G_END_DECLS

#endif /* __HF_TEST_REG_H__ */

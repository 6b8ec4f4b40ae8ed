/* libFuzzer target: hfrender's tag (tools/hfrender/hfrinfo.c), which join
 * and verify read from any file they are given. Any text: no crash, no
 * read past the end; a text that parses formats to a text that parses to
 * the same fields (the writer and the reader agree). */
#include "hfrinfo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  gchar *text = g_strndup ((const gchar *) data, size);
  HfrInfo a, b;

  if (hfr_info_parse (text, &a)) {
    gchar *again = hfr_info_format (&a);

    if (!hfr_info_parse (again, &b) || memcmp (&a, &b, sizeof (a)) != 0)
      abort ();
    g_free (again);
  }
  g_free (text);
  return 0;
}

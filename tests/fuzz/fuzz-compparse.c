/* libFuzzer target: the composition parser on arbitrary bytes.
 *
 * Whatever the bytes, hf_composition_new_from_data either returns a
 * composition whose info is within the documented limits, or NULL with an
 * error in HF_COMP_ERROR or G_MARKUP_ERROR. Never a crash, a leak or an
 * out-of-range size. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "hfcomp.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  HfComposition *comp;
  HfCompInfo info;

  comp = hf_composition_new_from_data ((const char *) data, (gssize) size,
      "fuzz", &error);
  if (comp == NULL) {
    /* A refusal must say why. */
    if (error == NULL || error->message == NULL || error->message[0] == '\0')
      abort ();
    g_error_free (error);
    return 0;
  }
  if (error != NULL)
    abort ();

  hf_composition_get_info (comp, &info);
  if (info.width < 1 || info.width > HF_COMP_MAX_SIZE || info.height < 1
      || info.height > HF_COMP_MAX_SIZE || info.fps_n <= 0 || info.fps_d <= 0
      || !(info.duration > 0.0) || !isfinite (info.duration))
    abort ();
  /* Exercise the change query on the parsed timeline too; it is pure. */
  (void) hf_composition_changes_between (comp, 0.0, info.duration);
  hf_composition_free (comp);
  return 0;
}

/* What both elements' set_property checks first: whether the property may
 * change in the element's state, by its GST_PARAM_MUTABLE_* flag (the
 * "changeable only in ... state" line of gst-inspect-1.0). Include it
 * after the element's GST_CAT_DEFAULT. See docs/design.md, "Properties". */
#ifndef __HF_PROPERTY_H__
#define __HF_PROPERTY_H__

#include <gst/gst.h>

/* TRUE when `pspec` may be set in the element's current state. Otherwise
 * the change is refused: a WARNING message on the bus (RESOURCE,
 * SETTINGS) names the property and the state. Only the current state
 * counts: after a failed start the pending one stays PAUSED while the
 * element is back in READY, where a corrected value must be taken. */
static inline gboolean
hf_property_settable (GstElement * element, GParamSpec * pspec)
{
  GstState state, last;

  if (pspec->flags & GST_PARAM_MUTABLE_PLAYING)
    return TRUE;
  if (pspec->flags & GST_PARAM_MUTABLE_PAUSED)
    last = GST_STATE_PAUSED;
  else if (pspec->flags & GST_PARAM_MUTABLE_READY)
    last = GST_STATE_READY;
  else
    return TRUE;
  GST_OBJECT_LOCK (element);
  state = GST_STATE (element);
  GST_OBJECT_UNLOCK (element);
  if (state <= last)
    return TRUE;
  GST_ELEMENT_WARNING (element, RESOURCE, SETTINGS,
      ("Property \"%s\" cannot be changed in state %s; the change is "
          "ignored. Set it in %s.", pspec->name,
          gst_element_state_get_name (state), last == GST_STATE_READY ?
          "NULL or READY" : "NULL, READY or PAUSED"), (NULL));
  return FALSE;
}

#endif /* __HF_PROPERTY_H__ */

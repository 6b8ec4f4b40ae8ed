/* Loading a composition when hfdrawsrc starts: its markup or file, the
 * pictures it names decoded by GStreamer's own decoders (pngdec, jpegdec,
 * webpdec, whatever decodebin finds) through a small pipeline run to its
 * first frame, and the engine's errors posted as GStreamer's. The engine
 * receives RGBA and knows nothing of GStreamer. */
#include "gsthfdrawsrc-private.h"
#include "hfimage.h"

#include <gst/app/gstappsink.h>
#include <string.h>

GST_DEBUG_CATEGORY_EXTERN (gst_hf_draw_src_debug);
#define GST_CAT_DEFAULT gst_hf_draw_src_debug

/* A still image prerolls in well under this; a stalled decoder fails. */
#define DECODE_TIMEOUT (60 * GST_SECOND)

typedef struct
{
  gint width, height;           /* what the decoder announced */
} Seen;

/* Notes the decoded size as the caps go by: a picture over the limits is
 * refused by the caps filter before the decoder allocates its frame, and
 * this says why. */
static GstPadProbeReturn
on_caps (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
  Seen *seen = data;

  if (GST_EVENT_TYPE (ev) == GST_EVENT_CAPS) {
    GstCaps *caps;
    GstStructure *s;

    gst_event_parse_caps (ev, &caps);
    s = gst_caps_get_structure (caps, 0);
    gst_structure_get_int (s, "width", &seen->width);
    gst_structure_get_int (s, "height", &seen->height);
  }
  return GST_PAD_PROBE_OK;
}

/* The media type decodebin found no decoder for ("image/webp"), from its
 * missing-plugin message, or NULL. */
static gchar *
missing_decoder (GstMessage * msg)
{
  const GstStructure *s = gst_message_get_structure (msg);
  const GValue *detail;

  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT || s == NULL
      || !gst_structure_has_name (s, "missing-plugin")
      || g_strcmp0 (gst_structure_get_string (s, "type"), "decoder") != 0)
    return NULL;
  detail = gst_structure_get_value (s, "detail");
  if (detail == NULL || !GST_VALUE_HOLDS_CAPS (detail)
      || gst_caps_is_empty (gst_value_get_caps (detail)))
    return NULL;
  return g_strdup (gst_structure_get_name (gst_caps_get_structure
          (gst_value_get_caps (detail), 0)));
}

static void
set_error (GError ** error, GstBus * bus, const Seen * seen)
{
  GstMessage *msg = NULL, *m;
  gchar *missing = NULL;

  /* Popping discards what the filter leaves out: take both kinds. */
  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR |
              GST_MESSAGE_ELEMENT))) {
    if (missing == NULL)
      missing = missing_decoder (m);
    if (msg == NULL && GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR)
      msg = gst_message_ref (m);
    gst_message_unref (m);
  }
  if (seen->width > HF_IMAGE_MAX_SIDE || seen->height > HF_IMAGE_MAX_SIDE) {
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_TOO_BIG,
        "it is %dx%d: each side must be 1 to %d", seen->width, seen->height,
        HF_IMAGE_MAX_SIDE);
  } else if (missing) {
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_DECODE,
        "no GStreamer decoder for %s is installed%s", missing,
        strcmp (missing, "image/webp") == 0 ?
        " (webpdec, in Debian's gstreamer1.0-plugins-bad)" : "");
  } else if (msg) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_DECODE, "%s (%s)",
        err->message, GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)));
    GST_DEBUG ("decoder error: %s", dbg ? dbg : "");
    g_error_free (err);
    g_free (dbg);
  } else {
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_DECODE,
        "the decoder gave no picture within %d s",
        (int) (DECODE_TIMEOUT / GST_SECOND));
  }
  g_free (missing);
  if (msg)
    gst_message_unref (msg);
}

/* Copies the frame into tight RGBA rows. */
static guint8 *
copy_frame (GstSample * sample, int *width, int *height, GError ** error)
{
  GstVideoInfo vi;
  GstVideoFrame frame;
  guint8 *out;
  int y;

  if (!gst_video_info_from_caps (&vi, gst_sample_get_caps (sample))
      || !gst_video_frame_map (&frame, &vi, gst_sample_get_buffer (sample),
          GST_MAP_READ)) {
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_DECODE,
        "the decoded picture cannot be read");
    return NULL;
  }
  *width = GST_VIDEO_INFO_WIDTH (&vi);
  *height = GST_VIDEO_INFO_HEIGHT (&vi);
  out = g_malloc ((gsize) * width * *height * 4);
  for (y = 0; y < *height; y++)
    memcpy (out + (gsize) y * *width * 4,
        (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
        + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
        (gsize) * width * 4);
  gst_video_frame_unmap (&frame);
  return out;
}

static guint8 *
gst_hf_draw_src_decode_image (const char *path, int *width, int *height,
    gpointer user_data, GError ** error)
{
  GstElement *pipe, *src, *conv, *sink;
  GstPad *pad;
  GstBus *bus;
  GstSample *sample = NULL;
  GError *err = NULL;
  Seen seen = { 0, 0 };
  guint8 *out = NULL;
  char *desc;

  desc = g_strdup_printf ("filesrc name=src ! decodebin ! videoconvert "
      "name=conv ! video/x-raw,format=RGBA,width=[1,%d],height=[1,%d] ! "
      "appsink name=sink sync=false", HF_IMAGE_MAX_SIDE, HF_IMAGE_MAX_SIDE);
  pipe = gst_parse_launch (desc, &err);
  g_free (desc);
  if (pipe == NULL) {
    g_set_error (error, HF_COMP_ERROR, HF_COMP_ERROR_DECODE,
        "cannot build a decoding pipeline: %s", err->message);
    g_error_free (err);
    return NULL;
  }
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  conv = gst_bin_get_by_name (GST_BIN (pipe), "conv");
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  g_object_set (src, "location", path, NULL);
  pad = gst_element_get_static_pad (conv, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_caps,
      &seen, NULL);
  gst_object_unref (pad);
  bus = gst_element_get_bus (pipe);

  /* The first frame prerolls the sink: PAUSED is enough. */
  if (gst_element_set_state (pipe, GST_STATE_PAUSED) != GST_STATE_CHANGE_FAILURE
      && gst_element_get_state (pipe, NULL, NULL, DECODE_TIMEOUT)
      == GST_STATE_CHANGE_SUCCESS)
    sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), 0);
  if (sample) {
    out = copy_frame (sample, width, height, error);
    gst_sample_unref (sample);
  } else {
    set_error (error, bus, &seen);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (conv);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return out;
}

static void
post_load_error (GstHfDrawSrc * self, const gchar * location, GError * err)
{
  if (g_error_matches (err, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("Composition file \"%s\" not found.", location), ("%s", err->message));
  } else if (err->domain == G_FILE_ERROR) {
    GST_ELEMENT_ERROR (self, RESOURCE, READ,
        ("Could not read composition file \"%s\".", location),
        ("%s", err->message));
  } else if (g_error_matches (err, HF_COMP_ERROR, HF_COMP_ERROR_DECODE)) {
    GST_ELEMENT_ERROR (self, STREAM, DECODE,
        ("An image of the composition cannot be decoded: %s", err->message),
        (NULL));
  } else if (g_error_matches (err, HF_COMP_ERROR, HF_COMP_ERROR_NOT_FOUND)) {
    /* A font or other file the composition names: the message says
     * which, and where the composition names it. */
    GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
        ("A file the composition uses was not found: %s", err->message),
        (NULL));
  } else {
    /* The engine's message is "NAME:LINE:COLUMN: what is wrong". */
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Invalid composition: %s", err->message), (NULL));
  }
}

HfComposition *
gst_hf_draw_src_load (GstHfDrawSrc * self, const gchar * location,
    const gchar * markup)
{
  const HfCompLoader loader = { gst_hf_draw_src_decode_image, NULL };
  HfComposition *comp;
  GError *err = NULL;

  if (markup)
    comp = hf_composition_new_from_data_with (markup, -1, "composition",
        &loader, &err);
  else if (location)
    comp = hf_composition_new_from_file_with (location, &loader, &err);
  else
    comp = hf_composition_new_demo ();

  if (comp == NULL) {
    if (err == NULL)
      g_set_error (&err, HF_COMP_ERROR, HF_COMP_ERROR_INVALID,
          "%s: could not be loaded", location ? location : "composition");
    post_load_error (self, location, err);
    g_error_free (err);
  }
  return comp;
}

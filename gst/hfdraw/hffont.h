/* hffont: a stroke font built into the plugin (no font library). Glyphs are
 * polylines on a design grid; text becomes stroked outlines that
 * hf_raster_fill draws anti-aliased. Covers printable ASCII, Latin-1,
 * common punctuation and the letters composed of an ASCII letter and
 * marks it has; other code points (and invalid UTF-8) draw as a box,
 * which compositions never show: they refuse such text at load. Engine
 * code. */
#ifndef __HF_FONT_H__
#define __HF_FONT_H__

#include "hfraster.h"
#include "hftext.h"

G_BEGIN_DECLS

/* TRUE when the font draws ch (a newline and a tab count: they break a
 * line and draw as a space). Other characters would draw as a box; a
 * composition that uses one is refused. */
gboolean hf_font_has_char (gunichar ch);

/* The characters of text as glyphs (hftext.h), one per code point;
 * invalid UTF-8 gives one box per byte. */
HfShaped *hf_font_shape (const char *text);
/* Appends the stroked outlines of s laid out by layout (its extra_em is
 * set here: heavier text is tracked wider) at the given weight. */
void hf_font_layout_path (HfPath * path, const HfShaped * s,
    const HfTextLayout * layout, double weight);

/* Advance width of text at `size` px (size = cap height + descender room,
 * i.e. the CSS font-size; cap height is 0.7 size) at weight 1.0, exactly
 * the advance hf_font_text_path uses. text is UTF-8, possibly invalid. */
double hf_font_measure (const char *text, double size);
/* The same for a given weight (see hf_font_text_path): heavier text gets
 * proportionally more letter spacing. hf_font_measure is weight 1.0. */
double hf_font_measure_weight (const char *text, double size, double weight);

/* Appends the outline of text to path in local coordinates: (x, y) is the
 * baseline anchor (left, centre or right end per align). weight scales the
 * stroke width: 1.0 is regular (about size/11), 2.0 bold. */
void hf_font_text_path (HfPath * path, const char *text, double x, double y,
    double size, HfAlign align, double weight);
/* The same, leaving out the glyphs wholly outside [x0, x1] (local x, the
 * visible part of the line): they cost no memory and no drawing, so a
 * line far longer than the frame costs what its visible part does. */
void hf_font_text_path_visible (HfPath * path, const char *text, double x,
    double y, double size, HfAlign align, double weight, double x0,
    double x1);

G_END_DECLS

#endif /* __HF_FONT_H__ */

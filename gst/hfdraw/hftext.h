/* hftext: text as a list of positioned glyphs, whatever font made them.
 * A shaper (the built-in font in hffont.c, font files in hftype.c) turns
 * UTF-8 into HfShaped: glyphs in logical order with advances at size 1.
 * hf_text_layout then breaks lines, aligns them and hands each visible
 * glyph, at its position, to the font's emitter. Engine code. */
#ifndef __HF_TEXT_H__
#define __HF_TEXT_H__

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HF_ALIGN_LEFT,
  HF_ALIGN_CENTER,
  HF_ALIGN_RIGHT,
} HfAlign;

typedef enum
{
  HF_TEXT_SPACE = 1 << 0,       /* a space: dropped at the end of a line */
  HF_TEXT_BREAK_BEFORE = 1 << 1,        /* a line may start at this glyph */
  HF_TEXT_NEWLINE = 1 << 2,     /* a forced break, not drawn */
  HF_TEXT_CLUSTER_END = 1 << 3, /* last glyph of a character: spacing follows */
  /* A letter of a cursive script (Arabic, Syriac, N'Ko, Mongolian...),
   * whose letters join: no letter-spacing follows it, as CSS says. */
  HF_TEXT_CURSIVE = 1 << 6,
} HfTextFlags;

/* Bits 4-5 of the flags: the glyph's bidi embedding level, 0 to 2 (odd
 * levels run right to left). */
#define HF_TEXT_LEVEL_SHIFT 4
#define HF_TEXT_LEVEL(flags) (((flags) >> HF_TEXT_LEVEL_SHIFT) & 3)

typedef struct
{
  guint32 glyph;                /* a glyph index of the face, or a code point */
  guint16 face;                 /* which font of the chain */
  guint16 flags;                /* HfTextFlags */
  double adv, dx, dy;           /* advance and offset, in em (size 1) */
} HfTextGlyph;

typedef struct
{
  HfTextGlyph *glyphs;
  guint n;
} HfShaped;

void hf_shaped_free (HfShaped * s);

/* The flags of character ch after prev (0 at the start): spaces and tabs
 * are HF_TEXT_SPACE, a newline HF_TEXT_NEWLINE; a line may start after a
 * space and on either side of an ideograph (CJK text wraps anywhere);
 * letters of cursive scripts are HF_TEXT_CURSIVE. */
guint16 hf_text_char_flags (gunichar prev, gunichar ch);

typedef struct
{
  double x, y;                  /* anchor of the first baseline */
  double size;                  /* px per em */
  double letter_spacing;        /* px after every non-cursive character */
  double extra_em;              /* em after every character (the font's own) */
  double max_width;             /* wrap lines longer than this; <= 0: never */
  double line_height;           /* baseline to baseline, in em */
  HfAlign align;                /* which end of each line sits at x */
  double clip_x0, clip_y0, clip_x1, clip_y1;    /* visible box, local */
} HfTextLayout;

/* Sets l to one unwrapped line at (x, y) of the given size, nothing
 * clipped. */
void hf_text_layout_init (HfTextLayout * l, double x, double y, double size,
    HfAlign align);

/* Called for every glyph whose em box (grown by one em) meets the clip
 * box, with its pen position (origin on the baseline). */
typedef void (*HfGlyphFunc) (gpointer data, const HfTextGlyph * g, double x,
    double y);

/* Lays s out: lines break at forced breaks and, past max_width, at the
 * last break opportunity; each line is put in visual order by the
 * embedding levels (Unicode bidi rule L2). Returns the number of lines. */
guint hf_text_layout (const HfShaped * s, const HfTextLayout * l,
    HfGlyphFunc func, gpointer data);

G_END_DECLS

#endif /* __HF_TEXT_H__ */

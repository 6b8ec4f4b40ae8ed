/* hfcompparse: the parser's state, shared by hfcompparse.c (document
 * structure, positions and errors, the timeline) and hfcompattr.c (the
 * attributes of each element). Private to the engine. */
#ifndef __HF_COMP_PARSE_H__
#define __HF_COMP_PARSE_H__

#include "hfcomp-private.h"

G_BEGIN_DECLS

typedef enum
{
  F_COMPOSITION,
  F_DEFS,
  F_GRADIENT,
  F_STOP,
  F_ELEMENT,
  F_TWEEN,
  F_FONT,
} FrameKind;

typedef struct
{
  FrameKind kind;
  const char *name;    /* static tag name, for messages */
  HfElement *el;       /* F_COMPOSITION, F_ELEMENT */
  GPtrArray *children; /* owns child HfElements until the end tag */
  GArray *tweens;      /* HfTween */
  GString *text;       /* text element content */
} Frame;

typedef enum
{
  HF_REF_FILL,                  /* fill="url(#gradient)" */
  HF_REF_STROKE,                /* stroke="url(#gradient)" */
  HF_REF_CLIP,                  /* clip-path="url(#clipPath)" */
} HfRefKind;

typedef struct
{
  HfElement *el;
  HfRefKind kind;
  char *id;
  int line, col;                /* GMarkup's position at the tag */
} PendingRef;

/* A <font> in <defs>; (line, col) is GMarkup's position at its tag. */
typedef struct
{
  char *id;
  guint face;
  char *fallback;
  int line, col;
} FontDef;

/* A <text>, with its font="id" (NULL: the built-in font). */
typedef struct
{
  HfElement *el;
  char *font_id;
  int line, col;
} TextRef;

typedef struct
{
  const char *name;
  const char *data;
  gsize len;
  GMarkupParseContext *ctx;
  HfComposition *comp;
  Frame stack[HF_COMP_MAX_DEPTH];
  int depth;
  gboolean have_root;
  guint order;
  GArray *gradients;        /* HfGradient */
  GHashTable *gradient_ids; /* id -> index + 1 */
  GArray *refs;             /* PendingRef */
  /* Files a composition names are relative to this directory (NULL: the
   * working directory). */
  const char *base_dir;
  GPtrArray *faces;         /* HfTypeface, loaded once per file and index */
  GHashTable *face_keys;    /* "index:path" -> faces index + 1 */
  GArray *fonts;            /* FontDef */
  GHashTable *font_ids;     /* id -> fonts index + 1 */
  GArray *texts;            /* TextRef: every <text>, checked at the end */
  HfCompLoader loader;      /* decodes images */
  GPtrArray *clips;         /* HfElement: each <clipPath>'s group */
  GHashTable *clip_ids;     /* id -> clips index + 1 */
  int in_clip;              /* inside a <clipPath>: times are relative */
  GHashTable *image_keys;   /* resolved path -> images index + 1 */
  GPtrArray *images;        /* HfImage */
  gsize image_bytes;        /* decoded so far, mipmaps included */
  GArray *events;           /* double */
  GArray *spans;            /* double pairs */
} ParseState;

/* hfcompposition.c: errors are "NAME:LINE:COL: what", at the current start
 * tag's '<' or at the named attribute inside it. They return FALSE. */
gboolean hf_parse_fail_tag (const ParseState *ps, GError **error, int code,
    const char *fmt, ...) G_GNUC_PRINTF (4, 5);
gboolean hf_parse_fail_attr (const ParseState *ps, GError **error,
    const char *attr, const char *fmt, ...) G_GNUC_PRINTF (4, 5);
/* The same, at byte value_off of the attribute's value (as written). */
gboolean hf_parse_fail_attr_value (const ParseState *ps, GError **error,
    const char *attr, gsize value_off, const char *fmt, ...)
    G_GNUC_PRINTF (5, 6);
/* hfcompposition.c: positions. */
gboolean hf_parse_is_space (char c);
/* (line, col) of byte off of the document. */
void hf_parse_position_of_offset (const ParseState *ps, gsize off, int *line,
    int *col);
gboolean hf_parse_fail_at (const ParseState *ps, GError **error, int code,
    int line, int col, const char *fmt, ...) G_GNUC_PRINTF (6, 7);
/* Where the start tag GMarkup reported at (gm_line, gm_chr) begins. */
void hf_parse_tag_position_at (const ParseState *ps, int gm_line, int gm_chr,
    int *line, int *col);
void hf_parse_attr_position_at (const ParseState *ps, int gm_line,
    int gm_chr, const char *attr, int *line, int *col);
void hf_parse_attr_position (const ParseState *ps, const char *attr, int *line,
    int *col);
/* hfcompeval.c: the timeline, built as the document is read. An instant
 * where the picture may change, and a span where it keeps changing (for
 * changes_between); nothing inside a <clipPath>, whose times are
 * relative. */
void hf_parse_add_event (ParseState *ps, double t);
void hf_timeline_add_span (ParseState *ps, double a, double b);
/* el's window from its data-start and data-duration within its parent
 * pe's, and its start and end as events. */
void hf_timeline_set_window (ParseState *ps, HfElement *el,
    const HfElement *pe, double start, gboolean have_duration,
    double duration);
/* The spans and events of el's tweens (sorted, with their from values). */
void hf_timeline_add_tweens (ParseState *ps, const HfElement *el);
/* TRUE when a clip's picture changes with time. */
gboolean hf_timeline_clip_animated (const HfElement *el, gboolean root);
/* Sorts the events and merges the spans into ps->comp. */
void hf_timeline_finish (ParseState *ps);

/* hfcompattr.c */
/* value as a number in [min, max] into out, or an error at attr. */
gboolean hf_parse_number_in_range (const ParseState *ps, GError **error,
    const char *attr, const char *value, double min, double max,
    double *out);
HfElement *hf_parse_element_new (HfElementType type, guint order);
/* Attributes of a drawable element; pe is its parent (or the root). */
gboolean hf_parse_element_attrs (ParseState *ps, HfElement *el,
    const HfElement *pe, const char *tag, const char **names,
    const char **values, GError **error);
/* <composition> attributes into ps->comp->info and background. */
gboolean hf_parse_composition_attrs (ParseState *ps, const char **names,
    const char **values, GError **error);
/* A <tween> of el into tw. */
gboolean hf_parse_tween (ParseState *ps, HfElement *el, const char *tag,
    const char **names, const char **values, HfTween *tw, GError **error);
/* TRUE when an element of type `type` takes the attribute `name`. */
gboolean hf_parse_attr_applies (const char *name, HfElementType type);
/* hfcomphint.c: the end of the error for an attribute an element of type
 * `type` does not take, into buf: "; did you mean 'src'?" for a name SVG
 * or CSS uses, or "". */
void hf_parse_element_hint (const char *name, HfElementType type, char *buf,
    gsize len);
/* The same for an unknown <tween> attribute: the hint, or ".". */
void hf_parse_tween_hint (const char *name, char *buf, gsize len);
/* The same for an unknown element: "; did you mean <group>?", or "". */
void hf_parse_tag_hint (const char *name, char *buf, gsize len);
/* hfcompgradient.c: a gradient appended to ps->gradients; a stop added
 * to the last one. */
gboolean hf_parse_gradient (ParseState *ps, HfPaintType type, const char *tag,
    const char **names, const char **values, GError **error);
gboolean hf_parse_stop (ParseState *ps, const char **names, const char **values,
    GError **error);

/* hfcompfont.c: fonts and the text that uses them. */
gboolean hf_parse_font (ParseState *ps, const char **names,
    const char **values, GError **error);
/* Records a <text> (before its attributes are parsed). */
void hf_parse_add_text (ParseState *ps, HfElement *el);
/* Its font="id". */
void hf_parse_text_font (ParseState *ps, const char *id);
/* At the end of the document: fallbacks and fonts resolved, every
 * character checked against its fonts, static texts shaped. */
gboolean hf_parse_finish_texts (ParseState *ps, GError **error);
void hf_parse_fonts_init (ParseState *ps);

/* hfcompimage.c: <image src> decoded once per file, at load. */
gboolean hf_parse_image_src (ParseState *ps, HfElement *el, const char *src,
    GError **error);
void hf_parse_images_init (ParseState *ps);
void hf_parse_images_clear (ParseState *ps);
void hf_parse_fonts_clear (ParseState *ps);

G_END_DECLS

#endif /* __HF_COMP_PARSE_H__ */

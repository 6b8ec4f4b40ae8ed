/* hfease: GSAP-style easing functions, looked up by GSAP's names
 * ("none", "power2.out", "sine.inOut", "back.out(1.7)", ...).
 * Engine code: no GStreamer. */
#ifndef __HF_EASE_H__
#define __HF_EASE_H__

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HF_EASE_LINEAR,               /* "none" / "linear" */
  HF_EASE_POWER1,               /* also "quad" */
  HF_EASE_POWER2,               /* also "cubic" */
  HF_EASE_POWER3,               /* also "quart" */
  HF_EASE_POWER4,               /* also "quint", "strong" */
  HF_EASE_SINE,
  HF_EASE_EXPO,
  HF_EASE_CIRC,
  HF_EASE_BACK,
  HF_EASE_ELASTIC,
  HF_EASE_BOUNCE,
} HfEaseFamily;

typedef enum
{
  HF_EASE_IN,
  HF_EASE_OUT,
  HF_EASE_IN_OUT,
} HfEaseDirection;

typedef struct
{
  HfEaseFamily family;
  HfEaseDirection direction;
  /* back: p1 = overshoot (1.70158). elastic: p1 = amplitude (>= 1),
   * p2 = period (0.3, or 0.45 for inOut). Unused otherwise. */
  double p1, p2;
} HfEase;

/* GSAP's default ease. */
#define HF_EASE_DEFAULT_NAME "power1.out"

/* Parses an ease name. A family without a direction means ".out", as in
 * GSAP. back and elastic accept GSAP's parameters: "back.out(2)",
 * "elastic.out(1, 0.3)". Returns FALSE for an unknown or malformed name. */
gboolean hf_ease_parse (const char *name, HfEase * ease);

/* For an unknown ease name, the valid name it most likely means (Penner's
 * and CSS's names map to GSAP's: "easeOutCubic" is "power2.out",
 * "ease-in-out" "power1.inOut"; otherwise the closest spelling), or NULL
 * when nothing is close. Returns a newly allocated string. */
char *hf_ease_suggest (const char *name);

/* The ease families, for messages. */
#define HF_EASE_FAMILIES "none, power0 to power4, sine, expo, circ, back, " \
  "elastic, bounce (each .in, .out or .inOut)"

/* Progress p in [0, 1] (clamped) to eased progress. Every ease maps 0 to 0
 * and 1 to 1; back and elastic overshoot in between. */
double hf_ease_apply (const HfEase * ease, double p);

G_END_DECLS

#endif /* __HF_EASE_H__ */

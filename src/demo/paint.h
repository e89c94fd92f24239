/* A small software painter for the demo scenes: an RGB canvas, anti-aliased alpha-blended
 * polygons, gradients, glows, and the texture and grain that make a JPEG look photographed. */
#ifndef ANNOTTY_DEMO_PAINT_H
#define ANNOTTY_DEMO_PAINT_H

#include "core/model.h"

#include <stdint.h>

struct err;

#define PAINT_MAX_SIDE  16384
#define PATH_MAX_POINTS 1024
#define PATH_MAX_PARTS  32

/* Closed contours filled together with the non-zero winding rule: contours drawn the same way
 * round add up, a contour drawn the other way round cuts a hole. */
struct path {
	struct point pts[PATH_MAX_POINTS];
	int ends[PATH_MAX_PARTS]; /* contour i runs from ends[i-1] (or 0) to ends[i] */
	int n;
	int nparts;
};

struct canvas {
	unsigned char *px; /* w * h * 3 bytes, RGB, rows top to bottom */
	int w;
	int h;
	float *cov; /* per-column scratch of the polygon filler (w + 2 each), kept zeroed */
	float *dif;
	float *row_a; /* per-column scratch of the texture passes (w + 2 each) */
	float *row_b;
};

int paint_canvas_init(struct canvas *cv, int w, int h, struct err *err);
void paint_canvas_free(struct canvas *cv);

/* Colours are 0xRRGGBB. mix: t = 0 gives a, 1 gives b. shade: f < 0 darkens towards black,
 * f > 0 lightens towards white (by that fraction). */
uint32_t paint_mix(uint32_t a, uint32_t b, double t);
uint32_t paint_shade(uint32_t c, double f);

void path_init(struct path *p);
void path_add(struct path *p, double x, double y);
/* Ends the current contour; a contour of fewer than three points is dropped. */
void path_close(struct path *p);
/* Signed area of a contour (positive when clockwise on screen, y pointing down). */
double path_area(const struct path *p, int part);
/* Turns the last contour so that it runs clockwise (hole = 0) or anticlockwise (hole = 1). */
void path_orient_last(struct path *p, int hole);
void path_rect(struct path *p, double x0, double y0, double x1, double y1);
void path_ellipse(struct path *p, double cx, double cy, double rx, double ry, double angle,
                  int hole);
/* A segment of the given width with flat ends, as a clockwise contour. */
void path_segment(struct path *p, double x0, double y0, double x1, double y1, double width);

/* Fills the path with a colour that runs from top to bottom of the path's bounds. */
void paint_fill_grad(struct canvas *cv, const struct path *p, uint32_t top, uint32_t bottom,
                     double alpha);
void paint_fill(struct canvas *cv, const struct path *p, uint32_t c, double alpha);
void paint_polygon(struct canvas *cv, const struct point *pts, int n, uint32_t c, double alpha);
void paint_rect(struct canvas *cv, double x0, double y0, double x1, double y1, uint32_t c,
                double alpha);
void paint_ellipse(struct canvas *cv, double cx, double cy, double rx, double ry, uint32_t c,
                   double alpha);
/* A polyline with round joins and ends. */
void paint_stroke(struct canvas *cv, const struct point *pts, int n, double width, uint32_t c,
                  double alpha);
void paint_line(struct canvas *cv, double x0, double y0, double x1, double y1, double width,
                uint32_t c, double alpha);

/* Full-width vertical gradient over rows [y0, y1). */
void paint_vgradient(struct canvas *cv, double y0, double y1, uint32_t top, uint32_t bottom);
/* Adds light that fades out from the centre (lamps, the sun, headlights). */
void paint_glow(struct canvas *cv, double cx, double cy, double r, uint32_t c, double strength);
/* Darkens an elliptic patch, most in the middle and not at all at the rim: a soft shadow. */
void paint_shadow(struct canvas *cv, double cx, double cy, double rx, double ry, double strength);
/* Smooth random light and dark patches over rows [y0, y1): grass, asphalt, water, walls. */
void paint_mottle(struct canvas *cv, double y0, double y1, double cell, double amp, uint64_t seed);
/* A box blur of the given radius (an out-of-focus shot). */
int paint_blur(struct canvas *cv, int radius, struct err *err);
/* Last pass: darkened corners and sensor grain of the given amplitude (in 0..255 levels). */
void paint_finish(struct canvas *cv, double vignette, int grain, uint64_t seed);

int paint_save_jpeg(const struct canvas *cv, const char *path, int quality, struct err *err);

#endif

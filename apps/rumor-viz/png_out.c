/*
 * rumor-viz PNG output with libpng's simplified API (SDL 3.2 has no PNG
 * writer).
 */
#include <stdio.h>

#include <png.h>

#include "render.h"

int
viz_png_write_renderer(SDL_Renderer *r, const char *path, int fast)
{
	SDL_Surface *s = SDL_RenderReadPixels(r, NULL);
	if (!s) {
		fprintf(stderr, "rumor-viz: %s: reading pixels: %s\n", path,
		        SDL_GetError());
		return -1;
	}
	SDL_Surface *c = SDL_ConvertSurface(s, SDL_PIXELFORMAT_RGBA32);
	SDL_DestroySurface(s);
	if (!c) {
		fprintf(stderr, "rumor-viz: %s: %s\n", path, SDL_GetError());
		return -1;
	}
	png_image img = {0};
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)c->w;
	img.height = (png_uint_32)c->h;
	img.format = PNG_FORMAT_RGBA;
	img.flags = fast ? PNG_IMAGE_FLAG_FAST : 0;
	int ok =
	    png_image_write_to_file(&img, path, 0, c->pixels, c->pitch, NULL);
	SDL_DestroySurface(c);
	if (!ok) {
		fprintf(stderr, "rumor-viz: %s: %s\n", path, img.message);
		png_image_free(&img);
		return -1;
	}
	return 0;
}

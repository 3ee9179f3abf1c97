/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz PNG output with libpng's simplified API (SDL 3.2 has no PNG
 * writer). A regular file (or a new path) is written to a temporary file
 * beside it and renamed over it only when the whole image was written, so
 * a failed write (full disk, file size limit) never deletes or truncates
 * what was there. Anything else (/dev/full, a pipe) is written in place
 * and never removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>

#include "render.h"

/* Encode; 0, or -1 with errno (or EIO) set. */
static int
encode(FILE *f, SDL_Surface *c, int fast, char *msg, size_t len)
{
	png_image img = {0};
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)c->w;
	img.height = (png_uint_32)c->h;
	img.format = PNG_FORMAT_RGBA;
	img.flags = fast ? PNG_IMAGE_FLAG_FAST : 0;
	errno = 0;
	int ok =
	    png_image_write_to_stdio(&img, f, 0, c->pixels, c->pitch, NULL);
	if (ok && fflush(f) == 0 && !ferror(f))
		return 0;
	snprintf(msg, len, "%s", errno ? strerror(errno) : img.message);
	png_image_free(&img);
	return -1;
}

/* Write to a temporary file in path's directory, then rename it. */
static int
write_replace(const char *path, SDL_Surface *c, int fast, char *msg, size_t len)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >=
	    (int)sizeof(tmp)) {
		snprintf(msg, len, "path too long");
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(msg, len, "%s", strerror(errno));
		return -1;
	}
	fchmod(fd, 0644);
	FILE *f = fdopen(fd, "wb");
	int rc = f ? encode(f, c, fast, msg, len) : -1;
	if (!f)
		snprintf(msg, len, "%s", strerror(errno));
	if (f && fclose(f) != 0 && rc == 0) {
		snprintf(msg, len, "%s", strerror(errno));
		rc = -1;
	}
	if (!f)
		close(fd);
	if (rc == 0 && rename(tmp, path) != 0) {
		snprintf(msg, len, "%s", strerror(errno));
		rc = -1;
	}
	if (rc)
		unlink(tmp);
	return rc;
}

static int
write_in_place(const char *path, SDL_Surface *c, int fast, char *msg,
               size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		snprintf(msg, len, "%s", strerror(errno));
		return -1;
	}
	int rc = encode(f, c, fast, msg, len);
	if (fclose(f) != 0 && rc == 0) {
		snprintf(msg, len, "%s", strerror(errno));
		rc = -1;
	}
	return rc;
}

int
viz_png_write_surface(SDL_Surface *s, const char *path, int fast)
{
	SDL_Surface *c = SDL_ConvertSurface(s, SDL_PIXELFORMAT_RGBA32);
	if (!c) {
		fprintf(stderr, "rumor-viz: %s: %s\n", path, SDL_GetError());
		return -1;
	}
	/* a file size limit must give EFBIG, not kill the process */
	signal(SIGXFSZ, SIG_IGN);
	struct stat st;
	char msg[256] = "";
	int special = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
	int rc = special ? write_in_place(path, c, fast, msg, sizeof(msg))
	                 : write_replace(path, c, fast, msg, sizeof(msg));
	SDL_DestroySurface(c);
	if (rc)
		fprintf(stderr, "rumor-viz: %s: cannot write the PNG: %s\n",
		        path, msg);
	return rc;
}

int
viz_png_write_renderer(SDL_Renderer *r, const char *path, int fast)
{
	SDL_Surface *s = SDL_RenderReadPixels(r, NULL);
	if (!s) {
		fprintf(stderr, "rumor-viz: %s: reading pixels: %s\n", path,
		        SDL_GetError());
		return -1;
	}
	int rc = viz_png_write_surface(s, path, fast);
	SDL_DestroySurface(s);
	return rc;
}

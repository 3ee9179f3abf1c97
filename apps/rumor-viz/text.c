/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz text: SDL3_ttf renderer text engine with a cache of shaped
 * strings (shaping every frame is the slow part), SDL's debug font when no
 * TTF font can be opened.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL3_ttf/SDL_ttf.h>
#include <uthash.h>

#include "render.h"

#define VIZ_DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define CACHE_MAX        4096

static const float font_px[VIZ_FONT_MAX] = {12, 14, 18};

struct text_entry {
	TTF_Text *text;
	int w, h;
	UT_hash_handle hh;
	char key[]; /* font index char + string */
};

/* a string rendered once into a white texture, for rotated labels */
struct rot_entry {
	SDL_Texture *tex;
	int w, h;
	UT_hash_handle hh;
	char key[];
};

struct viz_text {
	SDL_Renderer *r;
	TTF_TextEngine *engine;
	TTF_Font *font[VIZ_FONT_MAX];
	struct text_entry *cache;
	unsigned n_cache;
	struct rot_entry *rot;
	unsigned n_rot;
	int ttf_inited;
	viz_text_log_fn log;
	void *log_arg;
};

/* Tell the log (tests) where a string went and what clipped it. */
static void
log_text(struct viz_text *tx, float x, float y, float w, float h, const char *s)
{
	if (!tx->log)
		return;
	SDL_FRect box = {x, y, w, h};
	SDL_Rect clip;
	int clipped =
	    SDL_RenderClipEnabled(tx->r) && SDL_GetRenderClipRect(tx->r, &clip);
	tx->log(tx->log_arg, &box, clipped ? &clip : NULL, s);
}

void
viz_text_set_log(struct viz_text *tx, viz_text_log_fn fn, void *arg)
{
	tx->log = fn;
	tx->log_arg = arg;
}

static void
rot_clear(struct viz_text *tx)
{
	struct rot_entry *e, *tmp;
	HASH_ITER(hh, tx->rot, e, tmp)
	{
		HASH_DEL(tx->rot, e);
		SDL_DestroyTexture(e->tex);
		free(e);
	}
	tx->n_rot = 0;
}

static void
cache_clear(struct viz_text *tx)
{
	struct text_entry *e, *tmp;
	HASH_ITER(hh, tx->cache, e, tmp)
	{
		HASH_DEL(tx->cache, e);
		TTF_DestroyText(e->text);
		free(e);
	}
	tx->n_cache = 0;
}

struct viz_text *
viz_text_new(SDL_Renderer *r, const char *path)
{
	struct viz_text *tx = calloc(1, sizeof(*tx));
	if (!tx)
		return NULL;
	tx->r = r;
	if (!path)
		path = VIZ_DEFAULT_FONT;
	if (!TTF_Init()) {
		fprintf(stderr,
		        "rumor-viz: TTF_Init: %s; using the debug font\n",
		        SDL_GetError());
		return tx;
	}
	tx->ttf_inited = 1;
	for (int f = 0; f < VIZ_FONT_MAX; f++) {
		tx->font[f] = TTF_OpenFont(path, font_px[f]);
		if (!tx->font[f]) {
			fprintf(stderr,
			        "rumor-viz: font %s: %s; using the debug font "
			        "(install fonts-dejavu-core or pass --font)\n",
			        path, SDL_GetError());
			break;
		}
	}
	if (tx->font[VIZ_FONT_MAX - 1])
		tx->engine = TTF_CreateRendererTextEngine(r);
	if (!tx->engine)
		for (int f = 0; f < VIZ_FONT_MAX; f++) {
			if (tx->font[f])
				TTF_CloseFont(tx->font[f]);
			tx->font[f] = NULL;
		}
	return tx;
}

void
viz_text_free(struct viz_text *tx)
{
	if (!tx)
		return;
	cache_clear(tx);
	rot_clear(tx);
	if (tx->engine)
		TTF_DestroyRendererTextEngine(tx->engine);
	for (int f = 0; f < VIZ_FONT_MAX; f++)
		if (tx->font[f])
			TTF_CloseFont(tx->font[f]);
	if (tx->ttf_inited)
		TTF_Quit();
	free(tx);
}

static struct text_entry *
lookup(struct viz_text *tx, enum viz_font f, const char *s)
{
	size_t len = strlen(s);
	char key[512];
	if (len + 2 > sizeof(key))
		len = sizeof(key) - 2;
	key[0] = (char)('0' + f);
	memcpy(key + 1, s, len);
	key[len + 1] = 0;
	struct text_entry *e;
	HASH_FIND_STR(tx->cache, key, e);
	if (e)
		return e;
	if (tx->n_cache >= CACHE_MAX)
		cache_clear(tx);
	e = malloc(sizeof(*e) + len + 2);
	if (!e)
		return NULL;
	memcpy(e->key, key, len + 2);
	e->text = TTF_CreateText(tx->engine, tx->font[f], key + 1, len);
	if (!e->text) {
		free(e);
		return NULL;
	}
	TTF_GetTextSize(e->text, &e->w, &e->h);
	HASH_ADD_STR(tx->cache, key, e);
	tx->n_cache++;
	return e;
}

float
viz_text_draw(struct viz_text *tx, enum viz_font f, float x, float y,
              SDL_Color c, const char *s)
{
	if (!*s)
		return 0;
	if (!tx->engine) {
		float w = (float)strlen(s) * SDL_DEBUG_TEXT_FONT_CHARACTER_SIZE;
		viz_set_color(tx->r, c);
		SDL_RenderDebugText(tx->r, x, y + 2, s);
		log_text(tx, x, y + 2, w, SDL_DEBUG_TEXT_FONT_CHARACTER_SIZE,
		         s);
		return w;
	}
	struct text_entry *e = lookup(tx, f, s);
	if (!e)
		return 0;
	TTF_SetTextColor(e->text, c.r, c.g, c.b, c.a);
	/* whole pixels: GPU renderers blur glyphs at fractional positions */
	TTF_DrawRendererText(e->text, SDL_roundf(x), SDL_roundf(y));
	log_text(tx, SDL_roundf(x), SDL_roundf(y), (float)e->w, (float)e->h, s);
	return (float)e->w;
}

static struct rot_entry *
rot_lookup(struct viz_text *tx, enum viz_font f, const char *s)
{
	char key[256];
	snprintf(key, sizeof(key), "%c%s", '0' + f, s);
	struct rot_entry *e;
	HASH_FIND_STR(tx->rot, key, e);
	if (e)
		return e;
	if (tx->n_rot >= CACHE_MAX)
		rot_clear(tx);
	SDL_Surface *sf = TTF_RenderText_Blended(
	    tx->font[f], s, 0, (SDL_Color){255, 255, 255, 255});
	if (!sf)
		return NULL;
	e = malloc(sizeof(*e) + strlen(key) + 1);
	if (e)
		e->tex = SDL_CreateTextureFromSurface(tx->r, sf);
	SDL_DestroySurface(sf);
	if (!e || !e->tex) {
		free(e);
		return NULL;
	}
	strcpy(e->key, key);
	float w, h;
	SDL_GetTextureSize(e->tex, &w, &h);
	e->w = (int)w;
	e->h = (int)h;
	HASH_ADD_STR(tx->rot, key, e);
	tx->n_rot++;
	return e;
}

float
viz_text_draw_up(struct viz_text *tx, enum viz_font f, float x, float y,
                 SDL_Color c, const char *s)
{
	if (!*s || !tx->engine)
		return 0;
	struct rot_entry *e = rot_lookup(tx, f, s);
	if (!e)
		return 0;
	float w = (float)e->w, h = (float)e->h;
	float cx = SDL_roundf(x) + h / 2, cy = SDL_roundf(y) - w / 2;
	SDL_FRect dst = {cx - w / 2, cy - h / 2, w, h};
	SDL_SetTextureColorMod(e->tex, c.r, c.g, c.b);
	SDL_SetTextureAlphaMod(e->tex, c.a);
	SDL_RenderTextureRotated(tx->r, e->tex, NULL, &dst, -90, NULL,
	                         SDL_FLIP_NONE);
	log_text(tx, SDL_roundf(x), SDL_roundf(y) - w, h, w, s);
	return w;
}

const char *
viz_text_fit(struct viz_text *tx, enum viz_font f, const char *s, float max_w,
             char *buf, size_t len)
{
	snprintf(buf, len, "%s", s);
	if (viz_text_width(tx, f, buf) <= max_w)
		return buf;
	size_t n = strlen(buf);
	while (n > 0) {
		n--;
		/* never cut a UTF-8 sequence */
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
		if (n + 4 > len)
			continue;
		memcpy(buf + n, "...", 4);
		if (viz_text_width(tx, f, buf) <= max_w)
			return buf;
	}
	buf[0] = 0;
	return buf;
}

float
viz_text_drawf(struct viz_text *tx, enum viz_font f, float x, float y,
               SDL_Color c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return viz_text_draw(tx, f, x, y, c, buf);
}

float
viz_text_width(struct viz_text *tx, enum viz_font f, const char *s)
{
	if (!tx->engine)
		return (float)strlen(s) * SDL_DEBUG_TEXT_FONT_CHARACTER_SIZE;
	struct text_entry *e = lookup(tx, f, s);
	return e ? (float)e->w : 0;
}

float
viz_text_height(struct viz_text *tx, enum viz_font f)
{
	if (!tx->engine)
		return 12;
	return (float)TTF_GetFontHeight(tx->font[f]);
}

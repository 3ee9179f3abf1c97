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

struct viz_text {
	SDL_Renderer *r;
	TTF_TextEngine *engine;
	TTF_Font *font[VIZ_FONT_MAX];
	struct text_entry *cache;
	unsigned n_cache;
	int ttf_inited;
};

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
		viz_set_color(tx->r, c);
		SDL_RenderDebugText(tx->r, x, y + 2, s);
		return (float)strlen(s) * SDL_DEBUG_TEXT_FONT_CHARACTER_SIZE;
	}
	struct text_entry *e = lookup(tx, f, s);
	if (!e)
		return 0;
	TTF_SetTextColor(e->text, c.r, c.g, c.b, c.a);
	/* whole pixels: GPU renderers blur glyphs at fractional positions */
	TTF_DrawRendererText(e->text, SDL_roundf(x), SDL_roundf(y));
	return (float)e->w;
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

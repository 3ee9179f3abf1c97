/* SPDX-License-Identifier: MIT */
/* Tags in log lines: "tags":{"key":"value",...} (docs/event-log.md). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log_internal.h"
#include "rumor/tags.h"

/* A tag's key or value as a NUL-terminated string in buf (> n bytes). */
static const char *
cstr(char *buf, const char *s, size_t n)
{
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

void
rumor__key_tags(struct rumor__jbuf *b, const uint8_t *tags, size_t len)
{
	char *tmp = malloc(len + 1);
	struct rumor_tag t;
	size_t pos = 0;
	int first = 1;

	if (tmp == NULL)
		len = 0; /* no memory: written as {} */
	rumor__json_key(b, "tags");
	rumor__jbuf_putc(b, '{');
	while (rumor_tags_next(tags, len, &pos, &t)) {
		if (!first)
			rumor__jbuf_putc(b, ',');
		first = 0;
		rumor__json_str(b, cstr(tmp, t.key, t.key_len));
		rumor__jbuf_putc(b, ':');
		rumor__json_str(b, cstr(tmp, t.value, t.value_len));
	}
	rumor__jbuf_putc(b, '}');
	free(tmp);
}

int
rumor__tags_from_json(const void *obj, uint8_t **out, size_t *len)
{
	json_t *o = (json_t *)obj, *val;
	const char *key;
	size_t cap = 0, n = 0;
	uint8_t *buf = NULL;

	*out = NULL;
	*len = 0;
	if (!json_is_object(o))
		return -1;
	json_object_foreach(o, key, val)
	{
		if (!json_is_string(val))
			goto bad;
		cap += strlen(key) + json_string_length(val) + 2;
	}
	if (cap == 0)
		return 0;
	if ((buf = malloc(cap)) == NULL)
		return -1;
	json_object_foreach(o, key, val)
	{
		if (rumor_tags_put(buf, cap, &n, key, json_string_value(val)) !=
		    0)
			goto bad;
	}
	*out = buf;
	*len = n;
	return 0;
bad:
	free(buf);
	return -1;
}

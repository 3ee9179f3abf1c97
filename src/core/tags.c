/* SPDX-License-Identifier: MIT */
/* The canonical tag encoding (include/rumor/tags.h). */
#include <string.h>

#include "rumor/errors.h"
#include "rumor/tags.h"
#include "rumor/utf8.h"

/* Length of the character at s[0..n) (rumor_utf8_len), or 0 when it is
 * not well formed or is a control character (U+0000..U+001F, U+007F). */
static size_t
utf8_char(const uint8_t *s, size_t n)
{
	return s[0] < 0x20 || s[0] == 0x7f ? 0 : rumor_utf8_len(s, n);
}

/* Valid text of n bytes with no byte `stop` (0: any); 1 or 0. */
static int
text_ok(const uint8_t *s, size_t n, uint8_t stop)
{
	for (size_t i = 0, k; i < n; i += k) {
		if (stop && s[i] == stop)
			return 0;
		if ((k = utf8_char(s + i, n - i)) == 0)
			return 0;
	}
	return 1;
}

/* Bytewise order of two keys (memcmp, shorter first on a tie). */
static int
key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

/* The tag starting at tags[*pos], its line split; no checks. */
static int
split(const uint8_t *tags, size_t len, size_t *pos, struct rumor_tag *out)
{
	const uint8_t *p = tags + *pos, *eq, *nl;
	size_t left = len - *pos;

	if (*pos >= len)
		return 0;
	nl = memchr(p, '\n', left);
	if (nl == NULL)
		return -1;
	eq = memchr(p, '=', (size_t)(nl - p));
	if (eq == NULL)
		return -1;
	out->key = (const char *)p;
	out->key_len = (size_t)(eq - p);
	out->value = (const char *)eq + 1;
	out->value_len = (size_t)(nl - eq - 1);
	*pos = (size_t)(nl - tags) + 1;
	return 1;
}

int
rumor_tags_validate(const uint8_t *tags, size_t len)
{
	struct rumor_tag t, prev = {0};
	size_t pos = 0;
	int rc;

	if (len > 0 && tags == NULL)
		return RUMOR_EINVAL;
	while ((rc = split(tags, len, &pos, &t)) == 1) {
		if (t.key_len == 0 ||
		    !text_ok((const uint8_t *)t.key, t.key_len, 0) ||
		    !text_ok((const uint8_t *)t.value, t.value_len, 0))
			return RUMOR_EINVAL;
		if (prev.key != NULL &&
		    key_cmp(prev.key, prev.key_len, t.key, t.key_len) >= 0)
			return RUMOR_EINVAL;
		prev = t;
	}
	return rc == 0 ? 0 : RUMOR_EINVAL;
}

int
rumor_tags_next(const uint8_t *tags, size_t len, size_t *pos,
                struct rumor_tag *out)
{
	return split(tags, len, pos, out) == 1;
}

/* Where key is, or would go: *at the offset of its line (or of the first
 * greater key), *end the end of that line when found. 1 found, 0 not. */
static int
locate(const uint8_t *buf, size_t len, const char *key, size_t key_len,
       size_t *at, size_t *end)
{
	struct rumor_tag t;
	size_t pos = 0, start = 0;

	while (split(buf, len, &pos, &t) == 1) {
		int c = key_cmp(t.key, t.key_len, key, key_len);
		if (c >= 0) {
			*at = start;
			*end = pos;
			return c == 0;
		}
		start = pos;
	}
	*at = *end = len;
	return 0;
}

/* rumor_tags_put with a key of key_len bytes. */
static int
put(uint8_t *buf, size_t cap, size_t *len, const char *key, size_t key_len,
    const char *value)
{
	size_t value_len = strlen(value), at, end, old, line, need;

	if (key_len == 0 || !text_ok((const uint8_t *)key, key_len, '=') ||
	    !text_ok((const uint8_t *)value, value_len, 0))
		return RUMOR_EINVAL;
	old = locate(buf, *len, key, key_len, &at, &end) ? end - at : 0;
	line = key_len + 1 + value_len + 1;
	need = *len - old + line;
	if (need > cap)
		return RUMOR_E2BIG;
	memmove(buf + at + line, buf + at + old, *len - at - old);
	memcpy(buf + at, key, key_len);
	buf[at + key_len] = '=';
	memcpy(buf + at + key_len + 1, value, value_len);
	buf[at + line - 1] = '\n';
	*len = need;
	return 0;
}

int
rumor_tags_put(uint8_t *buf, size_t cap, size_t *len, const char *key,
               const char *value)
{
	return put(buf, cap, len, key, strlen(key), value);
}

int
rumor_tags_put_pair(uint8_t *buf, size_t cap, size_t *len, const char *pair)
{
	const char *eq = strchr(pair, '=');

	if (eq == NULL)
		return RUMOR_EINVAL;
	return put(buf, cap, len, pair, (size_t)(eq - pair), eq + 1);
}

int
rumor_tags_delete(uint8_t *buf, size_t *len, const char *key)
{
	size_t at, end;

	if (!locate(buf, *len, key, strlen(key), &at, &end))
		return 0;
	memmove(buf + at, buf + end, *len - end);
	*len -= end - at;
	return 1;
}

int
rumor_tags_get(const uint8_t *tags, size_t len, const char *key,
               const char **value, size_t *value_len)
{
	struct rumor_tag t;
	size_t pos = 0, key_len = strlen(key);

	while (split(tags, len, &pos, &t) == 1)
		if (key_cmp(t.key, t.key_len, key, key_len) == 0) {
			*value = t.value;
			*value_len = t.value_len;
			return 1;
		}
	return 0;
}

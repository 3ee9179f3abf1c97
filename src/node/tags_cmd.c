/* SPDX-License-Identifier: MIT */
/*
 * Tags at the agent: the `tags` control commands and tags as JSON for
 * `members` (docs/agent.md).
 *
 *   tags set K=V [K=V...]   set or replace these tags
 *   tags delete K [K...]    remove these keys (absent ones are no error)
 *   tags                    show the current tags
 *
 * Each answers "ok" and one JSON line {"tags":{...},"version":N}, or
 * "error MESSAGE" (bad text, over the cap) with nothing changed.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "node_internal.h"
#include "rumor/tags.h"

json_t *
rumor__tags_json(const uint8_t *tags, size_t len)
{
	json_t *o = json_object();
	char *key = malloc(len + 1);
	struct rumor_tag t;
	size_t pos = 0;

	if (o == NULL || key == NULL) {
		json_decref(o);
		free(key);
		return NULL;
	}
	while (rumor_tags_next(tags, len, &pos, &t)) {
		memcpy(key, t.key, t.key_len);
		key[t.key_len] = '\0';
		json_object_set_new(o, key, json_stringn(t.value, t.value_len));
	}
	free(key);
	return o;
}

static void
show(struct node *n, struct ctl_conn *c)
{
	size_t len;
	uint64_t ver;
	const uint8_t *tags = rumor_core_tags(n->core, &len, &ver);
	char *s;
	json_t *o = json_pack("{s:o,s:I}", "tags", rumor__tags_json(tags, len),
	                      "version", (json_int_t)ver);

	s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (s == NULL) {
		rumor__control_reply(c, "error out of memory");
		return;
	}
	rumor__control_reply(c, "ok");
	rumor__control_write(c, s, strlen(s));
	rumor__control_write(c, "\n", 1);
	free(s);
}

/* Apply one word of `tags set`/`tags delete` to buf. 0 or an error told. */
static int
apply(struct node *n, struct ctl_conn *c, bool set, char *word, uint8_t *buf,
      size_t cap, size_t *len)
{
	int rc;

	if (!set) {
		rumor_tags_delete(buf, len, word);
		return 0;
	}
	rc = rumor_tags_put_pair(buf, cap, len, word);
	if (rc == RUMOR_EINVAL)
		rumor__control_reply(
		    c,
		    "error tag '%.64s' is not KEY=VALUE (UTF-8; a non-empty "
		    "key; no control characters)",
		    word);
	else if (rc != 0)
		rumor__control_reply(
		    c,
		    "error tags over %zu bytes encoded (--tags-max %u, "
		    "and what one datagram of --mtu %u carries)",
		    rumor_core_tags_max(n->core), n->cfg.tags_max_bytes,
		    n->cfg.mtu_bytes);
	return rc;
}

void
rumor__control_tags(struct node *n, struct ctl_conn *c, char *args)
{
	size_t cap = rumor_core_tags_max(n->core), len;
	uint64_t ver;
	const uint8_t *cur = rumor_core_tags(n->core, &len, &ver);
	bool set = strncmp(args, "set ", 4) == 0;
	uint8_t *buf = malloc(cap + 1);
	char *save = NULL, *w;
	int rc = 0;

	if (!strcmp(args, "set") || !strcmp(args, "delete")) {
		rumor__control_reply(c, "error tags %s needs %s", args,
		                     args[0] == 's' ? "KEY=VALUE..."
		                                    : "KEY...");
	} else if (!set && strncmp(args, "delete ", 7) != 0 &&
	           args[0] != '\0') {
		rumor__control_reply(c,
		                     "error unknown tags command '%.32s' "
		                     "(tags, tags set K=V..., tags delete "
		                     "K...)",
		                     args);
	} else if (buf == NULL) {
		rumor__control_reply(c, "error out of memory");
	} else if (args[0] == '\0') {
		show(n, c);
	} else {
		if (len > cap)
			len = cap; /* cannot be: set_tags checked it */
		memcpy(buf, cur, len);
		for (w = strtok_r(args + (set ? 4 : 7), " ", &save);
		     w && rc == 0; w = strtok_r(NULL, " ", &save))
			rc = apply(n, c, set, w, buf, cap, &len);
		if (rc == 0 &&
		    (rc = rumor_core_set_tags(n->core, buf, len)) != 0)
			rumor__control_reply(c, "error %s", rumor_strerror(rc));
		if (rc == 0) {
			rumor__node_after_core(n, 0, "rumor_core_set_tags");
			show(n, c);
		}
	}
	free(buf);
	rumor__control_end(c);
}

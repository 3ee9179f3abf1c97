/* SPDX-License-Identifier: MIT */
/* One contract line (JSON text) into a struct rumor_log_record, with
 * jansson. Every check failure names the field at fault. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_internal.h"

static int
fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copy string field key into dst (cap bytes). 0 when absent (unless
 * required), 1 when copied, -1 on error. */
static int
get_str(json_t *obj, const char *key, int required, char *dst, size_t cap,
        char *err, size_t errcap)
{
	json_t *v = json_object_get(obj, key);
	size_t len;

	if (v == NULL)
		return required ? fail(err, errcap, "missing \"%s\"", key) : 0;
	if (!json_is_string(v))
		return fail(err, errcap, "\"%s\" is not a string", key);
	len = json_string_length(v);
	if (len >= cap)
		return fail(err, errcap, "\"%s\" is longer than %zu bytes", key,
		            cap - 1);
	if (memchr(json_string_value(v), '\0', len) != NULL)
		return fail(err, errcap, "\"%s\" contains a NUL character",
		            key);
	memcpy(dst, json_string_value(v), len + 1);
	return 1;
}

/* An optional non-negative integer; *has set to 1 when present. */
static int
get_uint(json_t *obj, const char *key, int required, uint64_t *dst, int *has,
         char *err, size_t errcap)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return required ? fail(err, errcap, "missing \"%s\"", key) : 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return fail(err, errcap, "\"%s\" is not a non-negative integer",
		            key);
	*dst = (uint64_t)json_integer_value(v);
	if (has != NULL)
		*has = 1;
	return 1;
}

/* "groups": an array of arrays of member id strings. */
static int
get_groups(json_t *obj, struct rumor_log_record *rec, char *err, size_t errcap)
{
	json_t *groups = json_object_get(obj, "groups"), *g, *m;
	size_t n = 0, gi, mi, k = 0;

	if (groups == NULL)
		return fail(err, errcap, "missing \"groups\"");
	if (!json_is_array(groups))
		return fail(err, errcap, "\"groups\" is not an array");
	json_array_foreach(groups, gi, g)
	{
		if (!json_is_array(g))
			return fail(err, errcap,
			            "\"groups\"[%zu] is not an array", gi);
		n += json_array_size(g);
	}
	rec->group_member = calloc(n ? n : 1, sizeof(*rec->group_member));
	rec->group_of = calloc(n ? n : 1, sizeof(*rec->group_of));
	if (rec->group_member == NULL || rec->group_of == NULL)
		return fail(err, errcap, "out of memory");
	json_array_foreach(groups, gi, g)
	{
		json_array_foreach(g, mi, m)
		{
			size_t len = json_string_length(m);
			if (!json_is_string(m) || len >= RUMOR_ID_STRLEN ||
			    memchr(json_string_value(m), '\0', len))
				return fail(err, errcap,
				            "\"groups\"[%zu][%zu] is not a "
				            "member id string",
				            gi, mi);
			memcpy(rec->group_member[k], json_string_value(m),
			       len + 1);
			rec->group_of[k++] = (uint32_t)gi;
		}
	}
	rec->n_group_members = n;
	rec->n_groups = json_array_size(groups);
	return 0;
}

/* The fields every ev requires beyond ts, node and ev. */
static int
get_ev_fields(json_t *obj, struct rumor_log_record *rec, char *err, size_t cap)
{
	int need_member = 0, need_peer = 0;

	switch (rec->ev) {
	case RUMOR_LOG_JOIN:
	case RUMOR_LOG_SUSPECT:
	case RUMOR_LOG_ALIVE:
	case RUMOR_LOG_FAIL:
	case RUMOR_LOG_LEAVE:
	case RUMOR_LOG_REMOVE:
	case RUMOR_LOG_CRASH:
	case RUMOR_LOG_RESTART:
	case RUMOR_LOG_UPDATE:
		need_member = 1;
		break;
	case RUMOR_LOG_SEND:
	case RUMOR_LOG_RECV:
	case RUMOR_LOG_DROP:
		need_peer = 1;
		break;
	default:
		break;
	}
	if (get_str(obj, "member", need_member, rec->member,
	            sizeof(rec->member), err, cap) < 0 ||
	    get_str(obj, "via", 0, rec->via, sizeof(rec->via), err, cap) < 0 ||
	    get_str(obj, "from", 0, rec->from, sizeof(rec->from), err, cap) <
	        0 ||
	    get_str(obj, "peer", need_peer, rec->peer, sizeof(rec->peer), err,
	            cap) < 0 ||
	    get_str(obj, "kind", 0, rec->kind, sizeof(rec->kind), err, cap) <
	        0 ||
	    get_str(obj, "reason", 0, rec->reason, sizeof(rec->reason), err,
	            cap) < 0 ||
	    get_uint(obj, "bytes", need_peer, &rec->bytes, &rec->has_bytes, err,
	             cap) < 0 ||
	    get_uint(obj, "msg", 0, &rec->msg, &rec->has_msg, err, cap) < 0 ||
	    get_uint(obj, "heartbeat", 0, &rec->heartbeat, &rec->has_heartbeat,
	             err, cap) < 0)
		return -1;
	json_t *tags = json_object_get(obj, "tags");
	if (tags != NULL &&
	    rumor__tags_from_json(tags, &rec->tags, &rec->tags_len) != 0)
		return fail(err, cap, "\"tags\" is not an object of tags");
	if (tags != NULL && rec->tags == NULL)
		rec->tags = calloc(1, 1); /* present and empty */
	if (rec->ev == RUMOR_LOG_PARTITION || rec->ev == RUMOR_LOG_SICK ||
	    rec->ev == RUMOR_LOG_WELL)
		return get_groups(obj, rec, err, cap);
	return 0;
}

static int
parse_object(json_t *obj, struct rumor_log_record *rec, char *err, size_t cap)
{
	json_t *ts = json_object_get(obj, "ts");
	char ev[16];

	if (!json_is_object(obj))
		return fail(err, cap, "not a JSON object");
	if (ts == NULL)
		return fail(err, cap, "missing \"ts\"");
	if (!json_is_integer(ts))
		return fail(err, cap, "\"ts\" is not an integer");
	rec->ts = json_integer_value(ts);
	if (rec->ts < 0 || rec->ts > RUMOR_LOG_TS_MAX)
		return fail(err, cap,
		            "\"ts\" %lld is out of range (allowed: 0..%lld ms, "
		            "up to the year 9999)",
		            (long long)rec->ts, (long long)RUMOR_LOG_TS_MAX);
	if (get_str(obj, "node", 1, rec->node, sizeof(rec->node), err, cap) <
	        0 ||
	    get_str(obj, "ev", 1, ev, sizeof(ev), err, cap) < 0)
		return -1;
	if (rec->node[0] == '\0')
		return fail(err, cap, "\"node\" is empty");
	if (rumor_log_ev_parse(ev, &rec->ev) != 0)
		return fail(err, cap, "unknown \"ev\" \"%s\"", ev);
	return get_ev_fields(obj, rec, err, cap);
}

int
rumor__parse_line(const char *line, size_t len, struct rumor_log_record *rec,
                  char *err, size_t errcap)
{
	json_error_t jerr;
	json_t *obj;
	int rc;
	const char *file = rec->file;
	uint64_t line_no = rec->line;

	memset(rec, 0, sizeof(*rec));
	rec->file = file;
	rec->line = line_no;
	obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (obj == NULL)
		return fail(err, errcap, "bad JSON: %s (column %d)", jerr.text,
		            jerr.column);
	rc = parse_object(obj, rec, err, errcap);
	json_decref(obj);
	if (rc != 0)
		rumor_log_record_clear(rec);
	return rc;
}

void
rumor_log_record_clear(struct rumor_log_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->group_member);
	free(rec->group_of);
	free(rec->tags);
	rec->tags = NULL;
	rec->tags_len = 0;
	rec->group_member = NULL;
	rec->group_of = NULL;
	rec->n_group_members = 0;
	rec->n_groups = 0;
}

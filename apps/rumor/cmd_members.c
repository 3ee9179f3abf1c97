/* SPDX-License-Identifier: MIT */
/*
 * rumor members [--json] [--status S] [--tag K=RE] [--agent HOST:PORT |
 * --control PATH]: the membership list of a running agent, through its
 * control socket, sorted by member id.
 */
#include <getopt.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client_args.h"
#include "commands.h"
#include "rumor/node.h"
#include "rumor/tags.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor members [--json] [--stats] [--status S] "
	        "[--tag KEY=REGEX]\n"
	        "                     [--agent HOST:PORT | --control PATH]\n"
	        "\n"
	        "Lists what a running agent believes: every member id, its "
	        "status\n"
	        "(alive, suspect, failed, left), heartbeat and how long ago "
	        "the heartbeat\n"
	        "last advanced here. Heartbeats go to a member's ring monitors "
	        "only:\n"
	        "for a member this agent does not monitor HEARD grows until "
	        "news of it\n"
	        "arrives, which is normal (its monitors would suspect it). "
	        "Failed and\n"
	        "left entries stay until T_cleanup.\n"
	        "\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n"
	        "  --json             a JSON array of {member, status, "
	        "heartbeat, age_ms, self,\n"
	        "                     tags, tags_version}\n"
	        "  --status S         only members with this status (alive, "
	        "suspect, failed, left)\n"
	        "  --tag KEY=REGEX    only members whose tag KEY matches the "
	        "POSIX extended\n"
	        "                     regex, anchored at both ends (as serf "
	        "does)\n"
	        "  --stats            the agent's counters instead (JSON): "
	        "bytes, CPU, RSS\n");
}

static int
print_stats(const char *path)
{
	char text[512], buf[4096];
	ssize_t r;
	int fd;

	if (rumor_control_open(path, "stats", 0, &fd, text, sizeof(text))) {
		fprintf(stderr, "rumor members: %s\n", text);
		return 1;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)r, stdout);
	close(fd);
	return 0;
}

/* A JSON string of s[n] (tags are UTF-8 without control characters:
 * only quotes and backslashes need escaping). */
static void
json_str(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			putchar('\\');
		putchar(s[i]);
	}
	putchar('"');
}

static void
print_json(const struct rumor_control_member *m, size_t n)
{
	char id[RUMOR_ID_STRLEN];

	/* ids and status names are plain ASCII: nothing to escape */
	printf("[");
	for (size_t i = 0; i < n; i++) {
		struct rumor_tag t;
		size_t pos = 0;
		rumor_member_id_format(&m[i].id, id, sizeof(id));
		printf("%s\n {\"member\":\"%s\",\"status\":\"%s\","
		       "\"heartbeat\":%" PRIu64 ",\"age_ms\":%" PRIu64
		       ",\"self\":%s%s,\"tags_version\":%" PRIu64 ",\"tags\":{",
		       i ? "," : "", id, rumor_status_name(m[i].status),
		       m[i].heartbeat, m[i].age_ms,
		       m[i].is_self ? "true" : "false",
		       m[i].joining ? ",\"joining\":true" : "",
		       m[i].tags_version);
		for (int k = 0;
		     rumor_tags_next(m[i].tags, m[i].tags_len, &pos, &t); k++) {
			printf(k ? "," : "");
			json_str(t.key, t.key_len);
			putchar(':');
			json_str(t.value, t.value_len);
		}
		printf("}}");
	}
	printf("\n]\n");
}

/* "k=v,k2=v2" */
static void
print_tags(const struct rumor_control_member *m)
{
	struct rumor_tag t;
	size_t pos = 0;

	for (int k = 0; rumor_tags_next(m->tags, m->tags_len, &pos, &t); k++)
		printf("%s%.*s=%.*s", k ? "," : " ", (int)t.key_len, t.key,
		       (int)t.value_len, t.value);
}

static void
print_table(const struct rumor_control_member *m, size_t n)
{
	char id[RUMOR_ID_STRLEN], heard[64];

	printf("%-36s %-8s %10s %-12s %s\n", "MEMBER", "STATUS", "HEARTBEAT",
	       "HEARD", "TAGS");
	for (size_t i = 0; i < n; i++) {
		rumor_member_id_format(&m[i].id, id, sizeof(id));
		if (m[i].is_self)
			snprintf(heard, sizeof(heard), "(self%s)",
			         m[i].joining ? ", no seed has answered its "
			                        "join yet"
			                      : "");
		else
			snprintf(heard, sizeof(heard), "%.1f s ago",
			         (double)m[i].age_ms / 1000.0);
		printf("%-36s %-8s %10" PRIu64 " %-*s", id,
		       m[i].joining ? "joining"
		                    : rumor_status_name(m[i].status),
		       m[i].heartbeat, m[i].tags_len ? 12 : 0, heard);
		print_tags(&m[i]);
		putchar('\n');
	}
}

static int
by_id(const void *a, const void *b)
{
	return rumor_member_id_cmp(
	    &((const struct rumor_control_member *)a)->id,
	    &((const struct rumor_control_member *)b)->id);
}

/* The filters: a status name, a tag key and its anchored regex. */
struct filter {
	int status; /* -1: any */
	char key[256];
	regex_t re;
	int has_tag;
};

static int
filter_init(struct filter *f, const char *status, const char *tag)
{
	char pattern[1024];
	const char *eq = tag ? strchr(tag, '=') : NULL;
	int rc;

	f->status = -1;
	f->has_tag = 0;
	for (int s = 0; status && s < RUMOR_STATUS_MAX; s++)
		if (strcmp(status, rumor_status_name(s)) == 0)
			f->status = s;
	if (status && f->status < 0) {
		fprintf(stderr,
		        "rumor members: --status '%s': not alive, suspect, "
		        "failed or left\n",
		        status);
		return -1;
	}
	if (tag == NULL)
		return 0;
	if (eq == NULL || eq == tag || (size_t)(eq - tag) >= sizeof(f->key)) {
		fprintf(stderr,
		        "rumor members: --tag '%s': not KEY=REGEX (e.g. "
		        "role=web or 'zone=eu-.*')\n",
		        tag);
		return -1;
	}
	memcpy(f->key, tag, (size_t)(eq - tag));
	f->key[eq - tag] = '\0';
	snprintf(pattern, sizeof(pattern), "^(%s)$", eq + 1);
	if ((rc = regcomp(&f->re, pattern, REG_EXTENDED | REG_NOSUB)) != 0) {
		char why[128];
		regerror(rc, &f->re, why, sizeof(why));
		fprintf(stderr, "rumor members: --tag '%s': bad regex: %s\n",
		        tag, why);
		return -1;
	}
	f->has_tag = 1;
	return 0;
}

static int
filter_match(const struct filter *f, const struct rumor_control_member *m)
{
	const char *v;
	size_t vlen;
	char value[1024];

	if (f->status >= 0 && (int)m->status != f->status)
		return 0;
	if (!f->has_tag)
		return 1;
	if (!rumor_tags_get(m->tags, m->tags_len, f->key, &v, &vlen) ||
	    vlen >= sizeof(value))
		return 0;
	memcpy(value, v, vlen);
	value[vlen] = '\0';
	return regexec(&f->re, value, 0, NULL, 0) == 0;
}

/* Sort by id, keep the matches; returns how many. */
static size_t
select_members(struct rumor_control_member *m, size_t n, const struct filter *f)
{
	size_t k = 0;

	qsort(m, n, sizeof(*m), by_id);
	for (size_t i = 0; i < n; i++)
		if (filter_match(f, &m[i]))
			m[k++] = m[i];
	return k;
}

int
cmd_members(int argc, char **argv)
{
	int json = 0, stats = 0;
	const char *status = NULL, *tag = NULL;
	const struct client_flag flags[] = {{"json", &json, NULL},
	                                    {"stats", &stats, NULL},
	                                    {"status", NULL, &status},
	                                    {"tag", NULL, &tag}};
	struct filter filter;
	struct client_target target;
	struct rumor_control_member *list;
	char path[RUMOR_NODE_PATH_MAX], err[512];
	size_t n;

	switch (rumor_client_args("members", argc, argv, usage, flags, 4,
	                          &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "rumor members: unexpected argument '%s'\n",
		        argv[optind]);
		return 2;
	}
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), err, sizeof(err)) != 0) {
		fprintf(stderr, "rumor members: %s\n", err);
		return 2;
	}
	if (stats)
		return print_stats(path);
	if (filter_init(&filter, status, tag) != 0)
		return 2;
	if (rumor_control_members(path, 0, &list, &n, err, sizeof(err))) {
		fprintf(stderr, "rumor members: %s\n", err);
		return 1;
	}
	n = select_members(list, n, &filter);
	if (filter.has_tag)
		regfree(&filter.re);
	if (json)
		print_json(list, n);
	else
		print_table(list, n);
	free(list);
	return 0;
}

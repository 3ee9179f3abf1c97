/* SPDX-License-Identifier: MIT */
/*
 * `rumor agent --config FILE`: every agent flag as an INI key (libinih),
 * e.g.
 *
 *   bind = 10.0.0.5:3000
 *   join = 10.0.0.1:3000
 *   tag = role=web
 *   trace = true
 *
 * Keys are the long flag names without dashes; sections are allowed and
 * ignored. A key may repeat (join, tag, event-handler). Switches take
 * true/false (yes/no, on/off, 1/0). The file's keys become flags placed
 * before the command line's, so flags given on the command line override
 * single-valued keys and add to repeatable ones (docs/operations.md).
 */
#include <getopt.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include "agent_config.h"

struct cfg_load {
	const struct option *opts;
	const char *path;
	char **args; /* "--key" and values, strdup'ed */
	int n, cap;
	char err[512];
};

static int
push(struct cfg_load *c, const char *s)
{
	if (c->n + 1 >= c->cap) {
		int cap = c->cap ? c->cap * 2 : 32;
		char **p = realloc(c->args, (size_t)cap * sizeof(*p));
		if (p == NULL)
			return -1;
		c->args = p;
		c->cap = cap;
	}
	if ((c->args[c->n] = strdup(s)) == NULL)
		return -1;
	c->n++;
	return 0;
}

static int
truth(const char *v)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct cfg_load *c = user;
	const struct option *o = c->opts;
	char flag[80];

	(void)section;
	while (o->name && strcmp(o->name, name) != 0)
		o++;
	if (o->name == NULL || strcmp(name, "config") == 0 ||
	    strcmp(name, "help") == 0) {
		snprintf(c->err, sizeof(c->err),
		         "--config %s: unknown key '%s' (keys are the agent's "
		         "long flags, see rumor agent --help)",
		         c->path, name);
		return 0;
	}
	snprintf(flag, sizeof(flag), "--%s", name);
	if (o->has_arg == no_argument) {
		int t = truth(value);
		if (t < 0) {
			snprintf(c->err, sizeof(c->err),
			         "--config %s: %s = '%s': not true or false",
			         c->path, name, value);
			return 0;
		}
		return t ? push(c, flag) == 0 : 1;
	}
	return push(c, flag) == 0 && push(c, value) == 0;
}

const char *
rumor_agent_config_path(int argc, char **argv)
{
	const char *path = NULL;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			path = argv[i] + 9;
	}
	return path;
}

int
rumor_agent_config_args(int argc, char **argv, const struct option *opts,
                        int *out_argc, char ***out_argv, char *err, size_t cap)
{
	struct cfg_load c = {.opts = opts};
	const char *path = rumor_agent_config_path(argc, argv);
	struct stat st;
	char **v;
	int rc;

	*out_argc = argc;
	*out_argv = argv;
	if (path == NULL)
		return 0;
	c.path = path;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* ini_parse reads a directory as an empty file */
		snprintf(err, cap, "--config %s: not a regular file", path);
		return -1;
	}
	rc = ini_parse(path, on_key, &c);
	if (rc != 0) {
		if (c.err[0])
			snprintf(err, cap, "%s", c.err);
		else if (rc < 0)
			snprintf(err, cap, "--config %s: cannot read it", path);
		else
			snprintf(err, cap,
			         "--config %s: line %d: not KEY = VALUE", path,
			         rc);
		for (int i = 0; i < c.n; i++)
			free(c.args[i]);
		free(c.args);
		return -1;
	}
	v = calloc((size_t)(argc + c.n + 1), sizeof(*v));
	if (v == NULL) {
		snprintf(err, cap, "--config %s: out of memory", path);
		return -1;
	}
	v[0] = argv[0];
	memcpy(v + 1, c.args, (size_t)c.n * sizeof(*v));
	memcpy(v + 1 + c.n, argv + 1, (size_t)(argc - 1) * sizeof(*v));
	free(c.args);
	*out_argc = argc + c.n;
	*out_argv = v;
	return 0;
}

void
rumor_agent_config_free(int argc, char **argv, int n_all, char **all)
{
	if (all == argv)
		return;
	for (int i = 1; i <= n_all - argc; i++)
		free(all[i]);
	free(all);
}

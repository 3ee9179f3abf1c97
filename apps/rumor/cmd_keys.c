/* SPDX-License-Identifier: MIT */
/*
 * rumor keys list|install|use|remove|generate: a running agent's keyring
 * (serf's keyring semantics; docs/security.md). Each agent is told on its
 * own control socket; rotating a cluster's key is: install the new key at
 * every agent, then use it at every agent, then remove the old one.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client_args.h"
#include "commands.h"
#include "rumor/node.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor keys list [--json]          [--agent HOST:PORT | "
	        "--control PATH]\n"
	        "       rumor keys install KEY | --key-file F   [...]\n"
	        "       rumor keys use KEY|ID                   [...]\n"
	        "       rumor keys remove KEY|ID                [...]\n"
	        "       rumor keys generate\n"
	        "\n"
	        "The keyring of an agent started with --key-file: one "
	        "primary key seals\n"
	        "what it sends; every installed key opens what it receives.\n"
	        "\n"
	        "  list      key ids (8 hex digits, never the keys), which is "
	        "primary, and\n"
	        "            how many messages each one opened\n"
	        "  install   accept KEY on receive from now on (64 hex "
	        "digits or base64;\n"
	        "            --key-file F reads the first key of F, so the "
	        "key stays out of ps)\n"
	        "  use       seal with this key from now on (it must be "
	        "installed)\n"
	        "  remove    stop accepting it (never the primary)\n"
	        "  generate  print a new random key (base64) for a key file\n"
	        "\n"
	        "Rotation without downtime: install the new key at every "
	        "agent, then use\n"
	        "it at every agent, then remove the old key at every agent. "
	        "Changes last\n"
	        "until the agent stops: update each --key-file for restarts.\n"
	        "\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n"
	        "  --json             list: one JSON object per key\n");
}

/* The first key line of path into buf; 0 or -1 (printed). */
static int
read_key_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "re");
	int found = 0;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	while (!found && fgets(buf, (int)cap, f) != NULL) {
		char *p = buf + strspn(buf, " \t");
		found = *p != '#' && *p != '\n' && *p != '\0';
		memmove(buf, p, strlen(p) + 1);
		buf[strcspn(buf, "\r\n")] = '\0';
	}
	fclose(f);
	if (!found) {
		fprintf(stderr, "rumor keys: --key-file %s: no key in it\n",
		        path);
		return -1;
	}
	return 0;
}

static void
print_table(int fd)
{
	char line[256];
	FILE *f = fdopen(fd, "r");

	if (f == NULL)
		return;
	printf("%-10s %-8s %s\n", "KEY ID", "PRIMARY", "OPENED");
	while (fgets(line, sizeof(line), f) != NULL) {
		char id[16] = "";
		unsigned long long opened = 0;
		const char *p = strstr(line, "\"opened\":");
		sscanf(line, "{\"key_id\":\"%15[0-9a-f]\"", id);
		if (p)
			opened = strtoull(p + 9, NULL, 10);
		printf("%-10s %-8s %llu\n", id,
		       strstr(line, "\"primary\":true") ? "*" : "", opened);
	}
	fclose(f);
}

static int
run(const char *path, const char *command, int list, int json)
{
	char text[512], buf[4096];
	ssize_t r;
	int fd;

	if (rumor_control_open(path, command, 0, &fd, text, sizeof(text))) {
		fprintf(stderr, "rumor keys: %s\n", text);
		return 1;
	}
	if (list && !json) {
		print_table(fd);
		return 0;
	}
	if (!list)
		printf("%s\n", text);
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)r, stdout);
	close(fd);
	return 0;
}

static int
generate(void)
{
	char key[64];

	if (rumor_node_key_generate(key, sizeof(key)) != 0) {
		fprintf(stderr, "rumor keys: cannot generate a key\n");
		return 1;
	}
	printf("%s\n", key);
	return 0;
}

int
cmd_keys(int argc, char **argv)
{
	const char *key_file = NULL;
	int json = 0;
	const struct client_flag flags[] = {{"key-file", NULL, &key_file},
	                                    {"json", &json, NULL}};
	struct client_target target;
	const char *verb;
	char path[RUMOR_NODE_PATH_MAX], err[512], key[256], command[400];
	int nargs;

	switch (
	    rumor_client_args("keys", argc, argv, usage, flags, 2, &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "rumor keys: expected list, install, use, "
		                "remove or generate (try --help)\n");
		return 2;
	}
	verb = argv[optind];
	nargs = argc - optind - 1;
	if (strcmp(verb, "generate") == 0 && nargs == 0)
		return generate();
	if (strcmp(verb, "list") == 0 && nargs == 0) {
		snprintf(command, sizeof(command), "keys list");
	} else if (strcmp(verb, "install") == 0 && key_file && nargs == 0) {
		if (read_key_file(key_file, key, sizeof(key)) != 0)
			return 1;
		snprintf(command, sizeof(command), "keys install %s", key);
	} else if ((strcmp(verb, "install") == 0 || strcmp(verb, "use") == 0 ||
	            strcmp(verb, "remove") == 0) &&
	           nargs == 1 && key_file == NULL) {
		snprintf(command, sizeof(command), "keys %s %.300s", verb,
		         argv[optind + 1]);
	} else {
		fprintf(stderr,
		        "rumor keys: '%s' with %d argument(s): expected list, "
		        "install KEY (or --key-file F), use KEY|ID, remove "
		        "KEY|ID, generate (try --help)\n",
		        verb, nargs);
		return 2;
	}
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), err, sizeof(err)) != 0) {
		fprintf(stderr, "rumor keys: %s\n", err);
		return 2;
	}
	return run(path, command, strcmp(verb, "list") == 0, json);
}

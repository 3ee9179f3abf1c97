/* SPDX-License-Identifier: MIT */
/*
 * The keyring through the control socket, with serf's semantics: `keys
 * list`, `keys install KEY` (accepted on receive from now on), `keys use
 * KEY|ID` (the primary: what this agent seals with), `keys remove KEY|ID`
 * (never the primary). A cluster rotates its key with no downtime by
 * installing the new key everywhere, then using it everywhere, then
 * removing the old one everywhere (docs/security.md). Changes last until
 * the agent stops; the key file is not rewritten.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "node_internal.h"

#define reply rumor__control_reply

static void
keys_list(struct node *n, struct ctl_conn *c)
{
	struct keyring_entry e;
	char line[160];
	size_t count = rumor__keyring_count(n->keys);

	reply(c, "ok %zu", count);
	for (size_t i = 0; i < count; i++) {
		rumor__keyring_entry(n->keys, i, &e);
		int k = snprintf(line, sizeof(line),
		                 "{\"key_id\":\"%s\",\"primary\":%s,"
		                 "\"opened\":%" PRIu64 "}\n",
		                 e.id, e.primary ? "true" : "false", e.opened);
		rumor__control_write(c, line, (size_t)k);
	}
}

static void
keys_install(struct node *n, struct ctl_conn *c, const char *arg)
{
	uint8_t key[SEAL_KEY_BYTES];
	char id[SEAL_ID_STRLEN];
	int rc;

	if (rumor__key_parse(arg, key) != 0) {
		reply(c, "error keys install: not a 32-byte key (64 hex "
		         "digits or 44 characters of base64)");
		return;
	}
	rumor__key_id_text(key, id);
	rc = rumor__keyring_install(n->keys, key);
	sodium_memzero(key, sizeof(key));
	if (rc == RUMOR_EFULL) {
		reply(c,
		      "error keys install: the ring is full (%d keys); "
		      "remove one first",
		      SEAL_MAX_KEYS);
		return;
	}
	reply(c, "ok %s %s", rc == 1 ? "already installed" : "installed", id);
	if (rc == 0)
		rumor__node_say(n, "key %s installed (accepted on receive)",
		                id);
}

/* The index of the key `arg` names, or -1 after replying an error. */
static int
find(struct node *n, struct ctl_conn *c, const char *verb, const char *arg)
{
	int i = rumor__keyring_find(n->keys, arg);

	if (i == RUMOR_EINVAL)
		reply(c,
		      "error keys %s: the argument is neither a key nor an "
		      "8-digit key id",
		      verb);
	else if (i < 0)
		reply(c,
		      "error keys %s: no such key installed (see keys "
		      "list)",
		      verb);
	return i < 0 ? -1 : i;
}

static void
keys_use(struct node *n, struct ctl_conn *c, const char *arg)
{
	struct keyring_entry e;
	int i = find(n, c, "use", arg);

	if (i < 0)
		return;
	rumor__keyring_use(n->keys, (size_t)i);
	rumor__keyring_entry(n->keys, (size_t)i, &e);
	reply(c, "ok primary %s", e.id);
	rumor__node_say(n, "key %s is the primary now (used to send)", e.id);
}

static void
keys_remove(struct node *n, struct ctl_conn *c, const char *arg)
{
	struct keyring_entry e;
	int i = find(n, c, "remove", arg);

	if (i < 0)
		return;
	rumor__keyring_entry(n->keys, (size_t)i, &e);
	if (rumor__keyring_remove(n->keys, (size_t)i) == RUMOR_ESTATE) {
		reply(c,
		      "error keys remove: %s is the primary key; `keys "
		      "use` another one first",
		      e.id);
		return;
	}
	reply(c, "ok removed %s", e.id);
	rumor__node_say(n, "key %s removed", e.id);
}

void
rumor__control_keys(struct node *n, struct ctl_conn *c, const char *args)
{
	if (n->keys == NULL) {
		reply(c, "error this agent runs in the clear: there is no "
		         "keyring (start it with --key-file)");
	} else if (strcmp(args, "list") == 0) {
		keys_list(n, c);
	} else if (strncmp(args, "install ", 8) == 0) {
		keys_install(n, c, args + 8);
	} else if (strncmp(args, "use ", 4) == 0) {
		keys_use(n, c, args + 4);
	} else if (strncmp(args, "remove ", 7) == 0) {
		keys_remove(n, c, args + 7);
	} else {
		reply(c, "error keys: expected list, install KEY, use KEY|ID "
		         "or remove KEY|ID");
	}
	rumor__control_end(c);
}

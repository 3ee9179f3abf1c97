/* SPDX-License-Identifier: MIT */
/*
 * The client side of the control socket, for `rumor members`, `leave`,
 * `monitor`, `set`, the demo and the tests. Plain blocking sockets with
 * poll() timeouts: a client does one thing and exits.
 */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "node_internal.h"
#include "rumor/tags.h"

int
rumor_control_resolve(const char *agent, const char *control, char *path,
                      size_t path_cap, char *err, size_t cap)
{
	struct rumor_addr a;

	if (control != NULL) {
		if (strlen(control) >= path_cap ||
		    strlen(control) >= RUMOR_NODE_PATH_MAX) {
			snprintf(err, cap, "--control %s: path too long",
			         control);
			return RUMOR_EINVAL;
		}
		strcpy(path, control);
		return 0;
	}
	if (agent == NULL)
		agent = "127.0.0.1:3000";
	if (rumor_addr_parse(agent, &a) != 0 || a.port == 0) {
		snprintf(err, cap,
		         "--agent %s: not a numeric HOST:PORT "
		         "(e.g. 127.0.0.1:3000 or [::1]:3000)",
		         agent);
		return RUMOR_EINVAL;
	}
	if (rumor_node_control_path(&a, path, path_cap) != 0) {
		snprintf(err, cap, "--agent %s: control socket path too long",
		         agent);
		return RUMOR_EINVAL;
	}
	return 0;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is readable or deadline passes: 1, 0 (timeout), -1. */
static int
wait_readable(int fd, int64_t deadline)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int64_t left = deadline - mono_ms();
	int rc;

	if (left < 0)
		left = 0;
	do
		rc = poll(&p, 1, (int)left);
	while (rc < 0 && errno == EINTR);
	return rc;
}

static int
connect_to(const char *path, char *text, size_t cap)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(text, cap, "control socket %s: path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(text, cap, "connect %s: %s%s", path, strerror(errno),
		         errno == ENOENT || errno == ECONNREFUSED
		             ? " (is the agent running? --agent/--control "
		               "choose it)"
		             : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Read the status line byte by byte (it is short). */
static int
read_status(int fd, int64_t deadline, char *line, size_t cap)
{
	size_t k = 0;

	while (k + 1 < cap) {
		char ch;
		ssize_t r;
		if (wait_readable(fd, deadline) <= 0)
			return -1;
		r = read(fd, &ch, 1);
		if (r <= 0)
			return -1;
		if (ch == '\n')
			break;
		line[k++] = ch;
	}
	line[k] = '\0';
	return 0;
}

int
rumor_control_open(const char *path, const char *command, int timeout_ms,
                   int *fd_out, char *text, size_t cap)
{
	int64_t deadline = mono_ms() + (timeout_ms > 0 ? timeout_ms : 5000);
	size_t want = strlen(command) + 1; /* with its newline */
	char scratch[512], status[512], *line;
	int fd, len;

	*fd_out = -1;
	if (text == NULL || cap == 0) {
		text = scratch;
		cap = sizeof(scratch);
	}
	text[0] = '\0';
	if (want > RUMOR_CONTROL_LINE_MAX) {
		snprintf(text, cap,
		         "command too long (%zu bytes; a control command is at "
		         "most %d)",
		         want, RUMOR_CONTROL_LINE_MAX);
		return RUMOR_EINVAL;
	}
	if ((line = malloc(want + 1)) == NULL) {
		snprintf(text, cap, "out of memory");
		return RUMOR_ENOMEM;
	}
	if ((fd = connect_to(path, text, cap)) < 0) {
		free(line);
		return RUMOR_EINVAL;
	}
	len = snprintf(line, want + 1, "%s\n", command);
	/* a send that fails may follow an answer sent before the command was
	 * read ("error too many clients"): read it all the same */
	if (send(fd, line, (size_t)len, MSG_NOSIGNAL) != len)
		len = errno == EPIPE ? 0 : -1;
	free(line);
	if (len < 0 || read_status(fd, deadline, status, sizeof(status))) {
		/* sent, unanswered: it waits in the socket for the agent */
		snprintf(text, cap, "control socket %s: no answer to '%s'%s",
		         path, command,
		         len > 0 ? " in time; the command is queued: a stopped "
		                   "or busy agent carries it out when it runs "
		                   "again"
		                 : "");
		close(fd);
		return RUMOR_EINVAL;
	}
	if (strncmp(status, "ok", 2) != 0 ||
	    (status[2] != '\0' && status[2] != ' ')) {
		snprintf(text, cap, "%s",
		         strncmp(status, "error ", 6) == 0 ? status + 6
		                                           : status);
		close(fd);
		return RUMOR_EINVAL;
	}
	snprintf(text, cap, "%s", status[2] ? status + 3 : "");
	*fd_out = fd;
	return 0;
}

/* Everything until EOF, NUL-terminated (malloc'd). */
static char *
read_all(int fd, int64_t deadline)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *b;
	ssize_t r;

	while (buf != NULL) {
		if (len + 1 >= cap) {
			if ((b = realloc(buf, cap * 2)) == NULL)
				break;
			buf = b;
			cap *= 2;
		}
		if (wait_readable(fd, deadline) <= 0)
			break;
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			buf[len] = '\0';
			return r == 0 ? buf : (free(buf), NULL);
		}
		len += (size_t)r;
	}
	free(buf);
	return NULL;
}

/* The member's "tags" object into the canonical encoding at *room (as
 * long as the line at most); *room moves past it. 0 or -1. */
static int
parse_tags(json_t *o, struct rumor_control_member *m, uint8_t **room,
           size_t cap)
{
	json_t *tags = json_object_get(o, "tags"), *val;
	json_int_t ver = 0;
	const char *key;
	size_t len = 0;

	if (tags == NULL)
		return 0;
	json_unpack(o, "{s?I}", "tags_version", &ver);
	json_object_foreach(tags, key, val)
	{
		if (!json_is_string(val) ||
		    rumor_tags_put(*room, cap, &len, key,
		                   json_string_value(val)) != 0)
			return -1;
	}
	m->tags = *room;
	m->tags_len = len;
	m->tags_version = (uint64_t)ver;
	*room += len;
	return 0;
}

static int
parse_member(const char *line, struct rumor_control_member *m, uint8_t **room)
{
	json_t *o = json_loads(line, 0, NULL);
	const char *id = NULL, *status = NULL;
	json_int_t hb = 0, age = 0;
	int self = 0, rc = -1;

	memset(m, 0, sizeof(*m));
	if (o &&
	    json_unpack(o, "{s:s,s:s,s:I,s:I,s:b}", "member", &id, "status",
	                &status, "heartbeat", &hb, "age_ms", &age, "self",
	                &self) == 0 &&
	    parse_tags(o, m, room, strlen(line)) == 0 &&
	    rumor_member_id_parse(id, &m->id) == 0) {
		m->status = RUMOR_STATUS_MAX;
		for (int s = 0; s < RUMOR_STATUS_MAX; s++)
			if (strcmp(status, rumor_status_name(s)) == 0)
				m->status = (enum rumor_member_status)s;
		m->heartbeat = (uint64_t)hb;
		m->age_ms = (uint64_t)age;
		m->is_self = self;
		m->joining = json_is_true(json_object_get(o, "joining"));
		rc = m->status == RUMOR_STATUS_MAX ? -1 : 0;
	}
	json_decref(o);
	return rc;
}

static int
parse_members(char *all, struct rumor_control_member **out, size_t *n)
{
	size_t cap = 1, k = 0;
	struct rumor_control_member *v;
	char *save = NULL, *line;
	uint8_t *room;

	for (const char *p = all; *p; p++)
		cap += *p == '\n';
	/* the tags of all members after the array: no longer than the text */
	if ((v = calloc(1, cap * sizeof(*v) + strlen(all) + 1)) == NULL)
		return RUMOR_ENOMEM;
	room = (uint8_t *)(v + cap);
	for (line = strtok_r(all, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (parse_member(line, &v[k], &room) != 0) {
			free(v);
			return RUMOR_EINVAL;
		}
		k++;
	}
	*out = v;
	*n = k;
	return 0;
}

int
rumor_control_members(const char *path, int timeout_ms,
                      struct rumor_control_member **out, size_t *n, char *err,
                      size_t cap)
{
	int64_t deadline = mono_ms() + (timeout_ms > 0 ? timeout_ms : 5000);
	char *all;
	int fd, rc;

	*out = NULL;
	*n = 0;
	rc = rumor_control_open(path, "members", timeout_ms, &fd, err, cap);
	if (rc != 0)
		return rc;
	all = read_all(fd, deadline);
	close(fd);
	if (all == NULL) {
		snprintf(err, cap, "control socket %s: reply cut short", path);
		return RUMOR_EINVAL;
	}
	rc = parse_members(all, out, n);
	free(all);
	if (rc == RUMOR_EINVAL)
		snprintf(err, cap, "control socket %s: malformed member line",
		         path);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * Where an agent keeps its local files: the per-user runtime directory
 * ($XDG_RUNTIME_DIR/rumor, else /tmp/rumor-UID; private, 0700) holds the
 * control sockets (HOST:PORT.sock) and the version state files
 * (HOST:PORT.version). Both are keyed by the bind address, which only one
 * process at a time can hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "node_internal.h"

static void
say(char *err, size_t cap, const char *fmt, const char *path)
{
	if (err != NULL)
		snprintf(err, cap, fmt, path, strerror(errno));
}

int
rumor_node_run_dir(char *buf, size_t cap, char *err, size_t err_cap)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int len;

	if (xdg != NULL && xdg[0] == '/')
		len = snprintf(buf, cap, "%s/rumor", xdg);
	else
		len = snprintf(buf, cap, "/tmp/rumor-%u", (unsigned)getuid());
	if (len < 0 || (size_t)len >= cap) {
		errno = ENAMETOOLONG;
		say(err, err_cap, "runtime directory %s: %s", buf);
		return RUMOR_EINVAL;
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
		say(err, err_cap, "mkdir %s: %s", buf);
		return RUMOR_EINVAL;
	}
	if (lstat(buf, &st) < 0) {
		say(err, err_cap, "stat %s: %s", buf);
		return RUMOR_EINVAL;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077) != 0) {
		errno = EPERM;
		if (err != NULL)
			snprintf(err, err_cap,
			         "runtime directory %s is not a private "
			         "directory of uid %u (mode 0700); remove it "
			         "or set XDG_RUNTIME_DIR",
			         buf, (unsigned)getuid());
		return RUMOR_EINVAL;
	}
	return 0;
}

/* DIR/HOST:PORT.ext */
static int
keyed_path(char *buf, size_t cap, const char *dir,
           const struct rumor_addr *bind, const char *ext)
{
	char addr[RUMOR_ADDR_STRLEN];
	int len;

	rumor_addr_format(bind, addr, sizeof(addr));
	len = snprintf(buf, cap, "%s/%s.%s", dir, addr, ext);
	return len < 0 || (size_t)len >= cap ? RUMOR_ENOSPC : 0;
}

int
rumor_node_control_path(const struct rumor_addr *bind, char *buf, size_t cap)
{
	char dir[RUMOR_NODE_PATH_MAX];

	if (rumor_node_run_dir(dir, sizeof(dir), NULL, 0) != 0) {
		/* not creatable here: the agent reports why when it starts */
		if (getenv("XDG_RUNTIME_DIR") && getenv("XDG_RUNTIME_DIR")[0])
			snprintf(dir, sizeof(dir), "%s/rumor",
			         getenv("XDG_RUNTIME_DIR"));
		else
			snprintf(dir, sizeof(dir), "/tmp/rumor-%u",
			         (unsigned)getuid());
	}
	if (cap > RUMOR_NODE_PATH_MAX)
		cap = RUMOR_NODE_PATH_MAX;
	return keyed_path(buf, cap, dir, bind, "sock");
}

/* The recorded version, 0 when there is none; -1 when it is corrupt. */
static int
read_version(const char *path, uint64_t *out)
{
	char text[32] = "", *end;
	ssize_t k;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	k = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (k <= 0)
		return k == 0 ? 0 : -1;
	text[k] = '\0';
	errno = 0;
	*out = strtoull(text, &end, 10);
	if (errno || end == text || (*end != '\n' && *end != '\0')) {
		*out = 0;
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
write_version(const char *path, uint64_t version)
{
	char tmp[RUMOR_NODE_PATH_MAX + 16], text[32];
	int fd, len = snprintf(text, sizeof(text), "%" PRIu64 "\n", version);
	int ok;

	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return RUMOR_EINVAL;
	ok = write(fd, text, (size_t)len) == len && fsync(fd) == 0;
	if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return RUMOR_EINVAL;
	}
	return 0;
}

int
rumor_node_version_next(const char *state_dir, const struct rumor_addr *bind,
                        uint64_t wall_ms, uint64_t *version)
{
	char path[RUMOR_NODE_PATH_MAX];
	uint64_t last = 0;
	bool bad;

	*version = wall_ms ? wall_ms : 1;
	if (keyed_path(path, sizeof(path), state_dir, bind, "version") != 0) {
		errno = ENAMETOOLONG;
		return RUMOR_EINVAL;
	}
	bad = read_version(path, &last) != 0;
	if (last >= *version)
		*version = last + 1;
	if (write_version(path, *version) != 0 || bad)
		return RUMOR_EINVAL; /* a corrupt file is replaced, and told */
	return 0;
}

int
rumor_node_version_save(const char *state_dir, const struct rumor_addr *bind,
                        uint64_t version)
{
	char path[RUMOR_NODE_PATH_MAX];
	uint64_t last = 0;

	if (keyed_path(path, sizeof(path), state_dir, bind, "version") != 0) {
		errno = ENAMETOOLONG;
		return RUMOR_EINVAL;
	}
	read_version(path, &last);
	if (version <= last)
		return 0;
	return write_version(path, version);
}

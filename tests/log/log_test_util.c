/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log_test_util.h"

char *
tmpdir_make(void)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	dir = malloc(strlen(base) + 32);
	assert_non_null(dir);
	sprintf(dir, "%s/rumor-logtest-XXXXXX", base);
	assert_non_null(mkdtemp(dir));
	return dir;
}

void
tmpdir_remove(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(tmp_path(dir, e->d_name));
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
	free(dir);
}

const char *
tmp_path(const char *dir, const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

void
write_text(const char *path, const char *text, int append)
{
	FILE *f = fopen(path, append ? "a" : "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

char *
read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;

	if (f == NULL)
		return NULL;
	n = getdelim(&buf, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(buf);
		return strdup("");
	}
	return buf;
}

void
collect_error(void *arg, const char *file, uint64_t line, const char *msg)
{
	struct error_list *l = arg;

	if (l->n < sizeof(l->msg) / sizeof(l->msg[0]))
		snprintf(l->msg[l->n], sizeof(l->msg[0]), "%s:%llu: %s", file,
		         (unsigned long long)line, msg);
	l->n++;
}

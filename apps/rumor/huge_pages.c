/* SPDX-License-Identifier: MIT */
/*
 * Transparent huge pages for a large simulation. With N cores of N entries
 * the simulator's heap is hundreds of MB read at random, and with 4 KiB
 * pages most reads also miss the TLB. glibc's malloc backs its heap with
 * huge pages when the tunable glibc.malloc.hugetlb=1 is set (glibc >= 2.35,
 * and the kernel's THP mode "madvise"), and tunables are read only at
 * start-up, so the command runs itself again with it set.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

#define TUNABLE "glibc.malloc.hugetlb=1"

/* Does the kernel give huge pages only to memory that asks (madvise)? */
static int
thp_on_request(void)
{
	char mode[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f == NULL)
		return 0;
	if (fgets(mode, sizeof(mode), f) == NULL)
		mode[0] = '\0';
	fclose(f);
	return strstr(mode, "[madvise]") != NULL;
}

void
rumor_huge_pages_reexec(const char *command, int argc, char **argv)
{
	const char *old = getenv("GLIBC_TUNABLES");
	char tunables[1024];
	char **args;

	if (getenv("RUMOR_NO_HUGE_PAGES") != NULL || !thp_on_request() ||
	    (old != NULL && strstr(old, "glibc.malloc.hugetlb") != NULL))
		return;
	if (snprintf(tunables, sizeof(tunables), "%s%s%s", old ? old : "",
	             old ? ":" : "", TUNABLE) >= (int)sizeof(tunables))
		return;
	args = calloc((size_t)argc + 2, sizeof(*args));
	if (args == NULL)
		return;
	args[0] = (char *)"rumor";
	args[1] = (char *)command;
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	if (setenv("GLIBC_TUNABLES", tunables, 1) == 0)
		execv("/proc/self/exe", args);
	/* no exec: go on with small pages, as before */
	if (old != NULL)
		setenv("GLIBC_TUNABLES", old, 1);
	else
		unsetenv("GLIBC_TUNABLES");
	free(args);
}

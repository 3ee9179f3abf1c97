/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the rumor-viz command-line tests: run the binary (set
 * viz_cli_bin first) with arguments, capture its exit status, stdout and
 * stderr (through cli-PID.out and cli-PID.err in the working directory),
 * parse
 * --dump-state output, read PNG sizes.
 */
#ifndef RUMOR_VIZ_CLI_UTIL_H
#define RUMOR_VIZ_CLI_UTIL_H

#include <jansson.h>

extern const char *viz_cli_bin;
/** When > 0, run_env's child gets this file size limit (bytes). */
extern long viz_cli_fsize_limit;

struct result {
	int status; /**< exit status, 128 when killed */
	char *out, *err;
};

/** The whole file (fails the test when it cannot be read). */
char *slurp(const char *path);
/** Run with args (NULL-terminated); env_set "K=V" entries or NULL;
 * unset_display removes DISPLAY and the SDL video driver variables. */
struct result run_env(const char *const *env_set, int unset_display, ...);
#define run(...) run_env(NULL, 0, __VA_ARGS__, (const char *)NULL)
void result_free(struct result *r);

/** beliefs[o][j] of a dump, "unknown" when absent. */
const char *belief(json_t *dump, const char *o, const char *j);
/** --dump-state --at AT LOG, parsed (exit status 0 asserted). */
json_t *dump_at(const char *at, const char *log);
/** --dump-state with args (NULL-terminated), parsed. */
json_t *dump_args(const char *first, ...);
/** The dump's member whose id contains part, or fails the test. */
json_t *dump_member(json_t *dump, const char *part);

/** Size of a PNG file (fails the test when it is not one). */
void read_png(const char *path, unsigned *w, unsigned *h);

#endif

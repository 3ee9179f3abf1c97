/* SPDX-License-Identifier: MIT */
/*
 * DNS names in --join (docs/operations.md): each NAME:PORT is resolved
 * when the agent starts (uv_getaddrinfo, synchronous) and again after each
 * failed join attempt (asynchronously: the loop never waits for DNS); the
 * core's seed list is then the numeric seeds plus every address the names
 * resolve to now (rumor_core_set_seeds). A name that does not resolve on
 * a retry keeps its previous addresses.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node_internal.h"

/* Addresses kept per name. */
#define ADDRS_PER_NAME 8

struct dns_name {
	char host[256], port[8];
	struct rumor_addr addrs[ADDRS_PER_NAME];
	size_t n_addrs;
	uv_getaddrinfo_t req;
	bool busy;
	struct node *node;
};

struct resolver {
	struct dns_name *names;
	size_t n_names;
	struct rumor_addr *numeric;
	size_t n_numeric;
};

int
rumor_node_split_host_port(const char *text, char *host, size_t host_cap,
                           uint16_t *port)
{
	const char *colon = strrchr(text, ':');
	char *end;
	unsigned long p;

	if (colon == NULL || colon == text ||
	    (size_t)(colon - text) >= host_cap)
		return RUMOR_EINVAL;
	p = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || p == 0 || p > 65535)
		return RUMOR_EINVAL;
	memcpy(host, text, (size_t)(colon - text));
	host[colon - text] = '\0';
	*port = (uint16_t)p;
	return 0;
}

/* The addresses of res into d (at most ADDRS_PER_NAME, UDP-usable). */
static void
take(struct dns_name *d, const struct addrinfo *res)
{
	size_t k = 0;

	for (const struct addrinfo *a = res; a && k < ADDRS_PER_NAME;
	     a = a->ai_next) {
		struct rumor_addr x;
		bool dup = false;
		if (rumor__addr_from_sockaddr(a->ai_addr, &x) != 0)
			continue;
		for (size_t i = 0; i < k; i++)
			dup |= rumor_addr_equal(&d->addrs[i], &x) != 0;
		if (!dup)
			d->addrs[k++] = x;
	}
	if (k > 0)
		d->n_addrs = k;
}

static const struct addrinfo hints = {.ai_family = AF_UNSPEC,
                                      .ai_socktype = SOCK_DGRAM};

/* The seed list now: numeric seeds, then each name's addresses. */
static size_t
seeds_now(const struct node *n, struct rumor_addr *out, size_t cap)
{
	const struct resolver *r = n->resolver;
	size_t k = 0;

	for (size_t i = 0; i < r->n_numeric && k < cap; i++)
		out[k++] = r->numeric[i];
	for (size_t i = 0; i < r->n_names; i++)
		for (size_t j = 0; j < r->names[i].n_addrs && k < cap; j++)
			if (!rumor_addr_equal(&r->names[i].addrs[j],
			                      &n->self.addr))
				out[k++] = r->names[i].addrs[j];
	return k;
}

int
rumor__resolve_start(struct node *n, const struct rumor_node_options *opt,
                     struct rumor_addr **seeds, size_t *n_seeds, char *err,
                     size_t cap)
{
	struct resolver *r = calloc(1, sizeof(*r));
	size_t room = opt->n_seeds + opt->n_join_names * ADDRS_PER_NAME + 1;

	*seeds = calloc(room, sizeof(**seeds));
	if (r == NULL || *seeds == NULL ||
	    (r->names = calloc(opt->n_join_names + 1, sizeof(*r->names))) ==
	        NULL ||
	    (r->numeric = calloc(opt->n_seeds + 1, sizeof(*r->numeric))) ==
	        NULL) {
		snprintf(err, cap, "out of memory");
		if (r)
			free(r->names);
		free(r);
		return RUMOR_ENOMEM;
	}
	n->resolver = r;
	for (size_t i = 0; i < opt->n_seeds; i++)
		if (!rumor_addr_equal(&opt->seeds[i], &n->bind) &&
		    !rumor_addr_equal(&opt->seeds[i], &n->self.addr))
			r->numeric[r->n_numeric++] = opt->seeds[i];
	for (size_t i = 0; i < opt->n_join_names; i++) {
		struct dns_name *d = &r->names[r->n_names++];
		uint16_t port;
		int rc;
		if (rumor_node_split_host_port(opt->join_names[i], d->host,
		                               sizeof(d->host), &port) != 0) {
			snprintf(err, cap, "--join %s: not HOST:PORT",
			         opt->join_names[i]);
			return RUMOR_EINVAL;
		}
		snprintf(d->port, sizeof(d->port), "%u", port);
		d->node = n;
		d->req.data = d;
		rc = uv_getaddrinfo(n->loop, &d->req, NULL, d->host, d->port,
		                    &hints);
		if (rc != 0) {
			snprintf(err, cap, "--join %s: %s", opt->join_names[i],
			         uv_strerror(rc));
			return RUMOR_EINVAL;
		}
		take(d, d->req.addrinfo);
		uv_freeaddrinfo(d->req.addrinfo);
		if (d->n_addrs == 0) {
			snprintf(err, cap, "--join %s: no usable address",
			         opt->join_names[i]);
			return RUMOR_EINVAL;
		}
	}
	*n_seeds = seeds_now(n, *seeds, room);
	return 0;
}

static void
on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct dns_name *d = req->data;
	struct node *n = d->node;
	struct rumor_addr seeds[256];
	size_t k;

	d->busy = false;
	if (status == 0)
		take(d, res);
	else if (status != UV_ECANCELED)
		rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
		                "--join %s:%s: %s (keeping its last addresses)",
		                d->host, d->port, uv_strerror(status));
	uv_freeaddrinfo(res);
	if (n->stopping) {
		rumor__node_maybe_done(n); /* it waited for this answer */
		return;
	}
	if (n->core == NULL || rumor_core_state(n->core) != RUMOR_STATE_JOINING)
		return;
	k = seeds_now(n, seeds, sizeof(seeds) / sizeof(seeds[0]));
	if (k > 0)
		rumor_core_set_seeds(n->core, seeds, k);
}

void
rumor__resolve_again(struct node *n)
{
	struct resolver *r = n->resolver;

	for (size_t i = 0; r && i < r->n_names; i++) {
		struct dns_name *d = &r->names[i];
		if (d->busy || n->stopping)
			continue;
		if (uv_getaddrinfo(n->loop, &d->req, on_resolved, d->host,
		                   d->port, &hints) == 0)
			d->busy = true;
	}
}

void
rumor__resolve_stop(struct node *n)
{
	struct resolver *r = n->resolver;

	for (size_t i = 0; r && i < r->n_names; i++)
		if (r->names[i].busy)
			uv_cancel((uv_req_t *)&r->names[i].req);
}

void
rumor__resolve_free(struct node *n)
{
	struct resolver *r = n->resolver;

	if (r == NULL)
		return;
	free(r->names);
	free(r->numeric);
	free(r);
	n->resolver = NULL;
}

bool
rumor__resolve_busy(const struct node *n)
{
	const struct resolver *r = n->resolver;

	for (size_t i = 0; r && i < r->n_names; i++)
		if (r->names[i].busy)
			return true;
	return false;
}

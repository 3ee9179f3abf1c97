/* SPDX-License-Identifier: MIT */
/*
 * The simulator's own log lines: `start`/`stop` of each member (node = the
 * member) and the ground truth (node "sim"): `crash` and `restart` (member
 * = the id concerned; for a restart the new id), `partition` (every member
 * id with its group, 0 = not cut off), `heal`, and `sick`/`well` (a
 * fault's start and end: via its kind, msg its number, groups its sides).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void
log_write(struct rumor_sim *sim, const struct rumor_log_record *rec)
{
	if (rumor_log_write_record(rumor__sim_log(sim), rec))
		rumor__sim_log_failed(sim, errno ? errno : EIO);
}

static void
record_init(struct rumor_sim *sim, struct rumor_log_record *rec,
            enum rumor_log_ev ev)
{
	memset(rec, 0, sizeof(*rec));
	rec->ts = (int64_t)sim->now;
	rec->ev = ev;
}

void
rumor__sim_log_member(struct rumor_sim *sim, enum rumor_log_ev ev,
                      const struct rumor_member_id *id)
{
	struct rumor_log_record rec;

	if (!sim->log)
		return;
	record_init(sim, &rec, ev);
	rumor_member_id_format(id, rec.node, sizeof(rec.node));
	log_write(sim, &rec);
}

void
rumor__sim_log_truth(struct rumor_sim *sim, enum rumor_log_ev ev,
                     const struct rumor_member_id *member)
{
	struct rumor_log_record rec;

	if (!sim->log)
		return;
	record_init(sim, &rec, ev);
	strcpy(rec.node, "sim");
	if (member)
		rumor_member_id_format(member, rec.member, sizeof(rec.member));
	log_write(sim, &rec);
}

/* label[g] + 1 is group g's new number; 0 while not seen yet. */
static uint32_t
group_label(const struct sim_net *net, uint32_t *label, uint32_t *groups,
            uint32_t i)
{
	uint32_t g = net->group[i];

	if (!label[g])
		label[g] = ++*groups;
	return label[g] - 1;
}

/*
 * Groups are renumbered 0, 1, ... in order of first appearance (member 0's
 * group is 0). Members that never started have no id yet and are left out.
 */
void
rumor__sim_log_partition(struct rumor_sim *sim)
{
	struct rumor_log_record rec;
	uint32_t n = sim->cfg.n_members, k = 0, groups = 0;
	uint32_t *label;

	if (!sim->log)
		return;
	record_init(sim, &rec, RUMOR_LOG_PARTITION);
	strcpy(rec.node, "sim");
	rec.group_member = malloc(n * sizeof(*rec.group_member));
	rec.group_of = malloc(n * sizeof(*rec.group_of));
	label = calloc(sim->net.next_group, sizeof(*label));
	if (!rec.group_member || !rec.group_of || !label) {
		free(label);
		rumor_log_record_clear(&rec);
		rumor__sim_check(sim, RUMOR_ENOMEM);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct rumor_member_id id;

		if (rumor_sim_member_id(sim, i, &id))
			continue;
		rumor_member_id_format(&id, rec.group_member[k],
		                       sizeof(rec.group_member[k]));
		rec.group_of[k++] = group_label(&sim->net, label, &groups, i);
	}
	free(label);
	rec.n_group_members = k;
	log_write(sim, &rec);
	rumor_log_record_clear(&rec);
}

/* Ids of the started members with (side[i] & bit) into rec's group g. */
static void
add_side(struct rumor_sim *sim, struct rumor_log_record *rec,
         const uint8_t *side, uint8_t bit, uint32_t g)
{
	struct rumor_member_id id;

	for (uint32_t i = 0; i < sim->cfg.n_members; i++) {
		if (!(side[i] & bit) || rumor_sim_member_id(sim, i, &id))
			continue;
		rumor_member_id_format(&id,
		                       rec->group_member[rec->n_group_members],
		                       sizeof(rec->group_member[0]));
		rec->group_of[rec->n_group_members++] = g;
	}
}

void
rumor__sim_log_sick(struct rumor_sim *sim, uint32_t idx, int on)
{
	const struct sim_fault *f = &sim->faults[idx];
	enum rumor_sim_fault_kind kind = f->f.kind;
	uint32_t n = sim->cfg.n_members;
	struct rumor_log_record rec;

	if (!sim->log)
		return;
	record_init(sim, &rec, on ? RUMOR_LOG_SICK : RUMOR_LOG_WELL);
	strcpy(rec.node, "sim");
	snprintf(rec.via, sizeof(rec.via), "%s", rumor_sim_fault_name(kind));
	rec.msg = idx;
	rec.has_msg = 1;
	rec.group_member = malloc(2 * (size_t)n * sizeof(*rec.group_member));
	rec.group_of = malloc(2 * (size_t)n * sizeof(*rec.group_of));
	if (!rec.group_member || !rec.group_of) {
		rumor_log_record_clear(&rec);
		rumor__sim_check(sim, RUMOR_ENOMEM);
		return;
	}
	rec.n_groups =
	    kind == RUMOR_SIM_ONEWAY || kind == RUMOR_SIM_CUT ? 2 : 1;
	add_side(sim, &rec, f->side, 1, 0);
	if (rec.n_groups == 2)
		add_side(sim, &rec, f->side, 2, 1);
	log_write(sim, &rec);
	rumor_log_record_clear(&rec);
}

/* SPDX-License-Identifier: MIT */
/*
 * The simulator's own log lines: `start`/`stop` of each member (node = the
 * member) and the ground truth (node "sim"): `crash` and `restart` (member
 * = the id concerned; for a restart the new id), `partition` (every member
 * id with its group, 0 = not cut off) and `heal`.
 */
#include <errno.h>
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

/* SPDX-License-Identifier: MIT */
/*
 * Ring heartbeats: every T_heartbeat a member raises its heartbeat and
 * sends it straight to its ring monitors (ring.c), in the lean HEARTBEAT
 * message (wire.h, about 13 bytes): the only traffic a member sends all the
 * time, so it is what the defaults' bandwidth is made of (3 monitors x 10 a
 * second x 13 bytes = 390 B/s). The monitor knows its few predecessors and
 * finds the sender by the tag of its id; a heartbeat from a member it does
 * not watch tells it nothing it needs (its views of the ring differ for a
 * moment) and is ignored.
 */
#include <string.h>

#include "core_internal.h"

void
rumor__heartbeat_send(struct rumor_core *core)
{
	uint8_t buf[32];
	int len =
	    rumor__wire_encode_heartbeat(buf, sizeof(buf), core->self_heartbeat,
	                                 wire_id_tag(core->self_hash));

	if (len < 0)
		return;
	for (uint32_t i = 0; i < core->n_succ; i++)
		rumor__send(core, &core->succ[i]->id.addr, &core->succ[i]->id,
		            RUMOR_MSG_HEARTBEAT, core->self_heartbeat, buf,
		            (size_t)len);
}

struct member *
rumor__heartbeat_sender(struct rumor_core *core, uint32_t tag)
{
	for (uint32_t i = 0; i < core->n_pred; i++)
		if (wire_id_tag(core->pred[i]->ring_hash) == tag)
			return core->pred[i];
	return NULL;
}

/*
 * First-hand news of m: progress if greater (which refutes accusations it
 * outgrew), and the proof that m sees us as its successor (the tight
 * T_suspect, detector_hb.c) and an arrival for our local health
 * (suspicion.c). Heartbeats only grow, so an older one (reordered, or
 * replayed) is no arrival.
 */
void
rumor__heartbeat_recv(struct rumor_core *core, uint64_t now_ms,
                      struct member *m, uint64_t heartbeat)
{
	rumor__heard(core, &m->id, now_ms);
	if (heartbeat > m->heartbeat) {
		rumor__member_progress(core, m, heartbeat, 1, now_ms);
		if (m->status == RUMOR_STATUS_SUSPECT) {
			core->rx_from = m->id; /* it refuted to us itself */
			rumor__acc_update(core, m, now_ms, RUMOR_VIA_GOSSIP);
			memset(&core->rx_from, 0, sizeof(core->rx_from));
		}
	}
	if (heartbeat <= m->direct_hb && m->direct_ms != 0)
		return;
	m->direct_hb = heartbeat;
	m->direct_ms = now_ms;
	m->hb_bits |= 1;
	m->link_broken = false;
	if (m->watched) /* its deadline may have become the tight one */
		rumor__detector_note(core, m);
}

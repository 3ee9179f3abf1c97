/* SPDX-License-Identifier: MIT */
/* Encode and decode rumor messages; the format is pictured in wire.h. */
#include <stdlib.h>
#include <string.h>

#include "rumor/tags.h"
#include "wire.h"

/* ---- encoding ---- */

static int
writer_write(void *data, const char *buf, size_t len)
{
	struct wire_writer *w = data;

	if (w->overflow || len > w->cap - w->len) {
		w->overflow = 1;
		return -1;
	}
	memcpy(w->buf + w->len, buf, len);
	w->len += len;
	return 0;
}

static void
pack_addr(msgpack_packer *pk, const struct rumor_addr *addr)
{
	size_t iplen = addr->family == 6 ? 16 : 4;

	msgpack_pack_bin(pk, iplen);
	msgpack_pack_bin_body(pk, addr->ip, iplen);
	msgpack_pack_uint16(pk, addr->port);
}

static void
pack_header(struct wire_writer *w, int kind, uint64_t msg_id,
            const struct rumor_member_id *sender)
{
	msgpack_pack_array(&w->pk, 5);
	msgpack_pack_uint8(&w->pk, RUMOR_PROTO_VERSION);
	msgpack_pack_uint8(&w->pk, (uint8_t)kind);
	msgpack_pack_uint64(&w->pk, msg_id);
	if (sender == NULL) {
		msgpack_pack_nil(&w->pk);
		return;
	}
	msgpack_pack_array(&w->pk, 3);
	pack_addr(&w->pk, &sender->addr);
	msgpack_pack_uint64(&w->pk, sender->version);
}

static void
writer_init(struct wire_writer *w, uint8_t *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	msgpack_packer_init(&w->pk, w, writer_write);
}

int
rumor__wire_begin(struct wire_writer *w, uint8_t *buf, size_t cap, int kind,
                  uint64_t msg_id, const struct rumor_member_id *sender,
                  int32_t result)
{
	static const uint8_t array32[5] = {0xdd, 0, 0, 0, 0};

	writer_init(w, buf, cap);
	pack_header(w, kind, msg_id, sender);
	if (kind == RUMOR_MSG_JOIN_REPLY) {
		msgpack_pack_array(&w->pk, 2);
		msgpack_pack_int32(&w->pk, result);
	}
	/* array32 header, count backfilled by rumor__wire_finish */
	w->count_pos = w->len;
	writer_write(w, (const char *)array32, sizeof(array32));
	return w->overflow ? RUMOR_ENOSPC : 0;
}

int
rumor__wire_add_entry(struct wire_writer *w, const struct wire_entry *e)
{
	size_t mark = w->len;

	msgpack_pack_array(&w->pk, e->tags_ver ? 9 : e->n_acc ? 7 : 6);
	pack_addr(&w->pk, &e->id.addr);
	msgpack_pack_uint64(&w->pk, e->id.version);
	msgpack_pack_uint64(&w->pk, e->heartbeat);
	msgpack_pack_uint8(&w->pk, e->status);
	msgpack_pack_uint8(&w->pk, e->hops);
	if (e->n_acc)
		msgpack_pack_array(&w->pk, 5u * e->n_acc);
	for (uint8_t i = 0; i < e->n_acc; i++) {
		pack_addr(&w->pk, &e->acc[i].accuser.addr);
		msgpack_pack_uint64(&w->pk, e->acc[i].accuser.version);
		msgpack_pack_uint64(&w->pk, e->acc[i].heartbeat);
		msgpack_pack_uint8(&w->pk, e->acc[i].flags);
	}
	if (e->tags_ver) {
		if (e->n_acc == 0)
			msgpack_pack_nil(&w->pk);
		msgpack_pack_uint64(&w->pk, e->tags_ver);
		msgpack_pack_bin(&w->pk, e->tags_len);
		msgpack_pack_bin_body(&w->pk, e->tags, e->tags_len);
	}
	if (w->overflow) {
		w->len = mark; /* roll back the partial entry */
		w->overflow = 0;
		return RUMOR_ENOSPC;
	}
	w->count++;
	return 0;
}

size_t
rumor__wire_finish(struct wire_writer *w)
{
	uint8_t *p = w->buf + w->count_pos + 1;

	p[0] = (uint8_t)(w->count >> 24);
	p[1] = (uint8_t)(w->count >> 16);
	p[2] = (uint8_t)(w->count >> 8);
	p[3] = (uint8_t)w->count;
	return w->len;
}

int
rumor__wire_encode_nonce(uint8_t *buf, size_t cap, int kind, uint64_t msg_id,
                         const struct rumor_member_id *sender, uint64_t nonce)
{
	struct wire_writer w;

	writer_init(&w, buf, cap);
	pack_header(&w, kind, msg_id, sender);
	msgpack_pack_uint64(&w.pk, nonce);
	return w.overflow ? RUMOR_ENOSPC : (int)w.len;
}

int
rumor__wire_encode_heartbeat(uint8_t *buf, size_t cap, uint64_t heartbeat,
                             uint32_t tag)
{
	struct wire_writer w;

	writer_init(&w, buf, cap);
	msgpack_pack_array(&w.pk, 4);
	msgpack_pack_uint8(&w.pk, RUMOR_PROTO_VERSION);
	msgpack_pack_uint8(&w.pk, RUMOR_MSG_HEARTBEAT);
	msgpack_pack_uint64(&w.pk, heartbeat);
	msgpack_pack_uint32(&w.pk, tag);
	return w.overflow ? RUMOR_ENOSPC : (int)w.len;
}

int
rumor__wire_encode_digest(uint8_t *buf, size_t cap, uint64_t msg_id,
                          const struct rumor_member_id *sender, uint64_t digest,
                          uint64_t count)
{
	struct wire_writer w;

	writer_init(&w, buf, cap);
	pack_header(&w, RUMOR_MSG_DIGEST, msg_id, sender);
	msgpack_pack_array(&w.pk, 2);
	msgpack_pack_uint64(&w.pk, digest);
	msgpack_pack_uint64(&w.pk, count);
	return w.overflow ? RUMOR_ENOSPC : (int)w.len;
}

int
rumor_wire_encode_ping(uint8_t *buf, size_t cap,
                       const struct rumor_member_id *from, uint64_t nonce)
{
	return rumor__wire_encode_nonce(buf, cap, RUMOR_MSG_PING, nonce, from,
	                                nonce);
}

/* ---- decoding: schema checks over the msgpack-c DOM ---- */

static int
get_uint(const msgpack_object *o, uint64_t min, uint64_t max, uint64_t *out)
{
	if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return RUMOR_EWIRE_TYPE;
	if (o->via.u64 < min || o->via.u64 > max)
		return RUMOR_EWIRE_RANGE;
	*out = o->via.u64;
	return 0;
}

static const msgpack_object *
get_array(const msgpack_object *o, uint32_t n)
{
	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != n)
		return NULL;
	return o->via.array.ptr;
}

/* [ip bin(4|16), port] at a[0..1] */
static int
get_addr(const msgpack_object *a, struct rumor_addr *addr)
{
	uint64_t port;
	int rc;

	if (a[0].type != MSGPACK_OBJECT_BIN)
		return RUMOR_EWIRE_TYPE;
	if (a[0].via.bin.size != 4 && a[0].via.bin.size != 16)
		return RUMOR_EWIRE_RANGE;
	memset(addr, 0, sizeof(*addr));
	addr->family = a[0].via.bin.size == 4 ? 4 : 6;
	memcpy(addr->ip, a[0].via.bin.ptr, a[0].via.bin.size);
	if ((rc = get_uint(&a[1], 1, 65535, &port)) != 0)
		return rc;
	addr->port = (uint16_t)port;
	return 0;
}

static int
get_member_id(const msgpack_object *o, struct rumor_member_id *id)
{
	const msgpack_object *a = get_array(o, 3);
	int rc;

	if (a == NULL)
		return RUMOR_EWIRE_TYPE;
	if ((rc = get_addr(a, &id->addr)) != 0)
		return rc;
	return get_uint(&a[2], 1, RUMOR_NUMBER_MAX, &id->version);
}

/* The flat accusation list of an entry (wire.h). */
static int
get_accusations(const msgpack_object *o, struct wire_entry *e)
{
	const msgpack_object *a;
	uint32_t n;
	uint64_t flags;
	int rc;

	if (o->type != MSGPACK_OBJECT_ARRAY)
		return RUMOR_EWIRE_TYPE;
	a = o->via.array.ptr;
	n = o->via.array.size;
	if (n == 0 || n % 5 != 0)
		return RUMOR_EWIRE_TYPE;
	if (n / 5 > WIRE_ACCUSATIONS_MAX)
		return RUMOR_EWIRE_RANGE;
	for (uint32_t i = 0; i < n / 5; i++, a += 5) {
		struct wire_accusation *x = &e->acc[i];
		if ((rc = get_addr(a, &x->accuser.addr)) != 0 ||
		    (rc = get_uint(&a[2], 1, RUMOR_NUMBER_MAX,
		                   &x->accuser.version)) != 0 ||
		    (rc = get_uint(&a[3], 0, RUMOR_NUMBER_MAX,
		                   &x->heartbeat)) != 0 ||
		    (rc =
		         get_uint(&a[4], 0, WIRE_ACC_TIGHT | WIRE_ACC_ESCALATED,
		                  &flags)) != 0)
			return rc;
		x->flags = (uint8_t)flags;
	}
	e->n_acc = (uint8_t)(n / 5);
	return 0;
}

/* The tags of a 9-field entry: version >= 1, canonical bytes (tags.h). */
static int
get_tags(const msgpack_object *a, struct wire_entry *e)
{
	int rc = get_uint(&a[0], 1, UINT64_MAX, &e->tags_ver);

	if (rc != 0)
		return rc;
	if (a[1].type != MSGPACK_OBJECT_BIN)
		return RUMOR_EWIRE_TYPE;
	e->tags = (const uint8_t *)a[1].via.bin.ptr;
	e->tags_len = a[1].via.bin.size;
	if (rumor_tags_validate(e->tags, e->tags_len) != 0)
		return RUMOR_EWIRE_RANGE;
	return 0;
}

static int
get_entry(const msgpack_object *o, struct wire_entry *e)
{
	const msgpack_object *a = NULL;
	uint64_t status, hops;
	uint32_t size = 0;
	int rc;

	if (o->type == MSGPACK_OBJECT_ARRAY)
		size = o->via.array.size;
	if (size == 6 || size == 7 || size == 9)
		a = o->via.array.ptr;
	if (a == NULL)
		return RUMOR_EWIRE_TYPE;
	e->n_acc = 0;
	e->tags_ver = 0;
	e->tags = NULL;
	e->tags_len = 0;
	if (size >= 7 && !(size == 9 && a[6].type == MSGPACK_OBJECT_NIL) &&
	    (rc = get_accusations(&a[6], e)) != 0)
		return rc;
	if (size == 9 && (rc = get_tags(&a[7], e)) != 0)
		return rc;
	if ((rc = get_addr(a, &e->id.addr)) != 0 ||
	    (rc = get_uint(&a[2], 1, RUMOR_NUMBER_MAX, &e->id.version)) != 0 ||
	    (rc = get_uint(&a[3], 0, RUMOR_NUMBER_MAX, &e->heartbeat)) != 0 ||
	    (rc = get_uint(&a[4], 0, RUMOR_STATUS_MAX - 1, &status)) != 0 ||
	    (rc = get_uint(&a[5], 0, 255, &hops)) != 0)
		return rc;
	e->status = (uint8_t)status;
	e->hops = (uint8_t)hops;
	return 0;
}

static uint64_t
entry_hash(const struct wire_entry *e)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < 16; i++)
		h = (h ^ e->id.addr.ip[i]) * 0x100000001b3ULL;
	h = (h ^ e->id.addr.port) * 0x100000001b3ULL;
	h = (h ^ e->id.version) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

/*
 * Duplicated ids in one message are refused: the sender is confused. An
 * open-addressing set of entry indexes, twice the entry count in size.
 */
static int
check_duplicates(const struct wire_entry *e, size_t n)
{
	uint32_t stack_slots[256], *slots = stack_slots;
	size_t cap = 16;
	int rc = 0;

	if (n < 2)
		return 0;
	while (cap < 2 * n)
		cap *= 2;
	if (cap > sizeof(stack_slots) / sizeof(stack_slots[0]) &&
	    (slots = malloc(cap * sizeof(*slots))) == NULL)
		return RUMOR_ENOMEM;
	memset(slots, 0xff, cap * sizeof(*slots));
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t k = entry_hash(&e[i]) & (cap - 1);
		while (slots[k] != UINT32_MAX) {
			if (rumor_member_id_cmp(&e[slots[k]].id, &e[i].id) ==
			    0) {
				rc = RUMOR_EWIRE_DUPLICATE;
				break;
			}
			k = (k + 1) & (cap - 1);
		}
		slots[k] = (uint32_t)i;
	}
	if (slots != stack_slots)
		free(slots);
	return rc;
}

static int
get_entries(const msgpack_object *o, struct wire_msg *msg,
            struct wire_entry *entries, size_t cap)
{
	int rc;

	if (o->type != MSGPACK_OBJECT_ARRAY)
		return RUMOR_EWIRE_TYPE;
	if (o->via.array.size > cap)
		return RUMOR_EWIRE_TOO_BIG;
	for (uint32_t i = 0; i < o->via.array.size; i++)
		if ((rc = get_entry(&o->via.array.ptr[i], &entries[i])) != 0)
			return rc;
	msg->entries = entries;
	msg->n_entries = o->via.array.size;
	return check_duplicates(entries, msg->n_entries);
}

static int
get_body(const msgpack_object *body, struct wire_msg *msg,
         struct wire_entry *entries, size_t cap)
{
	const msgpack_object *a;

	switch (msg->kind) {
	case RUMOR_MSG_GOSSIP:
	case RUMOR_MSG_JOIN_REQ:
	case RUMOR_MSG_SYNC:
		return get_entries(body, msg, entries, cap);
	case RUMOR_MSG_JOIN_REPLY:
		if ((a = get_array(body, 2)) == NULL)
			return RUMOR_EWIRE_TYPE;
		if (a[0].type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
		    a[0].via.u64 == 0)
			msg->result = 0;
		else if (a[0].type == MSGPACK_OBJECT_NEGATIVE_INTEGER &&
		         a[0].via.i64 >= RUMOR_ERROR_MIN)
			msg->result = (int32_t)a[0].via.i64;
		else
			return a[0].type == MSGPACK_OBJECT_NEGATIVE_INTEGER ||
			               a[0].type ==
			                   MSGPACK_OBJECT_POSITIVE_INTEGER
			           ? RUMOR_EWIRE_RANGE
			           : RUMOR_EWIRE_TYPE;
		return get_entries(&a[1], msg, entries, cap);
	case RUMOR_MSG_DIGEST:
		if ((a = get_array(body, 2)) == NULL)
			return RUMOR_EWIRE_TYPE;
		int rc = get_uint(&a[0], 0, UINT64_MAX, &msg->digest);
		return rc ? rc : get_uint(&a[1], 1, UINT32_MAX, &msg->count);
	default: /* PING, PONG */
		return get_uint(body, 0, UINT64_MAX, &msg->nonce);
	}
}

/* [version, HEARTBEAT, heartbeat, tag]: the version is already checked */
static int
decode_heartbeat(const msgpack_object *a, struct wire_msg *msg)
{
	uint64_t v, tag;
	int rc;

	if ((rc = get_uint(&a[1], 0, UINT64_MAX, &v)) != 0)
		return rc;
	if (v != RUMOR_MSG_HEARTBEAT)
		return RUMOR_EWIRE_TYPE; /* the other kinds have 5 fields */
	memset(msg, 0, sizeof(*msg));
	msg->kind = RUMOR_MSG_HEARTBEAT;
	if ((rc = get_uint(&a[2], 0, RUMOR_NUMBER_MAX, &msg->msg_id)) != 0 ||
	    (rc = get_uint(&a[3], 0, UINT32_MAX, &tag)) != 0)
		return rc;
	msg->tag = (uint32_t)tag;
	return 0;
}

static int
decode_object(const msgpack_object *root, struct wire_msg *msg,
              struct wire_entry *entries, size_t cap)
{
	const msgpack_object *a;
	uint64_t v;
	int rc;

	if (root->type != MSGPACK_OBJECT_ARRAY)
		return RUMOR_EWIRE_TYPE;
	if (root->via.array.size < 1)
		return RUMOR_EWIRE_TRUNCATED;
	a = root->via.array.ptr;
	/* the version first, so that a future layout is named as such */
	if ((rc = get_uint(&a[0], 0, UINT64_MAX, &v)) != 0)
		return rc;
	if (v != RUMOR_PROTO_VERSION)
		return RUMOR_EWIRE_VERSION;
	if (root->via.array.size == 4)
		return decode_heartbeat(a, msg);
	if (root->via.array.size != 5)
		return RUMOR_EWIRE_TYPE;
	if ((rc = get_uint(&a[1], 0, UINT64_MAX, &v)) != 0)
		return rc;
	if (v < RUMOR_MSG_GOSSIP || v >= RUMOR_MSG_KIND_MAX)
		return RUMOR_EWIRE_KIND;
	if (v == RUMOR_MSG_HEARTBEAT)
		return RUMOR_EWIRE_TYPE; /* four fields, not five */
	memset(msg, 0, sizeof(*msg));
	msg->kind = (uint8_t)v;
	if ((rc = get_uint(&a[2], 0, UINT64_MAX, &msg->msg_id)) != 0)
		return rc;
	if (a[3].type != MSGPACK_OBJECT_NIL) {
		if ((rc = get_member_id(&a[3], &msg->sender)) != 0)
			return rc;
		msg->has_sender = 1;
	} else if (msg->kind != RUMOR_MSG_PING) {
		return RUMOR_EWIRE_TYPE; /* only a ping may be anonymous */
	}
	return get_body(&a[4], msg, entries, cap);
}

int
rumor__wire_decode(const uint8_t *data, size_t len, struct wire_msg *msg,
                   struct wire_entry *entries, size_t cap)
{
	msgpack_unpacked unpacked;
	size_t off = 0;
	int rc;

	if ((rc = rumor__wire_prescan(data, len)) != 0)
		return rc;
	msgpack_unpacked_init(&unpacked);
	switch (msgpack_unpack_next(&unpacked, (const char *)data, len, &off)) {
	case MSGPACK_UNPACK_SUCCESS:
		rc = off == len
		         ? decode_object(&unpacked.data, msg, entries, cap)
		         : RUMOR_EWIRE_TRAILING;
		break;
	case MSGPACK_UNPACK_NOMEM_ERROR:
		rc = RUMOR_ENOMEM;
		break;
	case MSGPACK_UNPACK_CONTINUE:
		rc = RUMOR_EWIRE_TRUNCATED;
		break;
	default:
		rc = RUMOR_EWIRE_TYPE;
		break;
	}
	msgpack_unpacked_destroy(&unpacked);
	return rc;
}

int
rumor_wire_decode_pong(const uint8_t *buf, size_t len, uint64_t *nonce,
                       struct rumor_member_id *responder)
{
	struct wire_msg msg;
	int rc = rumor__wire_decode(buf, len, &msg, NULL, 0);

	if (rc != 0)
		return rc;
	if (msg.kind != RUMOR_MSG_PONG)
		return RUMOR_EWIRE_KIND;
	*nonce = msg.nonce;
	*responder = msg.sender;
	return 0;
}

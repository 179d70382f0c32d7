/* SPDX-License-Identifier: BSD-3-Clause */
/* ue: the emulated IMS UE.  Its core is an identity, a P-CSCF and a
 * registration (reg.c); everything else it does is a part, named in the
 * table below: the request handler offers each request to the parts in
 * its order and a scenario's query asks them in turn. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "tsx.h"
#include "ue.h"
#include "ueint.h"

static const struct ue_part *const partv[UE_PART_COUNT] = {
	[UE_PART_CALL]  = &ue_part_call,
	[UE_PART_REFER] = &ue_part_refer,
	[UE_PART_SUB]   = &ue_part_sub,
	[UE_PART_FETCH] = &ue_part_fetch,
	[UE_PART_BOOK]  = &ue_part_book,
	[UE_PART_REGSUB] = &ue_part_regsub,
	[UE_PART_MSG]   = &ue_part_msg,
};


static void destructor(void *arg)
{
	struct ue *ue = arg;
	size_t i;

	/* Parts first: their dialogs and requests end before the core's
	 * strings they were made from. */
	for (i = 0; i < ARRAY_SIZE(partv); i++)
		ue->partv[i] = mem_deref(ue->partv[i]);
	ue_reg_close(ue);
	mem_deref(ue->impu);
	mem_deref(ue->impi);
	mem_deref(ue->cuser);
	mem_deref(ue->routes);
	mem_deref(ue->assoc);
}


/* The parts are made on first use (a request, an action, a query): a
 * UE that only registers, as each of a benchmark's 100,000 does, never
 * holds them. */
static int parts_make(struct ue *ue)
{
	size_t i;
	int err = 0;

	if (ue->parts)
		return 0;

	for (i = 0; !err && i < ARRAY_SIZE(partv); i++) {
		void *p = mem_zalloc(partv[i]->size, partv[i]->dtor);

		if (!p) {
			err = ENOMEM;
			break;
		}
		*(struct ue **)p = ue;
		if (partv[i]->init)
			partv[i]->init(p);
		ue->partv[i] = p;
	}
	if (err) {
		for (i = 0; i < ARRAY_SIZE(partv); i++)
			ue->partv[i] = mem_deref(ue->partv[i]);
		return err;
	}

	ue->parts = true;

	return 0;
}


void *ue_part(const struct ue *cue, enum ue_part_id id)
{
	struct ue *ue = (struct ue *)cue;   /* made on first use */

	if (!ue || (size_t)id >= ARRAY_SIZE(partv) || parts_make(ue))
		return NULL;

	return ue->partv[id];
}


void ue_done(ue_done_h **hp, void *arg, int err, uint16_t scode)
{
	ue_done_h *h = *hp;

	*hp = NULL;
	if (h)
		h(err, scode, arg);
}


/* SUBSCRIBE and REFER go along the Service-Route of a registration. */
bool ue_registered_for(const struct ue *ue, const char *what)
{
	if (ue_state(ue) == UE_REGISTERED)
		return true;

	elog(LOG_WARN, node_name(ue->node), "fsm",
	     "ue(%s){%s}: %s needs a registration", ue->impu,
	     ue_state_name(ue_state(ue)), what);

	return false;
}


const char *ue_impi(const struct ue *ue)
{
	return ue ? ue->impi : "";
}


const char *ue_impu(const struct ue *ue)
{
	return ue ? ue->impu : "";
}


static int query(struct re_printf *pf, void *impl, const char *what,
		 const char *arg)
{
	struct ue *ue = impl;
	size_t i;
	int err;

	err = ue_reg_query(pf, ue, what);
	if (err == ENOTSUP && parts_make(ue))
		return ENOMEM;
	for (i = 0; err == ENOTSUP && i < ARRAY_SIZE(partv); i++)
		err = partv[i]->query(pf, ue->partv[i], what, arg);

	return err;
}


static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct ue *ue = arg;
	const char *why = NULL;
	size_t i;

	/* A malformed request is the sender's fault: 400 and why, before
	 * a feature would fail on it with 500. */
	if (pl_strcmp(&msg->met, "ACK") && sipx_bad_request(msg, true, &why)) {
		(void)tsx_reply(NULL, tsx_of(ue->node), msg, 400, why);
		return true;
	}

	if (parts_make(ue)) {
		(void)tsx_reply(NULL, tsx_of(ue->node), msg, 500,
				"Server Internal Error");
		return true;
	}

	for (i = 0; i < ARRAY_SIZE(partv); i++) {
		if (partv[i]->reqh && partv[i]->reqh(ue->partv[i], msg))
			return true;
	}

	if (!pl_strcmp(&msg->met, "ACK"))
		return true;

	(void)tsx_replyf(NULL, tsx_of(ue->node), msg, false, 405,
			  "Method Not Allowed",
			  "Allow: INVITE, ACK, BYE, NOTIFY, MESSAGE\r\n"
			  "Content-Length: 0\r\n\r\n");
	return true;
}


static bool response_handler(const struct sip_msg *msg, void *arg)
{
	struct ue *ue = arg;

	return !parts_make(ue) && ue_call_stray(ue, msg);
}


static const struct node_ops ops = {
	.reqh  = request_handler,
	.resph = response_handler,
	.query = query,
};


/* The next hop of every initial request: the P-CSCF's address, over TCP
 * when the UE or its P-CSCF is configured for it (TS 24.229 allows
 * either).  buf holds the text the URI points into. */
int ue_pcscf_route(struct uri *rt, char *buf, size_t sz, const struct ue *ue)
{
	struct pl pl;

	if (re_snprintf(buf, sz, "sip:%J%s", node_addr(ue->pcscf),
			node_tcp(ue->node) || node_tcp(ue->pcscf) ?
			";transport=tcp" : "") < 0)
		return ENOMEM;

	pl_set_str(&pl, buf);

	return uri_decode(rt, &pl);
}


int ue_contact(char *buf, size_t sz, const struct ue *ue)
{
	return re_snprintf(buf, sz, "sip:%s@%J%s", ue->cuser,
			   node_addr(ue->node), node_tcp(ue->node) ?
			   ";transport=tcp" : "") < 0 ? ENOMEM : 0;
}


static int core_init(struct ue *ue, const char *impu, const char *impi,
		     const char *password)
{
	const char *at = strchr(impi, '@');
	int err;

	ue->ftag = (uint32_t)emul_rand_u64();
	err  = str_dup(&ue->impu, impu);
	err |= str_dup(&ue->impi, impi);
	err |= str_dup(&ue->password, password);
	err |= re_sdprintf(&ue->callid, "%016llx@%s", emul_rand_u64(),
			   node_name(ue->node)) ? ENOMEM : 0;
	err |= re_sdprintf(&ue->cuser, "%b", impi,
			   at ? (size_t)(at - impi) : strlen(impi)) ?
		ENOMEM : 0;

	return err ? ENOMEM : 0;
}


int ue_alloc(struct ue **up, struct node *node, struct node *pcscf,
	     const char *impu, const char *impi, const char *password)
{
	struct ue *ue;
	int err;

	if (!up || !node || !pcscf || !impu || !impi || !password)
		return EINVAL;

	ue = mem_zalloc(sizeof(*ue), destructor);
	if (!ue)
		return ENOMEM;

	ue->node = node;
	ue->pcscf = pcscf;
	ue_reg_init(ue);
	err = core_init(ue, impu, impi, password);
	/* The node's transaction layer, there before the first message. */
	if (!err && !tsx_of(node))
		err = ENOMEM;
	if (err)
		goto out;

	/* Several UEs may share one node (the benchmark's pool): the
	 * first one answers the node's queries. */
	if (!node_impl(node))
		node_set_impl(node, ue, &ops);

 out:
	if (err)
		mem_deref(ue);
	else
		*up = ue;

	return err;
}

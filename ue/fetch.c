/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE using what sysinfo told it (CN101409688A step 314): HTTP GETs
 * to the GM, IM and PS modules at the addresses of the last NOTIFY,
 * never at configured ones, with the bearer token that came with them.
 * Each resource's status and body are kept for the scenario. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "ue.h"
#include "ueint.h"

static const struct {
	const char *name;
	int mod;                /* 0 GM, 1 IM, 2 PS */
	const char *fmt;        /* path; %s is the user */
} res[FETCH_COUNT] = {
	{"profile",     0, "/gm/v1/users/%s/profile"},
	{"addressbook", 0, "/gm/v1/users/%s/addressbook"},
	{"directory",   0, "/gm/v1/directory"},
	{"presence",    2, "/ps/v1/users/%s/friends"},
	{"messages",    1, "/im/v1/users/%s/messages"},
};


int ue_fetch_bit(const char *name)
{
	int i;

	for (i = 0; name && i < FETCH_COUNT; i++) {
		if (!strcmp(name, res[i].name))
			return i;
	}

	return -1;
}


const char *ue_fetch_name(int i)
{
	return i >= 0 && i < FETCH_COUNT ? res[i].name : "?";
}


static void fetch_next(struct ue *ue);


static void fetch_done(struct ue *ue, int err, uint16_t scode)
{
	ue_done_h *h = ue->fdoneh;

	ue->fdoneh = NULL;
	if (h)
		h(err, scode, ue->farg);
}


static void resp_handler(int err, const struct http_msg *msg, void *arg)
{
	struct ue *ue = arg;
	struct fetched *f = &ue->fetched[ue->fetch_next];

	ue->hreq = NULL;

	if (err || !msg) {
		(void)re_snprintf(f->error, sizeof(f->error), "%m", err);
		elog(LOG_WARN, node_name(ue->node), "http", "%s: %s",
		     res[ue->fetch_next].name, f->error);
		fetch_done(ue, err ? err : EPROTO, 0);
		return;
	}

	f->status = msg->scode;
	f->body = mem_deref(f->body);
	if (msg->mb)
		(void)re_sdprintf(&f->body, "%b", mbuf_buf(msg->mb),
				  mbuf_get_left(msg->mb));

	ue->fetch_mask &= ~(1u << ue->fetch_next);
	fetch_next(ue);
}


static void fetch_next(struct ue *ue)
{
	char path[320], host[160];
	int i, err;

	for (i = 0; i < FETCH_COUNT; i++) {
		if (ue->fetch_mask & (1u << i))
			break;
	}

	if (i == FETCH_COUNT) {
		fetch_done(ue, 0, ue->fetched[ue->fetch_next].status);
		return;
	}

	ue->fetch_next = i;
	memset(ue->fetched[i].error, 0, sizeof(ue->fetched[i].error));
	ue->fetched[i].status = 0;

	(void)re_snprintf(path, sizeof(path), res[i].fmt, ue->fetch_user);
	(void)re_snprintf(host, sizeof(host), "%s:%u",
			  ue->si->domain[res[i].mod],
			  sa_port(&ue->si->addr[res[i].mod]));

	err = httpc_get(&ue->hreq, ue->node, &ue->si->addr[res[i].mod], host,
			path, ue->fetch_auth[0] ? ue->fetch_auth : NULL,
			resp_handler, ue);
	if (err) {
		(void)re_snprintf(ue->fetched[i].error,
				  sizeof(ue->fetched[i].error), "%m", err);
		fetch_done(ue, err, 0);
	}
}


int ue_fetch(struct ue *ue, uint32_t mask, const char *user,
	     const char *auth, ue_done_h *doneh, void *arg)
{
	if (!ue || !mask)
		return EINVAL;

	if (!ue->si || !ue->si->valid) {
		elog(LOG_WARN, node_name(ue->node), "http",
		     "ue(%s): no module addresses yet: subscribe first",
		     ue->impu);
		return ENOENT;
	}

	ue->hreq = mem_deref(ue->hreq);
	ue->fetch_mask = mask & ((1u << FETCH_COUNT) - 1);
	ue->fdoneh = doneh;
	ue->farg = arg;
	str_ncpy(ue->fetch_user, user ? user : ue->impu,
		 sizeof(ue->fetch_user));

	/* NULL: the token sysinfo gave; anything else as written, "" for
	 * none (how a scenario shows what the modules refuse). */
	if (!auth)
		(void)re_snprintf(ue->fetch_auth, sizeof(ue->fetch_auth),
				  "Bearer %s", ue->si->token);
	else
		str_ncpy(ue->fetch_auth, auth, sizeof(ue->fetch_auth));

	fetch_next(ue);

	return 0;
}


void ue_fetch_close(struct ue *ue)
{
	int i;

	ue->hreq = mem_deref(ue->hreq);
	for (i = 0; i < FETCH_COUNT; i++)
		ue->fetched[i].body = mem_deref(ue->fetched[i].body);
}


int ue_fetch_query(struct re_printf *pf, const struct ue *ue,
		   const char *what, const char *arg)
{
	int i;

	for (i = 0; i < FETCH_COUNT; i++) {
		if (!str_casecmp(arg, res[i].name))
			break;
	}

	if (!str_casecmp(what, "fetched")) {
		if (i == FETCH_COUNT)
			return EINVAL;
		if (ue->fetched[i].error[0])
			return re_hprintf(pf, "error: %s",
					  ue->fetched[i].error);
		return re_hprintf(pf, "%u %s", ue->fetched[i].status,
				  ue->fetched[i].body ? ue->fetched[i].body :
				  "");
	}

	return ENOTSUP;
}

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

enum { FETCH_COUNT = 5 };

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


/* One resource fetched from a module. */
struct fetched {
	uint16_t status;
	char *body;
	char error[128];
};

struct ue_fetch {
	struct ue *ue;                  /* first: ue.c sets it */
	struct httpc *req;
	const struct sysinfo *si;       /* where, while fetching */
	struct fetched fetched[FETCH_COUNT];
	uint32_t mask;                  /* what the action asked for */
	int next;
	char user[128];                 /* whose data, default our own */
	char auth[96];                  /* Authorization value to send */
	ue_done_h *doneh;
	void *arg;
};


static void destructor(void *arg)
{
	struct ue_fetch *f = arg;
	int i;

	mem_deref(f->req);
	for (i = 0; i < FETCH_COUNT; i++)
		mem_deref(f->fetched[i].body);
}


int ue_fetch_bit(const char *name)
{
	int i;

	for (i = 0; name && i < FETCH_COUNT; i++) {
		if (!strcmp(name, res[i].name))
			return i;
	}

	return -1;
}


/* "profile, addressbook, ... or messages", for an error message. */
int ue_fetch_names(struct re_printf *pf, void *unused)
{
	int i, err = 0;
	(void)unused;

	for (i = 0; i < FETCH_COUNT; i++)
		err |= re_hprintf(pf, "%s%s", i == 0 ? "" : i + 1 ==
				  FETCH_COUNT ? " or " : ", ", res[i].name);

	return err;
}


static void fetch_next(struct ue_fetch *f);


static void resp_handler(int err, const struct http_msg *msg, void *arg)
{
	struct ue_fetch *f = arg;
	struct fetched *r = &f->fetched[f->next];

	f->req = NULL;

	if (err || !msg) {
		(void)re_snprintf(r->error, sizeof(r->error), "%m", err);
		elog(LOG_WARN, node_name(f->ue->node), "http", "%s: %s",
		     res[f->next].name, r->error);
		ue_done(&f->doneh, f->arg, err ? err : EPROTO, 0);
		return;
	}

	r->status = msg->scode;
	r->body = mem_deref(r->body);
	if (msg->mb)
		(void)re_sdprintf(&r->body, "%b", mbuf_buf(msg->mb),
				  mbuf_get_left(msg->mb));

	f->mask &= ~(1u << f->next);
	fetch_next(f);
}


static void fetch_next(struct ue_fetch *f)
{
	const struct sysinfo *si = f->si;
	struct fetched *r;
	char path[320], host[160];
	int i, err;

	for (i = 0; i < FETCH_COUNT; i++) {
		if (f->mask & (1u << i))
			break;
	}

	if (i == FETCH_COUNT) {
		ue_done(&f->doneh, f->arg, 0, f->fetched[f->next].status);
		return;
	}

	f->next = i;
	r = &f->fetched[i];
	memset(r->error, 0, sizeof(r->error));
	r->status = 0;

	(void)re_snprintf(path, sizeof(path), res[i].fmt, f->user);
	(void)re_snprintf(host, sizeof(host), "%s:%u",
			  si->domain[res[i].mod],
			  sa_port(&si->addr[res[i].mod]));

	err = httpc_get(&f->req, f->ue->node, &si->addr[res[i].mod], host,
			path, f->auth[0] ? f->auth : NULL, resp_handler, f);
	if (err) {
		(void)re_snprintf(r->error, sizeof(r->error), "%m", err);
		ue_done(&f->doneh, f->arg, err, 0);
	}
}


int ue_fetch(struct ue *ue, uint32_t mask, const char *user,
	     const char *auth, ue_done_h *doneh, void *arg)
{
	struct ue_fetch *f = ue_part(ue, UE_PART_FETCH);
	const struct sysinfo *si = ue_sysinfo(ue);

	if (!f || !mask)
		return EINVAL;

	if (!si) {
		elog(LOG_WARN, node_name(ue->node), "http",
		     "ue(%s): no module addresses yet: subscribe first",
		     ue->impu);
		return ENOENT;
	}

	f->req = mem_deref(f->req);
	f->si = si;
	f->mask = mask & ((1u << FETCH_COUNT) - 1);
	f->doneh = doneh;
	f->arg = arg;
	str_ncpy(f->user, user ? user : ue->impu, sizeof(f->user));

	/* NULL: the token sysinfo gave; anything else as written, "" for
	 * none (how a scenario shows what the modules refuse). */
	if (!auth)
		(void)re_snprintf(f->auth, sizeof(f->auth), "Bearer %s",
				  si->token);
	else
		str_ncpy(f->auth, auth, sizeof(f->auth));

	fetch_next(f);

	return 0;
}


static int fetch_query(struct re_printf *pf, const void *part,
		       const char *what, const char *arg)
{
	const struct ue_fetch *f = part;
	const struct fetched *r;
	int i;

	if (str_casecmp(what, "fetched"))
		return ENOTSUP;

	for (i = 0; i < FETCH_COUNT; i++) {
		if (!str_casecmp(arg, res[i].name))
			break;
	}
	if (i == FETCH_COUNT)
		return EINVAL;

	r = &f->fetched[i];
	if (r->error[0])
		return re_hprintf(pf, "error: %s", r->error);

	return re_hprintf(pf, "%u %s", r->status, r->body ? r->body : "");
}


const struct ue_part ue_part_fetch = {
	"fetch", sizeof(struct ue_fetch), destructor, NULL, NULL, fetch_query,
};

/* SPDX-License-Identifier: BSD-3-Clause */
/* The HSS's own requests to an S-CSCF: RTR/RTA (TS 29.228 6.1.3) and
 * PPR/PPA (TS 29.228 6.2.2, the pushed profile).  Each
 * S-CSCF listens by its Server-Name, as a Diameter peer would be known
 * by its host.  RTR de-registers a user at the S-CSCF it is assigned to
 * and frees the assignment once the RTA says the S-CSCF did; PPR gives
 * the S-CSCF the changed service profile, stored first. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "hssint.h"
#include <sqlite3.h>
#include "storeint.h"

struct cx_listener {
	struct le le;
	const struct node *node;        /* the S-CSCF, for the record */
	char *server;
	cx_rtr_h *rtrh;
	cx_ppr_h *pprh;
	void *arg;
};

static struct list listeners;


static void listener_destructor(void *arg)
{
	struct cx_listener *l = arg;

	list_unlink(&l->le);
	mem_deref(l->server);
}


int cx_listen(struct cx_listener **lp, const struct node *node,
	      const char *server, cx_rtr_h *rtrh, cx_ppr_h *pprh, void *arg)
{
	struct cx_listener *l;

	if (!lp || !server || !rtrh)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), listener_destructor);
	if (!l)
		return ENOMEM;

	l->node = node;
	l->rtrh = rtrh;
	l->pprh = pprh;
	l->arg = arg;
	if (str_dup(&l->server, server)) {
		mem_deref(l);
		return ENOMEM;
	}
	list_append(&listeners, &l->le, l);

	*lp = l;
	return 0;
}


static struct cx_listener *listener_find(const char *server)
{
	struct le *le;

	for (le = listeners.head; le; le = le->next) {
		struct cx_listener *l = le->data;

		if (!str_casecmp(l->server, server))
			return l;
	}

	return NULL;
}


const char *cx_dereg_reason_name(enum cx_dereg_reason r)
{
	switch (r) {

	case CX_DEREG_PERMANENT_TERMINATION: return "PERMANENT_TERMINATION";
	case CX_DEREG_NEW_SERVER_ASSIGNED:   return "NEW_SERVER_ASSIGNED";
	case CX_DEREG_SERVER_CHANGE:         return "SERVER_CHANGE";
	case CX_DEREG_REMOVE_SCSCF:          return "REMOVE_S-CSCF";
	default:                             return "?";
	}
}


static void trace_rtr(struct hss *hss, const struct cx_listener *l,
		      const struct cx_rtr *rtr, enum cx_result rta)
{
	struct cx_ask a;

	memset(&a, 0, sizeof(a));
	a.cmd = CX_CMD_RTR;
	str_ncpy(a.impi, rtr->impi, sizeof(a.impi));
	str_ncpy(a.impu, rtr->impu, sizeof(a.impu));
	a.type = rtr->reason;
	if (rtr->info)
		str_ncpy(a.info, rtr->info, sizeof(a.info));
	cx_trace_push(hss, l->node, &a, rta);
}


static void trace_ppr(struct hss *hss, const struct cx_listener *l,
		      const char *impi, enum cx_result ppa)
{
	struct cx_ask a;

	memset(&a, 0, sizeof(a));
	a.cmd = CX_CMD_PPR;
	str_ncpy(a.impi, impi, sizeof(a.impi));
	cx_trace_push(hss, l->node, &a, ppa);
}


/* An RTR sent to a Diameter peer: the assignment goes once its RTA
 * says the S-CSCF let the user go, as for one in the process. */
struct rtr_wait {
	struct hss *hss;
	struct hss_sub sub;
	cx_answer_h *ah;
	void *arg;
};


static void rta_handler(int err, uint32_t code, void *arg)
{
	struct rtr_wait *w = arg;

	if (!err && code == CX_SUCCESS &&
	    hss_sub_assign(w->hss, &w->sub, "", HSS_NOT_REGISTERED))
		err = EIO;
	w->ah(err, code, w->arg);
	mem_deref(w);
}


static int rtr_remote(struct hss *hss, const struct hss_sub *sub,
		      const char *impu, enum cx_dereg_reason reason,
		      const char *info, cx_answer_h *ah, void *arg)
{
	const char *p = strchr(sub->scscf, ':');
	struct rtr_wait *w;
	struct cx_ask a;
	char h[128];
	int err;

	/* the S-CSCF's Diameter identity is its SIP URI's host */
	if (!p)
		return EHOSTUNREACH;
	str_ncpy(h, p + 1, sizeof(h));
	h[strcspn(h, ":;>")] = '\0';

	memset(&a, 0, sizeof(a));
	a.cmd = CX_CMD_RTR;
	str_ncpy(a.impi, sub->impi, sizeof(a.impi));
	str_ncpy(a.impu, sub->uri[0] ? sub->uri : impu, sizeof(a.impu));
	a.type = reason;
	if (info)
		str_ncpy(a.info, info, sizeof(a.info));

	w = mem_zalloc(sizeof(*w), NULL);
	if (!w)
		return ENOMEM;
	w->hss = hss;
	w->sub = *sub;
	w->ah = ah;
	w->arg = arg;

	err = cx_server_request(hss->dsrv, h, &a, rta_handler, w);
	if (err) {
		mem_deref(w);
		elog(LOG_WARN, hss_name(hss), "cx", "RTR for %s: Server-Name"
		     " %s is no S-CSCF here nor a Diameter peer (%m)", impu,
		     sub->scscf, err);
		return EHOSTUNREACH;
	}

	elog(LOG_INFO, hss_name(hss), "cx", "RTR %s/%s to Diameter peer %s: "
	     "%s", sub->impi, a.impu, h, cx_dereg_reason_name(reason));

	return EINPROGRESS;
}


int hss_rtr(struct hss *hss, const char *impu, enum cx_dereg_reason reason,
	    const char *info, enum cx_result *rta, cx_answer_h *ah,
	    void *arg)
{
	struct cx_rtr rtr;
	struct cx_listener *l;
	struct hss_sub sub;
	int err;

	if (!hss || !impu || !rta)
		return EINVAL;

	err = hss_sub_by_impu(hss, impu, &sub);
	if (err)
		return err;

	/* Nobody to tell: the user is not assigned to any S-CSCF. */
	if (!sub.scscf[0] || sub.state == HSS_NOT_REGISTERED)
		return ENOTCONN;

	l = listener_find(sub.scscf);
	if (!l && ah)
		return rtr_remote(hss, &sub, impu, reason, info, ah, arg);
	if (!l) {
		elog(LOG_WARN, hss_name(hss), "cx", "RTR for %s: Server-Name"
		     " %s is no S-CSCF here", impu, sub.scscf);
		return EHOSTUNREACH;
	}

	memset(&rtr, 0, sizeof(rtr));
	rtr.impi = sub.impi;
	rtr.impu = sub.uri[0] ? sub.uri : impu;
	rtr.reason = reason;
	rtr.info = info;

	elog(LOG_INFO, hss_name(hss), "cx", "RTR %s/%s to %s: %s%s%s",
	     rtr.impi, rtr.impu, sub.scscf, cx_dereg_reason_name(reason),
	     info ? ", " : "", info ? info : "");

	*rta = l->rtrh(&rtr, l->arg);
	trace_rtr(hss, l, &rtr, *rta);
	if (*rta != CX_SUCCESS)
		return 0;

	/* TS 29.228 6.1.3: the S-CSCF let the user go; so does the HSS. */
	return hss_sub_assign(hss, &sub, "", HSS_NOT_REGISTERED);
}


/* The profile of every IMPU of impu's implicit set, in the database. */
static int set_profile(struct hss *hss, const struct hss_sub *sub,
		       const char *profile)
{
	static const char sql[] =
		"UPDATE impu SET profile = ?1 WHERE impi = ?2 AND iset = ?3";
	sqlite3_stmt *st = NULL;
	int err;

	if (sqlite3_prepare_v2(hss->db, sql, -1, &st, NULL) != SQLITE_OK)
		return EIO;

	(void)st_bind_text(st, 1, profile);
	(void)st_bind_text(st, 2, sub->impi);
	(void)sqlite3_bind_int64(st, 3, sub->iset);
	err = st_exec(st);
	sqlite3_finalize(st);

	return err;
}


int hss_ppr(struct hss *hss, const char *impu, const char *profile,
	    enum cx_result *ppa)
{
	struct ifc_profile *p;
	struct cx_listener *l;
	struct hss_sub sub;
	int err;

	if (!hss || !impu || !profile || !ppa)
		return EINVAL;

	p = hss_profile_find(hss, profile);
	if (!p)
		return ENOENT;

	err = hss_sub_by_impu(hss, impu, &sub);
	if (!err)
		err = set_profile(hss, &sub, profile);
	if (err)
		return err;

	*ppa = CX_SUCCESS;
	if (!sub.scscf[0] || sub.state == HSS_NOT_REGISTERED)
		return 0;

	l = listener_find(sub.scscf);
	if (!l || !l->pprh)
		return EHOSTUNREACH;

	elog(LOG_INFO, hss_name(hss), "cx", "PPR %s/%s to %s: profile %s",
	     sub.impi, impu, sub.scscf, profile);
	*ppa = l->pprh(sub.impi, sub.uri[0] ? sub.uri : impu, p, l->arg);
	trace_ppr(hss, l, sub.impi, *ppa);

	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* A terminating request on to the user's devices (RFC 3261 16.6, 16.7,
 * TS 24.229 5.4.3.3): every registered contact along its Path, with
 * P-Called-Party-ID; all at once, the highest q first, or, when the
 * caller asks for it with Request-Disposition: sequential (RFC 3841
 * 9.1), one after the other in q order, the next when the last failed
 * (a 6xx ends the search, RFC 3261 16.7 step 5). */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"

/* A device's branch: its Contact as Request-URI, the Path it registered
 * over as the Route set, in order (RFC 3327). */
struct target {
	char *ruri;
	char *hdrs;
	char next[256];
};

/* The branches of one request, kept while a sequential search goes on. */
struct fork {
	struct proxy_fwd base;
	size_t n, next;
	struct target tg[SCSCF_FORK_MAX];
};


static void fork_destructor(void *arg)
{
	struct fork *f = arg;
	size_t i;

	for (i = 0; i < f->n; i++) {
		mem_deref(f->tg[i].ruri);
		mem_deref(f->tg[i].hdrs);
	}
}


/* RFC 5627 8.4.1: a request to a GRUU goes to that device alone (its
 * newest flow), or nowhere when it is not registered. */
static size_t gruu_only(const struct scscf *s, const struct sip_msg *msg,
			const struct bcontact **cv, size_t n)
{
	const struct bcontact *c;
	char impu[256];
	size_t i;

	if (scscf_gruu_lookup(s, &msg->ruri, impu, sizeof(impu), &c))
		return n;

	for (i = 0; c && i < n; i++) {
		if (!str_cmp(cv[i]->instance, c->instance)) {
			cv[0] = cv[i];
			return 1;
		}
	}

	return 0;
}


static int target_set(struct target *tg, const struct bcontact *c,
		      const struct sip_msg *msg)
{
	struct pl path, rest;
	struct mbuf *mb;
	int err;

	mb = mbuf_alloc(256);
	if (!mb)
		return ENOMEM;

	/* TS 24.229 5.4.3.3: the callee learns whom the caller asked for
	 * (its tel URI, an alias, a GRUU) before the contact replaces it;
	 * one from further up is not passed on. */
	err = str_dup(&tg->ruri, c->uri);
	err |= mbuf_printf(mb, "P-Called-Party-ID: <%r>\r\n", &msg->ruri);

	pl_set_str(&rest, c->paths ? c->paths : "");
	if (sipx_uri_next(&rest, &path)) {
		(void)pl_strcpy(&path, tg->next, sizeof(tg->next));
		do {
			err |= mbuf_printf(mb, "Route: <%r>\r\n", &path);
		} while (sipx_uri_next(&rest, &path));
	}

	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, &tg->hdrs, mb->end);
	mem_deref(mb);

	return err;
}


static void fwd_of(struct proxy_fwd *fwd, const struct fork *f, size_t i)
{
	/* P-Served-User is the AS's (RFC 5502 6): not for the UE */
	static const enum sip_hdrid skip[] = {
		SIP_HDR_P_CALLED_PARTY_ID, SIPX_HDR_P_SERVED_USER
	};
	const struct target *tg = &f->tg[i];

	*fwd = f->base;
	fwd->ruri = tg->ruri;
	fwd->target = tg->next[0] ? tg->next : NULL;
	fwd->addhdrs = tg->hdrs;
	fwd->skipv = skip;
	fwd->skipc = ARRAY_SIZE(skip);
}


/* TS 24.229 5.4.3.3: the terminating S-CSCF names its network in the
 * responses' P-Charging-Vector (term-ioi), on the request's icid. */
static void term_ioi(struct ptx *t, const struct sip_msg *msg)
{
	const struct sip_hdr *h;
	char *line = NULL;

	h = sip_msg_hdr(proxy_ptx_msg(t), SIP_HDR_P_CHARGING_VECTOR);
	if (!msg || !h || !re_regex(h->val.p, h->val.l, "term-ioi="))
		return;

	if (re_sdprintf(&line, "P-Charging-Vector: %r;term-ioi=%s\r\n",
			&h->val, emul_domain()) >= 0)
		proxy_ptx_replace(t, SIP_HDR_P_CHARGING_VECTOR, line);
}


static bool fork_resp(int err, const struct sip_msg *msg, struct ptx *t,
		      void *arg)
{
	(void)arg;

	if (!err)
		term_ioi(t, msg);

	return false;
}


/* Sequential: a branch that failed gives way to the next device. */
static bool seq_resp(int err, const struct sip_msg *msg, struct ptx *t,
		     void *arg)
{
	struct fork *f = arg;
	struct proxy_fwd fwd;

	if (!err && msg && (msg->scode < 300 || msg->scode >= 600)) {
		term_ioi(t, msg);
		return false;
	}

	while (f->next < f->n) {
		fwd_of(&fwd, f, f->next++);
		if (!proxy_reforward(t, &fwd, 1, seq_resp, f))
			return true;
	}

	term_ioi(t, msg);
	return false;
}


static bool sequential(const struct sip_msg *msg)
{
	struct pl v;

	return sipx_hdr_pl(&v, msg, "Request-Disposition") &&
		!re_regex(v.p, v.l, "sequential");
}


int scscf_fork(struct scscf *s, const struct sip_msg *msg, struct ptx *t,
	       const char *impu, const struct proxy_fwd *base)
{
	const struct bcontact *cv[SCSCF_FORK_MAX];
	struct proxy_fwd fwdv[SCSCF_FORK_MAX];
	bool seq = sequential(msg);
	struct fork *f;
	size_t n, i;
	int err = 0;

	n = scscf_user_targets(s, impu, cv, ARRAY_SIZE(cv));
	n = gruu_only(s, msg, cv, n);
	if (!n)
		return t ? ENOENT : proxy_reply(s->px, msg, 480, NULL);

	f = mem_zalloc(sizeof(*f), fork_destructor);
	if (!f)
		return ENOMEM;

	f->base = *base;
	for (i = 0; i < n && !err; i++, f->n++)
		err = target_set(&f->tg[i], cv[i], msg);
	for (i = 0; i < n && !err; i++)
		fwd_of(&fwdv[i], f, i);
	if (err)
		goto out;

	if (n > 1)
		elog(LOG_INFO, node_name(s->node), "route", "%r to %s: "
		     "forked to %zu devices%s", &msg->met, impu, n,
		     seq ? ", one after the other" : "");

	f->next = seq ? 1 : n;
	if (t)
		err = proxy_reforward(t, fwdv, seq ? 1 : n,
				      seq ? seq_resp : fork_resp, f);
	else
		err = proxy_fork(s->px, msg, fwdv, seq ? 1 : n,
				 seq ? seq_resp : fork_resp, f);

 out:
	mem_deref(f);
	return err;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Expected ladders: arrows matched against the messages a step produced.
 * Each arrow takes the first unused message it matches.  Arrows of one
 * sender in one call (Call-ID) must keep their listed order: a node
 * handles a dialog one message after the other.  Anything else may
 * interleave, since nodes run side by side on one event loop and a 200
 * and the NOTIFY behind it, or two calls through one proxy, may cross.
 * 'after: N' orders an arrow behind the step's arrow N across calls
 * (the third-party REGISTER after the 200 OK to the UE).  Strict windows
 * allow no extra message. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "diam.h"
#include "report.h"
#include "scen.h"
#include "engine.h"

enum { MAX_ARROWS = 128 };


static bool hdr_join(const struct sip_hdr *h, const struct sip_msg *msg,
		     void *arg)
{
	struct mbuf *mb = arg;
	(void)msg;

	if (mb->end)
		(void)mbuf_write_str(mb, ", ");
	(void)mbuf_write_pl(mb, &h->val);

	return false;
}


static bool http_hdr_join(const struct http_hdr *h, void *arg)
{
	struct mbuf *mb = arg;

	if (mb->end)
		(void)mbuf_write_str(mb, ", ");
	(void)mbuf_write_pl(mb, &h->val);

	return false;
}


/* All values of a header, joined as RFC 3261 7.3.1 allows. */
static char *hdr_value(const struct lrec *r, const char *name)
{
	struct mbuf *mb = mbuf_alloc(128);
	char *s = NULL;

	if (!mb)
		return NULL;

	if (r->dmsg)
		(void)diam_values(r->dmsg, name, mb);
	else if (r->hmsg)
		(void)http_msg_xhdr_apply(r->hmsg, true, name, http_hdr_join,
					  mb);
	else
		(void)sip_msg_xhdr_apply(r->msg, true, name, hdr_join, mb);
	if (mb->end) {
		mb->pos = 0;
		(void)mbuf_strdup(mb, &s, mb->end);
	}
	mem_deref(mb);

	return s;
}


static const char *proto_of(const struct lrec *r)
{
	return r->dmsg ? "diameter" : r->hmsg ? "http" : "sip";
}


static bool command_match(const struct yml *y, const yml_node *a,
			  const struct diam *d)
{
	const char *cmd = yml_str(yml_get(y, a, "command"));
	uint32_t code;
	bool req;

	/* scen.c saw to it that the command is one */
	return cmd && !diam_command_lookup(cmd, &code, &req) &&
		code == diam_command(d) && req == diam_is_request(d);
}


static bool basic_match(const struct yml *y, const yml_node *a,
			const struct lrec *r)
{
	const char *from = yml_str(yml_get(y, a, "from"));
	const char *to = yml_str(yml_get(y, a, "to"));
	const char *met = yml_str(yml_get(y, a, "method"));
	const char *st = yml_str(yml_get(y, a, "status"));
	const char *cseq = yml_str(yml_get(y, a, "cseq"));
	const char *tp = yml_str(yml_get(y, a, "transport"));

	if (str_cmp(from, r->src) || str_cmp(to, r->dst))
		return false;

	/* A lost message reached nobody: only an arrow that says so
	 * takes it; a retransmission is taken by any arrow unless it says
	 * which it wants. */
	if (!!(r->flags & MSGREC_LOST) !=
	    act_bool(y, a, "lost", false))
		return false;
	if (yml_get(y, a, "retransmission") &&
	    !!(r->flags & MSGREC_RETRANS) !=
	    act_bool(y, a, "retransmission", false))
		return false;

	if (tp && str_casecmp(tp, r->tp == SIP_TRANSP_TCP ? "tcp" : "udp"))
		return false;

	const char *proto = yml_str(yml_get(y, a, "proto"));
	const struct pl *rmet;
	bool req;
	uint16_t scode;

	if (proto && str_casecmp(proto, proto_of(r)))
		return false;

	/* a Diameter arrow names its command, SIP's and HTTP's a method
	 * or a status */
	if (r->dmsg || yml_get(y, a, "command"))
		return r->dmsg && command_match(y, a, r->dmsg);

	if (r->hmsg) {
		req = pl_isset(&r->hmsg->met);
		rmet = &r->hmsg->met;
		scode = r->hmsg->scode;
		if (cseq)
			return false;
	}
	else {
		req = r->msg->req;
		rmet = &r->msg->met;
		scode = r->msg->scode;
		if (cseq && pl_strcmp(&r->msg->cseq.met, cseq))
			return false;
	}

	if (met && (!req || pl_strcmp(rmet, met)))
		return false;

	if (st && (req || scode != atoi(st)))
		return false;

	return true;
}


/* headers: of SIP and HTTP, avp: of Diameter, by name to matcher */
static bool fields_match(struct engine *e, const struct lrec *r,
			 const yml_node *map, const char *what, char *why,
			 size_t wsz)
{
	const struct yml *y = e->y;
	char w[768];
	size_t i;

	for (i = 0; i < yml_count(map); i++) {
		const char *name = yml_str(yml_key(y, map, i));
		char *v = hdr_value(r, name);
		bool ok = match_value(e, yml_val(y, map, i), v, w,
				      sizeof(w));

		mem_deref(v);
		if (!ok) {
			(void)re_snprintf(why, wsz, "%s %s: %s", what, name,
					  w);
			return false;
		}
	}

	return true;
}


static bool full_match(struct engine *e, const yml_node *a,
		       const struct lrec *r, char *why, size_t wsz)
{
	const struct yml *y = e->y;
	yml_node *hdrs = yml_get(y, a, "headers");
	yml_node *body = yml_get(y, a, "body");
	yml_node *path = yml_get(y, a, "path");
	yml_node *uri = yml_get(y, a, "uri");
	char w[768];

	/* a SIP request's Request-URI */
	if (uri) {
		char *u = NULL;
		bool ok;

		if (r->msg && r->msg->req)
			(void)pl_strdup(&u, &r->msg->ruri);
		ok = match_value(e, uri, u, w, sizeof(w));
		mem_deref(u);
		if (!ok) {
			(void)re_snprintf(why, wsz, "uri: %s", w);
			return false;
		}
	}

	if (path) {
		char *p = NULL;
		bool ok;

		if (r->hmsg)
			(void)pl_strdup(&p, &r->hmsg->path);
		ok = match_value(e, path, p, w, sizeof(w));
		mem_deref(p);
		if (!ok) {
			(void)re_snprintf(why, wsz, "path: %s", w);
			return false;
		}
	}

	if (!fields_match(e, r, hdrs, "header", why, wsz) ||
	    !fields_match(e, r, yml_get(y, a, "avp"), "AVP", why, wsz))
		return false;

	if (body) {
		char *b = NULL;
		bool ok;

		struct mbuf *bm = r->hmsg ? r->hmsg->mb :
			r->msg ? r->msg->mb : NULL;

		if (bm)
			(void)re_sdprintf(&b, "%b", mbuf_buf(bm),
					  mbuf_get_left(bm));
		ok = match_value(e, body, b ? b : "", w, sizeof(w));
		mem_deref(b);
		if (!ok) {
			(void)re_snprintf(why, wsz, "body: %s", w);
			return false;
		}
	}

	return true;
}


static const char *arrow_str(char *buf, size_t sz, const struct yml *y,
			     const yml_node *a)
{
	const char *met = yml_str(yml_get(y, a, "method"));
	const char *cmd = yml_str(yml_get(y, a, "command"));

	(void)re_snprintf(buf, sz, "%s -> %s %s",
			  yml_str(yml_get(y, a, "from")),
			  yml_str(yml_get(y, a, "to")),
			  cmd ? cmd : met ? met :
			  yml_str(yml_get(y, a, "status")));

	return buf;
}


static bool ordered(const struct yml *y, const yml_node *a,
		    const yml_node *b, const struct lrec *ra,
		    const struct lrec *rb)
{
	if (str_cmp(yml_str(yml_get(y, a, "from")),
		    yml_str(yml_get(y, b, "from"))))
		return false;

	/* Cx goes beside the calls: in order with one sender's Cx only */
	if (!ra->dmsg != !rb->dmsg)
		return false;
	/* HTTP and Diameter have no Call-ID: one sender's requests are
	 * in order. */
	if (!ra->msg || !rb->msg)
		return true;

	return !pl_cmp(&ra->msg->callid, &rb->msg->callid);
}


/* An arrow's method (or status) and a message's agree. */
static bool same_kind(const struct yml *y, const yml_node *a,
		      const struct lrec *r)
{
	const char *met = yml_str(yml_get(y, a, "method"));
	const char *st = yml_str(yml_get(y, a, "status"));

	if (r->dmsg || yml_get(y, a, "command"))
		return r->dmsg && command_match(y, a, r->dmsg);
	if (r->hmsg)
		return met ? !pl_strcmp(&r->hmsg->met, met) :
			r->hmsg->scode == atoi(st);

	return met ? r->msg->req && !pl_strcmp(&r->msg->met, met) :
		!r->msg->req && r->msg->scode == atoi(st);
}


/* No message matched an arrow even loosely: say that none was sent, and
 * name the nearest ones the step did send, the same sender with the
 * same method or status first, then those to the same receiver. */
static void not_sent(struct engine *e, const yml_node *a, size_t i,
		     char *fail, size_t fsz)
{
	const struct yml *y = e->y;
	const char *from = yml_str(yml_get(y, a, "from"));
	const char *to = yml_str(yml_get(y, a, "to"));
	char ab[128], label[160];
	size_t pass, shown = 0, total = 0;
	struct mbuf *mb;
	struct le *le;

	for (le = e->window; le; le = le->next)
		++total;

	if (!total) {
		(void)re_snprintf(fail, fsz, "arrow %zu: expected %s, no "
				  "message came", i + 1,
				  arrow_str(ab, sizeof(ab), y, a));
		return;
	}

	mb = mbuf_alloc(256);
	if (!mb)
		return;

	for (pass = 0; pass < 2; pass++) {
		for (le = e->window; le && shown < 3; le = le->next) {
			const struct lrec *r = le->data;
			bool kin = !str_cmp(r->src, from) &&
				same_kind(y, a, r);

			if (pass == 0 ? !kin : kin || str_cmp(r->dst, to))
				continue;
			(void)ladder_label(label, sizeof(label), r->msg,
					   r->hmsg, r->dmsg);
			(void)mbuf_printf(mb, "%s#%zu %s -> %s %s",
					  shown ? ", " : "", r->idx, r->src,
					  r->dst, label);
			++shown;
		}
	}

	if (shown)
		(void)re_snprintf(fail, fsz, "arrow %zu: expected %s: no such"
				  " message was sent; nearest: %b", i + 1,
				  arrow_str(ab, sizeof(ab), y, a), mb->buf,
				  mb->end);
	else
		(void)re_snprintf(fail, fsz, "arrow %zu: expected %s: no such"
				  " message was sent, and none of the step's "
				  "%zu messages is from %s with it or to %s",
				  i + 1, arrow_str(ab, sizeof(ab), y, a),
				  total, from, to);
	mem_deref(mb);
}


/* The latest message among the earlier arrows an arrow's 'after' names,
 * and which arrow that is; NULL without 'after'. */
/* Where a message stands in the ladder's order: a retransmission where
 * its first copy went (record.c), any other where it is. */
static size_t order_of(const struct lrec *r)
{
	return r->order ? r->order : r->idx;
}


static const struct lrec *after_of(const struct yml *y, const yml_node *a,
				   struct lrec *const *pos, size_t *argp)
{
	const yml_node *n = yml_get(y, a, "after");
	const struct lrec *last = NULL;
	size_t j, cnt = yml_is_seq(n) ? yml_count(n) : n ? 1 : 0;

	for (j = 0; j < cnt; j++) {
		const yml_node *v = yml_is_seq(n) ? yml_item(y, n, j) : n;
		size_t k = (size_t)atol(yml_str(v));

		/* scen.c saw to it that k names an earlier arrow */
		if (!last || order_of(pos[k - 1]) > order_of(last)) {
			last = pos[k - 1];
			*argp = k;
		}
	}

	return last;
}


/* A repeated message a node passed on as it came (a
 * proxy forwards each copy of a 180) is a copy of one the arrows took. */
static bool copy_of_used(const struct engine *e, const struct lrec *r)
{
	const struct le *le;

	for (le = e->window; le; le = le->next) {
		const struct lrec *u = le->data;

		if (u != r && u->used && lrec_same(u, r))
			return true;
	}

	return false;
}


/* The first unused message of the window that arrow i matches, in
 * pos[i]; else EPROTO, and fail says what came instead. */
static int arrow_find(struct engine *e, const yml_node *arrows, size_t i,
		      struct lrec **pos, char *fail, size_t fsz)
{
	const struct yml *y = e->y;
	const yml_node *a = yml_item(y, arrows, i);
	struct lrec *first_basic = NULL, *found = NULL, *early = NULL;
	size_t after_arrow = 0;
	const struct lrec *lim = e->loose ? NULL :
		after_of(y, a, pos, &after_arrow);
	char why[1024], ab[128], ab2[128];
	struct le *le;

	why[0] = '\0';

	for (le = e->window; le; le = le->next) {
		struct lrec *r = le->data;

		if (r->used || !basic_match(y, a, r))
			continue;
		/* A retransmission stands in for its message only when the
		 * first copy was lost, or when the arrow asks for one; a
		 * copy of a message an arrow took is that arrow's. */
		if ((r->flags & MSGREC_RETRANS) && !r->first_lost &&
		    !yml_get(y, a, "retransmission"))
			continue;
		if (!(r->flags & MSGREC_RETRANS) && copy_of_used(e, r))
			continue;
		if (lim && order_of(r) <= order_of(lim)) {
			if (!early && full_match(e, a, r, ab2, sizeof(ab2)))
				early = r;
			continue;
		}
		/* the failure named is the first near miss's */
		if (full_match(e, a, r, first_basic ? ab2 : why,
			       first_basic ? sizeof(ab2) : sizeof(why))) {
			found = r;
			break;
		}
		if (!first_basic)
			first_basic = r;
	}

	if (found) {
		found->used = true;
		pos[i] = found;
		return 0;
	}

	if (early)
		(void)re_snprintf(fail, fsz, "arrow %zu (%s): message #%zu"
				  " came before #%zu of arrow %zu (%s), which"
				  " it must follow (after: %zu)", i + 1,
				  arrow_str(ab, sizeof(ab), y, a), early->idx,
				  lim->idx, after_arrow,
				  arrow_str(ab2, sizeof(ab2), y,
					    yml_item(y, arrows,
						     after_arrow - 1)),
				  after_arrow);
	else if (first_basic)
		(void)re_snprintf(fail, fsz, "arrow %zu (%s): message #%zu %s",
				  i + 1, arrow_str(ab, sizeof(ab), y, a),
				  first_basic->idx, why);
	else
		not_sent(e, a, i, fail, fsz);

	return EPROTO;
}


/* Arrows of one sender in one call keep their listed order. */
static int order_check(const struct yml *y, const yml_node *arrows,
		       size_t n, struct lrec *const *pos, char *fail,
		       size_t fsz)
{
	char ab[128], ab2[128];
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = i + 1; k < n; k++) {
			const yml_node *a = yml_item(y, arrows, i);
			const yml_node *b = yml_item(y, arrows, k);

			if (order_of(pos[k]) >= order_of(pos[i]) ||
			    !ordered(y, a, b, pos[i], pos[k]))
				continue;

			(void)re_snprintf(fail, fsz, "arrow %zu (%s) came"
					  " before arrow %zu (%s)", k + 1,
					  arrow_str(ab, sizeof(ab), y, b),
					  i + 1,
					  arrow_str(ab2, sizeof(ab2), y, a));
			return EPROTO;
		}
	}

	return 0;
}


static bool names_cx(const struct yml *y, const yml_node *arrows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (yml_get(y, yml_item(y, arrows, i), "command"))
			return true;
	}

	return false;
}


int expect_check(struct engine *e, const yml_node *arrows, bool strict,
		 char *fail, size_t fsz)
{
	const struct yml *y = e->y;
	struct lrec *pos[MAX_ARROWS];
	size_t i, n = yml_count(arrows);
	struct le *le;
	bool cx;

	if (n > MAX_ARROWS)
		n = MAX_ARROWS;

	for (le = e->window; le; le = le->next)
		((struct lrec *)le->data)->used = false;

	for (i = 0; i < n; i++) {
		if (arrow_find(e, arrows, i, pos, fail, fsz))
			return EPROTO;
	}

	if (!e->loose && order_check(y, arrows, n, pos, fail, fsz))
		return EPROTO;

	/* The arrows' notes go with their messages, for --step. */
	for (i = 0; i < n; i++) {
		const char *note = yml_str(yml_get(y, yml_item(y, arrows, i),
						   "note"));

		if (note)
			pos[i]->note = note;
	}

	if (!strict)
		return 0;

	cx = names_cx(y, arrows, n);
	for (le = e->window; le; le = le->next) {
		struct lrec *r = le->data;

		/* Cx is strict only where the step speaks of it */
		if (r->dmsg && !cx)
			continue;

		/* What a fault made (a loss, its retransmission, a copy)
		 * comes on top of the ladder, which still must appear. */
		if (r->used || (r->flags & (MSGREC_LOST | MSGREC_RETRANS |
					    MSGREC_DUP)))
			continue;
		if (e->loose && copy_of_used(e, r))
			continue;

		(void)re_snprintf(fail, fsz, "unexpected message #%zu %s",
				  r->idx, r->line);
		return EPROTO;
	}

	return 0;
}

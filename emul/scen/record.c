/* SPDX-License-Identifier: BSD-3-Clause */
/* The record of the wire: every SIP and HTTP message that a node sends
 * is decoded once, shown live (a ladder line or a diagram arrow, or
 * under --step the message, and the run paused at it), kept for the
 * expectations and the page, and keeps the step from settling while it
 * lasts; media is only counted, per direction. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "diam.h"
#include "report.h"
#include "scen.h"
#include "engine.h"


static void lrec_destructor(void *arg)
{
	struct lrec *r = arg;

	list_unlink(&r->le);
	mem_deref(r->msg);
	mem_deref(r->hmsg);
	mem_deref(r->dmsg);
	mem_deref(r->raw);
}


static void media_count(struct engine *e, const struct msgrec *rec)
{
	size_t i;

	for (i = 0; i < MEDIA_SUMS; i++) {
		struct media_sum *m = &e->media[i];

		if (!m->packets) {
			str_ncpy(m->src, rec->src, sizeof(m->src));
			str_ncpy(m->dst, rec->dst, sizeof(m->dst));
		}
		else if (strcmp(m->src, rec->src) ||
			 strcmp(m->dst, rec->dst)) {
			continue;
		}
		++m->packets;
		return;
	}
}


void engine_media_print(struct engine *e)
{
	size_t i;

	for (i = 0; i < MEDIA_SUMS && e->media[i].packets; i++) {
		if (!e->quiet)
			(void)re_printf("          %-11s -> %-11s media: %u"
					" SRTP packets\n", e->media[i].src,
					e->media[i].dst,
					e->media[i].packets);
	}

	memset(e->media, 0, sizeof(e->media));
}


/* What a fault did, and a retransmission, said on the ladder line. */
static void fault_mark(char *line, size_t sz, const struct msgrec *rec)
{
	size_t n = strlen(line);

	if (rec->flags & MSGREC_RETRANS)
		n += (size_t)re_snprintf(line + n, sz - n,
					 "  [retransmission]");
	if (n < sz && (rec->flags & MSGREC_LOST))
		n += (size_t)re_snprintf(line + n, sz - n, "  [lost]");
	if (n < sz && (rec->flags & MSGREC_DUP))
		n += (size_t)re_snprintf(line + n, sz - n, "  [duplicated]");
	if (n < sz && (rec->flags & MSGREC_DELAYED))
		n += (size_t)re_snprintf(line + n, sz - n,
					 "  [delayed %.3f s]",
					 (double)rec->delay_ms / 1000.0);
	if (n < sz && (rec->flags & MSGREC_HELD))
		(void)re_snprintf(line + n, sz - n, "  [held: reordered]");
}


/* The message of rec as the engine keeps it, with its ladder line. */
static int lrec_decode(struct lrec **rp, const struct msgrec *rec,
		       size_t idx, bool keep_raw)
{
	struct lrec *r = mem_zalloc(sizeof(*r), lrec_destructor);
	struct mbuf *mb = mbuf_alloc(rec->len);
	int err = ENOMEM;

	if (!r || !mb)
		goto out;

	(void)mbuf_write_mem(mb, rec->raw, rec->len);
	mb->pos = 0;
	if (!strcmp(rec->proto, "diameter")) {
		err = diam_decode(&r->dmsg, rec->raw, rec->len, NULL, 0);
		if (err)
			goto out;
	}
	else if (!strcmp(rec->proto, "http")) {
		bool req = rec->len < 5 || memcmp(rec->raw, "HTTP/", 5);

		err = http_msg_decode(&r->hmsg, mb, req);
		if (err)
			goto out;
		/* libre leaves the body behind the headers in mb. */
		err = mbuf_write_mem(r->hmsg->mb, mbuf_buf(mb),
				     mbuf_get_left(mb));
		if (err)
			goto out;
		r->hmsg->mb->pos = 0;
	}
	else {
		err = sip_msg_decode(&r->msg, mb);
		if (err)
			goto out;
	}

	r->idx = idx;
	/* a page shows Diameter as its AVPs, the rest as it went */
	if (keep_raw && r->dmsg)
		(void)re_sdprintf(&r->raw, "%H", diam_print, r->dmsg);
	else if (keep_raw)
		(void)re_sdprintf(&r->raw, "%b", rec->raw, rec->len);
	r->t = rec->t;
	r->tp = rec->tp;
	str_ncpy(r->src, rec->src, sizeof(r->src));
	str_ncpy(r->dst, rec->dst, sizeof(r->dst));
	if (r->dmsg)
		(void)ladder_diam_line(r->line, sizeof(r->line), r->t, r->src,
				       r->dst, r->dmsg);
	else if (r->hmsg)
		(void)ladder_http_line(r->line, sizeof(r->line), r->t, r->src,
				       r->dst, r->hmsg);
	else
		(void)ladder_line(r->line, sizeof(r->line), r->t, r->src,
				  r->dst, r->msg);
	r->flags = rec->flags;
	fault_mark(r->line, sizeof(r->line), rec);
 out:
	mem_deref(mb);
	if (err)
		mem_deref(r);
	else
		*rp = r;

	return err;
}


/* The newest record, live: an arrow, or its line; and into the ladder
 * that --golden and JUnit compare. */
/* The column view's label says what happened too, briefly. */
static void fault_note(char *label, size_t sz, unsigned flags)
{
	size_t n = strlen(label);

	if (flags & (MSGREC_LOST | MSGREC_DUP | MSGREC_DELAYED |
		     MSGREC_HELD | MSGREC_RETRANS))
		(void)re_snprintf(label + n, sz - n, " [%s]",
				  flags & MSGREC_LOST ? "lost" :
				  flags & MSGREC_DUP ? "dup" :
				  flags & MSGREC_DELAYED ? "late" :
				  flags & MSGREC_HELD ? "held" : "again");
}


static void lrec_show(struct engine *e, const struct lrec *l)
{
	/* --no-cx hides Cx from people, not from the ladder compared */
	bool shown = !e->quiet && !(l->dmsg && e->no_cx);

	if (shown && e->diagram) {
		char label[160];

		(void)ladder_label(label, sizeof(label), l->msg, l->hmsg,
				   l->dmsg);
		fault_note(label, sizeof(label), l->flags);
		diagram_arrow(e->diagram, l->t, l->src, l->dst, label);
	}
	else if (shown) {
		(void)re_printf("%s\n", l->line);
	}
	if (e->ladder)
		(void)mbuf_printf(e->ladder, "%s\n", l->line);
}


/* Two records of one SIP message: the same kind, Call-ID, CSeq and top
 * Via branch, between the same two nodes. */
bool lrec_same(const struct lrec *a, const struct lrec *b)
{
	const struct sip_msg *x = a->msg, *y = b->msg;

	return x && y && x->req == y->req && x->scode == y->scode &&
		!strcmp(a->src, b->src) && !strcmp(a->dst, b->dst) &&
		!pl_cmp(&x->met, &y->met) && !pl_cmp(&x->callid, &y->callid) &&
		x->cseq.num == y->cseq.num &&
		!pl_cmp(&x->cseq.met, &y->cseq.met) &&
		!pl_cmp(&x->via.branch, &y->via.branch);
}


/* Where a retransmission stands for the ladder's order: where its
 * message first went, and whether that first copy was lost. */
static void first_copy(const struct engine *e, struct lrec *r)
{
	struct le *le;

	r->order = r->idx;
	if (!(r->flags & MSGREC_RETRANS))
		return;

	for (le = e->recs.head; le; le = le->next) {
		const struct lrec *o = le->data;

		if (o != r && !(o->flags & MSGREC_RETRANS) &&
		    lrec_same(o, r)) {
			r->order = o->idx;
			r->first_lost = o->flags & MSGREC_LOST;
			return;
		}
	}
}


static void rec_handler(const struct msgrec *rec, void *arg)
{
	struct engine *e = arg;
	struct lrec *r;

	if (e->finished)
		return;

	if (!strcmp(rec->proto, "rtp")) {
		media_count(e, rec);
		return;
	}

	/* serve -q without a page: nothing to show or keep, so nothing to
	 * decode (a quarter of a served core's CPU). */
	if (e->forget && e->quiet)
		return;

	if (lrec_decode(&r, rec, list_count(&e->recs) + 1, e->keep_raw))
		return;

	list_append(&e->recs, &r->le, r);
	if (!e->window)
		e->window = &r->le;

	first_copy(e, r);
	lrec_show(e, r);
	engine_present_msg(e, r);
	if (e->rech)
		e->rech(r, e->rech_arg);

	/* A served core runs for hours: keep only what a page needs. */
	if (e->forget) {
		mem_deref(r);
		e->window = NULL;
	}

	/* Still busy: the step settles only once the wire is quiet. */
	if (e->settling)
		wtmr_start(&e->tmr_settle, (uint64_t)(e->settle * 1000),
			  engine_settled, e);
}


int engine_listen(struct engine *e)
{
	return msgrec_listen(&e->lsnr, rec_handler, e);
}

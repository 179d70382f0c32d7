/* SPDX-License-Identifier: BSD-3-Clause */
/* The transaction layer's core: one per SIP stack, a hash of its
 * transactions by key, and the engine that reads the tables of
 * tsx_fsm.c.  An event finds its rule, the timers it stops stop, the
 * state moves (logged as node{STATE}: event X -> Y under -v), the
 * actions run in the rule's order, the timers it starts start, and a
 * transaction in Terminated leaves the layer at once (RFC 3261 17.1.1.2:
 * "MUST be destroyed immediately").  The layer holds a reference to each
 * transaction; the TU holds a tsxh, which detaches it when dropped.  All
 * timers are on the one wheel (wtmr.c); a transaction needs two slots,
 * one for its retransmissions (A, E, G) and one for the rest. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "tsx.h"
#include "tsxint.h"

/* libre's sender, exported but not in its public headers: unlike
 * sip_send() it reports a TCP connection that fails (8.1.3.1). */
typedef void (sip_transp_h)(int err, void *arg);
int sip_transp_send(struct sip_connqent **qentp, struct sip *sip, void *sock,
		    enum sip_transp tp, const struct sa *dst, struct mbuf *mb,
		    sip_transp_h *transph, void *arg);

static const struct tsx_cfg cfg_default = {500, 4000, 5000};

/* Transactions that resend until an answer or an ACK comes: while any
 * does, the network has not settled (a scenario's step waits). */
static uint32_t resending;


static void key_put(struct tsx_keyb *k, const char *p, size_t n)
{
	/* an absent part (a request without From tag) is a pl of none */
	if (!n)
		return;
	if (k->full || !p || n >= k->left) {
		k->full = true;
		return;
	}

	memcpy(k->p, p, n);
	k->p += n;
	k->left -= n;
}


void tsx_key_init(struct tsx_keyb *k, char *buf, size_t sz, const char *tag)
{
	k->p = buf;
	k->left = sz;
	k->full = !sz;
	key_put(k, tag, strlen(tag));
}


void tsx_key_pl(struct tsx_keyb *k, const struct pl *pl)
{
	key_put(k, "|", 1);
	key_put(k, pl->p, pl->l);
}


void tsx_key_u32(struct tsx_keyb *k, uint32_t v)
{
	char d[10];
	size_t n = 0;

	do {
		d[sizeof(d) - ++n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);

	key_put(k, "|", 1);
	key_put(k, d + sizeof(d) - n, n);
}


int tsx_key_end(struct tsx_keyb *k)
{
	if (k->full || !k->left)
		return ENOMEM;

	*k->p = '\0';
	return 0;
}


static bool resends(unsigned id)
{
	return id == TSX_A || id == TSX_E || id == TSX_G || id == TSX_T2XX;
}


void tsx_rt_stop(struct tsx *t)
{
	if (wtmr_isrunning(&t->rt) && resends(t->rt_id))
		--resending;
	wtmr_cancel(&t->rt);
}


uint32_t tsx_resending(void)
{
	return resending;
}


static void layer_destructor(void *arg)
{
	struct tsxl *l = arg;
	uint32_t i;

	/* Each ends: unlinked, timers stopped, the TU detached. */
	for (i = 0; l->ht && i < hash_bsize(l->ht); i++) {
		struct list *lst = hash_list(l->ht, i);

		while (lst->head)
			tsx_end(lst->head->data);
	}
	mem_deref(l->ht);
	mem_deref(l->acks);
}


int tsxl_alloc(struct tsxl **lp, struct sip *sip, const char *id)
{
	struct tsxl *l;
	int err;

	if (!lp || !sip)
		return EINVAL;

	l = mem_zalloc(sizeof(*l), layer_destructor);
	if (!l)
		return ENOMEM;

	l->sip = sip;
	l->id = id ? id : "";
	l->cfg = cfg_default;
	/* Small to start: the table grows with the transactions. */
	err  = hash_alloc(&l->ht, 256);
	err |= hash_alloc(&l->acks, 256);
	if (err) {
		mem_deref(l);
		return ENOMEM;
	}

	*lp = l;

	return 0;
}


void tsxl_set_cfg(struct tsxl *l, const struct tsx_cfg *cfg)
{
	if (l && cfg && cfg->t1 && cfg->t2 && cfg->t4)
		l->cfg = *cfg;
}


uint32_t tsxl_count(const struct tsxl *l)
{
	return l ? l->count : 0;
}


const struct tsxl_stats *tsxl_stats(const struct tsxl *l)
{
	return l ? &l->stats : NULL;
}


static bool node_tap(const struct sip_msg *msg, void *stack)
{
	return tsxl_recv(stack, msg);
}


/* A node's layer, made with the first call for it: each node kind asks
 * in its constructor, so it is there before the first message. */
struct tsxl *tsx_of(struct node *n)
{
	struct tsxl *l = node_stack(n);

	if (l || !n)
		return l;

	if (tsxl_alloc(&l, node_sip(n), node_name(n)))
		return NULL;

	node_set_stack(n, l, node_tap);

	return l;
}


bool tsxl_recv(struct tsxl *l, const struct sip_msg *msg)
{
	if (!l || !msg)
		return false;

	++l->stats.received;
	return msg->req ? tsx_server_recv(l, msg) : tsx_client_recv(l, msg);
}


static void tsx_destructor(void *arg)
{
	struct tsx *t = arg;

	hash_unlink(&t->he);
	hash_unlink(&t->he_ack);
	tsx_rt_stop(t);
	wtmr_cancel(&t->to);
	if (t->h)
		t->h->t = NULL;
	mem_deref(t->qent);
	mem_deref(t->sock);
	mem_deref(t->key);
	mem_deref(t->dkey);
	mem_deref(t->dtag);
	mem_deref(t->req);
	mem_deref(t->out);
	mem_deref(t->ack);
}


/* A core node holds every user's transactions for up to 32 s (Timer J
 * over UDP): the table grows fourfold whenever it holds four times its
 * buckets, so a lookup stays a short walk whatever the load, and the
 * move is paid for once per doubling of the load. */
static void grow(struct tsxl *l)
{
	struct hash *ht;
	uint32_t i, n = hash_bsize(l->ht);

	if (l->count <= 4 * n || n >= (1u << 20) ||
	    hash_alloc(&ht, 4 * n))
		return;

	for (i = 0; i < n; i++) {
		struct list *lst = hash_list(l->ht, i);
		struct le *le;

		while ((le = list_head(lst)) != NULL) {
			struct tsx *t = le->data;

			hash_unlink(&t->he);
			hash_append(ht, hash_joaat_str(t->key), &t->he, t);
		}
	}

	mem_deref(l->ht);
	l->ht = ht;
}


int tsx_alloc(struct tsx **tp, struct tsxl *l, enum tsx_kind kind,
	      const char *key)
{
	struct tsx *t = mem_zalloc(sizeof(*t), tsx_destructor);

	if (!t)
		return ENOMEM;

	t->l = l;
	t->kind = kind;
	fsm_init(&t->fsm, tsx_fsm(kind), l->id, TSX_INIT);
	if (str_dup(&t->key, key)) {
		mem_deref(t);
		return ENOMEM;
	}

	hash_append(l->ht, hash_joaat_str(key), &t->he, t);
	++l->count;
	grow(l);
	*tp = t;

	return 0;
}


static bool key_cmp(struct le *le, void *arg)
{
	const struct tsx *t = le->data;

	return 0 == strcmp(t->key, arg);
}


struct tsx *tsx_find(const struct tsxl *l, const char *key)
{
	return list_ledata(hash_lookup(l->ht, hash_joaat_str(key), key_cmp,
				       (void *)key));
}


/* The transaction leaves the layer: what holds it still may read it. */
void tsx_end(struct tsx *t)
{
	if (!t || !t->l)
		return;

	hash_unlink(&t->he);
	hash_unlink(&t->he_ack);
	tsx_rt_stop(t);
	wtmr_cancel(&t->to);
	t->qent = mem_deref(t->qent);
	--t->l->count;
	t->l = NULL;
	t->resph = NULL;
	t->cancelh = NULL;
	mem_deref(t);
}


static void hold_destructor(void *arg)
{
	struct tsxh *h = arg;

	if (!h->t)
		return;

	h->t->h = NULL;
	h->t->resph = NULL;
	h->t->cancelh = NULL;
}


int tsx_hold(struct tsxh **hp, struct tsx *t)
{
	struct tsxh *h;

	if (!hp)
		return 0;

	if (*hp && (*hp)->t == t)
		return 0;

	h = mem_zalloc(sizeof(*h), hold_destructor);
	if (!h)
		return ENOMEM;

	/* One hold per transaction: a new one replaces the old. */
	if (t->h)
		t->h->t = NULL;
	h->t = t;
	h->hp = hp;
	t->h = h;
	mem_deref(*hp);
	*hp = h;

	return 0;
}


/* The TU is about to have its final answer: as libre does with its
 * requests, the pointer the TU keeps its hold in is cleared first (the
 * handler may free what holds that pointer, or put a new request in
 * it), and the hold goes once the handler has run (tsx_release). */
void tsx_unhold(struct tsx *t)
{
	struct tsxh *h = t->h;

	if (!h || !h->hp)
		return;

	if (*h->hp == h)
		*h->hp = NULL;
	h->hp = NULL;
}


void tsx_release(struct tsx *t)
{
	struct tsxh *h = t->h;

	if (h && !h->hp)
		mem_deref(h);
}


enum tsx_event tsx_resp_event(uint16_t scode)
{
	return scode < 200 ? TSX_EV_1XX : scode < 300 ? TSX_EV_2XX :
		TSX_EV_FINAL;
}


static void transp_handler(int err, void *arg)
{
	struct tsx *t = arg;

	t->qent = NULL;
	if (err && t->l)
		tsx_event(t, TSX_EV_TPERR, NULL);
}


/* Every message the layer puts on the wire goes through here, counted. */
int tsxl_send(struct tsxl *l, void *sock, enum sip_transp tp,
	      const struct sa *dst, struct mbuf *mb)
{
	if (!l || !dst || !mb)
		return EINVAL;

	++l->stats.sent;
	return sip_send(l->sip, sock, tp, dst, mb);
}


int tsx_send(struct tsx *t, struct mbuf *mb)
{
	struct sa laddr;
	int err;

	if (!t->l || !mb)
		return EINVAL;

	mb->pos = 0;
	if (t->sock || t->tp == SIP_TRANSP_UDP)
		return tsxl_send(t->l, t->sock, t->tp, &t->dst, mb);

	/* A new TCP connection leaves from the node's own address. */
	if (!sip_transp_laddr(t->l->sip, &laddr, t->tp, &t->dst))
		netguard_bind_hint(&laddr);
	t->qent = mem_deref(t->qent);
	++t->l->stats.sent;
	err = sip_transp_send(&t->qent, t->l->sip, NULL, t->tp, &t->dst, mb,
			      transp_handler, t);
	netguard_bind_hint(NULL);

	return err;
}


static void timer_fired(struct tsx *t, bool rt)
{
	unsigned id = rt ? t->rt_id : t->to_id;

	if (rt) {
		++t->rt_n;
		if (resends(id))
			--resending;
	}

	if (id < TSX_TIMERS) {
		tsx_event(t, TSX_EV_OF(id), NULL);
		return;
	}

	tsx_server_timer(t, id);
}


static void rt_handler(void *arg)
{
	timer_fired(arg, true);
}


static void to_handler(void *arg)
{
	timer_fired(arg, false);
}


/* Timer id for ms: A, E, G and the 2xx resends on the retransmission
 * slot, the rest on the other. */
void tsx_timer(struct tsx *t, unsigned id, uint64_t ms)
{
	bool rt = id == TSX_A || id == TSX_E || id == TSX_G ||
		id == TSX_T2XX || id == TSX_T100;

	if (ms == UINT64_MAX)
		return;

	if (rt) {
		tsx_rt_stop(t);
		t->rt_id = (uint8_t)id;
		if (resends(id))
			++resending;
		wtmr_start(&t->rt, ms, rt_handler, t);
	}
	else {
		t->to_id = (uint8_t)id;
		wtmr_start(&t->to, ms, to_handler, t);
	}
}


static void timers_stop(struct tsx *t, uint16_t mask)
{
	if (wtmr_isrunning(&t->rt) && t->rt_id < TSX_TIMERS &&
	    (mask & TSX_T(t->rt_id)))
		tsx_rt_stop(t);
	if (wtmr_isrunning(&t->to) && t->to_id < TSX_TIMERS &&
	    (mask & TSX_T(t->to_id)))
		wtmr_cancel(&t->to);
}


static void timers_start(struct tsx *t, uint16_t mask)
{
	unsigned id;

	for (id = 0; id < TSX_TIMERS; id++) {
		if (!(mask & TSX_T(id)))
			continue;
		tsx_timer(t, id, tsx_timer_ms((enum tsx_timer)id,
					      &t->l->cfg, t->reliable,
					      (enum tsx_state)t->fsm.state,
					      t->rt_n));
	}
}


void tsx_event(struct tsx *t, enum tsx_event ev, const struct sip_msg *msg)
{
	const struct tsx_rule *r;
	bool server = t->kind == TSX_IST || t->kind == TSX_NIST;

	if (!t->l)
		return;

	r = tsx_rule(t->kind, (enum tsx_state)t->fsm.state, ev);
	if (!r) {
		elog(LOG_DEBUG, t->l->id, tsx_kind_name(t->kind),
		     "%s{%s}: event %s not permitted", t->l->id,
		     tsx_state_name((enum tsx_state)t->fsm.state),
		     tsx_event_name(ev));
		return;
	}

	/* The TU may drop its hold from a handler the actions call. */
	mem_ref(t);
	timers_stop(t, r->stop);
	if (r->next != t->fsm.state)
		t->rt_n = 0;
	(void)fsm_event(&t->fsm, ev, r->next);

	if (server)
		tsx_server_act(t, r->act);
	else
		tsx_client_act(t, r->act, msg);

	if (t->l && r->next != TSX_TERMINATED)
		timers_start(t, r->start);
	if (t->l && r->next == TSX_TERMINATED)
		tsx_end(t);
	mem_deref(t);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* The in-process CSCFs ask the HSS by C call, but every exchange is
 * recorded as the Diameter it stands for (proto "diameter" over TCP to
 * the HSS's port 3868): the request a CSCF would send, the answer the
 * HSS's Diameter server would give (the same builders), and once per
 * peer the CER/CEA that opens a connection.  Nothing is built while
 * nobody records: a benchmark pays nothing for it. */

#include <string.h>
#include <re.h>
#include "diam.h"
#include "host.h"
#include "hss.h"
#include "hssint.h"
#include <sqlite3.h>
#include "storeint.h"

enum { DIAM_PORT = 3868 };

struct dpeer {
	struct le le;
	char name[64];
};

/* One side of a recorded exchange. */
struct side {
	const char *name;
	struct sa addr;
	struct diam_node dn;
};


int hss_set_diameter(struct hss *hss, const char *host, const struct sa *addr)
{
	char *h = NULL;

	if (!hss || !addr)
		return EINVAL;

	if (host && str_dup(&h, host))
		return ENOMEM;
	if (h) {
		mem_deref(hss->dhost);
		hss->dhost = h;
	}
	hss->daddr = *addr;

	return 0;
}


int hss_diameter_listen(struct hss *hss)
{
	if (!hss || !sa_isset(&hss->daddr, SA_ALL))
		return EINVAL;
	if (hss->dsrv)
		return 0;

	return cx_server_alloc(&hss->dsrv, hss, &hss->daddr);
}


unsigned hss_diameter_peers(const struct hss *hss, struct mbuf *mb)
{
	return hss ? cx_server_peers(hss->dsrv, mb) : 0;
}


bool hss_diameter_listening(const struct hss *hss)
{
	return hss && hss->dsrv;
}


void hss_diameter_node(const struct hss *hss, struct diam_node *dn)
{
	if (!hss || !dn)
		return;

	dn->host = hss->dhost;
	dn->realm = hss->realm;
	dn->addr = sa_isset(&hss->daddr, SA_ADDR) ? &hss->daddr : NULL;
}


static void side_hss(struct side *s, const struct hss *hss)
{
	memset(s, 0, sizeof(*s));
	s->name = hss->name;
	s->addr = hss->daddr;
	hss_diameter_node(hss, &s->dn);
	s->dn.addr = &s->addr;
}


/* A CSCF as a Diameter client: its own address, the Diameter port. */
static void side_node(struct side *s, const struct node *n,
		      const struct hss *hss)
{
	memset(s, 0, sizeof(*s));
	s->name = node_name(n);
	s->addr = *node_addr(n);
	sa_set_port(&s->addr, DIAM_PORT);
	s->dn.host = node_host(n);
	s->dn.realm = hss->realm;
	s->dn.addr = &s->addr;
}


static void emit(const struct side *src, const struct side *dst,
		 const struct diam *d)
{
	struct mbuf *mb = NULL;
	struct msgrec rec;

	if (!d || diam_encode(d, &mb))
		return;

	memset(&rec, 0, sizeof(rec));
	rec.t = emul_time();
	rec.proto = "diameter";
	rec.tp = SIP_TRANSP_TCP;
	rec.src = src->name;
	rec.dst = dst->name;
	rec.src_addr = src->addr;
	rec.dst_addr = dst->addr;
	rec.raw = mb->buf;
	rec.len = mb->end;
	msgrec_emit(&rec);

	mem_deref(mb);
}


static uint32_t next_id(struct hss *hss)
{
	return ++hss->dseq;
}


static void stamp(struct hss *hss, struct diam *d)
{
	uint32_t id = next_id(hss);

	(void)diam_set_hbh(d, id);
	(void)diam_set_e2e(d, id);
}


/* RFC 6733 5.3: the first exchange on a connection is the
 * capabilities', once for each node that talks to this HSS. */
static void connect_once(struct hss *hss, const struct side *c,
			 const struct side *h)
{
	struct diam *cer = NULL, *cea = NULL;
	struct dpeer *p;
	struct le *le;

	for (le = hss->dpeers.head; le; le = le->next) {
		p = le->data;
		if (!strcmp(p->name, c->name))
			return;
	}

	p = mem_zalloc(sizeof(*p), NULL);
	if (!p)
		return;
	str_ncpy(p->name, c->name, sizeof(p->name));
	list_append(&hss->dpeers, &p->le, p);

	if (!diam_cer(&cer, &c->dn)) {
		stamp(hss, cer);
		emit(c, h, cer);
		if (!diam_cea(&cea, cer, &h->dn, 2001))
			emit(h, c, cea);
	}
	mem_deref(cer);
	mem_deref(cea);
}


/* What each call returned, for its answer. */
struct cx_got {
	int err;
	const struct cx_uaa *uaa;
	const struct cx_maa *maa;
	const struct cx_saa *saa;
	const struct cx_lia *lia;
	enum cx_result code;            /* RTA, PPA */
};


static int saa(struct diam **ap, struct hss *hss, const struct diam *req,
	       const struct diam_node *self, const struct cx_ask *a,
	       const struct cx_saa *s)
{
	struct mbuf *ud = NULL;
	int err;

	(void)cx_user_data(&ud, hss, a->impu, s);
	err = cxw_saa(ap, req, self, a, s, ud);
	mem_deref(ud);

	return err;
}


static int answer(struct diam **ap, struct hss *hss,
		  const struct diam *req, const struct diam_node *self,
		  const struct cx_ask *a, const struct cx_got *g)
{
	/* a database fault is the HSS's DIAMETER_UNABLE_TO_COMPLY */
	if (g->err)
		return cxw_result(ap, req, self, CX_UNABLE_TO_COMPLY);

	switch (a->cmd) {

	case CX_CMD_UAR: return cxw_uaa(ap, req, self, a, g->uaa);
	case CX_CMD_MAR: return cxw_maa(ap, req, self, a, g->maa);
	case CX_CMD_SAR: return saa(ap, hss, req, self, a, g->saa);
	case CX_CMD_LIR: return cxw_lia(ap, req, self, g->lia);
	default:         return cxw_result(ap, req, self, g->code);
	}
}


/* The request from client to server and its answer back; client is
 * the CSCF but for RTR and PPR, which the HSS sends. */
static void record(struct hss *hss, const struct node *n,
		   const struct cx_ask *a, const struct cx_got *g)
{
	struct diam *req = NULL, *ans = NULL;
	bool push = a->cmd == CX_CMD_RTR || a->cmd == CX_CMD_PPR;
	struct side c, h;
	const struct side *from, *to;
	char sid[192];

	side_node(&c, n, hss);
	side_hss(&h, hss);
	connect_once(hss, &c, &h);

	from = push ? &h : &c;
	to = push ? &c : &h;
	/* RFC 6733 8.8: <DiameterIdentity>;<high 32 bits>;<low 32 bits> */
	(void)re_snprintf(sid, sizeof(sid), "%s;1;%u", from->dn.host,
			  next_id(hss));

	if (cxw_request(&req, &from->dn, &to->dn, sid, a))
		goto out;
	stamp(hss, req);
	emit(from, to, req);

	if (!answer(&ans, hss, req, &to->dn, a, g))
		emit(to, from, ans);
 out:
	mem_deref(req);
	mem_deref(ans);
}


static bool recording(const struct node *n, const struct hss *hss)
{
	return n && hss && node_tracing();
}


static void ask_init(struct cx_ask *a, enum cx_cmd cmd, const char *impi,
		     const char *impu)
{
	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	if (impi)
		str_ncpy(a->impi, impi, sizeof(a->impi));
	if (impu)
		str_ncpy(a->impu, impu, sizeof(a->impu));
}


int cx_uar(const struct node *from, struct hss *hss, const char *impi,
	   const char *impu, enum cx_uar_type type, struct cx_uaa *uaa)
{
	struct cx_got g = {0};
	struct cx_ask a;

	g.err = hss_uar(hss, impi, impu, type, uaa);
	if (!recording(from, hss))
		return g.err;

	ask_init(&a, CX_CMD_UAR, impi, impu);
	str_ncpy(a.visited, hss->realm, sizeof(a.visited));
	a.type = type;
	g.uaa = uaa;
	record(hss, from, &a, &g);

	return g.err;
}


int cx_mar(const struct node *from, struct hss *hss, const char *impi,
	   const char *impu, const char *scheme, const char *server,
	   unsigned n, struct cx_maa *maa)
{
	struct cx_got g = {0};
	struct cx_ask a;

	g.err = hss_mar_vectors(hss, impi, impu, scheme, server, n, maa);
	if (!recording(from, hss))
		return g.err;

	ask_init(&a, CX_CMD_MAR, impi, impu);
	str_ncpy(a.server, server, sizeof(a.server));
	str_ncpy(a.scheme, scheme ? scheme : "Unknown", sizeof(a.scheme));
	a.nitems = n;
	g.maa = maa;
	record(hss, from, &a, &g);

	return g.err;
}


int cx_mar_resync(const struct node *from, struct hss *hss,
		  const char *impi, const char *impu, const char *scheme,
		  const char *server, const uint8_t rand[16],
		  const uint8_t auts[14], struct cx_maa *maa)
{
	struct cx_got g = {0};
	struct cx_ask a;

	g.err = hss_mar_resync(hss, impi, impu, scheme, server, rand, auts,
			       maa);
	if (!recording(from, hss))
		return g.err;

	/* TS 29.229 6.3.10: SIP-Authorization is RAND || AUTS */
	ask_init(&a, CX_CMD_MAR, impi, impu);
	str_ncpy(a.server, server, sizeof(a.server));
	str_ncpy(a.scheme, scheme ? scheme : "Unknown", sizeof(a.scheme));
	a.nitems = 1;
	memcpy(a.authz, rand, 16);
	memcpy(a.authz + 16, auts, 14);
	a.authzlen = 30;
	g.maa = maa;
	record(hss, from, &a, &g);

	return g.err;
}


int cx_sar(const struct node *from, struct hss *hss, const char *impi,
	   const char *impu, const char *server, enum cx_sar_type type,
	   struct cx_saa *saa)
{
	struct cx_got g = {0};
	struct cx_ask a;

	g.err = hss_sar(hss, impi, impu, server, type, saa);
	if (!recording(from, hss))
		return g.err;

	ask_init(&a, CX_CMD_SAR, impi, impu);
	str_ncpy(a.server, server, sizeof(a.server));
	a.type = type;
	g.saa = saa;
	record(hss, from, &a, &g);

	return g.err;
}


int cx_lir(const struct node *from, struct hss *hss, const char *impu,
	   struct cx_lia *lia)
{
	struct cx_got g = {0};
	struct cx_ask a;

	g.err = hss_lir(hss, impu, lia);
	if (!recording(from, hss))
		return g.err;

	ask_init(&a, CX_CMD_LIR, NULL, impu);
	g.lia = lia;
	record(hss, from, &a, &g);

	return g.err;
}


/* The HSS's own requests (cx_push.c): RTR and PPR to the S-CSCF n. */
void cx_trace_push(struct hss *hss, const struct node *n,
		   const struct cx_ask *a, enum cx_result code)
{
	struct cx_got g = {0};

	if (!recording(n, hss))
		return;

	g.code = code;
	record(hss, n, a, &g);
}

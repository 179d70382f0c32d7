/* SPDX-License-Identifier: BSD-3-Clause */
/* The P-CSCF's side of the security agreement (RFC 3329, TS 33.203 7.2,
 * TS 24.229 5.2.2): a REGISTER's Security-Client (ipsec-3gpp) is
 * answered by a Security-Server in the 401, the protected REGISTER's
 * Security-Verify must repeat it (494 otherwise), and none of them, nor
 * the sec-agree option tag, goes past the P-CSCF.  The agreement is
 * negotiated and kept per UE flow until its registration ends or
 * fails; without ESP (issue 13, not built) the
 * negotiated ports and SPIs carry nothing and the UE goes on using the
 * P-CSCF's ordinary port. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "pcscf_sec.h"

struct secmem {
	struct le he;
	struct sa flow;
	char *server;           /* the Security-Server value it was sent */
	char impu[256];         /* whose 401 brought the keys */
	char ik[33], ck[33];    /* TS 33.203 7.1: the P-CSCF keeps them */
};

struct pcscf_sec {
	struct hash *by_flow;
	uint16_t port_c, port_s;
};


static void secmem_destructor(void *arg)
{
	struct secmem *m = arg;

	hash_unlink(&m->he);
	mem_deref(m->server);
}


static void sec_destructor(void *arg)
{
	struct pcscf_sec *ps = arg;

	hash_flush(ps->by_flow);
	mem_deref(ps->by_flow);
}


int pcscf_sec_alloc(struct pcscf_sec **psp, const struct sa *laddr)
{
	struct pcscf_sec *ps;

	if (!psp || !laddr)
		return EINVAL;

	ps = mem_zalloc(sizeof(*ps), sec_destructor);
	if (!ps)
		return ENOMEM;

	/* TS 33.203 7.1: the P-CSCF's protected client and server ports */
	ps->port_c = (uint16_t)(sa_port(laddr) + 2);
	ps->port_s = (uint16_t)(sa_port(laddr) + 4);
	if (hash_alloc(&ps->by_flow, 64)) {
		mem_deref(ps);
		return ENOMEM;
	}

	*psp = ps;
	return 0;
}


static bool flow_cmp(struct le *le, void *arg)
{
	const struct secmem *m = le->data;

	return sa_cmp(&m->flow, arg, SA_ALL);
}


static struct secmem *secmem_of(const struct pcscf_sec *ps,
				const struct sa *flow)
{
	return list_ledata(hash_lookup(ps->by_flow, sa_hash(flow, SA_ALL),
				       flow_cmp, (void *)flow));
}


/* The first ipsec-3gpp offer and what of it we take: TS 33.203 7.2
 * lists hmac-md5-96 and hmac-sha-1-96, ealg null, aes-cbc, des-ede3-cbc. */
static bool offer_hdr(const struct sip_hdr *hdr, const struct sip_msg *msg,
		      void *arg)
{
	struct pl *alg = arg, a, e;
	(void)msg;

	if (hdr->val.l < 10 || strncasecmp(hdr->val.p, "ipsec-3gpp", 10) ||
	    re_regex(hdr->val.p, hdr->val.l, ";[ \t]*alg=[^; \t]+", NULL, &a))
		return false;

	if (pl_strcasecmp(&a, "hmac-sha-1-96") &&
	    pl_strcasecmp(&a, "hmac-md5-96"))
		return false;

	alg[0] = a;
	if (re_regex(hdr->val.p, hdr->val.l, ";[ \t]*ealg=[^; \t]+", NULL,
		     &e) || (pl_strcasecmp(&e, "null") &&
			     pl_strcasecmp(&e, "aes-cbc") &&
			     pl_strcasecmp(&e, "des-ede3-cbc")))
		pl_set_str(&alg[1], "null");
	else
		alg[1] = e;

	return true;
}


static int offer(struct pcscf_sec *ps, struct proxy *px,
		 const struct sip_msg *msg, char **linep)
{
	struct pl alg[2];
	struct secmem *m;
	int err;

	if (!sip_msg_hdr_apply(msg, true, SIP_HDR_SECURITY_CLIENT, offer_hdr,
			       alg)) {
		(void)proxy_reply_reason(px, msg, 494,
					 "No ipsec-3gpp Mechanism In Common");
		return EPROTO;
	}

	m = secmem_of(ps, &msg->src);
	if (!m) {
		m = mem_zalloc(sizeof(*m), secmem_destructor);
		if (!m)
			return ENOMEM;
		m->flow = msg->src;
		hash_append(ps->by_flow, sa_hash(&m->flow, SA_ALL), &m->he,
			    m);
	}

	m->server = mem_deref(m->server);
	err = re_sdprintf(&m->server, "ipsec-3gpp;q=0.1;alg=%r;ealg=%r;"
			  "spi-c=%u;spi-s=%u;port-c=%u;port-s=%u", &alg[0],
			  &alg[1], (uint32_t)emul_rand_u64(),
			  (uint32_t)emul_rand_u64(), ps->port_c, ps->port_s);
	if (!err)
		err = re_sdprintf(linep, "Security-Server: %s\r\n",
				  m->server);

	return err;
}


int pcscf_sec_register(struct pcscf_sec *ps, struct proxy *px,
		       const struct sip_msg *msg, char **linep)
{
	const struct sip_hdr *v = sip_msg_hdr(msg, SIP_HDR_SECURITY_VERIFY);
	struct secmem *m;

	*linep = NULL;
	if (!ps)
		return 0;

	/* RFC 3329 2.3.1: the protected request repeats what we sent */
	if (v) {
		m = secmem_of(ps, &msg->src);
		if (m && !pl_strcmp(&v->val, m->server))
			return 0;

		elog(LOG_INFO, node_name(proxy_node(px)), "sec", "REGISTER"
		     " from %J: Security-Verify '%r' is not our"
		     " Security-Server: 494", &msg->src, &v->val);
		(void)proxy_reply_reason(px, msg, 494,
					 "Security-Verify Does Not Match");
		return EACCES;
	}

	if (!sip_msg_hdr(msg, SIP_HDR_SECURITY_CLIENT))
		return 0;

	return offer(ps, px, msg, linep);
}


/* What goes no further than the P-CSCF: its own headers, and the
 * sec-agree tag (a Require or Proxy-Require of that tag alone). */
size_t pcscf_sec_skip(const struct sip_msg *msg, enum sip_hdrid *skipv,
		      size_t n)
{
	const struct sip_hdr *h;
	size_t c = 0;

	if (n < 4)
		return 0;

	skipv[c++] = SIP_HDR_SECURITY_CLIENT;
	skipv[c++] = SIP_HDR_SECURITY_VERIFY;
	h = sip_msg_hdr(msg, SIP_HDR_REQUIRE);
	if (h && !pl_strcasecmp(&h->val, "sec-agree"))
		skipv[c++] = SIP_HDR_REQUIRE;
	h = sip_msg_hdr(msg, SIP_HDR_PROXY_REQUIRE);
	if (h && !pl_strcasecmp(&h->val, "sec-agree"))
		skipv[c++] = SIP_HDR_PROXY_REQUIRE;

	return c;
}


/* The 401 of an AKA challenge to a UE that offered the agreement: the
 * keys of the SAs to be (ESP is not set up yet). */
void pcscf_sec_keys(struct pcscf_sec *ps, const struct sa *flow,
		    const char *impu, const char *ik, const char *ck)
{
	struct secmem *m = ps ? secmem_of(ps, flow) : NULL;

	if (!m)
		return;

	str_ncpy(m->impu, impu, sizeof(m->impu));
	str_ncpy(m->ik, ik, sizeof(m->ik));
	str_ncpy(m->ck, ck, sizeof(m->ck));
}


static bool impu_match(struct le *le, void *arg)
{
	const struct secmem *m = le->data;

	return !str_casecmp(m->impu, arg);
}


int pcscf_sec_query(struct re_printf *pf, const struct pcscf_sec *ps,
		    const char *impu)
{
	const struct secmem *m = NULL;
	uint32_t i;

	for (i = 0; ps && !m && i < hash_bsize(ps->by_flow); i++)
		m = list_ledata(list_apply(hash_list(ps->by_flow, i), true,
					   impu_match, (void *)impu));
	if (!m)
		return re_hprintf(pf, "none");

	return re_hprintf(pf, "%s ik=%s ck=%s", m->server, m->ik, m->ck);
}


/* The UE flow's registration ended, or never began: its agreement goes. */
void pcscf_sec_forget(struct pcscf_sec *ps, const struct sa *flow)
{
	if (ps && flow)
		mem_deref(secmem_of(ps, flow));
}


/* TS 33.203 7.1, TS 24.229 5.2.2.1: an AKA challenge carries CK and IK
 * for the P-CSCF; the UE gets the challenge without them. */
void pcscf_sec_strip_keys(struct pcscf_sec *ps, const struct sip_msg *msg,
			  struct ptx *t, const struct sa *flow,
			  const char *impu, const char *who)
{
	static const char *const keys[] = {"ik", "ck", NULL};
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_WWW_AUTHENTICATE);
	char ik[40], ck[40] = "";
	struct mbuf *mb;
	char *line = NULL;

	if (!h || sipx_auth_param(&h->val, "ik", ik, sizeof(ik)))
		return;
	(void)sipx_auth_param(&h->val, "ck", ck, sizeof(ck));
	pcscf_sec_keys(ps, flow, impu, ik, ck);

	mb = mbuf_alloc(256);
	if (!mb || mbuf_write_str(mb, "WWW-Authenticate: ") ||
	    sipx_auth_strip(mb, &h->val, keys) ||
	    mbuf_write_str(mb, "\r\n")) {
		mem_deref(mb);
		return;
	}

	mb->pos = 0;
	if (!mbuf_strdup(mb, &line, mb->end)) {
		proxy_ptx_replace(t, SIP_HDR_WWW_AUTHENTICATE, line);
		elog(LOG_DEBUG, who, "auth", "401 for %s: CK and IK kept,"
		     " taken out before the UE", impu);
	}
	mem_deref(mb);
}

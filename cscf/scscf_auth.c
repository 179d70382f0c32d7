/* SPDX-License-Identifier: BSD-3-Clause */
/* S-CSCF authentication with SIP Digest (TS 24.229 5.4.1.2, TS 33.203
 * Annex N): a fresh unpredictable nonce per challenge from the kernel's
 * random source, the HA1 from the HSS (MAR/MAA), and a verification
 * that refuses unknown or expired nonces and any nc that does not grow. */

#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <re.h>
#include "hss.h"
#include "digest.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"

enum { NONCE_BYTES = 16 };

struct nonce {
	struct le he;
	struct le le;
	uint64_t gone_at;
	char value[2 * NONCE_BYTES + 1];
	char impi[128];
	char impu[256];         /* the To it was issued for */
	char ha1[DIGEST_HEX];
	uint64_t expires_at;
	uint32_t nc;            /* highest nc seen */
};


static void nonce_destructor(void *arg)
{
	struct nonce *n = arg;

	hash_unlink(&n->he);
	list_unlink(&n->le);
}


static bool nonce_cmp(struct le *le, void *arg)
{
	const struct nonce *n = le->data;

	return 0 == strcmp(n->value, arg);
}


/* Every nonce lives as long as every other, so the list is in expiry
 * order and one timer on its head serves them all: no per-nonce timer
 * for libre to sort among thousands. */
static void nonce_sweep(void *arg)
{
	struct scscf *s = arg;
	uint64_t now = tmr_jiffies();
	struct nonce *n;

	while ((n = list_ledata(s->noncel.head)) && n->gone_at <= now)
		mem_deref(n);

	if (n)
		wtmr_start(&s->tmr_nonce, n->gone_at - now, nonce_sweep, s);
}


int scscf_auth_challenge(struct scscf *s, const struct sip_msg *msg,
			 struct hss *hss, const char *impi, const char *impu,
			 bool stale)
{
	uint8_t rnd[NONCE_BYTES];
	struct cx_maa maa;
	struct nonce *n;
	size_t i;
	int err;

	err = hss_mar(hss, impi, impu, "SIP Digest", s->uri, &maa);
	if (err)
		return proxy_reply(s->px, msg, 500, NULL);

	elog(LOG_INFO, node_name(s->node), "cx", "MAR %s/%s: %s", impi,
	     impu, cx_result_name(maa.result));

	if (maa.result != CX_SUCCESS)
		return proxy_reply(s->px, msg, 403, NULL);

	emul_random(rnd, sizeof(rnd));

	n = mem_zalloc(sizeof(*n), nonce_destructor);
	if (!n)
		return ENOMEM;

	for (i = 0; i < sizeof(rnd); i++)
		(void)re_snprintf(&n->value[2 * i], 3, "%02x", rnd[i]);
	str_ncpy(n->impi, impi, sizeof(n->impi));
	str_ncpy(n->impu, impu, sizeof(n->impu));
	str_ncpy(n->ha1, maa.ha1, sizeof(n->ha1));
	n->expires_at = tmr_jiffies() + s->cfg.nonce_lifetime * 1000ULL;

	hash_append(s->nonces, hash_joaat_str(n->value), &n->he, n);

	/* The nonce record stays a while past its lifetime, so that a late
	 * answer to it is told "stale" rather than "unknown". */
	n->gone_at = tmr_jiffies() + 2 * s->cfg.nonce_lifetime * 1000ULL;
	list_append(&s->noncel, &n->le, n);
	if (!wtmr_isrunning(&s->tmr_nonce))
		wtmr_start(&s->tmr_nonce, n->gone_at - tmr_jiffies(),
			  nonce_sweep, s);

	return proxy_reply(s->px, msg, 401,
			   "WWW-Authenticate: Digest realm=\"%s\","
			   " nonce=\"%s\", algorithm=MD5, qop=\"auth\"%s\r\n"
			   "Content-Length: 0\r\n",
			   emul_domain(), n->value,
			   stale ? ", stale=true" : "");
}


enum auth_verdict scscf_auth_verify(struct scscf *s,
				    const struct sip_msg *msg,
				    const char *impi, const char *impu)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
	char nonce[64], user[128], realm[128], uri[256], resp[64];
	char nc[16], cnonce[128], qop[16], expect[DIGEST_HEX];
	struct nonce *n;
	uint32_t ncv;
	struct pl ncpl;

	if (!h || h->val.l < 6 || strncasecmp(h->val.p, "Digest", 6))
		return AUTH_CHALLENGE;

	if (sipx_auth_param(&h->val, "nonce", nonce, sizeof(nonce)) ||
	    sipx_auth_param(&h->val, "response", resp, sizeof(resp)) ||
	    !nonce[0] || !resp[0])
		return AUTH_CHALLENGE;

	n = list_ledata(hash_lookup(s->nonces, hash_joaat_str(nonce),
				    nonce_cmp, nonce));
	if (!n)
		return AUTH_CHALLENGE;

	if (tmr_jiffies() > n->expires_at)
		return AUTH_STALE;

	/* A nonce answers for the identities it was issued to: user4's
	 * own valid credentials never register, refresh or de-register
	 * sip:user1 (the HSS checked the pair when it gave the vector). */
	if (str_casecmp(n->impu, impu)) {
		elog(LOG_INFO, node_name(s->node), "auth", "nonce of %s for "
		     "%s used for %s: 403", n->impi, n->impu, impu);
		return AUTH_FORBIDDEN;
	}

	if (sipx_auth_param(&h->val, "username", user, sizeof(user)) ||
	    sipx_auth_param(&h->val, "realm", realm, sizeof(realm)) ||
	    sipx_auth_param(&h->val, "uri", uri, sizeof(uri)) ||
	    strcmp(user, n->impi) || strcmp(user, impi) ||
	    strcmp(realm, emul_domain())) {
		elog(LOG_INFO, node_name(s->node), "auth",
		     "credentials of %s do not match the challenge", impi);
		return AUTH_FORBIDDEN;
	}

	/* qop=auth is what we offered; RFC 2617 3.2.2 then requires nc
	 * and cnonce, and nc must grow to keep replays out. */
	if (sipx_auth_param(&h->val, "qop", qop, sizeof(qop)) ||
	    strcmp(qop, "auth") ||
	    sipx_auth_param(&h->val, "nc", nc, sizeof(nc)) ||
	    sipx_auth_param(&h->val, "cnonce", cnonce, sizeof(cnonce)))
		return AUTH_FORBIDDEN;

	pl_set_str(&ncpl, nc);
	ncv = pl_x32(&ncpl);
	if (ncv <= n->nc) {
		elog(LOG_INFO, node_name(s->node), "auth",
		     "nc %s of %s replayed", nc, impi);
		return AUTH_STALE;
	}

	if (digest_response(expect, n->ha1, nonce, nc, cnonce, qop,
			    "REGISTER", uri))
		return AUTH_FORBIDDEN;

	if (str_casecmp(expect, resp)) {
		elog(LOG_INFO, node_name(s->node), "auth",
		     "wrong digest response from %s", impi);
		return AUTH_FORBIDDEN;
	}

	n->nc = ncv;

	return AUTH_OK;
}

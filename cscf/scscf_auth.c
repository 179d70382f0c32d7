/* SPDX-License-Identifier: BSD-3-Clause */
/* S-CSCF authentication (TS 24.229 5.4.1.2): SIP Digest (TS 33.203
 * Annex N) with a fresh unpredictable nonce per challenge and the HA1
 * from the HSS, or IMS AKA (RFC 3310, RFC 4169) with the HSS's vector:
 * nonce base64(RAND || AUTN), ik and ck for the P-CSCF, XRES as the
 * digest password, the vector used once, a resynchronisation when the
 * UE sends AUTS, 403 when it could not authenticate the network.  The
 * verification refuses unknown or expired nonces and any nc that does
 * not grow. */

#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <re.h>
#include "aka.h"
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
	char value[64];         /* hex, or base64(RAND || AUTN) */
	enum cx_scheme scheme;
	uint8_t rand[AKA_KEY];  /* AKA: for a resynchronisation */
	uint8_t xres[AKA_RES];  /* ... and for the doctor's guesses */
	uint8_t ik[AKA_KEY], ck[AKA_KEY];
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


/* The nonce and HA1 of a challenge: SIP Digest's random hex and the
 * HSS's HA1, or AKA's vector (XRES is the password: as bytes for
 * AKAv1, RFC 3310 3.4; made into text for AKAv2, RFC 4169 3). */
static int nonce_fill(struct nonce *n, const char *impi,
		      const struct cx_maa *maa)
{
	uint8_t rnd[NONCE_BYTES], ra[AKA_KEY + AKA_AUTN];
	char pw[32];
	size_t i, len = sizeof(n->value) - 1;
	int err;

	n->scheme = maa->scheme;
	if (maa->scheme == CX_SCHEME_DIGEST) {
		emul_random(rnd, sizeof(rnd));
		for (i = 0; i < sizeof(rnd); i++)
			(void)re_snprintf(&n->value[2 * i], 3, "%02x",
					  rnd[i]);
		str_ncpy(n->ha1, maa->ha1, sizeof(n->ha1));
		return 0;
	}

	memcpy(n->rand, maa->vec.rand, AKA_KEY);
	memcpy(n->xres, maa->vec.xres, AKA_RES);
	memcpy(n->ik, maa->vec.ik, AKA_KEY);
	memcpy(n->ck, maa->vec.ck, AKA_KEY);
	memcpy(ra, maa->vec.rand, AKA_KEY);
	memcpy(ra + AKA_KEY, maa->vec.autn, AKA_AUTN);
	err = base64_encode(ra, sizeof(ra), n->value, &len);
	if (err)
		return err;
	n->value[len] = '\0';

	if (maa->scheme == CX_SCHEME_AKAV1)
		return digest_ha1_bin(n->ha1, impi, maa->realm,
				      maa->vec.xres, AKA_RES);

	err = aka_v2_password(pw, sizeof(pw), maa->vec.xres, maa->vec.ik,
			      maa->vec.ck);
	return err ? err : digest_ha1(n->ha1, impi, maa->realm, pw);
}


static int challenge(struct scscf *s, const struct sip_msg *msg,
		     const char *impi, const char *impu, bool stale,
		     const struct cx_maa *maa)
{
	static const char *const algv[] = {
		[CX_SCHEME_DIGEST] = "MD5",
		[CX_SCHEME_AKAV1] = "AKAv1-MD5",
		[CX_SCHEME_AKAV2] = "AKAv2-MD5",
	};
	char keys[96] = "";
	struct nonce *n;
	int err;

	n = mem_zalloc(sizeof(*n), nonce_destructor);
	if (!n)
		return ENOMEM;

	err = nonce_fill(n, impi, maa);
	if (err) {
		mem_deref(n);
		return proxy_reply(s->px, msg, 500, NULL);
	}
	str_ncpy(n->impi, impi, sizeof(n->impi));
	str_ncpy(n->impu, impu, sizeof(n->impu));
	n->expires_at = tmr_jiffies() + s->cfg.nonce_lifetime * 1000ULL;

	hash_append(s->nonces, hash_joaat_str(n->value), &n->he, n);

	/* The nonce record stays a while past its lifetime, so that a late
	 * answer to it is told "stale" rather than "unknown". */
	n->gone_at = tmr_jiffies() + 2 * s->cfg.nonce_lifetime * 1000ULL;
	list_append(&s->noncel, &n->le, n);
	if (!wtmr_isrunning(&s->tmr_nonce))
		wtmr_start(&s->tmr_nonce, n->gone_at - tmr_jiffies(),
			  nonce_sweep, s);

	/* TS 24.229 5.4.1.2.1: with AKA, ck and ik go to the P-CSCF,
	 * which takes them out before the UE (TS 33.203 7.1). */
	if (maa->scheme != CX_SCHEME_DIGEST)
		(void)re_snprintf(keys, sizeof(keys), ", ik=\"%w\", ck=\"%w\"",
				  maa->vec.ik, (size_t)AKA_KEY, maa->vec.ck,
				  (size_t)AKA_KEY);

	return proxy_reply(s->px, msg, 401,
			   "WWW-Authenticate: Digest realm=\"%s\","
			   " nonce=\"%s\", algorithm=%s, qop=\"auth\"%s%s\r\n"
			   "Content-Length: 0\r\n",
			   emul_domain(), n->value, algv[maa->scheme], keys,
			   stale ? ", stale=true" : "");
}


/* The scheme the UE's Authorization names (RFC 3310 3.1: AKAv1-MD5),
 * or "Unknown" for the HSS to choose: the first REGISTER names none. */
static const char *asked_scheme(const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
	char alg[16] = "";

	if (h)
		(void)sipx_auth_param(&h->val, "algorithm", alg, sizeof(alg));

	if (!strcasecmp(alg, "AKAv1-MD5"))
		return cx_scheme_name(CX_SCHEME_AKAV1);
	if (!strcasecmp(alg, "AKAv2-MD5"))
		return cx_scheme_name(CX_SCHEME_AKAV2);
	if (!strcasecmp(alg, "MD5"))
		return cx_scheme_name(CX_SCHEME_DIGEST);

	return "Unknown";
}


static int maa_reply(struct scscf *s, const struct sip_msg *msg,
		     const char *impi, const char *impu, bool stale,
		     const struct cx_maa *maa)
{
	elog(LOG_INFO, node_name(s->node), "cx", "MAR %s/%s: %s (%s)", impi,
	     impu, cx_result_name(maa->result), cx_scheme_name(maa->scheme));

	if (maa->result != CX_SUCCESS)
		return proxy_reply(s->px, msg, 403, NULL);

	return challenge(s, msg, impi, impu, stale, maa);
}


int scscf_auth_challenge(struct scscf *s, const struct sip_msg *msg,
			 struct hss *hss, const char *impi, const char *impu,
			 bool stale)
{
	const char *scheme = asked_scheme(msg);
	struct cx_maa maa;

	if (scscf_av_take(s, impi, scheme, &maa)) {
		elog(LOG_INFO, node_name(s->node), "cx", "%s: a vector kept"
		     " from an earlier MAA, no MAR", impi);
		return challenge(s, msg, impi, impu, stale, &maa);
	}

	if (cx_mar(s->node, hss, impi, impu, scheme, s->uri,
		   MAX(s->cfg.vectors, 1u), &maa))
		return proxy_reply(s->px, msg, 500, NULL);

	scscf_av_keep(s, impi, &maa);

	return maa_reply(s, msg, impi, impu, stale, &maa);
}


static struct nonce *nonce_of(struct scscf *s, const struct sip_hdr *h)
{
	char nonce[64];

	if (!h || sipx_auth_param(&h->val, "nonce", nonce, sizeof(nonce)) ||
	    !nonce[0])
		return NULL;

	return list_ledata(hash_lookup(s->nonces, hash_joaat_str(nonce),
				       nonce_cmp, nonce));
}


/* TS 24.229 5.4.1.2.3: the UE's AUTS goes to the HSS with the RAND of
 * the challenge it answers; that vector is spent either way. */
int scscf_auth_resync(struct scscf *s, const struct sip_msg *msg,
		      struct hss *hss, const char *impi, const char *impu)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
	struct nonce *n = nonce_of(s, h);
	uint8_t auts[AKA_AUTS + 2], rand[AKA_KEY];
	size_t alen = sizeof(auts);
	enum cx_scheme scheme;
	struct cx_maa maa;
	char b64[32];

	if (!n || n->scheme == CX_SCHEME_DIGEST ||
	    sipx_auth_param(&h->val, "auts", b64, sizeof(b64)) ||
	    base64_decode(b64, strlen(b64), auts, &alen) ||
	    alen != AKA_AUTS) {
		elog(LOG_INFO, node_name(s->node), "auth", "REGISTER of %s:"
		     " auts is not %u bytes of base64", impi, AKA_AUTS);
		return proxy_reply(s->px, msg, 403, NULL);
	}

	scheme = n->scheme;
	memcpy(rand, n->rand, sizeof(rand));
	mem_deref(n);
	scscf_av_flush(s, impi);

	if (cx_mar_resync(s->node, hss, impi, impu, cx_scheme_name(scheme),
			  s->uri, rand, auts, &maa))
		return proxy_reply(s->px, msg, 500, NULL);

	return maa_reply(s, msg, impi, impu, false, &maa);
}


/* The AKA doctor's guesses at a wrong response (TS 33.203, RFC 3310,
 * RFC 4169): the other algorithm's password, or an empty one. */
static void aka_guess(struct scscf *s, const struct nonce *n,
		      const char *resp, const char *nonce, const char *nc,
		      const char *cnonce, const char *qop, const char *uri)
{
	static const char *const why[] = {
		("RES as the password where AKAv2-MD5 wants RFC 4169's"
		 " base64(HMAC-MD5(RES||IK||CK))"),
		"AKAv2's password where AKAv1-MD5 wants RES itself",
		"an empty password (a resynchronisation's) with no auts",
	};
	char ha1[DIGEST_HEX], r[DIGEST_HEX], pw[32];
	int i;

	for (i = 0; i < 3; i++) {
		int err;

		if (i == 0 && n->scheme == CX_SCHEME_AKAV2)
			err = digest_ha1_bin(ha1, n->impi, emul_domain(),
					     n->xres, AKA_RES);
		else if (i == 1 && n->scheme == CX_SCHEME_AKAV1)
			err = aka_v2_password(pw, sizeof(pw), n->xres, n->ik,
					      n->ck) ||
				digest_ha1(ha1, n->impi, emul_domain(), pw);
		else if (i == 2)
			err = digest_ha1_bin(ha1, n->impi, emul_domain(), NULL,
					     0);
		else
			continue;

		if (!err && !digest_response(r, ha1, nonce, nc, cnonce, qop,
					     "REGISTER", uri) &&
		    !str_casecmp(r, resp)) {
			str_ncpy(s->doc_impi, n->impi, sizeof(s->doc_impi));
			(void)re_snprintf(s->doc_note, sizeof(s->doc_note),
					  "the UE computed the response with"
					  " %s", why[i]);
			elog(LOG_WARN, node_name(s->node), "auth",
			     "AKA doctor: %s: %s", n->impi, s->doc_note);
			return;
		}
	}
}


/* An AKA challenge answered with AUTS (the UE's SQN is out of step) or
 * with an empty response (TS 24.229 5.1.1.5.3: AUTN failed at the UE,
 * the network is not authenticated): no response to check. */
static bool aka_refusal(struct scscf *s, const struct sip_hdr *h,
			struct nonce *n, const char *impi,
			enum auth_verdict *vp)
{
	char buf[64];

	if (!sipx_auth_param(&h->val, "auts", buf, sizeof(buf))) {
		*vp = AUTH_RESYNC;
		return true;
	}

	if (!sipx_auth_param(&h->val, "response", buf, sizeof(buf)) &&
	    buf[0])
		return false;

	elog(LOG_INFO, node_name(s->node), "auth", "%s could not "
	     "authenticate the network (MAC failure at the UE): 403", impi);
	mem_deref(n);
	*vp = AUTH_FORBIDDEN;

	return true;
}


enum auth_verdict scscf_auth_verify(struct scscf *s,
				    const struct sip_msg *msg,
				    const char *impi, const char *impu)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
	char nonce[64], user[128], realm[128], uri[256], resp[64];
	char nc[16], cnonce[128], qop[16], expect[DIGEST_HEX];
	enum auth_verdict v;
	struct nonce *n;
	uint32_t ncv;
	struct pl ncpl;

	if (!h || h->val.l < 6 || strncasecmp(h->val.p, "Digest", 6))
		return AUTH_CHALLENGE;

	n = nonce_of(s, h);
	if (!n || sipx_auth_param(&h->val, "nonce", nonce, sizeof(nonce)))
		return AUTH_CHALLENGE;

	if (n->scheme != CX_SCHEME_DIGEST && aka_refusal(s, h, n, impi, &v))
		return v;

	if (sipx_auth_param(&h->val, "response", resp, sizeof(resp)) ||
	    !resp[0])
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
		if (n->scheme != CX_SCHEME_DIGEST)
			aka_guess(s, n, resp, nonce, nc, cnonce, qop, uri);
		elog(LOG_INFO, node_name(s->node), "auth",
		     "wrong digest response from %s", impi);
		return AUTH_FORBIDDEN;
	}

	n->nc = ncv;

	/* An AKA vector authenticates once (TS 33.102 6.3.1). */
	if (n->scheme != CX_SCHEME_DIGEST)
		mem_deref(n);

	return AUTH_OK;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed aka explain TRACE TOPOLOGY: for each answer to an AKA challenge
 * in a saved trace (a run's, or serve's with external UEs), whether the
 * response matched and, when it did not, which input disagrees, found by
 * recomputing with the topology's key material: the AUTN's MAC, the RES,
 * each algorithm's password, an empty one, and an AUTS's MAC-S over AMF
 * 0000 (TS 33.102 6.3.3) or, wrongly, over the subscriber's AMF. */

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "aka.h"
#include "digest.h"
#include "hss.h"
#include "cmd.h"

/* A challenge seen going to a UE, by its nonce. */
struct chal {
	struct le le;
	char nonce[64];
	bool v2;
};

/* What an answer is checked against. */
struct ctx {
	struct list chals;
	struct hss *hssv[8];
	size_t hssc;
};

/* The REGISTER's Authorization, as sipx_auth_param gives it. */
struct answer {
	char user[128], realm[128], nonce[64], resp[40], nc[16];
	char cnonce[64], qop[16];
	char uri[256], auts[40];
	bool has_auts;
};


static void chal_add(struct ctx *c, const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_WWW_AUTHENTICATE);
	char alg[16] = "";
	struct chal *ch;

	if (!h || sipx_auth_param(&h->val, "algorithm", alg, sizeof(alg)) ||
	    (strcasecmp(alg, "AKAv1-MD5") && strcasecmp(alg, "AKAv2-MD5")))
		return;

	ch = mem_zalloc(sizeof(*ch), NULL);
	if (!ch)
		return;
	if (sipx_auth_param(&h->val, "nonce", ch->nonce, sizeof(ch->nonce))) {
		mem_deref(ch);
		return;
	}
	ch->v2 = !strcasecmp(alg, "AKAv2-MD5");
	list_append(&c->chals, &ch->le, ch);
}


static const struct chal *chal_find(const struct ctx *c, const char *nonce)
{
	struct le *le;

	for (le = c->chals.head; le; le = le->next) {
		const struct chal *ch = le->data;

		if (!strcmp(ch->nonce, nonce))
			return ch;
	}

	return NULL;
}


/* An answer explained already, by nonce and nc: a REGISTER the core
 * forwards is in the trace once per hop. */
struct seen {
	struct le le;
	char nonce[64];
	char nc[16];
};


static bool seen_has(const struct list *done, const struct answer *an)
{
	struct le *le;

	for (le = done->head; le; le = le->next) {
		const struct seen *d = le->data;

		if (!strcmp(d->nonce, an->nonce) && !strcmp(d->nc, an->nc))
			return true;
	}

	return false;
}


static void seen_add(struct list *done, const struct answer *an)
{
	struct seen *d = mem_zalloc(sizeof(*d), NULL);

	if (!d)
		return;
	str_ncpy(d->nonce, an->nonce, sizeof(d->nonce));
	str_ncpy(d->nc, an->nc, sizeof(d->nc));
	list_append(done, &d->le, d);
}


static int response_with(char r[DIGEST_HEX], const struct answer *a,
			 const uint8_t *pw, size_t len)
{
	char ha1[DIGEST_HEX];
	int err;

	err = digest_ha1_bin(ha1, a->user, a->realm, pw, len);
	return err ? err : digest_response(r, ha1, a->nonce, a->nc,
					   a->cnonce, a->qop, "REGISTER",
					   a->uri);
}


/* AUTS: SQN_MS, and whether MAC-S holds over AMF 0000 or only over the
 * subscriber's own AMF (a UE that forgot 6.3.3's dummy AMF). */
static int explain_auts(char *buf, size_t sz, const struct aka_key *key,
			const uint8_t rand[AKA_KEY], const char *b64)
{
	uint8_t auts[AKA_AUTS + 2], ak_s[AKA_AK], s[AKA_SQN], mac[AKA_MAC];
	size_t len = sizeof(auts), i;
	uint64_t sqn_ms;

	if (base64_decode(b64, strlen(b64), auts, &len) || len != AKA_AUTS)
		return re_snprintf(buf, sz, "auts is not 14 bytes of base64");

	if (!aka_resync(&sqn_ms, key, rand, auts))
		return re_snprintf(buf, sz, "resynchronisation: the USIM's "
				   "SQN_MS is %llu (SEQ %llu); AUTS verifies",
				   (unsigned long long)sqn_ms,
				   (unsigned long long)(sqn_ms >>
							AKA_IND_BITS));

	if (milenage_f2345(NULL, NULL, NULL, NULL, ak_s, key->k, key->opc,
			   rand))
		return -1;
	for (i = 0; i < AKA_SQN; i++)
		s[i] = auts[i] ^ ak_s[i];
	if (!milenage_f1(NULL, mac, key->k, key->opc, rand, s, key->amf) &&
	    !memcmp(mac, auts + AKA_SQN, AKA_MAC))
		return re_snprintf(buf, sz, "AUTS's MAC-S was computed with "
				   "the AMF %w, where TS 33.102 6.3.3 wants "
				   "0000", key->amf, (size_t)AKA_AMF);

	return re_snprintf(buf, sz, "AUTS does not verify: the UE's K or "
			   "OPc differ from the topology's");
}


static bool autn_verifies(const struct aka_key *key,
			  const uint8_t rand[AKA_KEY],
			  const uint8_t autn[AKA_AUTN])
{
	uint8_t ak[AKA_AK], s[AKA_SQN], xmac[AKA_MAC];
	size_t i;

	if (milenage_f2345(NULL, NULL, NULL, ak, NULL, key->k, key->opc,
			   rand))
		return false;
	for (i = 0; i < AKA_SQN; i++)
		s[i] = autn[i] ^ ak[i];

	return !milenage_f1(xmac, NULL, key->k, key->opc, rand, s,
			    autn + AKA_SQN) &&
		!memcmp(xmac, autn + AKA_SQN + AKA_AMF, AKA_MAC);
}


/* The response against each password it could have been made with. */
static int explain_response(char *buf, size_t sz, const struct answer *a,
			    const struct aka_key *key, bool v2,
			    const uint8_t rand[AKA_KEY])
{
	uint8_t res[AKA_RES], ck[AKA_KEY], ik[AKA_KEY];
	char r[DIGEST_HEX], pw[32];

	if (milenage_f2345(res, ck, ik, NULL, NULL, key->k, key->opc, rand) ||
	    aka_v2_password(pw, sizeof(pw), res, ik, ck))
		return -1;

	if (!response_with(r, a, v2 ? (uint8_t *)pw : res,
			   v2 ? strlen(pw) : AKA_RES) &&
	    !str_casecmp(r, a->resp))
		return re_snprintf(buf, sz, "response matches (%s)",
				   v2 ? "AKAv2-MD5" : "AKAv1-MD5");
	if (!response_with(r, a, v2 ? res : (uint8_t *)pw,
			   v2 ? AKA_RES : strlen(pw)) &&
	    !str_casecmp(r, a->resp))
		return re_snprintf(buf, sz, "response does not match: made "
				   "with %s", v2 ? "RES as the password "
				   "where AKAv2-MD5 wants RFC 4169's" :
				   "AKAv2's password where AKAv1-MD5 wants "
				   "RES");
	if (!response_with(r, a, NULL, 0) && !str_casecmp(r, a->resp))
		return re_snprintf(buf, sz, "response does not match: made "
				   "over an empty password, with no auts");

	return re_snprintf(buf, sz, "response does not match any password "
			   "the topology's keys give: the UE's RES differs");
}


static int explain(char *buf, size_t sz, const struct ctx *c,
		   const struct answer *a, const struct chal *ch)
{
	uint8_t ra[96], rand[AKA_KEY], autn[AKA_AUTN];
	size_t len = sizeof(ra), i;
	struct aka_key key;
	uint64_t sqn;
	int e = ENOENT;

	for (i = 0; i < c->hssc && e; i++)
		e = hss_aka_key(c->hssv[i], a->user, &key, &sqn);
	if (e)
		return re_snprintf(buf, sz, "no AKA subscriber %s in the "
				   "topology", a->user);

	if (base64_decode(ch->nonce, strlen(ch->nonce), ra, &len) ||
	    len < AKA_KEY + AKA_AUTN)
		return re_snprintf(buf, sz, "the nonce is not base64 of "
				   "RAND || AUTN");
	memcpy(rand, ra, AKA_KEY);
	memcpy(autn, ra + AKA_KEY, AKA_AUTN);

	if (!autn_verifies(&key, rand, autn))
		return re_snprintf(buf, sz, "AUTN does not verify with the "
				   "topology's K and OPc: the trace's HSS "
				   "held other keys");
	if (a->has_auts)
		return explain_auts(buf, sz, &key, rand, a->auts);
	if (!a->resp[0])
		return re_snprintf(buf, sz, "empty response: the UE refused "
				   "AUTN (MAC failure), so its K or OP/OPc "
				   "differ from the topology's");

	return explain_response(buf, sz, a, &key, ch->v2, rand);
}


static bool answer_of(struct answer *a, const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);

	memset(a, 0, sizeof(*a));
	if (!h || sipx_auth_param(&h->val, "nonce", a->nonce,
				  sizeof(a->nonce)) || !a->nonce[0] ||
	    sipx_auth_param(&h->val, "username", a->user, sizeof(a->user)))
		return false;

	(void)sipx_auth_param(&h->val, "realm", a->realm, sizeof(a->realm));
	(void)sipx_auth_param(&h->val, "response", a->resp, sizeof(a->resp));
	(void)sipx_auth_param(&h->val, "nc", a->nc, sizeof(a->nc));
	(void)sipx_auth_param(&h->val, "cnonce", a->cnonce, sizeof(a->cnonce));
	(void)sipx_auth_param(&h->val, "qop", a->qop, sizeof(a->qop));
	(void)sipx_auth_param(&h->val, "uri", a->uri, sizeof(a->uri));
	a->has_auts = !sipx_auth_param(&h->val, "auts", a->auts,
				       sizeof(a->auts));

	return true;
}


/* A record: a 401 with an AKA challenge is remembered, a REGISTER that
 * answers one is explained (each once: a request the core forwards is
 * seen again at the next hop). */
static void record(struct ctx *c, const struct trec *tr, struct list *done)
{
	struct mbuf *mb = mbuf_alloc(strlen(tr->raw) + 1);
	const struct chal *ch;
	struct sip_msg *msg = NULL;
	struct answer a;
	char why[256];

	if (!mb || mbuf_write_str(mb, tr->raw))
		goto out;
	mb->pos = 0;
	if (sip_msg_decode(&msg, mb))
		goto out;

	if (!msg->req && msg->scode == 401)
		chal_add(c, msg);
	else if (msg->req && !pl_strcmp(&msg->met, "REGISTER") &&
		 answer_of(&a, msg) && (ch = chal_find(c, a.nonce)) &&
		 !seen_has(done, &a)) {
		if (explain(why, sizeof(why), c, &a, ch) < 0)
			str_ncpy(why, "cannot compute", sizeof(why));
		(void)re_printf("%.3f %s %s nc=%s: %s\n", tr->t, a.user,
				ch->v2 ? "AKAv2-MD5" : "AKAv1-MD5",
				a.nc[0] ? a.nc : "-", why);
		seen_add(done, &a);
	}

 out:
	mem_deref(msg);
	mem_deref(mb);
}


/* Every HSS of the topology, loaded as it would be for a run. */
static int load_hss(struct ctx *c, const char *path)
{
	struct yml *y = NULL;
	const yml_node *hl;
	char err[512];
	size_t i, n;
	int e;

	e = yml_load_file(&y, path, err, sizeof(err));
	if (e)
		goto out;

	hl = yml_get(y, yml_root(y), "hss");
	n = hl ? MIN(yml_count(hl), ARRAY_SIZE(c->hssv)) : 1;
	for (i = 0; i < n && !e; i++) {
		const char *name = hl ? yml_str(yml_get(y, yml_item(y, hl, i),
							"name")) : "hss";
		const char *dom = yml_str(yml_get(y, yml_root(y), "domain"));

		e = hss_alloc(&c->hssv[c->hssc], name ? name : "hss", NULL,
			      dom ? dom : "ims.test", err, sizeof(err));
		if (!e)
			e = hss_load(c->hssv[c->hssc++], y, yml_root(y), err,
				     sizeof(err));
	}

 out:
	if (e)
		(void)re_fprintf(stderr, "imsbed aka explain: %s\n", err);
	mem_deref(y);
	return e;
}


int aka_explain(const char *trace, const char *topo)
{
	char line[65536 * 2];
	struct list done = LIST_INIT;
	struct ctx c;
	unsigned lineno = 0;
	int rc = EXIT_PASS;
	size_t i;
	FILE *f;

	memset(&c, 0, sizeof(c));
	if (load_hss(&c, topo)) {
		rc = EXIT_USAGE;
		goto out;
	}

	f = fopen(trace, "r");
	if (!f) {
		(void)re_fprintf(stderr, "imsbed aka explain: %s: %m\n", trace,
				 errno);
		rc = EXIT_USAGE;
		goto out;
	}

	while (fgets(line, sizeof(line), f)) {
		struct odict *od = NULL;
		struct trec tr;

		++lineno;
		if (trec_decode(&od, &tr, line)) {
			(void)re_fprintf(stderr, "imsbed aka explain: %s:%u: "
					 "not a trace record\n", trace,
					 lineno);
			mem_deref(od);
			rc = EXIT_USAGE;
			break;
		}
		if (!strcmp(tr.proto, "sip"))
			record(&c, &tr, &done);
		mem_deref(od);
	}
	fclose(f);

 out:
	list_flush(&c.chals);
	list_flush(&done);
	for (i = 0; i < c.hssc; i++)
		mem_deref(c.hssv[i]);
	return rc;
}

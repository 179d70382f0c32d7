/* SPDX-License-Identifier: BSD-3-Clause */
/* What makes a request malformed before any policy looks at it (RFC 3261
 * 8.2, 16.3 step 1, 18.3, 20): the mandatory headers, the single-valued
 * ones given once, a CSeq that matches its request and fits 31 bits, a
 * Content-Length that is a number and no larger than what came.  The
 * answer is 400 with a reason phrase that names the fault, so that a
 * developer sees why, and it comes before any 403 a policy would give. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"

/* The headers a request carries once at most, and those it must carry
 * (RFC 3261 8.1.1; Via is checked apart, it may repeat). */
static const struct {
	enum sip_hdrid id;
	const char *name;
	bool mandatory;
} single[] = {
	{SIP_HDR_TO,             "To",             true},
	{SIP_HDR_FROM,           "From",           true},
	{SIP_HDR_CALL_ID,        "Call-ID",        true},
	{SIP_HDR_CSEQ,           "CSeq",           true},
	{SIP_HDR_MAX_FORWARDS,   "Max-Forwards",   false},
	{SIP_HDR_CONTENT_LENGTH, "Content-Length", false},
	{SIP_HDR_CONTENT_TYPE,   "Content-Type",   false},
};


static bool digits(const struct pl *pl)
{
	size_t i;

	if (!pl->l)
		return false;

	for (i = 0; i < pl->l; i++) {
		if (pl->p[i] < '0' || pl->p[i] > '9')
			return false;
	}

	return true;
}


/* RFC 3261 8.1.1.5: the sequence number is below 2**31. */
static bool cseq_num_ok(const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_CSEQ);
	struct pl num;
	uint64_t v = 0;
	size_t i;

	if (re_regex(h->val.p, h->val.l, "[0-9]+", &num) ||
	    num.p != h->val.p || num.l > 10)
		return false;

	for (i = 0; i < num.l; i++)
		v = v * 10 + (uint64_t)(num.p[i] - '0');

	return v < (1ULL << 31);
}


uint16_t sipx_bad_request(const struct sip_msg *msg, bool ua,
			  const char **reason)
{
	static char why[64];
	size_t i;

	if (!msg || !reason || !msg->req)
		return 0;

	for (i = 0; i < ARRAY_SIZE(single); i++) {
		uint32_t n = sip_msg_hdr_count(msg, single[i].id);

		if (n > 1) {
			(void)re_snprintf(why, sizeof(why), "Multiple %s "
					  "Headers", single[i].name);
			goto bad;
		}
		if (!n && single[i].mandatory) {
			(void)re_snprintf(why, sizeof(why), "Missing %s "
					  "Header", single[i].name);
			goto bad;
		}
	}

	if (!pl_isset(&msg->via.sentby)) {
		str_ncpy(why, "Missing Via Header", sizeof(why));
		goto bad;
	}

	if (!cseq_num_ok(msg)) {
		str_ncpy(why, "CSeq Number Out of Range", sizeof(why));
		goto bad;
	}

	if (pl_cmp(&msg->cseq.met, &msg->met)) {
		str_ncpy(why, "CSeq Method Does Not Match", sizeof(why));
		goto bad;
	}

	if (pl_isset(&msg->maxfwd) && !digits(&msg->maxfwd)) {
		str_ncpy(why, "Malformed Max-Forwards", sizeof(why));
		goto bad;
	}

	if (sip_msg_hdr(msg, SIP_HDR_CONTENT_LENGTH)) {
		if (!digits(&msg->clen) || msg->clen.l > 9) {
			str_ncpy(why, "Malformed Content-Length",
				 sizeof(why));
			goto bad;
		}
		/* RFC 3261 18.3: a datagram that ends before its body. */
		if (msg->tp == SIP_TRANSP_UDP &&
		    pl_u32(&msg->clen) > mbuf_get_left(msg->mb)) {
			str_ncpy(why, "Content-Length Larger Than Message",
				 sizeof(why));
			goto bad;
		}
	}

	/* A user agent needs what makes a dialog (RFC 3261 8.1.1.3, 8.1.1.8,
	 * RFC 6665 4.1.2, RFC 3515 2.4.1); a proxy passes them on as they
	 * are. */
	if (ua && !pl_isset(&msg->from.tag)) {
		str_ncpy(why, "Missing From Tag", sizeof(why));
		goto bad;
	}
	if (ua && sipx_creates_dialog(msg) && !pl_isset(&msg->to.tag) &&
	    !sip_msg_hdr(msg, SIP_HDR_CONTACT)) {
		str_ncpy(why, "Missing Contact Header", sizeof(why));
		goto bad;
	}

	return 0;

 bad:
	*reason = why;
	return 400;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* SIP helpers every node shares: header copies for forwarding, parameter
 * and expiry reads, and the reason phrases of RFC 3261 section 21. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"


static bool join_handler(const struct sip_hdr *h, const struct sip_msg *msg,
			 void *arg)
{
	struct mbuf *mb = arg;
	(void)msg;

	return 0 != mbuf_printf(mb, "%s%r", mb->end ? ", " : "", &h->val);
}


/* A header's whole value: libre splits comma-separated values into one
 * entry each, so a list (P-Associated-URI, say) is joined back. */
int sipx_hdr_str(char **sp, const struct sip_msg *msg, enum sip_hdrid id)
{
	struct mbuf *mb;
	int err;

	if (!sip_msg_hdr(msg, id))
		return ENOENT;

	mb = mbuf_alloc(128);
	if (!mb)
		return ENOMEM;

	err = sip_msg_hdr_apply(msg, true, id, join_handler, mb) ?
		ENOMEM : 0;
	mb->pos = 0;
	if (!err)
		err = mbuf_strdup(mb, sp, mb->end);
	mem_deref(mb);

	return err;
}


bool sipx_hdr_pl(struct pl *pl, const struct sip_msg *msg, const char *name)
{
	const struct sip_hdr *h = sip_msg_xhdr(msg, name);

	if (!h)
		return false;

	*pl = h->val;
	return true;
}


uint32_t sipx_expires(const struct sip_msg *msg, const struct pl *ctparams,
		      uint32_t dflt)
{
	struct pl v;

	/* RFC 3261 10.2.1.1: the Contact's expires parameter wins over the
	 * Expires header. */
	if (ctparams && !msg_param_decode(ctparams, "expires", &v))
		return pl_u32(&v);

	if (msg && pl_isset(&msg->expires))
		return pl_u32(&msg->expires);

	return dflt;
}


static bool skipped(enum sip_hdrid id, const enum sip_hdrid *skipv,
		    size_t skipc)
{
	size_t i;

	for (i = 0; i < skipc; i++) {
		if (skipv[i] == id)
			return true;
	}

	return false;
}


int sipx_print_hdrs(struct mbuf *mb, const struct sip_msg *msg,
		    const enum sip_hdrid *skipv, size_t skipc,
		    bool skip_first_via, bool skip_first_route)
{
	struct le *le;
	int err = 0;

	for (le = msg->hdrl.head; le && !err; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (h->id == SIP_HDR_VIA && skip_first_via) {
			skip_first_via = false;
			continue;
		}

		if (h->id == SIP_HDR_ROUTE && skip_first_route) {
			skip_first_route = false;
			continue;
		}

		if (h->id != SIP_HDR_NONE && skipped(h->id, skipv, skipc))
			continue;

		/* every forwarded message copies its headers: writes, not
		 * re_printf's format machine, per header */
		err  = mbuf_write_pl(mb, &h->name);
		err |= mbuf_write_mem(mb, (const uint8_t *)": ", 2);
		err |= mbuf_write_pl(mb, &h->val);
		err |= mbuf_write_mem(mb, (const uint8_t *)"\r\n", 2);
	}

	return err;
}


/* The address-of-record of a URI: scheme, user and host, no parameters
 * or port, which is what IMPUs are compared by. */
int sipx_uri_aor(char *buf, size_t sz, const struct pl *uri)
{
	struct uri u;
	struct pl pl = *uri;

	if (uri_decode(&u, &pl))
		return EINVAL;

	if (!pl_strcasecmp(&u.scheme, "tel"))
		return re_snprintf(buf, sz, "tel:%r", &u.host) < 0 ?
			ENOMEM : 0;

	if (pl_isset(&u.user))
		return re_snprintf(buf, sz, "%r:%r@%r", &u.scheme, &u.user,
				   &u.host) < 0 ? ENOMEM : 0;

	return re_snprintf(buf, sz, "%r:%r", &u.scheme, &u.host) < 0 ?
		ENOMEM : 0;
}


const char sipx_sdp_decline[] =
	"v=0\r\no=- 0 1 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\n"
	"t=0 0\r\nm=audio 0 RTP/SAVP 0\r\n";


const char *sipx_reason(uint16_t scode)
{
	switch (scode) {

	case 100: return "Trying";
	case 180: return "Ringing";
	case 181: return "Call Is Being Forwarded";
	case 183: return "Session Progress";
	case 200: return "OK";
	case 202: return "Accepted";
	case 300: return "Multiple Choices";
	case 301: return "Moved Permanently";
	case 302: return "Moved Temporarily";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 416: return "Unsupported URI Scheme";
	case 420: return "Bad Extension";
	case 423: return "Interval Too Brief";
	case 480: return "Temporarily Unavailable";
	case 481: return "Call/Transaction Does Not Exist";
	case 482: return "Loop Detected";
	case 483: return "Too Many Hops";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	case 489: return "Bad Event";
	case 500: return "Server Internal Error";
	case 501: return "Not Implemented";
	case 488: return "Not Acceptable Here";
	case 503: return "Service Unavailable";
	case 504: return "Server Time-out";
	case 600: return "Busy Everywhere";
	case 603: return "Decline";
	case 604: return "Does Not Exist Anywhere";
	default:  return scode < 300 ? "OK" : "Error";
	}
}


/* A parameter of a Digest challenge or credentials (RFC 2617 3.2): the
 * list after the scheme is comma-separated, values quoted or tokens. */
/* The challenge without the named parameters: the scheme, then each
 * other parameter as it was, commas outside quoted strings apart. */
int sipx_auth_strip(struct mbuf *mb, const struct pl *hval,
		    const char *const *names)
{
	const char *p = hval->p, *end = hval->p + hval->l, *tok;
	bool first = true;
	int err;

	while (p < end && *p != ' ' && *p != '\t')
		++p;
	err = mbuf_write_mem(mb, (const uint8_t *)hval->p,
			     (size_t)(p - hval->p));

	while (!err && p < end) {
		const char *const *n;
		bool quote = false, drop = false;
		size_t len;

		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			++p;
		for (tok = p; p < end && (quote || *p != ','); p++)
			quote ^= *p == '"';
		len = (size_t)(p - tok);
		while (len && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
			--len;
		if (!len)
			continue;

		for (n = names; *n && !drop; n++) {
			size_t nl = strlen(*n);

			drop = len > nl && !strncasecmp(tok, *n, nl) &&
				(tok[nl] == '=' || tok[nl] == ' ');
		}
		if (drop)
			continue;

		err = mbuf_printf(mb, "%s%b", first ? " " : ", ", tok, len);
		first = false;
	}

	return err;
}


int sipx_auth_param(const struct pl *hval, const char *name, char *buf,
		    size_t sz)
{
	const char *p = hval->p, *end = hval->p + hval->l;
	size_t nl = strlen(name);

	/* Skip the scheme. */
	while (p < end && *p != ' ' && *p != '\t')
		++p;

	while (p < end) {
		const char *v, *ve;

		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			++p;

		v = p;
		while (v < end && *v != '=' && *v != ',')
			++v;
		if (v >= end || *v != '=')
			return ENOENT;

		ve = v;
		while (ve > p && (ve[-1] == ' ' || ve[-1] == '\t'))
			--ve;
		++v;
		while (v < end && (*v == ' ' || *v == '\t'))
			++v;

		if (v < end && *v == '"') {
			const char *q = ++v;

			while (q < end && *q != '"')
				q += (*q == '\\' && q + 1 < end) ? 2 : 1;
			if ((size_t)(ve - p) == nl &&
			    !strncasecmp(p, name, nl)) {
				struct pl r = {v, (size_t)(q - v)};

				return pl_strcpy(&r, buf, sz);
			}
			p = q < end ? q + 1 : end;
		}
		else {
			const char *q = v;

			while (q < end && *q != ',' && *q != ' ')
				++q;
			if ((size_t)(ve - p) == nl &&
			    !strncasecmp(p, name, nl)) {
				struct pl r = {v, (size_t)(q - v)};

				return pl_strcpy(&r, buf, sz);
			}
			p = q;
		}
	}

	return ENOENT;
}


struct lines {
	struct mbuf *mb;
	const char *name;
};


static bool print_line(const struct sip_hdr *h, const struct sip_msg *msg,
		       void *arg)
{
	struct lines *l = arg;
	(void)msg;

	return 0 != mbuf_printf(l->mb, "%s: %r\r\n", l->name, &h->val);
}


/* Every header 'id' of msg, in order, as lines named 'as': how a
 * Service-Route becomes a Route set (RFC 3608) or a Path is echoed. */
int sipx_hdr_lines(char **sp, const struct sip_msg *msg, enum sip_hdrid id,
		   const char *as)
{
	struct lines l;
	int err;

	if (!sp || !msg || !as)
		return EINVAL;

	l.mb = mbuf_alloc(128);
	l.name = as;
	if (!l.mb)
		return ENOMEM;

	err = sip_msg_hdr_apply(msg, true, id, print_line, &l) ? ENOMEM : 0;
	l.mb->pos = 0;
	if (!err)
		err = mbuf_strdup(l.mb, sp, l.mb->end);
	mem_deref(l.mb);

	return err;
}


/* The next <URI> of a list such as P-Associated-URI or a Route set;
 * advances rest past it. */
bool sipx_uri_next(struct pl *rest, struct pl *uri)
{
	if (!rest || !uri || !rest->p ||
	    re_regex(rest->p, rest->l, "<[^>]+>", uri))
		return false;

	rest->l -= (uri->p + uri->l + 1) - rest->p;
	rest->p = uri->p + uri->l + 1;

	return true;
}


bool sipx_list_next(struct pl *rest, struct pl *item)
{
	if (!rest || !item || !rest->p ||
	    re_regex(rest->p, rest->l, "[^, ]+", item))
		return false;

	pl_advance(rest, item->p + item->l - rest->p);

	return true;
}


uint32_t sipx_hash_count(const struct hash *h)
{
	uint32_t n = 0, i;

	for (i = 0; h && i < hash_bsize(h); i++)
		n += list_count(hash_list(h, i));

	return n;
}


/* The methods that create a dialog (RFC 3261 12, RFC 6665 4.1.2, RFC
 * 3515 2.4.4), and so are record-routed by the CSCFs. */
bool sipx_creates_dialog(const struct sip_msg *msg)
{
	return msg && (!pl_strcmp(&msg->met, "INVITE") ||
		       !pl_strcmp(&msg->met, "SUBSCRIBE") ||
		       !pl_strcmp(&msg->met, "REFER"));
}


/* The served user's identity as the core asserted it (RFC 3325): the
 * first P-Asserted-Identity, which the P-CSCF set from the registration. */
int sipx_asserted_id(char *buf, size_t sz, const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg,
					      SIP_HDR_P_ASSERTED_IDENTITY);
	struct pl rest, u;

	if (!h)
		return ENOENT;

	/* As text in brackets: libre's URI parser takes no tel: URI. */
	rest = h->val;
	if (!sipx_uri_next(&rest, &u))
		return EBADMSG;

	return sipx_uri_aor(buf, sz, &u);
}


/* A hex digit's value, or -1: percent-escapes and hex keys. */
int sipx_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;

	return -1;
}


/* The IMPI of a REGISTER: the Authorization username when the UE sent
 * one (TS 24.229 5.1.1.2.1 has it send one from the first REGISTER),
 * else derived from the IMPU as TS 23.003 13.3 derives it from the
 * IMSI's realm. */
int sipx_impi(char *buf, size_t sz, const struct sip_msg *msg,
	      const char *impu)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);

	if (!buf || !sz || !impu)
		return EINVAL;

	if (h && !sipx_auth_param(&h->val, "username", buf, sz) && buf[0])
		return 0;

	if (!strncasecmp(impu, "sip:", 4))
		impu += 4;
	str_ncpy(buf, impu, sz);

	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* The SIP datagram that libre's parser refuses.  libre's UDP transport
 * drops it with a line on stderr, so the sender never learns why and
 * retransmits until its Timer F: RFC 3261 16.3 and 8.2 want 400 (505 for
 * another SIP version, 21.5.6) whenever the start line and the top Via
 * can still be read, and a reason phrase helps whoever wrote it.
 *
 * The datagram is parsed once, by libre: each node's SIP socket carries
 * a UDP helper (registered through udp_listen, which imsbed interposes
 * while a node opens its transport) that only notes which node and
 * sender the datagram is for; sip_msg_decode, interposed as well, tells
 * on failure, and the answer goes out through the node's own stack. */

#include <dlfcn.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"

/* The datagram a node's SIP socket is handing to libre right now. */
static struct {
	const struct mbuf *mb;
	size_t pos;
	struct node *node;
	struct sa src;
} cur;

static struct node *listen_hint;


void wire_listen_hint(struct node *n)
{
	listen_hint = n;
}


static bool helper_recv(struct sa *src, struct mbuf *mb, void *arg)
{
	const uint8_t *p = mbuf_buf(mb);

	/* STUN (RFC 5389: the top bits are zero) is not SIP. */
	cur.mb = mbuf_get_left(mb) > 4 && p[0] >= 0x20 ? mb : NULL;
	cur.pos = mb->pos;
	cur.node = arg;
	cur.src = *src;

	return false;
}


enum { SIP_SOCKBUF = 4 * 1024 * 1024 };


int udp_listen(struct udp_sock **usp, const struct sa *local,
	       udp_recv_h *rh, void *arg)
{
	static int (*real)(struct udp_sock **, const struct sa *,
			   udp_recv_h *, void *);
	struct udp_helper *uh;
	int err;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "udp_listen");

	err = real(usp, local, rh, arg);
	if (err || !listen_hint || !usp)
		return err;

	/* A node's SIP socket takes a burst of a whole core's traffic:
	 * room for it, as far as the kernel allows, rather than drops. */
	(void)udp_sockbuf_set(*usp, SIP_SOCKBUF);

	/* The socket's helper list owns it; it goes with the socket. */
	return udp_register_helper(&uh, *usp, 0, NULL, helper_recv,
				   listen_hint);
}


/* The lines of the header block: name and value of each, compact names
 * as they come. */
static bool next_header(struct pl *rest, struct pl *name, struct pl *val)
{
	struct pl line;

	while (rest->l) {
		const char *nl = pl_strchr(rest, '\n');

		line.p = rest->p;
		line.l = nl ? (size_t)(nl - rest->p) : rest->l;
		rest->p += line.l + (nl ? 1 : 0);
		rest->l -= line.l + (nl ? 1 : 0);
		if (line.l && line.p[line.l - 1] == '\r')
			--line.l;
		if (!line.l) {
			rest->l = 0;
			return false;
		}
		if (!re_regex(line.p, line.l, "[^: \t]+[ \t]*:[ \t]*[^\r\n]*",
			      name, NULL, NULL, val))
			return true;
	}

	return false;
}


static bool named(const struct pl *name, const char *lng, const char *sht)
{
	return !pl_strcasecmp(name, lng) || (sht && !pl_strcasecmp(name, sht));
}


/* What libre could not read, said as a reason phrase. */
static const char *fault(const struct pl *ruri, const struct pl *hdrs)
{
	struct pl rest = *hdrs, name, val, u = *ruri;
	struct sip_addr addr;
	struct sip_cseq cseq;
	struct sip_via via;
	struct uri uri;

	if (uri_decode(&uri, &u))
		return "Malformed Request-URI";

	while (next_header(&rest, &name, &val)) {
		if (named(&name, "Via", "v") && sip_via_decode(&via, &val))
			return "Malformed Via Header";
		if (named(&name, "To", "t") && sip_addr_decode(&addr, &val))
			return "Malformed To Header";
		if (named(&name, "From", "f") && sip_addr_decode(&addr, &val))
			return "Malformed From Header";
		if (named(&name, "CSeq", NULL) && sip_cseq_decode(&cseq, &val))
			return "Malformed CSeq Header";
	}

	return "Malformed Request";
}


static int answer(struct node *n, const struct sa *src, const struct sa *dst,
		  const struct pl *met, uint16_t scode, const char *reason,
		  const struct pl *hdrs)
{
	struct pl rest = *hdrs, name, val;
	struct mbuf *mb = mbuf_alloc(1024);
	bool top = true, to_seen = false;
	int err;

	if (!mb)
		return ENOMEM;

	/* RFC 3261 8.2.6.2: the Vias, From, To (with our tag), Call-ID and
	 * CSeq as they came; RFC 3581: received and rport on the top Via. */
	err = mbuf_printf(mb, "SIP/2.0 %u %s\r\n", scode, reason);
	while (!err && next_header(&rest, &name, &val)) {
		if (named(&name, "Via", "v")) {
			err = mbuf_printf(mb, "Via: %r%s", &val,
					  top ? ";received=" : "");
			if (top)
				err |= mbuf_printf(mb, "%j;rport=%u", src,
						   sa_port(src));
			err |= mbuf_write_str(mb, "\r\n");
			top = false;
		}
		else if (named(&name, "To", "t") && !to_seen) {
			to_seen = true;
			err = mbuf_printf(mb, "To: %r;tag=%016llx\r\n", &val,
					  emul_rand_u64());
		}
		else if (named(&name, "From", "f") ||
			 named(&name, "Call-ID", "i") ||
			 named(&name, "CSeq", NULL)) {
			err = mbuf_printf(mb, "%r: %r\r\n", &name, &val);
		}
	}
	err |= mbuf_write_str(mb, "Content-Length: 0\r\n\r\n");
	if (err)
		goto out;

	elog(LOG_INFO, node_name(n), "sip", "%r from %J: libre cannot parse "
	     "it: %u %s", met, src, scode, reason);

	mb->pos = 0;
	err = sip_send(node_sip(n), NULL, SIP_TRANSP_UDP, dst, mb);
 out:
	mem_deref(mb);
	return err;
}


/* Method SP Request-URI SP SIP/version CRLF, read loosely: a method, the
 * last SIP/ of the line, whatever lies between.  irregular: not single
 * spaces (RFC 3261 25.1; RFC 4475 3.1.2.8-3.1.2.10). */
static int start_line(const struct pl *all, struct pl *met, struct pl *ruri,
		      struct pl *ver, bool *irregular, struct pl *hdrs)
{
	const char *eol = pl_strchr(all, '\n'), *p, *sip = NULL;
	size_t len, i;

	if (!eol)
		return EBADMSG;
	len = (size_t)(eol - all->p);
	if (len && all->p[len - 1] == '\r')
		--len;

	for (i = 0; i < len && ((all->p[i] | 0x20) >= 'a' &&
				(all->p[i] | 0x20) <= 'z'); i++)
		;
	if (!i || i == len || all->p[i] != ' ')
		return EBADMSG;
	met->p = all->p;
	met->l = i;

	for (p = all->p + i; p + 4 <= all->p + len; p++) {
		if (!memcmp(p, "SIP/", 4) && p[-1] == ' ')
			sip = p;
	}
	if (!sip || sip <= all->p + i + 1)
		return EBADMSG;

	ver->p = sip + 4;
	for (ver->l = 0; ver->p + ver->l < all->p + len &&
		     ver->p[ver->l] != ' '; ver->l++)
		;
	ruri->p = all->p + i + 1;
	ruri->l = (size_t)(sip - 1 - ruri->p);

	*irregular = ver->p + ver->l != all->p + len || !ruri->l ||
		ruri->p[0] == ' ' || pl_strchr(ruri, ' ');

	hdrs->p = eol + 1;
	hdrs->l = all->l - (size_t)(hdrs->p - all->p);

	return 0;
}


/* A request whose start line and top Via can be read gets its answer;
 * anything less (and any response, and ACK) is dropped as before. */
static void refused(struct node *n, const struct sa *src,
		    const struct mbuf *mb)
{
	struct pl all, met, ruri, ver, hdrs, name, val, rest, sentby, port;
	struct msgrec rec;
	struct sa dst;
	bool via_ok = false, irregular;

	all.p = (const char *)mbuf_buf(mb);
	all.l = mbuf_get_left(mb);

	memset(&rec, 0, sizeof(rec));
	rec.t = emul_time();
	rec.proto = "sip";
	rec.tp = SIP_TRANSP_UDP;
	rec.src = emul_outside_name(src);
	rec.dst = node_name(n);
	rec.src_addr = *src;
	rec.dst_addr = *node_addr(n);
	rec.raw = mbuf_buf(mb);
	rec.len = mbuf_get_left(mb);
	msgrec_emit(&rec);

	if (start_line(&all, &met, &ruri, &ver, &irregular, &hdrs) ||
	    !pl_strcmp(&met, "ACK"))
		return;

	/* Readable enough: protocol, transport and a host, whatever the
	 * version and the parameters.  RFC 3261 18.2.2 with RFC 3581: to
	 * the sender's address, at its port when the Via asks for rport,
	 * else at the port the Via names. */
	rest = hdrs;
	while (next_header(&rest, &name, &val)) {
		if (named(&name, "Via", "v")) {
			via_ok = !re_regex(val.p, val.l, "SIP[ \t]*/[^/]+/"
					   "[ \t]*[A-Za-z]+[ \t]+[^ \t;,]+",
					   NULL, NULL, NULL, NULL, NULL,
					   &sentby);
			break;
		}
	}
	if (!via_ok)
		return;

	dst = *src;
	if (!re_regex(val.p, val.l, ";[ \t]*rport", NULL, NULL))
		;
	else if (!re_regex(sentby.p, sentby.l, ":[0-9]+", &port) &&
		 port.p + port.l == sentby.p + sentby.l)
		sa_set_port(&dst, pl_u32(&port));
	else
		sa_set_port(&dst, SIP_PORT);

	if (pl_strcmp(&ver, "2.0"))
		(void)answer(n, src, &dst, &met, 505,
			     "Version Not Supported", &hdrs);
	else if (irregular)
		(void)answer(n, src, &dst, &met, 400,
			     "Malformed Request-Line", &hdrs);
	else
		(void)answer(n, src, &dst, &met, 400, fault(&ruri, &hdrs),
			     &hdrs);
}


int sip_msg_decode(struct sip_msg **msgp, struct mbuf *mb)
{
	static int (*real)(struct sip_msg **, struct mbuf *);
	bool mine = mb && mb == cur.mb && mb->pos == cur.pos;
	int err;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "sip_msg_decode");

	if (mine)
		cur.mb = NULL;

	err = real(msgp, mb);
	if (err && mine && err != ENOMEM)
		refused(cur.node, &cur.src, mb);

	return err;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* module: one HTTP module of an AS (GM, IM or PS), a real HTTP/1.1 server
 * on libre's http_listen serving appdb's JSON to bearer-token clients.
 * Responses are written on the TCP socket here, so each is traced. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "emul.h"
#include "as.h"

/* A per-user document of appdb */
typedef int (userdoc_h)(struct appdb *db, const char *impu, char **jsonp);

struct route {
	enum asmod_kind kind;
	const char *name;       /* last path segment */
	userdoc_h *doch;
};

/* /<kind>/v1/users/{impu}/<name>; the directory stands apart */
static const struct route routes[] = {
	{ASMOD_GM, "profile",     appdb_profile},
	{ASMOD_GM, "addressbook", appdb_addressbook},
	{ASMOD_IM, "messages",    appdb_messages},
	{ASMOD_PS, "friends",     appdb_presence},
};

static const char *const kind_names[ASMOD_COUNT] = {
	[ASMOD_GM] = "gm",
	[ASMOD_IM] = "im",
	[ASMOD_PS] = "ps",
};

struct asmod {
	enum asmod_kind kind;
	struct node *owner;     /* borrowed: the node outlives its AS */
	struct appdb *db;
	struct http_sock *sock;
	struct sa laddr;        /* as bound: a port 0 is resolved */
	asmod_auth_h *authh;
	void *arg;
	uint32_t requests;
};

/* What a request came to, once routed */
struct target {
	const struct route *route;      /* NULL: the directory */
	char *impu;                     /* decoded {impu} */
};


static void destructor(void *arg)
{
	struct asmod *m = arg;

	/* libre's http_sock closes every connection it accepted */
	mem_deref(m->sock);
	mem_deref(m->db);
}


static const char *default_auth(const char *token, void *arg)
{
	(void)token;
	(void)arg;

	return NULL;
}


static const char *reason(uint16_t scode)
{
	switch (scode) {

	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	default:  return "Internal Server Error";
	}
}


static void trace(const struct asmod *m, struct http_conn *conn,
		  const struct mbuf *mb)
{
	const struct sa *peer = http_conn_peer(conn);
	struct msgrec rec;

	memset(&rec, 0, sizeof(rec));
	rec.t = emul_time();
	rec.proto = "http";
	rec.tp = SIP_TRANSP_TCP;
	rec.src = node_name(m->owner);
	rec.dst = node_name(emul_node_by_addr(peer));
	rec.src_addr = m->laddr;
	rec.dst_addr = *peer;
	rec.raw = mb->buf;
	rec.len = mb->end;

	msgrec_emit(&rec);
}


/* Writes the whole response into one mbuf and sends it on the socket;
 * extra is more header lines, each ending in CRLF. */
static void reply(const struct asmod *m, struct http_conn *conn,
		  const struct http_msg *req, uint16_t scode,
		  const char *extra, const char *body)
{
	struct tcp_conn *tc = http_conn_tcp(conn);
	size_t blen = strlen(body);
	struct mbuf *mb;
	bool last;
	int err;

	/* RFC 9112 9.3, 9.6: HTTP/1.0 and 'Connection: close' end the
	 * connection after the response; HTTP/1.1 keeps it otherwise. */
	last = pl_strcmp(&req->ver, "1.1") ||
		http_msg_hdr_has_value(req, HTTP_HDR_CONNECTION, "close");

	mb = mbuf_alloc(256 + blen);
	if (!mb)
		return;

	err = mbuf_printf(mb, "HTTP/1.1 %u %s\r\n"
			  "Server: imsbed\r\n"
			  "%s"
			  "Content-Type: application/json\r\n"
			  "Content-Length: %zu\r\n"
			  "%s"
			  "\r\n",
			  scode, reason(scode), extra ? extra : "", blen,
			  last ? "Connection: close\r\n" : "");
	if (!err)
		err = mbuf_write_mem(mb, (const uint8_t *)body, blen);
	if (err)
		goto out;

	mb->pos = 0;
	err = tcp_send(tc, mb);
	if (err) {
		elog(LOG_WARN, node_name(m->owner), "http", "%s: cannot send "
		     "%u to %J: %m", asmod_name(m->kind), scode,
		     http_conn_peer(conn), err);
		goto out;
	}

	trace(m, conn, mb);

	/* What the kernel did not take yet is lost on close: the client,
	 * told 'Connection: close', ends it after Content-Length instead */
	if (last && !tcp_conn_txqsz(tc))
		http_conn_close(conn);

 out:
	mem_deref(mb);
}


static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;

	return -1;
}


/* RFC 3986 2.1: %XX is the byte XX; EBADMSG on a bad or NUL escape */
static int pct_decode(char **sp, const char *p, size_t n)
{
	char *s;
	size_t i, o = 0;

	s = mem_alloc(n + 1, NULL);
	if (!s)
		return ENOMEM;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (p[i] != '%') {
			s[o++] = p[i];
			continue;
		}

		if (i + 2 >= n) {
			mem_deref(s);
			return EBADMSG;
		}

		hi = hexval(p[i + 1]);
		lo = hexval(p[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			mem_deref(s);
			return EBADMSG;
		}

		s[o++] = (char)(hi << 4 | lo);
		i += 2;
	}

	s[o] = '\0';
	*sp = s;

	return 0;
}


/* Routes path to t: ENOENT for a path this module does not serve,
 * EBADMSG for a malformed {impu} */
static int route(struct target *t, enum asmod_kind kind,
		 const struct pl *path)
{
	char prefix[16];
	struct pl rest, seg, name;
	const char *slash;
	size_t i, plen;

	memset(t, 0, sizeof(*t));

	plen = re_snprintf(prefix, sizeof(prefix), "/%s/v1/",
			   kind_names[kind]);
	if (path->l <= plen || memcmp(path->p, prefix, plen))
		return ENOENT;

	rest.p = path->p + plen;
	rest.l = path->l - plen;

	if (kind == ASMOD_GM && !pl_strcmp(&rest, "directory"))
		return 0;

	if (rest.l <= 6 || memcmp(rest.p, "users/", 6))
		return ENOENT;
	rest.p += 6;
	rest.l -= 6;

	/* {impu} is everything up to the last '/' */
	slash = NULL;
	for (i = rest.l; i > 0; i--) {
		if (rest.p[i - 1] == '/') {
			slash = rest.p + i - 1;
			break;
		}
	}
	if (!slash || slash == rest.p)
		return ENOENT;

	seg.p = rest.p;
	seg.l = slash - rest.p;
	name.p = slash + 1;
	name.l = rest.l - seg.l - 1;

	for (i = 0; i < N_ELEM(routes); i++) {
		if (routes[i].kind == kind &&
		    !pl_strcmp(&name, routes[i].name)) {
			t->route = &routes[i];
			break;
		}
	}
	if (!t->route)
		return ENOENT;

	return pct_decode(&t->impu, seg.p, seg.l);
}


/* RFC 6750 2.1: Authorization: Bearer <token>; the token's IMPU */
static const char *bearer_impu(const struct asmod *m,
			       const struct http_msg *msg)
{
	const struct http_hdr *h = http_msg_hdr(msg, HTTP_HDR_AUTHORIZATION);
	const char *impu;
	struct pl tok;
	char *token;

	if (!h || h->val.l < 8 || strncasecmp(h->val.p, "Bearer ", 7))
		return NULL;

	tok.p = h->val.p + 7;
	tok.l = h->val.l - 7;
	while (tok.l && (*tok.p == ' ' || *tok.p == '\t')) {
		++tok.p;
		--tok.l;
	}
	while (tok.l && (tok.p[tok.l - 1] == ' ' ||
			 tok.p[tok.l - 1] == '\t'))
		--tok.l;

	if (!tok.l || pl_strdup(&token, &tok))
		return NULL;

	impu = m->authh(token, m->arg);
	mem_deref(token);

	return impu;
}


static void req_handler(struct http_conn *conn, const struct http_msg *msg,
			void *arg)
{
	struct asmod *m = arg;
	char *json = NULL, *challenge = NULL;
	const char *who;
	struct target t;
	int err;

	++m->requests;

	err = route(&t, m->kind, &msg->path);
	if (err == EBADMSG) {
		reply(m, conn, msg, 400, NULL, "{\"error\":\"bad request\"}");
		goto out;
	}
	if (err) {
		reply(m, conn, msg, 404, NULL,
		      "{\"error\":\"no such resource\"}");
		goto out;
	}

	if (pl_strcmp(&msg->met, "GET")) {
		reply(m, conn, msg, 405, "Allow: GET\r\n",
		      "{\"error\":\"method not allowed\"}");
		goto out;
	}

	/* RFC 6750 3: the challenge names the realm, the home domain */
	who = bearer_impu(m, msg);
	if (!who) {
		if (re_sdprintf(&challenge, "WWW-Authenticate: Bearer "
				"realm=\"%s\"\r\n", emul_domain()))
			goto out;
		reply(m, conn, msg, 401, challenge,
		      "{\"error\":\"unauthorized\"}");
		goto out;
	}

	/* a user reads only their own documents; any user the directory */
	if (t.route && str_casecmp(who, t.impu)) {
		reply(m, conn, msg, 403, NULL, "{\"error\":\"forbidden\"}");
		goto out;
	}

	if (t.route)
		err = t.route->doch(m->db, t.impu, &json);
	else
		err = appdb_directory(m->db, &json);

	if (err == ENOENT) {
		reply(m, conn, msg, 404, NULL, "{\"error\":\"no such user\"}");
		goto out;
	}
	if (err) {
		elog(LOG_WARN, node_name(m->owner), "http", "%s: %r: %m",
		     asmod_name(m->kind), &msg->path, err);
		reply(m, conn, msg, 500, NULL,
		      "{\"error\":\"internal error\"}");
		goto out;
	}

	reply(m, conn, msg, 200, NULL, json);

 out:
	elog(LOG_DEBUG, node_name(m->owner), "http", "%s: %r %r",
	     asmod_name(m->kind), &msg->met, &msg->path);
	mem_deref(challenge);
	mem_deref(json);
	mem_deref(t.impu);
}


int asmod_alloc(struct asmod **mp, enum asmod_kind kind, struct node *owner,
		const struct sa *laddr, struct appdb *db,
		asmod_auth_h *authh, void *arg)
{
	struct asmod *m;
	int err;

	if (!mp || (unsigned)kind >= ASMOD_COUNT || !owner || !laddr || !db)
		return EINVAL;

	/* the modules serve the emulated network only */
	if (!netguard_allowed(laddr))
		return EACCES;

	m = mem_zalloc(sizeof(*m), destructor);
	if (!m)
		return ENOMEM;

	m->kind = kind;
	m->owner = owner;
	m->db = mem_ref(db);
	m->authh = authh ? authh : default_auth;
	m->arg = arg;

	err = http_listen(&m->sock, laddr, req_handler, m);
	if (err)
		goto out;

	err = tcp_sock_local_get(http_sock_tcp(m->sock), &m->laddr);
	if (err)
		goto out;

	elog(LOG_INFO, node_name(owner), "http", "%s listening on %J",
	     asmod_name(kind), &m->laddr);

 out:
	if (err)
		mem_deref(m);
	else
		*mp = m;

	return err;
}


const struct sa *asmod_addr(const struct asmod *m)
{
	return m ? &m->laddr : NULL;
}


const char *asmod_name(enum asmod_kind kind)
{
	return (unsigned)kind < ASMOD_COUNT ? kind_names[kind] : "?";
}


uint32_t asmod_requests(const struct asmod *m)
{
	return m ? m->requests : 0;
}

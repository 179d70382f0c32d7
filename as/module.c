/* SPDX-License-Identifier: BSD-3-Clause */
/* module: one HTTP module of an AS (GM, IM or PS), a real HTTP/1.1 server
 * on libre's http_listen serving appdb's JSON to bearer-token clients,
 * and the GM module's writes and sync of the personal address book.
 * Responses are written on the TCP socket here, so each is traced. */

#include <string.h>
#include <strings.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "as.h"
#include "appdb.h"
#include "modroute.h"

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

static const char *const allowv[] = {
	[RES_DOC]   = "GET",
	[RES_DIR]   = "GET",
	[RES_BOOK]  = "GET, POST",
	[RES_ENTRY] = "PUT, DELETE",
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
	case 201: return "Created";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
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
	rec.dst = emul_peer_name(peer);
	rec.src_addr = m->laddr;
	rec.dst_addr = *peer;
	rec.raw = mb->buf;
	rec.len = mb->end;

	msgrec_emit(&rec);
}


/* A request from outside the topology (curl, a real UE) no node sent,
 * so none recorded it: the module records it as it arrived, from 'ext'.
 * libre hands the parsed message; the bytes are printed back from it. */
static void trace_arrival(const struct asmod *m, struct http_conn *conn,
			  const struct http_msg *msg)
{
	const struct sa *peer = http_conn_peer(conn);
	struct msgrec rec;
	struct mbuf *mb;
	struct le *le;
	int err;

	if (emul_sender_at(SIP_TRANSP_TCP, peer, &m->laddr))
		return;

	mb = mbuf_alloc(512);
	if (!mb)
		return;

	err = mbuf_printf(mb, "%r %r%s%r HTTP/%r\r\n", &msg->met, &msg->path,
			  pl_isset(&msg->prm) && msg->prm.p[0] != '?' ?
			  "?" : "", &msg->prm, &msg->ver);
	for (le = msg->hdrl.head; le && !err; le = le->next) {
		const struct http_hdr *h = le->data;

		err = mbuf_printf(mb, "%r: %r\r\n", &h->name, &h->val);
	}
	err |= mbuf_write_str(mb, "\r\n");
	if (msg->mb)
		err |= mbuf_write_mem(mb, mbuf_buf(msg->mb),
				      mbuf_get_left(msg->mb));
	if (err)
		goto out;

	memset(&rec, 0, sizeof(rec));
	rec.t = emul_time();
	rec.proto = "http";
	rec.tp = SIP_TRANSP_TCP;
	rec.src = emul_outside_name(peer);
	rec.dst = node_name(m->owner);
	rec.src_addr = *peer;
	rec.dst_addr = m->laddr;
	rec.raw = mb->buf;
	rec.len = mb->end;

	msgrec_emit(&rec);
 out:
	mem_deref(mb);
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


/* {"error":"..."}: msg is escaped, a client's words may be in it */
static void reply_error(const struct asmod *m, struct http_conn *conn,
			const struct http_msg *req, uint16_t scode,
			const char *extra, const char *msg)
{
	char *body = NULL;

	if (re_sdprintf(&body, "{\"error\":\"%H\"}", utf8_encode, msg))
		return;

	reply(m, conn, req, scode, extra, body);
	mem_deref(body);
}


/* The status of an appdb error; *msgp, its words, comes in as what a
 * 404 says */
static uint16_t err_status(int err, const char **msgp)
{
	switch (err) {

	case ENOENT:
		return 404;

	case ERANGE:
		*msgp = "since: ahead of the book's version";
		return 400;

	default:
		*msgp = "internal error";
		return 500;
	}
}


/* A bad request sets *badp, the words of its 400 */
static int handle_get(const struct asmod *m, const struct target *t,
		      const struct http_msg *msg, char **jsonp,
		      const char **badp)
{
	int64_t since;

	if (t->res == RES_DIR)
		return appdb_directory(m->db, jsonp);

	if (t->res == RES_BOOK) {
		if (modroute_since(&since, &msg->prm)) {
			*badp = "since must be a version number";
			return EINVAL;
		}
		if (since >= 0)
			return book_since(m->db, t->impu, since, jsonp);
	}

	return t->route->doch(m->db, t->impu, jsonp);
}


/* POST, PUT, DELETE of the address book; *scodep 201 and *idp for a
 * new entry.  A bad body sets *badp, the words of its 400. */
static int handle_write(const struct asmod *m, const struct target *t,
			const struct http_msg *msg, char **jsonp,
			uint16_t *scodep, int64_t *idp, char **badp)
{
	struct book_entry e;
	struct odict *o = NULL;
	int64_t id = t->id, ver = 0;
	int err;

	if (!pl_strcmp(&msg->met, "DELETE")) {
		err = book_del(m->db, t->impu, id, &ver);
		goto out;
	}

	err = book_entry_decode(&e, &o, (const char *)mbuf_buf(msg->mb),
				mbuf_get_left(msg->mb), badp);
	if (err)
		goto out;

	if (t->res == RES_BOOK) {
		err = book_add(m->db, t->impu, &e, &id, &ver);
		*scodep = 201;
	}
	else {
		err = book_put(m->db, t->impu, id, &e, &ver);
	}

 out:
	if (!err)
		err = re_sdprintf(jsonp, "{\"id\":%lli,\"version\":%lli}",
				  (long long)id, (long long)ver);
	*idp = id;
	mem_deref(o);

	return err;
}


static bool method_allowed(const struct target *t, const struct pl *met)
{
	switch (t->res) {

	case RES_BOOK:
		return !pl_strcmp(met, "GET") || !pl_strcmp(met, "POST");

	case RES_ENTRY:
		return !pl_strcmp(met, "PUT") || !pl_strcmp(met, "DELETE");

	default:
		return !pl_strcmp(met, "GET");
	}
}


/* The checks before any work: the resource, its methods, the bearer
 * token, the owner, the body's size.  True when one failed and the
 * request has been answered (or, out of memory, dropped). */
static bool refused(struct asmod *m, struct http_conn *conn,
		    const struct http_msg *msg, struct target *t)
{
	char *extra = NULL;
	const char *who;
	char words[48];
	bool done = true;
	int err;

	err = modroute_target(t, m->kind, &msg->path);
	if (err == EBADMSG) {
		reply(m, conn, msg, 400, NULL, "{\"error\":\"bad request\"}");
		goto out;
	}
	if (err) {
		reply(m, conn, msg, 404, NULL,
		      "{\"error\":\"no such resource\"}");
		goto out;
	}

	if (!method_allowed(t, &msg->met)) {
		if (re_sdprintf(&extra, "Allow: %s\r\n", allowv[t->res]))
			goto out;
		reply(m, conn, msg, 405, extra,
		      "{\"error\":\"method not allowed\"}");
		goto out;
	}

	/* RFC 6750 3: the challenge names the realm, the home domain */
	who = bearer_impu(m, msg);
	if (!who) {
		if (re_sdprintf(&extra, "WWW-Authenticate: Bearer "
				"realm=\"%s\"\r\n", emul_domain()))
			goto out;
		reply(m, conn, msg, 401, extra,
		      "{\"error\":\"unauthorized\"}");
		goto out;
	}

	/* a user reads and writes only their own documents; any user
	 * reads the directory */
	if (t->res != RES_DIR && str_casecmp(who, t->impu)) {
		reply(m, conn, msg, 403, NULL, "{\"error\":\"forbidden\"}");
		goto out;
	}

	/* libre has read the whole body by now, up to its own 512 KiB */
	if (msg->clen > BOOK_BODY_MAX) {
		(void)re_snprintf(words, sizeof(words), "body too large (%u "
				  "bytes at most)", BOOK_BODY_MAX);
		reply_error(m, conn, msg, 413, NULL, words);
		goto out;
	}

	done = false;

 out:
	mem_deref(extra);
	return done;
}


/* A request that passed the checks: the document read or written, and
 * the answer. */
static void serve(struct asmod *m, struct http_conn *conn,
		  const struct http_msg *msg, const struct target *t)
{
	char *json = NULL, *extra = NULL, *bad_body = NULL;
	const char *what, *bad = NULL;
	uint16_t scode = 200;
	int64_t id = 0;
	int err;

	if (!pl_strcmp(&msg->met, "GET")) {
		err = handle_get(m, t, msg, &json, &bad);
	}
	else {
		err = handle_write(m, t, msg, &json, &scode, &id, &bad_body);
		bad = bad_body;
	}

	if (bad) {
		reply_error(m, conn, msg, 400, NULL, bad);
		goto out;
	}

	if (err) {
		what = t->res == RES_ENTRY ? "no such entry" : "no such user";
		scode = err_status(err, &what);
		if (scode == 500)
			elog(LOG_WARN, node_name(m->owner), "http", "%s: %r "
			     "%r: %m", asmod_name(m->kind), &msg->met,
			     &msg->path, err);
		reply_error(m, conn, msg, scode, NULL, what);
		goto out;
	}

	/* RFC 9110 15.3.2: a 201 names the new resource */
	if (scode == 201 &&
	    re_sdprintf(&extra, "Location: %r/%lli\r\n", &msg->path,
			(long long)id))
		goto out;

	reply(m, conn, msg, scode, extra, json);

 out:
	mem_deref(extra);
	mem_deref(bad_body);
	mem_deref(json);
}


static void req_handler(struct http_conn *conn, const struct http_msg *msg,
			void *arg)
{
	struct asmod *m = arg;
	struct target t;

	++m->requests;
	trace_arrival(m, conn, msg);

	if (!refused(m, conn, msg, &t))
		serve(m, conn, msg, &t);

	elog(LOG_DEBUG, node_name(m->owner), "http", "%s: %r %r",
	     asmod_name(m->kind), &msg->met, &msg->path);
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
	return (unsigned)kind < ASMOD_COUNT ? modroute_kind_names[kind] :
		"?";
}


uint32_t asmod_requests(const struct asmod *m)
{
	return m ? m->requests : 0;
}

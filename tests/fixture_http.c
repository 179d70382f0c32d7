/* SPDX-License-Identifier: BSD-3-Clause */
/* What the HTTP suites share (test_http.c, test_book_http.c): an AS node
 * and a UE node on loopback with an appdb loaded from YAML, the answer to
 * one request copied out of the client's handler, and bearer tokens
 * looked up in a table. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "as.h"
#include "tests.h"


int http_bed_open(struct http_bed *b, const char *net, unsigned id,
		  const char *dbpath, const char *appdata)
{
	struct yml *y = NULL;
	char err[256] = "", name[16], ip[32];
	struct sa a;
	int e;

	memset(b, 0, sizeof(*b));
	emul_set_domain("ims.test");

	(void)re_snprintf(ip, sizeof(ip), "%s.1", net);
	(void)re_snprintf(name, sizeof(name), "as%u", id);
	e = sa_set_str(&a, ip, 5060);
	e = e ? e : node_alloc(&b->as, name, ROLE_AS, &a, "ims.test", 0);

	(void)re_snprintf(ip, sizeof(ip), "%s.2", net);
	(void)re_snprintf(name, sizeof(name), "ue%u", id);
	e = e ? e : sa_set_str(&a, ip, 5060);
	e = e ? e : node_alloc(&b->ue, name, ROLE_UE, &a, "ims.test", 0);

	e = e ? e : appdb_alloc(&b->db, dbpath, err, sizeof(err));
	e = e ? e : yml_load_str(&y, "t.yaml", appdata, err, sizeof(err));
	e = e ? e : appdb_load(b->db, y, yml_get(y, yml_root(y), "appdata"),
			       err, sizeof(err));
	mem_deref(y);

	if (e)
		re_fprintf(stderr, "http bed %s: %m %s\n", net, e, err);

	return e;
}


void http_bed_close(struct http_bed *b)
{
	b->db = mem_deref(b->db);
	b->ue = mem_deref(b->ue);
	b->as = mem_deref(b->as);
	emul_flush();
}


void http_answer_reset(struct http_answer *a)
{
	a->done = false;
	a->err = -1;
	a->scode = 0;
	a->body[0] = a->www[0] = a->ctype[0] = a->server[0] = '\0';
	a->location[0] = a->allow[0] = '\0';
}


static void hdr_copy(char *buf, size_t sz, const struct http_msg *msg,
		     enum http_hdrid id)
{
	const struct http_hdr *h = http_msg_hdr(msg, id);

	buf[0] = '\0';
	if (h)
		(void)pl_strcpy(&h->val, buf, sz);
}


/* libre splits a list header such as Allow into one per value */
static void hdr_join(char *buf, size_t sz, const struct http_msg *msg,
		     enum http_hdrid id)
{
	struct le *le;
	size_t n = 0;

	buf[0] = '\0';
	for (le = msg->hdrl.head; le; le = le->next) {
		const struct http_hdr *h = le->data;

		if (h->id != id)
			continue;

		n += (size_t)re_snprintf(buf + n, sz - n, "%s%r",
					 n ? ", " : "", &h->val);
	}
}


void http_answer_h(int err, const struct http_msg *msg, void *arg)
{
	struct http_answer *a = arg;

	++a->calls;
	a->done = true;
	a->err = err;
	if (msg) {
		size_t n = min(mbuf_get_left(msg->mb), sizeof(a->body) - 1);

		a->scode = msg->scode;
		memcpy(a->body, mbuf_buf(msg->mb), n);
		a->body[n] = '\0';
		hdr_copy(a->www, sizeof(a->www), msg,
			 HTTP_HDR_WWW_AUTHENTICATE);
		hdr_copy(a->ctype, sizeof(a->ctype), msg,
			 HTTP_HDR_CONTENT_TYPE);
		hdr_copy(a->server, sizeof(a->server), msg, HTTP_HDR_SERVER);
		hdr_copy(a->location, sizeof(a->location), msg,
			 HTTP_HDR_LOCATION);
		hdr_join(a->allow, sizeof(a->allow), msg, HTTP_HDR_ALLOW);
	}

	re_cancel();
}


const char *http_token_impu(const char *token, void *arg)
{
	const struct http_token *t;

	for (t = arg; t && t->token; t++) {
		if (!strcmp(token, t->token))
			return t->impu;
	}

	return NULL;
}

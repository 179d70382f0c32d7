/* SPDX-License-Identifier: BSD-3-Clause */
/* The Cx requests as TS 29.229 6.1 writes them, one builder and one
 * reader for all six commands: what a request carries is one struct
 * (cx_ask), so the in-process CSCFs' calls and a real peer's message
 * meet in the same form.  Answers are in cx_wire_ans.c. */

#include <string.h>
#include <re.h>
#include "diam.h"
#include "hss.h"

static const struct {
	uint32_t code;
	const char *name;
} cmds[] = {
	{CX_CMD_UAR, "User-Authorization-Request"},
	{CX_CMD_SAR, "Server-Assignment-Request"},
	{CX_CMD_LIR, "Location-Info-Request"},
	{CX_CMD_MAR, "Multimedia-Auth-Request"},
	{CX_CMD_RTR, "Registration-Termination-Request"},
	{CX_CMD_PPR, "Push-Profile-Request"},
};


static const char *cmd_name(uint32_t code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (cmds[i].code == code)
			return cmds[i].name;
	}

	return NULL;
}


/* What every Cx message starts with (TS 29.229 6.1): RFC 6733 8.8
 * Session-Id (an answer's is the request's, there already), 6.11 the
 * application's AVP, the result of an answer (code 0 for a request),
 * 8.11 NO_STATE_MAINTAINED (Cx keeps no session) and the origin. */
int cxw_head(struct diam *d, const struct diam_node *self, const char *sid,
	     uint32_t code, bool experimental)
{
	struct diam_avp *x = NULL;
	int err = 0;

	if (sid)
		err = diam_put_str(d, NULL, "Session-Id", sid);
	err = err ? err : diam_put_cx_app(d);
	if (!err && code && !experimental)
		err = diam_put_u32(d, NULL, "Result-Code", code);
	if (!err && code && experimental) {
		err = diam_put_group(d, NULL, "Experimental-Result", &x);
		err = err ? err : diam_put_u32(d, x, "Vendor-Id",
					       DIAM_VENDOR_3GPP);
		err = err ? err : diam_put_u32(d, x,
					       "Experimental-Result-Code",
					       code);
	}
	err = err ? err : diam_put_u32(d, NULL, "Auth-Session-State", 1);
	err = err ? err : diam_put_str(d, NULL, "Origin-Host", self->host);
	err = err ? err : diam_put_str(d, NULL, "Origin-Realm", self->realm);

	return err;
}


static int put_if(struct diam *d, const char *name, const char *v)
{
	return v && v[0] ? diam_put_str(d, NULL, name, v) : 0;
}


static int put_body(struct diam *d, const struct cx_ask *a)
{
	struct diam_avp *g = NULL;
	int err = 0;

	switch (a->cmd) {

	case CX_CMD_UAR:
		err = put_if(d, "User-Name", a->impi);
		err = err ? err : put_if(d, "Public-Identity", a->impu);
		err = err ? err : diam_put_str(d, NULL,
					       "Visited-Network-Identifier",
					       a->visited);
		err = err ? err : diam_put_u32(d, NULL,
					       "User-Authorization-Type",
					       a->type);
		break;

	case CX_CMD_MAR:
		err = put_if(d, "User-Name", a->impi);
		err = err ? err : put_if(d, "Public-Identity", a->impu);
		err = err ? err : diam_put_group(d, NULL, "SIP-Auth-Data-Item",
						 &g);
		err = err ? err : diam_put_str(d, g,
					       "SIP-Authentication-Scheme",
					       a->scheme[0] ? a->scheme :
					       "Unknown");
		if (!err && a->authzlen)
			err = diam_put_os(d, g, "SIP-Authorization", a->authz,
					  a->authzlen);
		err = err ? err : diam_put_u32(d, NULL,
					       "SIP-Number-Auth-Items",
					       a->nitems ? a->nitems : 1);
		err = err ? err : diam_put_str(d, NULL, "Server-Name",
					       a->server);
		break;

	case CX_CMD_SAR:
		err = put_if(d, "User-Name", a->impi);
		err = err ? err : put_if(d, "Public-Identity", a->impu);
		err = err ? err : diam_put_str(d, NULL, "Server-Name",
					       a->server);
		err = err ? err : diam_put_u32(d, NULL,
					       "Server-Assignment-Type",
					       a->type);
		/* TS 29.229 6.3.26: USER_DATA_NOT_AVAILABLE, the S-CSCF
		 * wants the profile every time */
		err = err ? err : diam_put_u32(d, NULL,
					       "User-Data-Already-Available",
					       0);
		break;

	case CX_CMD_LIR:
		err = put_if(d, "Public-Identity", a->impu);
		break;

	case CX_CMD_RTR:
		err = put_if(d, "User-Name", a->impi);
		err = err ? err : put_if(d, "Public-Identity", a->impu);
		err = err ? err : diam_put_group(d, NULL,
						 "Deregistration-Reason", &g);
		err = err ? err : diam_put_u32(d, g, "Reason-Code", a->type);
		if (!err && a->info[0])
			err = diam_put_str(d, g, "Reason-Info", a->info);
		break;

	case CX_CMD_PPR:
		err = put_if(d, "User-Name", a->impi);
		if (!err && a->user_data)
			err = diam_put_os(d, NULL, "User-Data",
					  mbuf_buf(a->user_data),
					  mbuf_get_left(a->user_data));
		break;

	default:
		return EINVAL;
	}

	return err;
}


int cxw_request(struct diam **dp, const struct diam_node *self,
		const struct diam_node *peer, const char *sid,
		const struct cx_ask *a)
{
	const char *name = a ? cmd_name(a->cmd) : NULL;
	struct diam *d = NULL;
	int err;

	if (!dp || !self || !peer || !sid || !name)
		return EINVAL;

	err = diam_request(&d, name);
	if (err)
		return err;

	err = cxw_head(d, self, sid, 0, false);
	/* RTR and PPR go to the one S-CSCF that serves the user */
	if (!err && (a->cmd == CX_CMD_RTR || a->cmd == CX_CMD_PPR))
		err = diam_put_str(d, NULL, "Destination-Host", peer->host);
	err = err ? err : diam_put_str(d, NULL, "Destination-Realm",
				       peer->realm);
	err = err ? err : put_body(d, a);
	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


static int get_str(const struct diam *d, const struct diam_avp *parent,
		   const char *name, char *buf, size_t sz)
{
	int err = diam_find_str(d, parent, name, buf, sz);

	if (err == ENOENT) {
		buf[0] = '\0';
		return 0;
	}

	return err;
}


/* A request from a peer into a: EPROTO with the AVP named in why when
 * a value does not fit (TS 29.229's identities are short). */
int cxw_request_read(const struct diam *d, struct cx_ask *a, char *why,
		     size_t sz)
{
	const struct diam_avp *g;
	const uint8_t *p;
	size_t n;
	int err;

	if (!d || !a)
		return EINVAL;

	memset(a, 0, sizeof(*a));
	a->cmd = diam_command(d);

	err = get_str(d, NULL, "User-Name", a->impi, sizeof(a->impi));
	if (err)
		goto bad_user;
	err = get_str(d, NULL, "Public-Identity", a->impu, sizeof(a->impu));
	if (err)
		goto bad_impu;
	err = get_str(d, NULL, "Server-Name", a->server, sizeof(a->server));
	err |= get_str(d, NULL, "Visited-Network-Identifier", a->visited,
		       sizeof(a->visited));
	if (err) {
		(void)re_snprintf(why, sz, "Server-Name or "
				  "Visited-Network-Identifier too long");
		return EPROTO;
	}

	(void)diam_find_u32(d, NULL, a->cmd == CX_CMD_UAR ?
			    "User-Authorization-Type" :
			    "Server-Assignment-Type", &a->type);
	(void)diam_find_u32(d, NULL, "SIP-Number-Auth-Items", &a->nitems);

	g = diam_find(d, NULL, "SIP-Auth-Data-Item");
	if (g) {
		(void)get_str(d, g, "SIP-Authentication-Scheme", a->scheme,
			      sizeof(a->scheme));
		if (!diam_avp_os(diam_find(d, g, "SIP-Authorization"), &p,
				 &n)) {
			if (n > sizeof(a->authz)) {
				(void)re_snprintf(why, sz, "SIP-Authorization:"
						  " %zu bytes", n);
				return EPROTO;
			}
			memcpy(a->authz, p, n);
			a->authzlen = n;
		}
	}

	g = diam_find(d, NULL, "Deregistration-Reason");
	if (g) {
		(void)diam_find_u32(d, g, "Reason-Code", &a->type);
		(void)get_str(d, g, "Reason-Info", a->info, sizeof(a->info));
	}

	return 0;

 bad_user:
	(void)re_snprintf(why, sz, "User-Name: too long");
	return EPROTO;
 bad_impu:
	(void)re_snprintf(why, sz, "Public-Identity: too long");
	return EPROTO;
}

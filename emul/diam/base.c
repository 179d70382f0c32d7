/* SPDX-License-Identifier: BSD-3-Clause */
/* The base protocol's own exchanges between two peers (RFC 6733 5):
 * capabilities (CER/CEA) once a connection is up, watchdogs (DWR/DWA)
 * while it is idle, disconnection (DPR/DPA).  imsbed advertises the Cx
 * application only, as 3GPP's vendor-specific one (TS 29.229 6.1). */

#include <string.h>
#include <re.h>
#include "diam.h"

enum { IMSBED_FIRMWARE = 1 };


/* RFC 6733 4.3.1: Address is the family (1: IPv4, 2: IPv6), then the
 * address's bytes. */
static int put_addr(struct diam *d, const struct sa *sa)
{
	uint8_t b[18];
	size_t n;

	if (sa_af(sa) == AF_INET) {
		b[0] = 0;
		b[1] = 1;
		memcpy(b + 2, &sa->u.in.sin_addr, 4);
		n = 6;
	}
	else if (sa_af(sa) == AF_INET6) {
		b[0] = 0;
		b[1] = 2;
		memcpy(b + 2, &sa->u.in6.sin6_addr, 16);
		n = 18;
	}
	else {
		return EAFNOSUPPORT;
	}

	return diam_put_os(d, NULL, "Host-IP-Address", b, n);
}


/* RFC 6733 5.3.1/5.3.2 after the Result-Code: who this node is and
 * what it runs. */
static int put_caps(struct diam *d, const struct diam_node *self)
{
	int err;

	err = diam_put_str(d, NULL, "Origin-Host", self->host);
	err = err ? err : diam_put_str(d, NULL, "Origin-Realm", self->realm);
	if (!err && self->addr)
		err = put_addr(d, self->addr);
	err = err ? err : diam_put_u32(d, NULL, "Vendor-Id", 0);
	err = err ? err : diam_put_str(d, NULL, "Product-Name", "imsbed");
	err = err ? err : diam_put_u32(d, NULL, "Supported-Vendor-Id",
				       DIAM_VENDOR_3GPP);
	err = err ? err : diam_put_cx_app(d);
	err = err ? err : diam_put_u32(d, NULL, "Firmware-Revision",
				       IMSBED_FIRMWARE);

	return err;
}


/* TS 29.229 6.1: Cx is 3GPP's vendor-specific application */
int diam_put_cx_app(struct diam *d)
{
	struct diam_avp *app = NULL;
	int err;

	err = diam_put_group(d, NULL, "Vendor-Specific-Application-Id", &app);
	err = err ? err : diam_put_u32(d, app, "Vendor-Id", DIAM_VENDOR_3GPP);
	err = err ? err : diam_put_u32(d, app, "Auth-Application-Id",
				       DIAM_APP_CX);

	return err;
}


/* Who sends: with its capabilities (CER, CEA) or its origin alone */
static int put_self(struct diam *d, const struct diam_node *self,
		    bool caps)
{
	int err;

	if (caps)
		return put_caps(d, self);

	err = diam_put_str(d, NULL, "Origin-Host", self->host);
	err = err ? err : diam_put_str(d, NULL, "Origin-Realm", self->realm);

	return err;
}


static int request(struct diam **dp, const char *cmd,
		   const struct diam_node *self, bool caps)
{
	struct diam *d = NULL;
	int err;

	if (!dp || !self)
		return EINVAL;

	err = diam_request(&d, cmd);
	if (err)
		return err;

	err = put_self(d, self, caps);

	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


static int answer(struct diam **dp, const struct diam *req,
		  const struct diam_node *self, uint32_t code, bool caps)
{
	struct diam *d = NULL;
	int err;

	if (!dp || !req || !self)
		return EINVAL;

	err = diam_answer(&d, req);
	err = err ? err : diam_put_u32(d, NULL, "Result-Code", code);
	err = err ? err : put_self(d, self, caps);
	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


int diam_cer(struct diam **dp, const struct diam_node *self)
{
	return request(dp, "Capabilities-Exchange-Request", self, true);
}


int diam_cea(struct diam **dp, const struct diam *cer,
	     const struct diam_node *self, uint32_t code)
{
	return answer(dp, cer, self, code, true);
}


int diam_dwr(struct diam **dp, const struct diam_node *self)
{
	return request(dp, "Device-Watchdog-Request", self, false);
}


int diam_dwa(struct diam **dp, const struct diam *dwr,
	     const struct diam_node *self)
{
	return answer(dp, dwr, self, 2001, false);
}


/* RFC 6733 5.4.3: Disconnect-Cause 0 REBOOTING, 1 BUSY,
 * 2 DO_NOT_WANT_TO_TALK_TO_YOU */
int diam_dpr(struct diam **dp, const struct diam_node *self, uint32_t cause)
{
	int err = request(dp, "Disconnect-Peer-Request", self, false);

	if (err)
		return err;

	err = diam_put_u32(*dp, NULL, "Disconnect-Cause", cause);
	if (err)
		*dp = mem_deref(*dp);

	return err;
}


int diam_dpa(struct diam **dp, const struct diam *dpr,
	     const struct diam_node *self)
{
	return answer(dp, dpr, self, 2001, false);
}


/* RFC 6733 5.3: whether a peer's CER or CEA offers Cx, as an
 * application of its own or through the relay application. */
bool diam_offers_cx(const struct diam *d)
{
	const struct diam_avp *a;
	uint32_t v;

	for (a = diam_find(d, NULL, "Auth-Application-Id"); a;
	     a = diam_find_next(a)) {
		if (!diam_avp_u32(a, &v) && (v == DIAM_APP_CX ||
					     v == 0xffffffff))
			return true;
	}

	for (a = diam_find(d, NULL, "Vendor-Specific-Application-Id"); a;
	     a = diam_find_next(a)) {
		if (!diam_find_u32(d, a, "Auth-Application-Id", &v) &&
		    v == DIAM_APP_CX)
			return true;
	}

	return false;
}

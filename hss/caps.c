/* SPDX-License-Identifier: BSD-3-Clause */
/* caps: a subscriber's Server-Capabilities (TS 29.229 6.3.4), what the
 * I-CSCF picks an S-CSCF by when none is assigned (TS 29.228 6.1.1.1):
 * from the topology into the subscriber's row as lists, and back. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "hssint.h"
#include "loadint.h"


static void uints_print(char *buf, size_t sz, const uint32_t *v, size_t n)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int len = re_snprintf(buf + o, sz - o, "%s%u", i ? "," : "",
				      v[i]);

		if (len > 0)
			o += (size_t)len;
	}
}


/* servers: names of S-CSCF nodes (topo.c checks that they are), the
 * candidates the HSS may give instead of, or with, the capabilities. */
static int servers_load(struct subdef *d, const struct yml *y,
			const yml_node *sn, const char *what, char *err,
			size_t sz)
{
	size_t i, o = 0;

	if (!yml_is_seq(sn) || yml_count(sn) > CX_SERVERS_MAX)
		return yml_err(y, sn, err, sz, "%s must be a list of at most "
			       "%d S-CSCF node names", what, CX_SERVERS_MAX);

	for (i = 0; i < yml_count(sn); i++) {
		const yml_node *x = yml_item(y, sn, i);
		const char *name = yml_str(x);
		size_t len;

		if (!yml_is_scalar(x) || !str_isset(name) ||
		    strlen(name) >= sizeof(((struct cx_caps *)0)->serverv[0])
		    || strchr(name, ','))
			return yml_err(y, x, err, sz, "%s[%zu] must be an "
				       "S-CSCF node's name", what, i);

		len = strlen(name);
		if (o + len + 2 > sizeof(d->cap_servers))
			return yml_err(y, x, err, sz, "%s: the names are "
				       "longer than %zu characters", what,
				       sizeof(d->cap_servers) - 1);

		(void)re_snprintf(d->cap_servers + o,
				  sizeof(d->cap_servers) - o, "%s%s",
				  i ? "," : "", name);
		o += len + (i ? 1 : 0);
	}

	return 0;
}


/* capabilities: {mandatory: [..], optional: [..], servers: [..]}, each
 * part optional; one number is mandatory or optional, not both. */
int caps_load(struct subdef *d, const struct yml *y, const yml_node *n,
	      char *err, size_t sz)
{
	static const char *const keys[] = {
		"mandatory", "optional", "servers", NULL
	};
	const yml_node *cn = yml_get(y, n, "capabilities"), *x;
	uint32_t mand[CX_CAPS_MAX], opt[CX_CAPS_MAX];
	size_t mandc = 0, optc = 0, i, j;
	char path[PATH_LEN + 16];

	if (!cn)
		return 0;

	(void)re_snprintf(path, sizeof(path), "%s.capabilities", d->what);
	if (!yml_is_map(cn))
		return yml_err(y, cn, err, sz, "%s is {mandatory, optional, "
			       "servers}", path);
	if (yml_check_keys(y, cn, keys, path, err, sz))
		return EINVAL;

	(void)re_snprintf(path, sizeof(path), "%s.capabilities.mandatory",
			  d->what);
	x = yml_get(y, cn, "mandatory");
	if (x && yml_uints(y, x, path, mand, CX_CAPS_MAX, &mandc, err, sz))
		return EINVAL;

	(void)re_snprintf(path, sizeof(path), "%s.capabilities.optional",
			  d->what);
	x = yml_get(y, cn, "optional");
	if (x && yml_uints(y, x, path, opt, CX_CAPS_MAX, &optc, err, sz))
		return EINVAL;

	for (i = 0; i < optc; i++) {
		for (j = 0; j < mandc; j++) {
			if (opt[i] == mand[j])
				return yml_err(y, yml_item(y, x, i), err, sz,
					       "%s: %u is mandatory already",
					       path, opt[i]);
		}
	}

	uints_print(d->cap_mand, sizeof(d->cap_mand), mand, mandc);
	uints_print(d->cap_opt, sizeof(d->cap_opt), opt, optc);

	(void)re_snprintf(path, sizeof(path), "%s.capabilities.servers",
			  d->what);
	x = yml_get(y, cn, "servers");

	return x ? servers_load(d, y, x, path, err, sz) : 0;
}


static bool digits(const struct pl *pl)
{
	size_t i;

	for (i = 0; i < pl->l; i++) {
		if (pl->p[i] < '0' || pl->p[i] > '9')
			return false;
	}

	return pl->l > 0 && pl->l <= 10;
}


static int uints_decode(uint32_t *v, size_t max, size_t *np, const char *s)
{
	struct pl rest, item;
	size_t n = 0;

	pl_set_str(&rest, s ? s : "");
	while (rest.l) {
		const char *comma = pl_strchr(&rest, ',');

		item.p = rest.p;
		item.l = comma ? (size_t)(comma - rest.p) : rest.l;
		if (!digits(&item) || pl_u64(&item) > UINT32_MAX)
			return EINVAL;
		if (n == max)
			return EOVERFLOW;

		v[n++] = pl_u32(&item);
		pl_advance(&rest, (ssize_t)item.l + (comma ? 1 : 0));
		if (comma && !rest.l)
			return EINVAL;
	}

	*np = n;
	return 0;
}


static int servers_decode(struct cx_caps *caps, const char *s)
{
	struct pl rest, item;

	pl_set_str(&rest, s ? s : "");
	while (rest.l) {
		const char *comma = pl_strchr(&rest, ',');

		item.p = rest.p;
		item.l = comma ? (size_t)(comma - rest.p) : rest.l;
		if (!item.l || item.l >= sizeof(caps->serverv[0]))
			return EINVAL;
		if (caps->serverc == CX_SERVERS_MAX)
			return EOVERFLOW;

		(void)pl_strcpy(&item, caps->serverv[caps->serverc++],
				sizeof(caps->serverv[0]));
		pl_advance(&rest, (ssize_t)item.l + (comma ? 1 : 0));
		if (comma && !rest.l)
			return EINVAL;
	}

	return 0;
}


int cx_caps_decode(struct cx_caps *caps, const char *mand, const char *opt,
		   const char *servers)
{
	int e;

	if (!caps)
		return EINVAL;

	memset(caps, 0, sizeof(*caps));

	e = uints_decode(caps->mandv, CX_CAPS_MAX, &caps->mandc, mand);
	if (!e)
		e = uints_decode(caps->optv, CX_CAPS_MAX, &caps->optc, opt);
	if (!e)
		e = servers_decode(caps, servers);
	if (e)
		memset(caps, 0, sizeof(*caps));

	return e;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* What people read of a Diameter message: the command's short name a
 * ladder shows (UAR, SAA), the result and its name (RFC 6733 7.1, TS
 * 29.229 6.2), and every AVP as an indented tree for the HTML page and
 * the trace tools.  freeDiameter's own dump is one long line per AVP
 * with pointers in it; this one reads like the SIP beside it. */

#include <ctype.h>
#include <string.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>
#include <re.h>
#include "diam.h"
#include "diamint.h"

static const struct abbrev {
	uint32_t code;
	const char *req, *ans;
} abbrevs[] = {
	{257, "CER", "CEA"}, {258, "RAR", "RAA"}, {274, "ASR", "ASA"},
	{275, "STR", "STA"}, {280, "DWR", "DWA"}, {282, "DPR", "DPA"},
	{300, "UAR", "UAA"}, {301, "SAR", "SAA"}, {302, "LIR", "LIA"},
	{303, "MAR", "MAA"}, {304, "RTR", "RTA"}, {305, "PPR", "PPA"},
};

static const struct rname {
	uint32_t code;
	const char *name;
} rnames[] = {
	{1001, "DIAMETER_MULTI_ROUND_AUTH"},
	{2001, "DIAMETER_SUCCESS"},
	{2002, "DIAMETER_LIMITED_SUCCESS"},
	{3001, "DIAMETER_COMMAND_UNSUPPORTED"},
	{3002, "DIAMETER_UNABLE_TO_DELIVER"},
	{3003, "DIAMETER_REALM_NOT_SERVED"},
	{3004, "DIAMETER_TOO_BUSY"},
	{3005, "DIAMETER_LOOP_DETECTED"},
	{3007, "DIAMETER_APPLICATION_UNSUPPORTED"},
	{3008, "DIAMETER_INVALID_HDR_BITS"},
	{3009, "DIAMETER_INVALID_AVP_BITS"},
	{3010, "DIAMETER_UNKNOWN_PEER"},
	{4001, "DIAMETER_AUTHENTICATION_REJECTED"},
	{5001, "DIAMETER_AVP_UNSUPPORTED"},
	{5002, "DIAMETER_UNKNOWN_SESSION_ID"},
	{5003, "DIAMETER_AUTHORIZATION_REJECTED"},
	{5004, "DIAMETER_INVALID_AVP_VALUE"},
	{5005, "DIAMETER_MISSING_AVP"},
	{5006, "DIAMETER_RESOURCES_EXCEEDED"},
	{5007, "DIAMETER_CONTRADICTING_AVPS"},
	{5008, "DIAMETER_AVP_NOT_ALLOWED"},
	{5009, "DIAMETER_AVP_OCCURS_TOO_MANY_TIMES"},
	{5010, "DIAMETER_NO_COMMON_APPLICATION"},
	{5011, "DIAMETER_UNSUPPORTED_VERSION"},
	{5012, "DIAMETER_UNABLE_TO_COMPLY"},
	{5014, "DIAMETER_INVALID_AVP_LENGTH"},
	{5015, "DIAMETER_INVALID_MESSAGE_LENGTH"},
};

/* TS 29.229 6.2.1, 6.2.2: Experimental-Result-Code, vendor 10415 */
static const struct rname xnames[] = {
	{2001, "DIAMETER_FIRST_REGISTRATION"},
	{2002, "DIAMETER_SUBSEQUENT_REGISTRATION"},
	{2003, "DIAMETER_UNREGISTERED_SERVICE"},
	{2004, "DIAMETER_SUCCESS_SERVER_NAME_NOT_STORED"},
	{5001, "DIAMETER_ERROR_USER_UNKNOWN"},
	{5002, "DIAMETER_ERROR_IDENTITIES_DONT_MATCH"},
	{5003, "DIAMETER_ERROR_IDENTITY_NOT_REGISTERED"},
	{5004, "DIAMETER_ERROR_ROAMING_NOT_ALLOWED"},
	{5005, "DIAMETER_ERROR_IDENTITY_ALREADY_REGISTERED"},
	{5006, "DIAMETER_ERROR_AUTH_SCHEME_NOT_SUPPORTED"},
	{5007, "DIAMETER_ERROR_IN_ASSIGNMENT_TYPE"},
	{5008, "DIAMETER_ERROR_TOO_MUCH_DATA"},
	{5009, "DIAMETER_ERROR_NOT_SUPPORTED_USER_DATA"},
	{5011, "DIAMETER_ERROR_FEATURE_UNSUPPORTED"},
	{5012, "DIAMETER_ERROR_SERVING_NODE_FEATURE_UNSUPPORTED"},
};


const char *diam_abbrev(const struct diam *d)
{
	uint32_t code = diam_command(d);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(abbrevs); i++) {
		if (abbrevs[i].code == code)
			return diam_is_request(d) ? abbrevs[i].req :
				abbrevs[i].ans;
	}

	return diam_name(d);
}


/* "UAR", "uaa", or a command's full name as the dictionary has it */
int diam_command_lookup(const char *s, uint32_t *code, bool *req)
{
	struct dict_object *cmd = NULL;
	struct dict_cmd_data data;
	size_t i;

	if (!s || !code || !req)
		return EINVAL;

	for (i = 0; i < ARRAY_SIZE(abbrevs); i++) {
		if (!str_casecmp(s, abbrevs[i].req) ||
		    !str_casecmp(s, abbrevs[i].ans)) {
			*code = abbrevs[i].code;
			*req = !str_casecmp(s, abbrevs[i].req);
			return 0;
		}
	}

	if (!diam_dict() ||
	    fd_dict_search(diam_dict(), DICT_COMMAND, CMD_BY_NAME, s, &cmd,
			   ENOENT) || fd_dict_getval(cmd, &data))
		return ENOENT;

	*code = data.cmd_code;
	*req = (data.cmd_flag_val & CMD_FLAG_REQUEST) != 0;

	return 0;
}


static void collect(msg_or_avp *parent, const struct dict_avp_data *w,
		    struct mbuf *mb)
{
	struct avp *a = NULL;
	char v[64];

	if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL))
		return;

	while (a) {
		struct avp_hdr *h = NULL;
		uint32_t vendor;

		if (fd_msg_avp_hdr(a, &h))
			return;
		vendor = (h->avp_flags & AVP_FLAG_VENDOR) ? h->avp_vendor : 0;
		/* an octet string whole (User-Data is kilobytes), a number
		 * as text */
		if (h->avp_code == w->avp_code && vendor == w->avp_vendor &&
		    h->avp_value) {
			const uint8_t *p;
			size_t n;

			if (mb->end)
				(void)mbuf_write_str(mb, ", ");
			if (!diam_avp_os((struct diam_avp *)a, &p, &n))
				(void)mbuf_write_mem(mb, p, n);
			else if (!diam_avp_text((struct diam_avp *)a, v,
						sizeof(v)))
				(void)mbuf_write_str(mb, v);
		}
		if (!h->avp_value)
			collect(a, w, mb);
		if (fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL))
			return;
	}
}


/* Every value of the AVP named so, wherever it is in the tree, joined
 * with ", " as a SIP header's values are; ENOENT when there is none. */
int diam_values(const struct diam *d, const char *name, struct mbuf *mb)
{
	struct dict_object *m = NULL;
	struct dict_avp_data w;
	size_t start;

	if (!d || !name || !mb)
		return EINVAL;

	if (fd_dict_search(diam_dict(), DICT_AVP, AVP_BY_NAME_ALL_VENDORS,
			   name, &m, ENOENT) || fd_dict_getval(m, &w))
		return ENOENT;

	start = mb->end;
	collect(d->m, &w, mb);

	return mb->end > start ? 0 : ENOENT;
}


static const char *lookup(const struct rname *v, size_t n, uint32_t code)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].code == code)
			return v[i].name;
	}

	return "?";
}


uint32_t diam_result_code(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(rnames); i++) {
		if (!strncmp(name, rnames[i].name, strlen(rnames[i].name)))
			return rnames[i].code;
	}

	return 0;
}


const char *diam_result_name(uint32_t code, bool experimental)
{
	return experimental ? lookup(xnames, ARRAY_SIZE(xnames), code) :
		lookup(rnames, ARRAY_SIZE(rnames), code);
}


int diam_result(const struct diam *d, uint32_t *code, bool *experimental)
{
	const struct diam_avp *x;

	if (!d || !code)
		return EINVAL;

	if (!diam_find_u32(d, NULL, "Result-Code", code)) {
		if (experimental)
			*experimental = false;
		return 0;
	}

	x = diam_find(d, NULL, "Experimental-Result");
	if (!x || diam_find_u32(d, x, "Experimental-Result-Code", code))
		return ENOENT;
	if (experimental)
		*experimental = true;

	return 0;
}


int diam_set_hbh(struct diam *d, uint32_t hbh)
{
	struct msg_hdr *h = NULL;

	if (!d || fd_msg_hdr(d->m, &h))
		return EINVAL;

	h->msg_hbhid = hbh;

	return 0;
}


int diam_set_e2e(struct diam *d, uint32_t e2e)
{
	struct msg_hdr *h = NULL;

	if (!d || fd_msg_hdr(d->m, &h))
		return EINVAL;

	h->msg_eteid = e2e;

	return 0;
}


static bool printable(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isprint(p[i]) && p[i] != '\n' && p[i] != '\r' &&
		    p[i] != '\t')
			return false;
	}

	return true;
}


static int print_avps(struct re_printf *pf, msg_or_avp *parent,
		      unsigned depth)
{
	struct avp *a = NULL;
	unsigned i;
	int err = 0;

	if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL))
		return 0;

	for (; a && !err;
	     err = err ? err : fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL)) {
		struct dict_object *m = NULL;
		struct dict_avp_data data;
		struct avp_hdr *h = NULL;
		const union avp_value *v;

		if (fd_msg_avp_hdr(a, &h))
			return EBADMSG;
		for (i = 0; i < depth && !err; i++)
			err = re_hprintf(pf, "  ");
		if (fd_msg_model(a, &m) || !m || fd_dict_getval(m, &data)) {
			err |= re_hprintf(pf, "AVP %u (vendor %u, %u bytes)\n",
					  h->avp_code, h->avp_vendor,
					  h->avp_len);
			continue;
		}

		err |= re_hprintf(pf, "%s", data.avp_name);
		v = h->avp_value;
		if (data.avp_basetype == AVP_TYPE_GROUPED) {
			err |= re_hprintf(pf, ":\n");
			err |= print_avps(pf, a, depth + 1);
			continue;
		}
		if (!v) {
			err |= re_hprintf(pf, ": ?\n");
			continue;
		}

		switch (data.avp_basetype) {

		case AVP_TYPE_OCTETSTRING:
			if (!printable(v->os.data, v->os.len))
				err |= re_hprintf(pf, ": 0x%w\n", v->os.data,
						  v->os.len);
			else if (memchr(v->os.data, '\n', v->os.len))
				err |= re_hprintf(pf, ": (%zu bytes)\n%b\n",
						  v->os.len, v->os.data,
						  v->os.len);
			else
				err |= re_hprintf(pf, ": %b\n", v->os.data,
						  v->os.len);
			break;
		case AVP_TYPE_INTEGER32:
			err |= re_hprintf(pf, ": %d\n", v->i32);
			break;
		case AVP_TYPE_UNSIGNED32:
			err |= re_hprintf(pf, ": %u\n", v->u32);
			break;
		default:
			err |= re_hprintf(pf, ": %llu\n",
					  (unsigned long long)v->u64);
			break;
		}
	}

	return err;
}


/* The header line, then one AVP per line, grouped ones indented. */
int diam_print(struct re_printf *pf, const struct diam *d)
{
	static const struct {
		uint8_t bit;
		char c;
	} bits[] = {
		{CMD_FLAG_REQUEST, 'R'}, {CMD_FLAG_PROXIABLE, 'P'},
		{CMD_FLAG_ERROR, 'E'}, {CMD_FLAG_RETRANSMIT, 'T'},
	};
	struct msg_hdr *h = NULL;
	char flags[8];
	size_t i, n = 0;
	int err;

	if (!d || fd_msg_hdr(d->m, &h))
		return 0;

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (h->msg_flags & bits[i].bit)
			flags[n++] = bits[i].c;
	}
	if (!n)
		flags[n++] = '-';
	flags[n] = '\0';

	err = re_hprintf(pf, "%s (%s) %u, application %u, flags %s, "
			 "hop-by-hop 0x%08x, end-to-end 0x%08x\n",
			 diam_name(d), diam_abbrev(d), h->msg_code,
			 h->msg_appl, flags, h->msg_hbhid, h->msg_eteid);

	return err | print_avps(pf, d->m, 1);
}

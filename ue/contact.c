/* SPDX-License-Identifier: BSD-3-Clause */
/* The UE's registered Contact beyond its URI: the instance that names
 * the device (RFC 5626 4.1, RFC 5627), the flow's reg-id (RFC 5626
 * outbound), its q-value, and the GRUUs the 200 OK gives it for asking
 * (TS 24.229 5.1.1.2.1). */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "ue.h"
#include "ueint.h"


/* "auto": a UUID that stays the device's from run to run, made from the
 * node's name (RFC 4122 4.3, MD5 form), so that goldens hold. */
static int instance_auto(char **dst, const char *name)
{
	uint8_t h[16];

	md5((const uint8_t *)name, strlen(name), h);
	h[6] = (h[6] & 0x0f) | 0x30;
	h[8] = (h[8] & 0x3f) | 0x80;

	return re_sdprintf(dst, "<urn:uuid:%w-%w-%w-%w-%w>", h, (size_t)4,
			   h + 4, (size_t)2, h + 6, (size_t)2, h + 8,
			   (size_t)2, h + 10, (size_t)6);
}


int ue_set_contact(struct ue *ue, const struct ue_contact_cfg *cfg)
{
	int err = 0;

	if (!ue || !cfg || cfg->q > 1000 ||
	    ((cfg->reg_id || cfg->gruu) && !cfg->instance))
		return EINVAL;

	ue->instance = mem_deref(ue->instance);
	if (cfg->instance && !strcmp(cfg->instance, "auto"))
		err = instance_auto(&ue->instance, node_name(ue->node));
	else if (cfg->instance)
		err = re_sdprintf(&ue->instance, "<%s>", cfg->instance);

	ue->reg_id = cfg->reg_id;
	ue->q = cfg->q;
	ue->gruu = cfg->gruu;

	return err;
}


int ue_contact_params(struct re_printf *pf, const struct ue *ue)
{
	int err = 0;

	if (ue->q >= 0)
		err |= re_hprintf(pf, ";q=%d.%03d", ue->q / 1000,
				  ue->q % 1000);
	if (ue->instance)
		err |= re_hprintf(pf, ";+sip.instance=\"%s\"", ue->instance);
	if (ue->reg_id)
		err |= re_hprintf(pf, ";reg-id=%u", ue->reg_id);

	return err;
}


/* RFC 5626 4.2.1 and RFC 5627 4.1: the option tags of our REGISTER. */
const char *ue_contact_supported(const struct ue *ue)
{
	if (ue->gruu && ue->reg_id)
		return "path, gruu, outbound";
	if (ue->gruu)
		return "path, gruu";
	if (ue->reg_id)
		return "path, outbound";

	return "path";
}


static int gruu_take(char **dst, const struct pl *params, const char *name)
{
	struct pl v;

	*dst = mem_deref(*dst);
	if (msg_param_decode(params, name, &v))
		return 0;

	/* RFC 5627 5.2: the value is a quoted URI */
	if (v.l >= 2 && v.p[0] == '"' && v.p[v.l - 1] == '"') {
		++v.p;
		v.l -= 2;
	}

	return pl_strdup(dst, &v);
}


/* Our contact in the 200 OK: the GRUUs it carries, if any. */
void ue_contact_gruus(struct ue *ue, const struct sip_addr *ct)
{
	(void)gruu_take(&ue->pub_gruu, &ct->params, "pub-gruu");
	(void)gruu_take(&ue->temp_gruu, &ct->params, "temp-gruu");
}


void ue_contact_close(struct ue *ue)
{
	ue->instance = mem_deref(ue->instance);
	ue->pub_gruu = mem_deref(ue->pub_gruu);
	ue->temp_gruu = mem_deref(ue->temp_gruu);
}


int ue_contact_query(struct re_printf *pf, const struct ue *ue,
		     const char *what)
{
	if (!str_casecmp(what, "gruu"))
		return re_hprintf(pf, "%s", ue->pub_gruu ? ue->pub_gruu : "");
	if (!str_casecmp(what, "temp_gruu"))
		return re_hprintf(pf, "%s", ue->temp_gruu ?
				  ue->temp_gruu : "");
	if (!str_casecmp(what, "instance"))
		return re_hprintf(pf, "%s", ue->instance ? ue->instance : "");

	return ENOTSUP;
}

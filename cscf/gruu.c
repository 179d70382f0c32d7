/* SPDX-License-Identifier: BSD-3-Clause */
/* The GRUU forms of gruu.h, printed and read back. */

#include <string.h>
#include <re.h>
#include "gruu.h"


int gruu_temp_print(struct re_printf *pf, const char *scscf,
		    const char *token, const char *domain)
{
	return re_hprintf(pf, "sip:tgruu.%s.%s@%s;gr", scscf, token, domain);
}


int gruu_decode(const struct pl *ruri, struct pl *pub, struct pl *scscf,
		struct pl *token)
{
	struct pl pl = *ruri, gr;
	struct uri u;
	size_t i;

	if (uri_decode(&u, &pl) || msg_param_exists(&u.params, "gr", &gr))
		return ENOENT;

	pl_set_str(pub, "");
	pl_set_str(scscf, "");
	pl_set_str(token, "");
	if (!msg_param_decode(&u.params, "gr", pub) && pl_isset(pub))
		return 0;

	/* tgruu.<S-CSCF>.<token> */
	if (u.user.l < 6 + 2 + GRUU_TOKEN ||
	    strncmp(u.user.p, "tgruu.", 6))
		return ENOENT;

	token->p = u.user.p + u.user.l - GRUU_TOKEN;
	token->l = GRUU_TOKEN;
	scscf->p = u.user.p + 6;
	scscf->l = (size_t)(token->p - 1 - scscf->p);
	if (token->p[-1] != '.' || !scscf->l ||
	    memchr(scscf->p, '.', scscf->l))
		return ENOENT;

	for (i = 0; i < token->l; i++) {
		if (!strchr("0123456789abcdef", token->p[i]))
			return ENOENT;
	}

	return 0;
}

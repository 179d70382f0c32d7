/* SPDX-License-Identifier: BSD-3-Clause */
/* GRUUs as imsbed's S-CSCF assigns them (RFC 5627, TS 24.229 5.4.7A):
 * the public one is the AOR with the instance as "gr"; the temporary one
 * names no user, only the S-CSCF that made it and a random token, so
 * that the I-CSCF routes it without asking the HSS, which never knows
 * temporary GRUUs (the form is the home operator's to choose). */

enum { GRUU_TOKEN = 16 };

/* "sip:tgruu.<S-CSCF node>.<token>@<domain>;gr" */
int  gruu_temp_print(struct re_printf *pf, const char *scscf,
		     const char *token, const char *domain);
/* From a Request-URI: its "gr" value (a public GRUU, pub set) or the
 * token and S-CSCF of a temporary one; ENOENT when it is no GRUU. */
int  gruu_decode(const struct pl *ruri, struct pl *pub, struct pl *scscf,
		 struct pl *token);

/* SPDX-License-Identifier: BSD-3-Clause */
/* reginfo's internals: what its files share and nobody else calls. */

/* A copy of src, in no list yet. */
int reginfo_reg_copy(struct reginfo_reg **regp,
		     const struct reginfo_reg *src);
int reginfo_contact_copy(struct reginfo_contact **ctp,
			 const struct reginfo_contact *src);
/* q as RFC 3261 writes a qvalue: '1', '0', '0.5', '0.125'. */
void reginfo_q_str(char *buf, size_t sz, uint16_t q);

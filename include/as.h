/* SPDX-License-Identifier: BSD-3-Clause */
/* as: the Application Server host.  Each AS node answers the S-CSCF's
 * third-party REGISTERs and, in later services, the requests its iFCs
 * bring to it. */

struct node;
struct as;

int as_alloc(struct as **ap, struct node *node);
uint32_t as_reg_count(const struct as *as);

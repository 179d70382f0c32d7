/* SPDX-License-Identifier: BSD-3-Clause */
/* What the network does to a registration on its own: the HSS's new
 * service profile (PPR), and network-initiated de-registration (TS
 * 24.229 5.4.1.5): the S-CSCF's
 * own decision, or the HSS's RTR (TS 29.228 6.1.3).  Every watcher hears
 * of it first, the contacts terminated with event deactivated (the UE is
 * to register again, TS 24.229 5.1.1.7) or rejected (it is not), and
 * the subscriptions end; then the ASs get their third-party
 * de-REGISTER, and the HSS a SAR unless it asked for this itself. */

#include <string.h>
#include <re.h>
#include "hss.h"
#include "host.h"
#include "sipkit.h"
#include "proxy.h"
#include "cscf.h"
#include "scscf.h"


static int dereg(struct scscf *s, const char *impu, bool reregister,
		 bool by_hss)
{
	struct binding *b = scscf_binding(s, impu);

	if (!b)
		return ENOENT;

	elog(LOG_INFO, node_name(s->node), "reg", "%s: de-registered by the "
	     "%s (%s)", b->impu, by_hss ? "HSS" : "S-CSCF",
	     reregister ? "to register again" : "for good");

	scscf_regevent_end(b, reregister ? SCSCF_REGEV_DEACTIVATED :
			   SCSCF_REGEV_REJECTED, reregister ? "deactivated" :
			   "rejected");
	list_flush(&b->contacts);
	scscf_binding_drop(b, CX_SAR_ADMINISTRATIVE_DEREGISTRATION, !by_hss);

	return 0;
}


int scscf_deregister(struct scscf *s, const char *impu, bool reregister)
{
	if (!s || !impu)
		return EINVAL;

	return dereg(s, impu, reregister, false);
}


/* TS 29.228 6.1.3: every identity the RTR names; permanent termination
 * means the user is not to come back. */
enum cx_result scscf_rtr(const struct cx_rtr *rtr, void *arg)
{
	struct scscf *s = arg;
	bool again = rtr->reason != CX_DEREG_PERMANENT_TERMINATION;

	if (dereg(s, rtr->impu, again, true))
		return CX_ERROR_IDENTITY_NOT_REGISTERED;

	return CX_SUCCESS;
}


/* PPR: the profile applies from the user's next request on (a request
 * under way at an AS goes on at its index, in the new list). */
enum cx_result scscf_ppr(const char *impi, const char *impu,
			 struct ifc_profile *profile, void *arg)
{
	struct scscf *s = arg;
	struct binding *b = scscf_binding(s, impu);
	(void)impi;

	if (!b)
		return CX_ERROR_IDENTITY_NOT_REGISTERED;

	elog(LOG_INFO, node_name(s->node), "cx", "PPR %s: service profile"
	     " %s", b->impu, ifc_profile_name(profile));
	mem_deref(b->profile);
	b->profile = mem_ref(profile);

	return CX_SUCCESS;
}


bool scscf_serves(const struct scscf *s, const char *impu)
{
	return s && impu && scscf_binding(s, impu) != NULL;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* The AKA doctor: when a UE's AKA registration fails, one sentence on
 * why, from comparing what its USIM holds with what the HSS holds for
 * its IMPI, the known mistakes first: another K; OP given where OPc
 * belongs, or the reverse; an SQN outside the USIM's window, and by how
 * much; an AMF that differs.  Both sides are in the process, so nothing
 * is guessed from the wire. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "report.h"
#include "scen.h"
#include "aka.h"
#include "hss.h"
#include "ue.h"
#include "engine.h"


static int opc_mixup(char *buf, size_t sz, const struct aka_key *u,
		     const struct aka_key *h)
{
	uint8_t x[AKA_KEY];

	if (!milenage_opc(x, u->k, h->opc) && !memcmp(x, u->opc, AKA_KEY))
		return re_snprintf(buf, sz, "OP and OPc mixed up: the USIM"
				   " was given the HSS's OPc as its OP");
	if (!milenage_opc(x, u->k, u->opc) && !memcmp(x, h->opc, AKA_KEY))
		return re_snprintf(buf, sz, "OP and OPc mixed up: the HSS"
				   " was given the USIM's OPc as its OP");

	return re_snprintf(buf, sz, "OPc differs: the USIM's OP or OPc does"
			   " not give the HSS's (USIM OPc %w, HSS OPc %w)",
			   u->opc, (size_t)AKA_KEY, h->opc, (size_t)AKA_KEY);
}


static int sqn_window(char *buf, size_t sz, const struct ue_aka *st)
{
	uint64_t net = st->sqn_net >> AKA_IND_BITS;
	uint64_t ms = st->sqn_ms >> AKA_IND_BITS;

	if (net <= ms)
		return re_snprintf(buf, sz, "SQN outside the USIM's window: "
				   "the network's SEQ %llu is %llu behind the"
				   " highest the USIM took (%llu)",
				   (unsigned long long)net,
				   (unsigned long long)(ms - net),
				   (unsigned long long)ms);

	return re_snprintf(buf, sz, "SQN outside the USIM's window: the "
			   "network's SEQ %llu is %llu ahead of the highest "
			   "the USIM took (%llu; at most 2^28 allowed)",
			   (unsigned long long)net,
			   (unsigned long long)(net - ms),
			   (unsigned long long)ms);
}


/* The USIM took AUTN and the keys agree: what the S-CSCFs found wrong
 * in the response (each keeps its last finding per IMPI). */
static int scscf_note(char *buf, size_t sz, const char *impi, bool v2)
{
	struct le *le;

	for (le = list_head(emul_nodes()); le; le = le->next) {
		struct mbuf *mb;
		struct re_printf pf;
		int e;

		if (node_role(le->data) != ROLE_SCSCF)
			continue;
		mb = mbuf_alloc(192);
		if (!mb)
			return -1;
		pf.vph = engine_mb_print;
		pf.arg = mb;
		e = node_query(&pf, le->data, "aka_doctor", impi);
		if (!e && mb->end) {
			e = re_snprintf(buf, sz, "%b", mb->buf, mb->end);
			mem_deref(mb);
			return e;
		}
		mem_deref(mb);
	}

	return re_snprintf(buf, sz, "keys agree and the USIM took AUTN (%s):"
			   " the S-CSCF refused the response, see its log",
			   v2 ? "AKAv2-MD5" : "AKAv1-MD5");
}


int aka_doctor(char *buf, size_t sz, const struct ue *ue)
{
	struct aka_key hk;
	struct ue_aka st;
	struct hss *hss;
	uint64_t sqn_he;
	int e;

	if (!buf || !sz || ue_aka_state(ue, &st))
		return EINVAL;
	if (!st.challenged)
		return re_snprintf(buf, sz, "no AKA challenge") < 0 ?
			ENOMEM : 0;
	if (!st.has_usim)
		return re_snprintf(buf, sz, "the UE has no USIM key material"
				   " (k) for an AKA challenge") < 0 ?
			ENOMEM : 0;

	hss = slf_locate(ue_impu(ue));
	e = hss ? hss_aka_key(hss, ue_impi(ue), &hk, &sqn_he) : ENOENT;
	if (e)
		return re_snprintf(buf, sz, "the HSS has no AKA key for %s",
				   ue_impi(ue)) < 0 ? ENOMEM : 0;

	if (memcmp(st.key.k, hk.k, AKA_KEY))
		e = re_snprintf(buf, sz, "K differs: the USIM's is %w, the "
				"HSS's %w", st.key.k, (size_t)AKA_KEY, hk.k,
				(size_t)AKA_KEY);
	else if (memcmp(st.key.opc, hk.opc, AKA_KEY))
		e = opc_mixup(buf, sz, &st.key, &hk);
	else if (st.verdict == AKA_SYNC_FAILURE)
		e = sqn_window(buf, sz, &st);
	else if (memcmp(st.key.amf, hk.amf, AKA_AMF))
		e = re_snprintf(buf, sz, "AMF differs: the USIM's %w, the "
				"HSS's %w", st.key.amf, (size_t)AKA_AMF,
				hk.amf, (size_t)AKA_AMF);
	else if (st.verdict == AKA_OK)
		e = scscf_note(buf, sz, ue_impi(ue), st.v2);
	else
		e = re_snprintf(buf, sz, "keys agree, yet AUTN failed the "
				"USIM's MAC check");

	return e < 0 ? ENOMEM : 0;
}

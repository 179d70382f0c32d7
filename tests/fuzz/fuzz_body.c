/* SPDX-License-Identifier: BSD-3-Clause */
/* The bodies a UE parses from the network: the sysinfo NOTIFY's JSON
 * (CN101409688A step 310), a REFER NOTIFY's message/sipfrag and a reg
 * NOTIFY's reginfo XML (RFC 3680), applied to a view as a watcher does. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "reginfo.h"
#include "ue.h"
#include "../../ue/ueint.h"
#include "fuzz.h"


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;

	return 0;
}


static void reginfo_body(const uint8_t *data, size_t size)
{
	struct reginfo *doc = NULL, *view = NULL;
	char err[160];

	if (reginfo_decode(&doc, (const char *)data, size, err, sizeof(err)))
		return;

	/* twice: as the first state, then as what follows it */
	if (!reginfo_alloc(&view, 0, REGINFO_PARTIAL)) {
		(void)reginfo_apply(view, doc, err, sizeof(err));
		(void)reginfo_apply(view, doc, err, sizeof(err));
	}

	mem_deref(view);
	mem_deref(doc);
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why, *what;
	struct sysinfo si;
	char status[128];
	struct pl body;

	(void)sysinfo_decode(&si, (const char *)data, size, &why, &what);

	body.p = (const char *)data;
	body.l = size;
	(void)sipfrag_status(status, sizeof(status), &body);

	reginfo_body(data, size);

	return 0;
}

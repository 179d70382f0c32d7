/* SPDX-License-Identifier: BSD-3-Clause */
/* The bodies a UE parses from the network: the sysinfo NOTIFY's JSON
 * (CN101409688A step 310) and a REFER NOTIFY's message/sipfrag. */

#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "ue.h"
#include "../../ue/ueint.h"
#include "fuzz.h"


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;

	return 0;
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

	return 0;
}

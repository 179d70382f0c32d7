/* SPDX-License-Identifier: BSD-3-Clause */
/* The YAML loaders: the input as a topology, and as a scenario with an
 * inline topology checked as 'imsbed run' would before anything is sent.
 * An input that names a file (a database, a topology file, XML
 * profiles) is skipped: a fuzzer must not create or open files of its
 * choosing. */

#include <string.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "fuzz.h"


int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;

	if (libre_init())
		return 1;
	log_set_level(LOG_ERR);

	return 0;
}


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, err[512];
	struct yml *y = NULL;
	struct topo *t = NULL;

	if (size > 65536 || memchr(data, 0, size))
		return 0;

	text = mem_zalloc(size + 1, NULL);
	if (!text)
		return 0;
	memcpy(text, data, size);

	/* hss.db and appdata.db name files: not the fuzzer's to make;
	 * profiles' xml: names files to read, which could be anything. */
	if (strstr(text, "db") || strstr(text, "xml")) {
		mem_deref(text);
		return 0;
	}

	if (!yml_load_str(&y, "fuzz.yaml", text, err, sizeof(err))) {
		const yml_node *root = yml_root(y);

		if (yml_is_map(yml_get(y, root, "topology")))
			(void)scen_check(y, err, sizeof(err));
		else if (!topo_load(&t, y, root, err, sizeof(err)))
			mem_deref(t);
	}

	mem_deref(y);
	mem_deref(text);

	return 0;
}

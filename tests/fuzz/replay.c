/* SPDX-License-Identifier: BSD-3-Clause */
/* A fuzz target without libFuzzer: every file named, or in a folder
 * named, is one input.  make test runs the corpora and the crashes found
 * so far through each target this way, with gcc and no clang needed; a
 * crash or a sanitizer report fails it. */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <re.h>
#include "fuzz.h"

static unsigned inputs;


static int one(const char *path)
{
	static uint8_t buf[1 << 17];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		(void)re_fprintf(stderr, "replay: %s: cannot open\n", path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);

	(void)LLVMFuzzerTestOneInput(buf, n);
	++inputs;

	return 0;
}


static int walk(const char *path)
{
	struct dirent *d;
	struct stat st;
	char sub[1024];
	DIR *dir;
	int err = 0;

	if (stat(path, &st))
		return 0;   /* a corpus that is not there has nothing */
	if (!S_ISDIR(st.st_mode))
		return one(path);

	dir = opendir(path);
	if (!dir)
		return 1;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || !strcmp(d->d_name, "README"))
			continue;
		(void)re_snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
		err |= walk(sub);
	}
	closedir(dir);

	return err;
}


int main(int argc, char *argv[])
{
	int i, err = 0;

	if (LLVMFuzzerInitialize(&argc, &argv))
		return 2;

	for (i = 1; i < argc; i++)
		err |= walk(argv[i]);

	(void)re_printf("replay %s: %u inputs\n", argv[0], inputs);

	return err ? 1 : 0;
}

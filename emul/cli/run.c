/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed run and imsbed test: scenarios one by one with the live ladder,
 * or a folder of them with one line each, each ladder compared with its
 * golden one, and a JUnit report for CI servers. */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "cmd.h"


int cmd_run(int argc, char *argv[], const struct cli_opts *o)
{
	struct scen_opts so = {.quiet = o->quiet, .settle = o->settle,
			       .no_cx = o->no_cx,
			       .virtual_clock = !o->real_clock};
	int i, rc = EXIT_PASS;
	char msg[2048];

	/* The diagram on a terminal, lines into a pipe or a file, unless
	 * --ladder says. */
	so.colour = isatty(STDOUT_FILENO);
	so.html = o->html;
	so.step = o->step;
	so.slow = o->slow;
	so.diagram = o->ladder ? !strcmp(o->ladder, "columns") : so.colour;

	if (argc < 1) {
		(void)re_fprintf(stderr, "imsbed run: no scenario file\n");
		return EXIT_USAGE;
	}

	for (i = 0; i < argc; i++) {
		enum scen_result r;

		(void)re_printf("=== %s\n", argv[i]);
		r = scen_run(argv[i], &so, msg, sizeof(msg));

		switch (r) {

		case SCEN_PASS:
			(void)re_printf("PASS %s\n", argv[i]);
			break;

		case SCEN_FAIL:
			(void)re_printf("FAIL %s\n  %s\n", argv[i], msg);
			if (rc == EXIT_PASS)
				rc = EXIT_FAILED;
			break;

		default:
			(void)re_fprintf(stderr, "imsbed: %s\n", msg);
			rc = EXIT_USAGE;
			break;
		}
	}

	return rc;
}


static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}


static bool is_scenario(const char *name)
{
	size_t l = strlen(name);

	/* Topologies sit beside scenarios; by convention they are named
	 * topology*.yaml. */
	return l > 5 && !strcmp(name + l - 5, ".yaml") &&
		strncmp(name, "topology", 8);
}


static int collect(char ***filesp, size_t *np, const char *arg)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	char **files = *filesp;

	if (stat(arg, &st)) {
		(void)re_fprintf(stderr, "imsbed test: %s: not found\n", arg);
		return ENOENT;
	}

	if (!S_ISDIR(st.st_mode)) {
		files = realloc(files, (*np + 1) * sizeof(*files));
		if (!files)
			return ENOMEM;
		files[(*np)++] = strdup(arg);
		*filesp = files;
		return 0;
	}

	dir = opendir(arg);
	if (!dir)
		return errno;

	while ((d = readdir(dir)) != NULL) {
		char *p;

		if (!is_scenario(d->d_name))
			continue;
		/* 'scenarios/' names its files scenarios/x.yaml */
		if (re_sdprintf(&p, "%s%s%s", arg,
				arg[strlen(arg) - 1] == '/' ? "" : "/",
				d->d_name))
			break;
		files = realloc(files, (*np + 1) * sizeof(*files));
		if (!files) {
			mem_deref(p);
			break;
		}
		files[(*np)++] = strdup(p);
		mem_deref(p);
	}
	closedir(dir);

	*filesp = files;
	return 0;
}


/* A passing flow that changed shape is a failure too. */
static enum scen_result golden_verdict(const struct cli_opts *o,
				       const char *file, struct mbuf *ladder,
				       char *msg, size_t sz)
{
	char *diff = NULL;
	enum scen_result r = SCEN_PASS;
	int err;

	err = golden_check(o->golden, file, ladder, o->update_golden, &diff);
	if (err == EPROTO) {
		size_t n = diff ? strlen(diff) : 0;
		size_t room = sz > 96 ? sz - 96 : 0;
		bool cut = n > room;

		/* a long diff whole would not fit, and libre's printf then
		 * writes none of it: cut at a line */
		while (cut && room && diff[room - 1] != '\n')
			--room;
		r = SCEN_FAIL;
		(void)re_snprintf(msg, sz, "ladder differs from the golden"
				  " one:\n%b%s", diff ? diff : "",
				  cut ? room : n, cut ? "(the diff goes on)" :
				  "");
	}
	else if (err && err != ENOENT) {
		r = SCEN_FAIL;
		(void)re_snprintf(msg, sz, "golden ladder of %s: %m", file,
				  err);
	}
	mem_deref(diff);

	return r;
}


/* One scenario of imsbed test: its line, its JUnit case; 'so' is the
 * options every scenario of the run shares. */
static enum scen_result test_one(const struct cli_opts *o,
				 struct scen_opts *so, struct junit *ju,
				 const char *file)
{
	uint64_t t0 = tmr_jiffies();
	enum scen_result r;
	char msg[2048];
	double secs;

	so->ladder = ju || o->golden ? mbuf_alloc(4096) : NULL;
	r = scen_run(file, so, msg, sizeof(msg));
	secs = (double)(tmr_jiffies() - t0) / 1000.0;

	if (r == SCEN_PASS && o->golden && so->ladder)
		r = golden_verdict(o, file, so->ladder, msg, sizeof(msg));
	if (ju)
		(void)junit_case(ju, file, secs, r, msg, so->ladder);
	so->ladder = mem_deref(so->ladder);

	if (r == SCEN_PASS)
		(void)re_printf("PASS %-44s %6.2fs\n", file, secs);
	else
		(void)re_printf("FAIL %-44s %6.2fs\n  %s\n", file, secs, msg);

	return r;
}


int cmd_test(int argc, char *argv[], const struct cli_opts *o)
{
	struct scen_opts so = {.quiet = true, .settle = o->settle,
			       .virtual_clock = !o->real_clock};
	char **files = NULL;
	size_t n = 0, i, pass = 0, fail = 0;
	struct junit *ju = NULL;
	int a, rc = EXIT_PASS;

	if (o->junit && junit_open(&ju, o->junit)) {
		(void)re_fprintf(stderr, "imsbed test: %s: cannot write\n",
				 o->junit);
		return EXIT_USAGE;
	}

	if (argc == 0) {
		if (collect(&files, &n, "scenarios"))
			return EXIT_USAGE;
	}
	for (a = 0; a < argc; a++) {
		if (collect(&files, &n, argv[a]))
			return EXIT_USAGE;
	}

	qsort(files, n, sizeof(*files), cmp_str);

	for (i = 0; i < n; i++) {
		enum scen_result r = test_one(o, &so, ju, files[i]);

		if (r == SCEN_PASS) {
			++pass;
		}
		else {
			++fail;
			rc = r == SCEN_FAIL && rc != EXIT_USAGE ?
				EXIT_FAILED : EXIT_USAGE;
		}
		free(files[i]);
	}
	free(files);

	(void)re_printf("%zu passed, %zu failed\n", pass, fail);

	if (ju && junit_close(ju)) {
		(void)re_fprintf(stderr, "imsbed test: %s: write error\n",
				 o->junit);
		rc = EXIT_USAGE;
	}
	mem_deref(ju);

	return rc;
}

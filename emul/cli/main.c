/* SPDX-License-Identifier: BSD-3-Clause */
/* The imsbed command line: run scenarios with a live ladder, test a
 * directory of them, or serve a topology to external UEs. */

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "cmd.h"

#define IMSBED_VERSION "0.1.0"

enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage[] =
"usage: imsbed [-v] COMMAND [OPTIONS] ARGS\n"
"\n"
"commands:\n"
"  run FILE...          run scenarios, printing the ladder live\n"
"  test [DIR|FILE...]   run scenarios (default scenarios/), one line each,\n"
"                       closing with 'N passed, N failed'\n"
"  serve TOPOLOGY       run a topology's core for external UEs until\n"
"                       interrupted\n"
"  pcap TRACE OUT       turn a saved --trace file into a capture\n"
"  ladder TRACE         show a saved --trace file as a ladder\n"
"  bench [N [W [tcp|udp]]]  register N UEs (10000) through the full\n"
"                       path, W at a time (200), core over TCP or UDP;\n"
"                       print registrations/s and memory per UE\n"
"\n"
"options:\n"
"  --trace FILE         write every message sent as JSON Lines\n"
"  --settle SECONDS     quiet time that ends a step, at least (slow\n"
"                       machines, valgrind)\n"
"  --junit FILE         test: JUnit XML report for CI servers\n"
"  --golden DIR         test: compare each ladder (times left out) with\n"
"                       DIR/<scenario>.ladder; --update-golden writes\n"
"  --html FILE          run: the run as one HTML page (SVG diagram)\n"
"  --seed N             tests only: every random number from N, so two\n"
"                       runs send the same bytes (default: unpredictable)\n"
"  --step               run: then walk through its messages, Enter by\n"
"                       Enter (q stops), with each step's note\n"
"  --slow SECONDS       run: the same, one message every SECONDS\n"
"  --pcap FILE          write every message sent as a capture (tshark,\n"
"                       Wireshark, sngrep read it)\n"
"  -q, --quiet          no live ladder (run)\n"
"  --ladder columns|lines  the live ladder as a sequence diagram (default\n"
"                       on a terminal) or one line per message\n"
"  -v, --verbose        more log lines (twice for debug)\n"
"  -v CATEGORY=LEVEL    one category's lines at error, warn, info or\n"
"                       debug (imsbed -v list names the categories)\n"
"  --node NAME          only that node's log lines (errors always show)\n"
"  -h, --help           this text\n"
"  --version            the version\n"
"\n"
"exit status: 0 pass, 1 a scenario failed, 2 bad input or usage\n";

struct opts {
	bool step;
	double slow;
	const char *golden;
	bool update_golden;
	const char *html;
	const char *ladder;
	const char *trace;
	const char *pcap;
	const char *junit;
	double settle;
	bool quiet;
};


/* --settle and --slow: seconds, finite and within an hour. */
static int seconds_opt(double *vp, const char *opt, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !isfinite(v) || v < 0 || v > 3600) {
		(void)re_fprintf(stderr, "imsbed: %s takes seconds from 0 to "
				 "3600, not '%s'\n", opt, arg);
		return EINVAL;
	}

	*vp = v;
	return 0;
}


static void raise_fd_limit(void)
{
	struct rlimit rl;

	/* Every UE is a node with its own socket: allow thousands. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}

	if (!getrlimit(RLIMIT_NOFILE, &rl))
		(void)fd_setsize((int)MIN(rl.rlim_cur, 65536));
}


static int cmd_run(int argc, char *argv[], const struct opts *o)
{
	struct scen_opts so = {.quiet = o->quiet, .settle = o->settle};

	/* The diagram on a terminal, lines into a pipe or a file, unless
	 * --ladder says. */
	so.colour = isatty(STDOUT_FILENO);
	so.html = o->html;
	so.step = o->step;
	so.slow = o->slow;
	so.diagram = o->ladder ? !strcmp(o->ladder, "columns") : so.colour;
	int i, rc = EXIT_PASS;
	char msg[2048];

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


static int cmd_test(int argc, char *argv[], const struct opts *o)
{
	struct scen_opts so = {.quiet = true, .settle = o->settle};
	char **files = NULL, msg[2048];
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
		uint64_t t0 = tmr_jiffies();
		enum scen_result r;
		double secs;

		so.ladder = ju || o->golden ? mbuf_alloc(4096) : NULL;
		r = scen_run(files[i], &so, msg, sizeof(msg));
		secs = (double)(tmr_jiffies() - t0) / 1000.0;

		/* A passing flow that changed shape is a failure too. */
		if (r == SCEN_PASS && o->golden && so.ladder) {
			char *diff = NULL;
			int gerr = golden_check(o->golden, files[i],
						so.ladder, o->update_golden,
						&diff);

			if (gerr == EPROTO) {
				r = SCEN_FAIL;
				(void)re_snprintf(msg, sizeof(msg),
						  "ladder differs from the "
						  "golden one:\n%s",
						  diff ? diff : "");
			}
			else if (gerr && gerr != ENOENT) {
				r = SCEN_FAIL;
				(void)re_snprintf(msg, sizeof(msg), "golden"
						  " ladder of %s: %m",
						  files[i], gerr);
			}
			mem_deref(diff);
		}
		if (ju)
			(void)junit_case(ju, files[i], secs, r, msg,
					 so.ladder);
		so.ladder = mem_deref(so.ladder);

		if (r == SCEN_PASS) {
			++pass;
			(void)re_printf("PASS %-44s %6.2fs\n", files[i], secs);
		}
		else {
			++fail;
			(void)re_printf("FAIL %-44s %6.2fs\n  %s\n", files[i],
					secs, msg);
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


static int cmd_bench(int argc, char *argv[])
{
	uint32_t n = 10000, w = 200;
	bool udp = false;

	if (argc > 0)
		n = (uint32_t)strtoul(argv[0], NULL, 10);
	if (argc > 1)
		w = (uint32_t)strtoul(argv[1], NULL, 10);
	if (argc > 2)
		udp = !strcmp(argv[2], "udp");
	if (!n || !w || argc > 3 || (argc > 2 && !udp &&
				     strcmp(argv[2], "tcp"))) {
		(void)re_fprintf(stderr, "imsbed bench: usage: bench [N"
				 " [WINDOW [tcp|udp]]], N and WINDOW whole"
				 " numbers above 0\n");
		return EXIT_USAGE;
	}

	return bench_run(n, w, udp) ? EXIT_FAILED : EXIT_PASS;
}


/* -v CATEGORY=LEVEL and --node NAME, wherever they stand, taken out of
 * argv before the options are read; 2 for a bad one, 1 after listing
 * the categories (-v list). */
static int log_opts(int *argcp, char *argv[])
{
	struct re_printf pf = {NULL, NULL};
	int i, n = 0, err;

	for (i = 0; i < *argcp; i++) {
		if (!strcmp(argv[i], "-v") && i + 1 < *argcp &&
		    !strcmp(argv[i + 1], "list")) {
			(void)re_printf("log categories, for -v "
					"CATEGORY=LEVEL:\n");
			(void)re_fprintf(stdout, "%H", log_categories, &pf);
			return 1;
		}
		if (!strcmp(argv[i], "-v") && i + 1 < *argcp &&
		    strchr(argv[i + 1], '=')) {
			err = log_set_category(argv[++i]);
			if (err) {
				(void)re_fprintf(stderr, "imsbed: -v %s: %s "
						 "(imsbed -v list names them)"
						 "\n", argv[i], err == ENOENT ?
						 "no such log category" :
						 "want CATEGORY=error|warn|"
						 "info|debug");
				return 2;
			}
			continue;
		}
		if (!strcmp(argv[i], "--node") && i + 1 < *argcp) {
			log_set_node(argv[++i]);
			continue;
		}
		argv[n++] = argv[i];
	}
	*argcp = n;

	return 0;
}


int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"trace",   required_argument, NULL, 't'},
		{"quiet",   no_argument,       NULL, 'q'},
		{"verbose", no_argument,       NULL, 'v'},
		{"help",    no_argument,       NULL, 'h'},
		{"version", no_argument,       NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	struct opts o = {0};
	struct trace *trace = NULL;
	struct pcapw *pcap = NULL;
	const char *cmd;
	int c, verbose = 0, rc;

	/* Into a pipe (every CI log) each result line must show as it
	 * comes, not all at the end: a job killed by its timeout would
	 * show nothing, and warnings on stderr would come first. */
	(void)setvbuf(stdout, NULL, _IOLBF, 0);

	rc = log_opts(&argc, argv);
	if (rc)
		return rc == 1 ? EXIT_PASS : EXIT_USAGE;

	/* Options may come before or after the command. */
	while ((c = getopt_long(argc, argv, "+qvh", longopts, NULL)) != -1) {
		switch (c) {

		case 't': o.trace = optarg;  break;
		case 'q': o.quiet = true;    break;
		case 'v': ++verbose;         break;
		case 'h': (void)fputs(usage, stdout); return EXIT_PASS;
		case 'V': (void)puts("imsbed " IMSBED_VERSION);
			  return EXIT_PASS;
		default:  (void)fputs(usage, stderr); return EXIT_USAGE;
		}
	}

	if (optind >= argc) {
		(void)fputs(usage, stderr);
		return EXIT_USAGE;
	}

	cmd = argv[optind++];
	argc -= optind;
	argv += optind;
	optind = 1;

	{
		/* Options after the command: re-parse the rest. */
		int n = 0, i;

		for (i = 0; i < argc; i++) {
			if (!strcmp(argv[i], "--trace") && i + 1 < argc)
				o.trace = argv[++i];
			else if (!strcmp(argv[i], "--settle") &&
				 i + 1 < argc) {
				if (seconds_opt(&o.settle, "--settle",
						argv[++i]))
					return EXIT_USAGE;
			}
			else if (!strcmp(argv[i], "--junit") && i + 1 < argc)
				o.junit = argv[++i];
			else if (!strcmp(argv[i], "--pcap") && i + 1 < argc)
				o.pcap = argv[++i];
			else if (!strcmp(argv[i], "--ladder") && i + 1 < argc)
				o.ladder = argv[++i];
			else if (!strcmp(argv[i], "--html") && i + 1 < argc)
				o.html = argv[++i];
			else if (!strcmp(argv[i], "--golden") && i + 1 < argc)
				o.golden = argv[++i];
			else if (!strcmp(argv[i], "--update-golden"))
				o.update_golden = true;
			else if (!strcmp(argv[i], "--step"))
				o.step = true;
			else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
				emul_seed(strtoull(argv[++i], NULL, 10));
			else if (!strcmp(argv[i], "--slow") && i + 1 < argc) {
				if (seconds_opt(&o.slow, "--slow", argv[++i]))
					return EXIT_USAGE;
			}
			else if (!strcmp(argv[i], "-q") ||
				 !strcmp(argv[i], "--quiet"))
				o.quiet = true;
			else if (!strcmp(argv[i], "-v") ||
				 !strcmp(argv[i], "--verbose"))
				++verbose;
			else if (argv[i][0] == '-' && argv[i][1]) {
				(void)re_fprintf(stderr, "imsbed: unknown "
						 "option '%s'\n", argv[i]);
				return EXIT_USAGE;
			}
			else
				argv[n++] = argv[i];
		}
		argc = n;
	}

	log_set_level(verbose >= 2 ? LOG_DEBUG : verbose ? LOG_INFO :
		      LOG_WARN);

	if (o.ladder && strcmp(o.ladder, "columns") &&
	    strcmp(o.ladder, "lines")) {
		(void)re_fprintf(stderr, "imsbed: --ladder takes columns or"
				 " lines, not '%s'\n", o.ladder);
		return EXIT_USAGE;
	}

	if (libre_init())
		return EXIT_USAGE;

	raise_fd_limit();

	if (o.trace && trace_open(&trace, o.trace)) {
		(void)re_fprintf(stderr, "imsbed: %s: cannot write trace\n",
				 o.trace);
		libre_close();
		return EXIT_USAGE;
	}

	if (o.pcap && pcapw_open(&pcap, o.pcap)) {
		(void)re_fprintf(stderr, "imsbed: %s: cannot write capture\n",
				 o.pcap);
		mem_deref(trace);
		libre_close();
		return EXIT_USAGE;
	}

	if (!strcmp(cmd, "run"))
		rc = cmd_run(argc, argv, &o);
	else if (!strcmp(cmd, "test"))
		rc = cmd_test(argc, argv, &o);
	else if (!strcmp(cmd, "serve"))
		rc = cmd_serve(argc, argv, o.html, o.ladder, o.quiet);
	else if (!strcmp(cmd, "bench"))
		rc = cmd_bench(argc, argv);
	else if (!strcmp(cmd, "pcap"))
		rc = cmd_pcap(argc, argv);
	else if (!strcmp(cmd, "ladder"))
		rc = cmd_ladder(argc, argv, o.ladder);
	else {
		(void)re_fprintf(stderr, "imsbed: unknown command '%s'\n%s",
				 cmd, usage);
		rc = EXIT_USAGE;
	}

	mem_deref(pcap);
	mem_deref(trace);
	libre_close();
	netguard_flush();

	return rc;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* The imsbed command line, as baresip's cmdv[]: one table of commands
 * (name, handler, help) and one of options (name, letter, handler, help),
 * read by one parser and printed as the usage text.  Options may come
 * before the command (getopt's rules there) or after it. */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <re.h>
#include "host.h"
#include "diam.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "cmd.h"

#define IMSBED_VERSION "0.1.0"

struct cli_cmd {
	const char *name;
	cli_cmd_h *h;
	const char *help;               /* its lines in the usage text */
};

static const struct cli_cmd cmdv[] = {
	{"run", cmd_run,
"  run FILE...          run scenarios, printing the ladder live\n"},
	{"test", cmd_test,
"  test [DIR|FILE...]   run scenarios (default scenarios/), one line each,\n"
"                       closing with 'N passed, N failed'\n"},
	{"chaos", cmd_chaos,
"  chaos FILE...        run each scenario cleanly, then once per SIP\n"
"                       message with it lost and once with it repeated\n"},
	{"serve", cmd_serve,
"  serve TOPOLOGY       run a topology's core for external UEs until\n"
"                       interrupted\n"},
	{"pcap", cmd_pcap,
"  pcap TRACE OUT       turn a saved --trace file into a capture\n"},
	{"ladder", cmd_ladder,
"  ladder TRACE         show a saved --trace file as a ladder\n"},
	{"aka", cmd_aka,
"  aka milenage --k HEX (--op HEX | --opc HEX) --rand HEX --sqn HEX\n"
"      --amf HEX        Milenage's outputs (TS 35.206) and the AUTN\n"
"  aka explain TRACE TOPOLOGY  each AKA answer in a --trace file: did\n"
"                       the response match, and if not, what differs\n"},
	{"hss", cmd_hss,
"  hss export TOPOLOGY [--out DIR]  each subscriber's IMSSubscription\n"
"                       (TS 29.228 XML), to stdout or one file per IMPI\n"
"  hss import FILE.xml...  IMSSubscription documents as the topology's\n"
"                       profiles: and subscribers:\n"},
	{"bench", cmd_bench,
"  bench [N [W [tcp|udp]]]  register N UEs (10000) through the full\n"
"                       path, W at a time (200), core over TCP or UDP;\n"
"                       print registrations/s and memory per UE;\n"
"  bench floor          what a message costs before any node: libre's\n"
"                       decode and a loopback UDP crossing\n"},
};

/* Where an option may stand: before the command, after it, or anywhere
 * (the log options, which log_opts takes out first). */
enum opt_place {
	OPT_BEFORE = 1 << 0,
	OPT_AFTER  = 1 << 1,
	OPT_LOG    = 1 << 2,
};

/* An option's handler: EXIT_NONE to go on, else the exit status. */
typedef int (cli_opt_h)(struct cli_opts *o, const char *arg);

struct cli_opt {
	const char *name;               /* --name */
	char letter;                    /* -l, or 0 */
	bool arg;                       /* takes a value */
	unsigned place;                 /* enum opt_place */
	cli_opt_h *h;
	const char *help;               /* its lines in the usage text */
};

static cli_opt_h opt_trace, opt_settle, opt_junit, opt_golden,
	opt_update_golden, opt_html, opt_seed, opt_step, opt_slow, opt_pcap,
	opt_quiet, opt_ladder, opt_verbose, opt_help, opt_version,
	opt_clock, opt_no_cx;

static const struct cli_opt optv[] = {
	{"trace", 0, true, OPT_BEFORE | OPT_AFTER, opt_trace,
"  --trace FILE         write every message sent as JSON Lines\n"},
	{"settle", 0, true, OPT_AFTER, opt_settle,
"  --settle SECONDS     quiet time that ends a step, at least (slow\n"
"                       machines, valgrind)\n"},
	{"junit", 0, true, OPT_AFTER, opt_junit,
"  --junit FILE         test: JUnit XML report for CI servers\n"},
	{"golden", 0, true, OPT_AFTER, opt_golden,
"  --golden DIR         test: compare each ladder (times left out) with\n"
"                       DIR/<scenario>.ladder; --update-golden writes\n"},
	{"update-golden", 0, false, OPT_AFTER, opt_update_golden, ""},
	{"html", 0, true, OPT_AFTER, opt_html,
"  --html FILE          run: the run as one HTML page (SVG diagram)\n"},
	{"seed", 0, true, OPT_AFTER, opt_seed,
"  --seed N             tests only: every random number from N, so two\n"
"                       runs send the same bytes (default: unpredictable)\n"},
	{"step", 0, false, OPT_AFTER, opt_step,
"  --step               run: pause at each message as it is sent, Enter\n"
"                       for the next (q stops pausing); the clock stands\n"
"                       still meanwhile\n"},
	{"slow", 0, true, OPT_AFTER, opt_slow,
"  --slow SECONDS       run: the same, one message every SECONDS\n"},
	{"clock", 0, true, OPT_AFTER, opt_clock,
"  --clock virtual|real run, test: virtual (the default) skips the time\n"
"                       when all is quiet; real waits for it\n"},
	{"pcap", 0, true, OPT_AFTER, opt_pcap,
"  --pcap FILE          write every message sent as a capture (tshark,\n"
"                       Wireshark, sngrep read it)\n"},
	{"quiet", 'q', false, OPT_BEFORE | OPT_AFTER, opt_quiet,
"  -q, --quiet          no live ladder (run)\n"},
	{"no-cx", 0, false, OPT_AFTER, opt_no_cx,
"  --no-cx              the ladders leave out the Cx (Diameter) arrows\n"
"                       between the CSCFs and the HSS\n"},
	{"ladder", 0, true, OPT_AFTER, opt_ladder,
"  --ladder columns|lines  the live ladder as a sequence diagram (default\n"
"                       on a terminal) or one line per message\n"},
	{"verbose", 'v', false, OPT_BEFORE | OPT_AFTER, opt_verbose,
"  -v, --verbose        more log lines (twice for debug)\n"},
	{NULL, 'v', true, OPT_LOG, NULL,
"  -v CATEGORY=LEVEL    one category's lines at error, warn, info or\n"
"                       debug (imsbed -v list names the categories)\n"},
	{"node", 0, true, OPT_LOG, NULL,
"  --node NAME          only that node's log lines (errors always show)\n"},
	{"help", 'h', false, OPT_BEFORE, opt_help,
"  -h, --help           this text\n"},
	{"version", 0, false, OPT_BEFORE, opt_version,
"  --version            the version\n"},
};


static int usage_print(struct re_printf *pf, void *arg)
{
	size_t i;
	int err;
	(void)arg;

	err = re_hprintf(pf, "usage: imsbed [-v] COMMAND [OPTIONS] ARGS\n"
			 "\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(cmdv) && !err; i++)
		err = re_hprintf(pf, "%s", cmdv[i].help);
	if (!err)
		err = re_hprintf(pf, "\noptions:\n");
	for (i = 0; i < ARRAY_SIZE(optv) && !err; i++)
		err = re_hprintf(pf, "%s", optv[i].help);
	if (!err)
		err = re_hprintf(pf, "\nexit status: 0 pass, 1 a scenario"
				 " failed, 2 bad input or usage\n");

	return err;
}


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
		return EXIT_USAGE;
	}

	*vp = v;
	return EXIT_NONE;
}


static int opt_trace(struct cli_opts *o, const char *arg)
{
	o->trace = arg;
	return EXIT_NONE;
}


static int opt_settle(struct cli_opts *o, const char *arg)
{
	return seconds_opt(&o->settle, "--settle", arg);
}


static int opt_junit(struct cli_opts *o, const char *arg)
{
	o->junit = arg;
	return EXIT_NONE;
}


static int opt_golden(struct cli_opts *o, const char *arg)
{
	o->golden = arg;
	return EXIT_NONE;
}


static int opt_update_golden(struct cli_opts *o, const char *arg)
{
	o->update_golden = true;
	return EXIT_NONE;
}


static int opt_html(struct cli_opts *o, const char *arg)
{
	o->html = arg;
	return EXIT_NONE;
}


static int opt_seed(struct cli_opts *o, const char *arg)
{
	emul_seed(strtoull(arg, NULL, 10));
	return EXIT_NONE;
}


static int opt_step(struct cli_opts *o, const char *arg)
{
	o->step = true;
	return EXIT_NONE;
}


static int opt_slow(struct cli_opts *o, const char *arg)
{
	return seconds_opt(&o->slow, "--slow", arg);
}


static int opt_clock(struct cli_opts *o, const char *arg)
{
	if (!strcmp(arg, "real") || !strcmp(arg, "virtual")) {
		o->real_clock = !strcmp(arg, "real");
		return EXIT_NONE;
	}

	(void)re_fprintf(stderr, "imsbed: --clock: '%s' is neither virtual "
			 "nor real\n", arg);
	return EXIT_USAGE;
}


static int opt_pcap(struct cli_opts *o, const char *arg)
{
	o->pcap = arg;
	return EXIT_NONE;
}


static int opt_no_cx(struct cli_opts *o, const char *arg)
{
	(void)arg;
	o->no_cx = true;
	return EXIT_NONE;
}


static int opt_quiet(struct cli_opts *o, const char *arg)
{
	o->quiet = true;
	return EXIT_NONE;
}


/* Checked once all options are read (opts_parse). */
static int opt_ladder(struct cli_opts *o, const char *arg)
{
	o->ladder = arg;
	return EXIT_NONE;
}


static int opt_verbose(struct cli_opts *o, const char *arg)
{
	++o->verbose;
	return EXIT_NONE;
}


static int opt_help(struct cli_opts *o, const char *arg)
{
	(void)re_fprintf(stdout, "%H", usage_print, NULL);
	return EXIT_PASS;
}


static int opt_version(struct cli_opts *o, const char *arg)
{
	(void)puts("imsbed " IMSBED_VERSION);
	return EXIT_PASS;
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


/* Before the command: getopt_long's rules (abbreviations, --name=value,
 * -qv, its own messages), with its tables made from optv[]. */
static int opts_before(struct cli_opts *o, int argc, char *argv[])
{
	struct option lv[ARRAY_SIZE(optv) + 1];
	char sv[2 * ARRAY_SIZE(optv) + 2] = "+";
	size_t i, n = 0, l = 1;
	int c, rc;

	memset(lv, 0, sizeof(lv));
	for (i = 0; i < ARRAY_SIZE(optv); i++) {
		const struct cli_opt *p = &optv[i];

		if (!(p->place & OPT_BEFORE))
			continue;
		lv[n].name = p->name;
		lv[n].has_arg = p->arg ? required_argument : no_argument;
		lv[n++].val = 256 + (int)i;
		if (p->letter)
			sv[l++] = p->letter;
		if (p->letter && p->arg)
			sv[l++] = ':';
	}

	while ((c = getopt_long(argc, argv, sv, lv, NULL)) != -1) {
		const struct cli_opt *p = NULL;

		for (i = 0; i < ARRAY_SIZE(optv) && !p; i++) {
			if (c == 256 + (int)i || (c < 256 && c &&
			     optv[i].letter == c &&
			     (optv[i].place & OPT_BEFORE)))
				p = &optv[i];
		}
		if (!p) {
			(void)re_fprintf(stderr, "%H", usage_print, NULL);
			return EXIT_USAGE;
		}
		rc = p->h(o, optarg);
		if (rc != EXIT_NONE)
			return rc;
	}

	return EXIT_NONE;
}


static const struct cli_opt *opt_after(const char *s, bool more)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(optv); i++) {
		const struct cli_opt *p = &optv[i];

		if (!(p->place & OPT_AFTER) || (p->arg && !more))
			continue;
		if ((s[0] == '-' && s[1] == '-' && !strcmp(s + 2, p->name)) ||
		    (p->letter && s[0] == '-' && s[1] == p->letter && !s[2]))
			return p;
	}

	return NULL;
}


/* After the command: exact names only, the rest are its arguments,
 * which stay in argv in their order. */
static int opts_after(struct cli_opts *o, int *argcp, char *argv[])
{
	int i, n = 0, rc;

	for (i = 0; i < *argcp; i++) {
		const struct cli_opt *p = opt_after(argv[i], i + 1 < *argcp);

		if (p) {
			rc = p->h(o, p->arg ? argv[++i] : NULL);
			if (rc != EXIT_NONE)
				return rc;
		}
		else if (argv[i][0] == '-' && argv[i][1]) {
			(void)re_fprintf(stderr, "imsbed: unknown option "
					 "'%s'\n", argv[i]);
			return EXIT_USAGE;
		}
		else {
			argv[n++] = argv[i];
		}
	}
	*argcp = n;

	return EXIT_NONE;
}


/* All options, before and after the command; argv is left as the
 * command's name and its arguments. */
static int opts_parse(struct cli_opts *o, int *argcp, char ***argvp)
{
	int argc = *argcp, rc;
	char **argv = *argvp;

	rc = opts_before(o, argc, argv);
	if (rc != EXIT_NONE)
		return rc;

	if (optind >= argc) {
		(void)re_fprintf(stderr, "%H", usage_print, NULL);
		return EXIT_USAGE;
	}

	argc -= optind;
	argv += optind;
	optind = 1;

	--argc;
	/* imsbed aka and hss have options of their own (--k, --out ...). */
	rc = strcmp(argv[0], "aka") && strcmp(argv[0], "hss") ?
		opts_after(o, &argc, argv + 1) : EXIT_NONE;
	if (rc != EXIT_NONE)
		return rc;

	if (o->ladder && strcmp(o->ladder, "columns") &&
	    strcmp(o->ladder, "lines")) {
		(void)re_fprintf(stderr, "imsbed: --ladder takes columns or"
				 " lines, not '%s'\n", o->ladder);
		return EXIT_USAGE;
	}

	*argcp = argc + 1;
	*argvp = argv;

	return EXIT_NONE;
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


/* argv[0] is the command's name; the command is looked for only now,
 * after --trace and --pcap are open, as it always was. */
static int cmd_dispatch(int argc, char *argv[], const struct cli_opts *o)
{
	struct trace *trace = NULL;
	struct pcapw *pcap = NULL;
	int rc = EXIT_USAGE;
	size_t i;

	if (o->trace && trace_open(&trace, o->trace)) {
		(void)re_fprintf(stderr, "imsbed: %s: cannot write trace\n",
				 o->trace);
		goto out;
	}

	if (o->pcap && pcapw_open(&pcap, o->pcap)) {
		(void)re_fprintf(stderr, "imsbed: %s: cannot write capture\n",
				 o->pcap);
		goto out;
	}

	for (i = 0; i < ARRAY_SIZE(cmdv); i++) {
		if (!strcmp(cmdv[i].name, argv[0])) {
			rc = cmdv[i].h(argc - 1, argv + 1, o);
			goto out;
		}
	}

	(void)re_fprintf(stderr, "imsbed: unknown command '%s'\n%H", argv[0],
			 usage_print, NULL);
 out:
	mem_deref(pcap);
	mem_deref(trace);

	return rc;
}


int main(int argc, char *argv[])
{
	struct cli_opts o;
	int rc;

	/* Into a pipe (every CI log) each result line must show as it
	 * comes, not all at the end: a job killed by its timeout would
	 * show nothing, and warnings on stderr would come first. */
	(void)setvbuf(stdout, NULL, _IOLBF, 0);

	memset(&o, 0, sizeof(o));
	rc = log_opts(&argc, argv);
	if (rc)
		return rc == 1 ? EXIT_PASS : EXIT_USAGE;

	rc = opts_parse(&o, &argc, &argv);
	if (rc != EXIT_NONE)
		return rc;

	log_set_level(o.verbose >= 2 ? LOG_DEBUG : o.verbose ? LOG_INFO :
		      LOG_WARN);

	if (libre_init())
		return EXIT_USAGE;
	/* the Cx dictionary, for the HSS and whatever reads a record */
	if (diam_init()) {
		(void)re_fprintf(stderr, "imsbed: the Diameter dictionary "
				 "would not load\n");
		libre_close();
		return EXIT_USAGE;
	}

	raise_fd_limit();
	rc = cmd_dispatch(argc, argv, &o);
	diam_close();
	libre_close();
	netguard_flush();

	return rc;
}

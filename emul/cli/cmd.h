/* SPDX-License-Identifier: BSD-3-Clause */
/* The CLI's internals: the options main.c reads and the commands they go
 * to.  A command returns the exit status (0 pass, 1 failed, 2 bad input
 * or usage). */

enum {
	EXIT_NONE = -1,                 /* nothing decided: go on */
	EXIT_PASS = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

/* What the options said, wherever they stood. */
struct cli_opts {
	bool step;
	double slow;
	const char *golden;
	bool update_golden;
	const char *html;
	const char *ladder;             /* columns, lines or NULL: a tty? */
	const char *trace;
	const char *pcap;
	const char *junit;
	double settle;
	bool quiet;
	bool no_cx;                     /* --no-cx */
	int verbose;
	bool real_clock;                /* --clock real */
};

typedef int (cli_cmd_h)(int argc, char *argv[], const struct cli_opts *o);

/* run.c: scenarios, one by one with the ladder, or a folder's worth */
cli_cmd_h cmd_run, cmd_test;

/* bench.c: the registration benchmark */
cli_cmd_h cmd_bench;
int bench_run(uint32_t n, uint32_t window, bool udp);
/* bench_floor.c: a message's decode and loopback crossing */
int bench_floor(void);

/* tracecmd.c: a saved --trace file as a ladder or a capture */
/* One record of a saved trace, its strings borrowed from the odict. */
struct trec {
	const char *proto, *src, *dst, *raw;
	bool base64;            /* raw is the bytes in base64 (Diameter) */
	double t;
};
struct odict;
int trec_decode(struct odict **odp, struct trec *tr, const char *line);
/* The record's message as it went on the wire */
int trec_bytes(const struct trec *tr, struct mbuf **mbp);
cli_cmd_h cmd_ladder, cmd_pcap;

/* chaos.c: each scenario with each message lost, then repeated */
cli_cmd_h cmd_chaos;

/* akacmd.c: IMS AKA's key material by hand */
cli_cmd_h cmd_aka;
/* The text of 'imsbed aka milenage'; a hex string each, op or opc
 * NULL.  EINVAL with the option at fault in why. */
int aka_milenage_text(char *out, size_t osz, const char *k, const char *op,
		      const char *opc, const char *rand, const char *sqn,
		      const char *amf, char *why, size_t sz);

/* akaexplain.c: each AKA answer in a trace, checked with the keys */
int aka_explain(const char *trace, const char *topo);

/* hsscmd.c: a topology's subscribers as TS 29.228 XML, and back
 * (hssimport.c) */
cli_cmd_h cmd_hss;
int hss_import(int argc, char *argv[]);

/* serve.c: a topology's core for external UEs */
cli_cmd_h cmd_serve;

/* SPDX-License-Identifier: BSD-3-Clause */
/* The CLI's commands kept outside main.c; they return the exit status
 * (0 pass, 1 failed, 2 bad input or usage). */

/* bench.c: the registration benchmark */
int bench_run(uint32_t n, uint32_t window, bool udp);

int cmd_ladder(int argc, char *argv[], const char *form);
int cmd_pcap(int argc, char *argv[]);
int cmd_serve(int argc, char *argv[], const char *html, const char *ladder,
	      bool quiet);

/* SPDX-License-Identifier: BSD-3-Clause */
/* The registration benchmark: N UEs register through the whole path
 * (P-, I-, S-CSCF, HSS, third-party REGISTER to an AS) with a window of
 * registrations in flight, and the run reports registrations per second,
 * resident memory per registered UE and message events per CPU-second.
 * Nothing is recorded: the figures are the core's, not the ladder's;
 * the messages are only counted. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <malloc.h>
#include <re.h>
#include "yml.h"
#include "host.h"
#include "tsx.h"
#include "sipkit.h"
#include "report.h"
#include "scen.h"
#include "cmd.h"
#include "ue.h"

struct bench {
	struct ue **uev;
	uint32_t n;
	uint32_t next;          /* next UE to start */
	uint32_t done;
	uint32_t failed;
	uint16_t first_fail;
	uint64_t events;        /* SIP messages sent or received by the
				 * core's nodes; the UE pool's left out */
};

/* What a run cost: the wall (CLOCK_MONOTONIC, not tmr_jiffies(), which
 * is the process clock and may be virtual) and the process's CPU. */
struct cost {
	uint64_t wall_us;
	uint64_t cpu_us;
};

static const char topo_fmt[] =
	"domain: bench.test\n"
	"nodes:\n"
	"  - {name: pcscf, role: pcscf, addr: '127.0.2.1', transport: %s}\n"
	"  - {name: icscf, role: icscf, addr: '127.0.2.2', transport: %s}\n"
	"  - {name: scscf, role: scscf, addr: '127.0.2.3', transport: %s}\n"
	"  - {name: as1, role: as, addr: '127.0.2.4', transport: %s}\n"
	"profiles:\n"
	"  p:\n"
	"    ifc:\n"
	"      - {priority: 0, as: 'sip:as1.bench.test',\n"
	"         trigger: {spt: [{method: REGISTER}]}}\n"
	"%s";

static const char subs_fmt[] =
	"subscribers:\n"
	"  - {impi: 'u%%d@bench.test', impu: ['sip:u%%d@bench.test'],\n"
	"     password: 'pw%%d', profile: p, count: %u}\n";


static size_t rss_bytes(void)
{
	unsigned long size = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &res) != 2)
		res = 0;
	fclose(f);

	return res * (size_t)sysconf(_SC_PAGESIZE);
}


static void cost_now(struct cost *c)
{
	struct timespec ts;
	struct rusage ru;

	memset(c, 0, sizeof(*c));
	if (!clock_gettime(CLOCK_MONOTONIC, &ts))
		c->wall_us = (uint64_t)ts.tv_sec * 1000000 +
			(uint64_t)ts.tv_nsec / 1000;
	if (!getrusage(RUSAGE_SELF, &ru))
		c->cpu_us = (uint64_t)(ru.ru_utime.tv_sec +
				       ru.ru_stime.tv_sec) * 1000000 +
			(uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}


/* Each SIP message a core node sends is one event, and one more when a
 * core node receives it: 24 per full registration (10 for each of the
 * UE's two transactions across P-, I- and S-CSCF, 4 for the third-party
 * REGISTER), retransmissions included.  The UE pool is the load
 * generator, as SIPp is for a SIP server, so its own sends and receives
 * are not counted; its CPU is, which the figure is the worse for.  The
 * transaction layers count them: a recorder would cost more than what
 * it measures. */
static uint64_t core_events(const struct node *pool)
{
	uint64_t n = 0;
	struct le *le;

	for (le = list_head(emul_nodes()); le; le = le->next) {
		const struct tsxl_stats *st;
		struct node *nd = le->data;

		if (nd == pool || !(st = tsxl_stats(node_stack(nd))))
			continue;
		n += st->sent + st->received;
	}

	return n;
}


static void start_next(struct bench *b);


static void done_handler(int err, uint16_t scode, void *arg)
{
	struct bench *b = arg;

	++b->done;
	if (err || scode != 200) {
		if (!b->failed++)
			b->first_fail = err ? 0 : scode;
	}

	if (b->done == b->n) {
		re_cancel();
		return;
	}

	start_next(b);
}


static void start_next(struct bench *b)
{
	while (b->next < b->n) {
		struct ue *ue = b->uev[b->next++];

		if (!ue_register(ue, 3600, false, NULL, done_handler, b))
			return;

		done_handler(EIO, 0, b);
		return;
	}
}


static int load(struct topo **tp, struct yml **yp, uint32_t n, bool udp,
		char *err, size_t sz)
{
	const char *tps = udp ? "udp" : "tcp";
	char *subs = NULL, *text = NULL;
	int e;

	if (n && re_sdprintf(&subs, subs_fmt, n))
		return ENOMEM;

	e = re_sdprintf(&text, topo_fmt, tps, tps, tps, tps,
			subs ? subs : "");
	mem_deref(subs);
	if (e)
		return ENOMEM;

	e = yml_load_str(yp, "bench", text, err, sz);
	if (!e)
		e = topo_load(tp, *yp, yml_root(*yp), err, sz);
	mem_deref(text);

	return e;
}


/* The UEs share one node, as a load generator's users share its
 * socket: thousands of SIP stacks would measure libre's per-stack
 * buffers, not the core's per-user state. */
static int add_ues(struct bench *b, struct topo *t, struct node **pnp,
		   bool udp)
{
	struct sa pool;
	uint32_t i;
	int e;

	b->uev = mem_zalloc(b->n * sizeof(*b->uev), NULL);
	if (!b->uev)
		return ENOMEM;

	(void)sa_set_str(&pool, "127.0.3.1", 5060);
	e = node_alloc(pnp, "uepool", ROLE_UE, &pool, emul_domain(),
		       udp ? 0 : NODE_TCP);
	if (e) {
		(void)re_fprintf(stderr, "imsbed bench: UE pool: %m\n", e);
		return e;
	}

	for (i = 0; i < b->n; i++) {
		char impi[64], impu[64], pw[32];

		(void)re_snprintf(impi, sizeof(impi), "u%u@bench.test", i + 1);
		(void)re_snprintf(impu, sizeof(impu), "sip:%s", impi);
		(void)re_snprintf(pw, sizeof(pw), "pw%u", i + 1);

		e = topo_ue_add(t, &b->uev[i], *pnp, impi, impu, pw);
		if (e) {
			(void)re_fprintf(stderr, "imsbed bench: UE %u: %m\n",
					 i + 1, e);
			return e;
		}
	}

	return 0;
}


static void report(const struct bench *b, uint32_t n,
		   const struct cost *c0, const struct cost *c1,
		   size_t rss0, size_t rss1)
{
	uint64_t wall = c1->wall_us - c0->wall_us;
	uint64_t cpu = c1->cpu_us - c0->cpu_us;

	(void)re_printf("bench: %u registered, %u failed", b->done - b->failed,
			b->failed);
	if (b->failed)
		(void)re_printf(" (first: %u)", b->first_fail);
	(void)re_printf("\nbench: %llu ms, %llu registrations/s\n",
			(unsigned long long)(wall / 1000),
			wall ? (unsigned long long)n * 1000000 / wall : 0ULL);
	(void)re_printf("bench: %llu ms CPU, %llu registrations per"
			" CPU-second\n", (unsigned long long)(cpu / 1000),
			cpu ? (unsigned long long)n * 1000000 / cpu : 0ULL);
	(void)re_printf("bench: %llu message events (%.1f per registration),"
			" %llu per CPU-second\n",
			(unsigned long long)b->events,
			n ? (double)b->events / n : 0.0,
			cpu ? (unsigned long long)(b->events * 1000000 / cpu)
			: 0ULL);
	(void)re_printf("bench: RSS %zu KiB before, %zu KiB after:"
			" %zu bytes per registered UE\n", rss0 / 1024,
			rss1 / 1024, n ? (rss1 - rss0) / n : (size_t)0);
}


static void stop(void *arg)
{
	(void)arg;
	re_cancel();
}


/* The heap in use: what RSS keeps after a free depends on the
 * allocator, what is in use does not. */
static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}


/* What a registered UE costs once the transactions RFC 3261 keeps after
 * their answer have ended (over UDP, Timer J: 64*T1): 40 s run on the
 * virtual clock, with nothing on the wire.  The allocator keeps the
 * pages the load took until malloc_trim() hands the free ones back;
 * then RSS is what the registered UEs hold. */
static void report_settled(uint32_t n, size_t heap0, size_t rss0)
{
	struct tmr t;
	size_t heap, rss;

	clk_set_mode(CLK_VIRTUAL);
	tmr_init(&t);
	tmr_start(&t, 40000, stop, NULL);
	(void)re_main(NULL);
	tmr_cancel(&t);
	clk_set_mode(CLK_REAL);

	heap = heap_bytes();
	(void)malloc_trim(0);
	rss = rss_bytes();
	(void)re_printf("bench: 40 s later, the transactions ended: heap in"
			" use %zu KiB, %zu bytes per registered UE; RSS %zu"
			" KiB, %zu bytes per registered UE\n", heap / 1024,
			n && heap > heap0 ? (heap - heap0) / n : (size_t)0,
			rss / 1024,
			n && rss > rss0 ? (rss - rss0) / n : (size_t)0);
}


int bench_run(uint32_t n, uint32_t window, bool udp)
{
	struct topo *t = NULL;
	struct yml *y = NULL;
	struct node *pn = NULL;
	struct bench b;
	char err[512];
	size_t rss0, rss1, heap0;
	struct cost c0, c1;
	uint32_t i;
	int e;

	memset(&b, 0, sizeof(b));

	/* The baseline: the same core with no subscribers at all. */
	e = load(&t, &y, 0, udp, err, sizeof(err));
	if (e) {
		(void)re_fprintf(stderr, "imsbed bench: %s\n", err);
		goto out;
	}
	rss0 = rss_bytes();
	t = mem_deref(t);
	y = mem_deref(y);

	e = load(&t, &y, n, udp, err, sizeof(err));
	if (e) {
		(void)re_fprintf(stderr, "imsbed bench: %s\n", err);
		goto out;
	}
	rss0 = MIN(rss0, rss_bytes());
	heap0 = heap_bytes();

	b.n = n;
	e = add_ues(&b, t, &pn, udp);
	if (e)
		goto out;

	(void)re_printf("bench: %u UEs, %u registrations in flight, core"
			" over %s\n", n, window, udp ? "UDP" : "TCP");

	b.events = core_events(pn);
	cost_now(&c0);
	for (i = 0; i < window && i < n; i++)
		start_next(&b);
	if (n)
		(void)re_main(NULL);
	cost_now(&c1);
	b.events = core_events(pn) - b.events;

	rss1 = rss_bytes();
	report(&b, n, &c0, &c1, rss0, rss1);
	report_settled(n, heap0, rss0);

	e = b.failed ? EPROTO : 0;

 out:
	/* The topology's end flushes the node registry, the UE pool with
	 * it: the registry owns every node. */
	mem_deref(b.uev);
	mem_deref(t);
	mem_deref(y);

	return e;
}


/* imsbed bench [N [WINDOW [tcp|udp]]] */
int cmd_bench(int argc, char *argv[], const struct cli_opts *o)
{
	uint32_t n = 10000, w = 200;
	bool udp = false;

	if (argc == 1 && !strcmp(argv[0], "floor"))
		return bench_floor() ? EXIT_FAILED : EXIT_PASS;
	if (argc > 0)
		n = (uint32_t)strtoul(argv[0], NULL, 10);
	if (argc > 1)
		w = (uint32_t)strtoul(argv[1], NULL, 10);
	if (argc > 2)
		udp = !strcmp(argv[2], "udp");
	if (!n || !w || argc > 3 || (argc > 2 && !udp &&
				     strcmp(argv[2], "tcp"))) {
		(void)re_fprintf(stderr, "imsbed bench: usage: bench [N"
				 " [WINDOW [tcp|udp]]] | bench floor, N and"
				 " WINDOW whole numbers above 0\n");
		return EXIT_USAGE;
	}

	return bench_run(n, w, udp) ? EXIT_FAILED : EXIT_PASS;
}

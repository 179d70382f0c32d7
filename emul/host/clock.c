/* SPDX-License-Identifier: BSD-3-Clause */
/* One clock for the whole process, real or virtual.  Every timer in the
 * process, libre's included, reads tmr_jiffies(), which this file
 * defines in place of libre's (libre calls it through its PLT).  On the
 * virtual clock the loop's wait for I/O is interposed too: when no
 * socket has anything to read and the loop would sleep until its next
 * timer, the clock jumps to that timer instead.  On loopback a datagram
 * or a stream segment is in the peer's socket by the time sendto() or
 * send() returns, so an empty poll means no message is in flight; one
 * empty poll is confirmed by a second after yielding the CPU, in case
 * the kernel delivers later under load.  The real clock is libre's,
 * gettimeofday() in milliseconds, plus what the virtual clock ran ahead
 * when it was switched off: time never runs backwards for a timer. */

#include <dlfcn.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <re.h>
#include "host.h"

typedef int (epoll_wait_f)(int, struct epoll_event *, int, int);

/* libre's own timer list (exported by libre, not in its headers): its
 * head is the next timer, which the loop's wait rounds up to 1 ms. */
struct list *tmrl_get(void);

static struct {
	enum clk_mode mode;
	uint64_t now;           /* the virtual clock, ms */
	uint64_t jumped;        /* ms skipped, in total */
	uint64_t ahead;         /* real mode: ms added to the real clock */
	epoll_wait_f *wait;
} clk;


static uint64_t real_ms(void)
{
	struct timeval tv;

	if (gettimeofday(&tv, NULL))
		return 0;

	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}


uint64_t tmr_jiffies(void)
{
	return clk.mode == CLK_VIRTUAL ? clk.now : real_ms() + clk.ahead;
}


uint64_t clk_now(void)
{
	return tmr_jiffies();
}


uint64_t clk_now_us(void)
{
	struct timeval tv;

	if (clk.mode == CLK_VIRTUAL || gettimeofday(&tv, NULL))
		return clk_now() * 1000;

	return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec +
		clk.ahead * 1000;
}


/* The virtual clock starts where the real one stands, so that timers
 * already running keep their place. */
void clk_set_mode(enum clk_mode mode)
{
	if (mode == clk.mode)
		return;

	if (mode == CLK_VIRTUAL) {
		clk.now = real_ms() + clk.ahead;
	}
	else {
		uint64_t real = real_ms();

		clk.ahead = clk.now > real ? clk.now - real : 0;
	}
	clk.mode = mode;
}


enum clk_mode clk_mode(void)
{
	return clk.mode;
}


uint64_t clk_jumped(void)
{
	return clk.jumped;
}


static int real_wait(int epfd, struct epoll_event *ev, int max, int to)
{
	if (!clk.wait)
		clk.wait = (epoll_wait_f *)dlsym(RTLD_NEXT, "epoll_wait");
	if (!clk.wait)
		return -1;

	return clk.wait(epfd, ev, max, to);
}


int epoll_wait(int epfd, struct epoll_event *ev, int max, int to)
{
	const struct tmr *head;
	int n;

	if (clk.mode != CLK_VIRTUAL || to == 0)
		return real_wait(epfd, ev, max, to);

	n = real_wait(epfd, ev, max, 0);
	if (n)
		return n;

	(void)sched_yield();
	n = real_wait(epfd, ev, max, 0);
	if (n)
		return n;

	/* No timer at all: only the world outside can wake us. */
	head = list_ledata(list_head(tmrl_get()));
	if (to < 0 || !head)
		return real_wait(epfd, ev, max, to);

	/* A timer due now is run now: libre's wait says 1 ms for it. */
	if (head->jfs > clk.now) {
		clk.jumped += head->jfs - clk.now;
		clk.now = head->jfs;
	}

	return 0;
}

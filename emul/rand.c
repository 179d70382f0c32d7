/* SPDX-License-Identifier: BSD-3-Clause */
/* Identifiers that must be unique but need not be secret (tags, Call-IDs,
 * icid values) come from a fast generator seeded once from the kernel;
 * libre's rand_u64 goes through OpenSSL for each call, which a benchmark
 * of thousands of registrations feels.  Nonces do not come from here. */

#include <sys/random.h>
#include <re.h>
#include "emul.h"

static uint64_t s[2];


static void seed(void)
{
	if (getrandom(s, sizeof(s), 0) != (ssize_t)sizeof(s) ||
	    !(s[0] | s[1])) {
		s[0] = tmr_jiffies() | 1;
		s[1] = (uint64_t)(uintptr_t)&s;
	}
}


/* xorshift128+ (Vigna): fast, and good enough for identifiers. */
uint64_t emul_rand_u64(void)
{
	uint64_t x, y;

	if (!(s[0] | s[1]))
		seed();

	x = s[0];
	y = s[1];
	s[0] = y;
	x ^= x << 23;
	s[1] = x ^ y ^ (x >> 17) ^ (y >> 26);

	return s[1] + y;
}

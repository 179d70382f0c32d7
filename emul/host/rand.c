/* SPDX-License-Identifier: BSD-3-Clause */
/* Where imsbed's random numbers come from.  By default the kernel's
 * random source: nonces, tokens and SRTP keys must be unpredictable, and
 * a test-bed that reused them would teach the wrong habit.  With --seed N
 * (for tests only) every random number in the process, libre's branches
 * and tags included, comes from one generator seeded with N, so that two
 * runs give the same bytes on the wire.  Identifiers that need not be
 * secret (tags, Call-IDs, icid, libre's branches) always come from the
 * fast generator. */

#include <string.h>
#include <sys/random.h>
#include <re.h>
#include "host.h"

static uint64_t s[2];
static bool seeded;


static void seed_from_kernel(void)
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
		seed_from_kernel();

	x = s[0];
	y = s[1];
	s[0] = y;
	x ^= x << 23;
	s[1] = x ^ y ^ (x >> 17) ^ (y >> 26);

	return s[1] + y;
}


/* splitmix64 spreads a small seed over the whole state. */
void emul_seed(uint64_t n)
{
	int i;

	for (i = 0; i < 2; i++) {
		uint64_t z = (n += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		s[i] = z ^ (z >> 31);
	}
	seeded = true;
}


bool emul_seeded(void)
{
	return seeded;
}


/* Secrets: the kernel's, unless a test asked for repeatable runs. */
void emul_random(uint8_t *p, size_t n)
{
	while (n && !seeded) {
		ssize_t r = getrandom(p, n, 0);

		if (r <= 0)
			break;
		p += r;
		n -= (size_t)r;
	}

	while (n) {
		uint64_t v = emul_rand_u64();
		size_t k = MIN(n, sizeof(v));

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}


/* libre's random numbers are identifiers (branches, tags, a message's
 * tag, a client nonce): the fast generator's, as imsbed's own are; the
 * kernel's cost a system call per SIP message.  rand_bytes() stays
 * secret. */
void rand_init(void)
{
}


uint64_t rand_u64(void)
{
	return emul_rand_u64();
}


uint32_t rand_u32(void)
{
	return (uint32_t)emul_rand_u64();
}


uint16_t rand_u16(void)
{
	return (uint16_t)emul_rand_u64();
}


char rand_char(void)
{
	static const char set[] = "0123456789"
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

	return set[rand_u32() % (sizeof(set) - 1)];
}


void rand_str(char *str, size_t size)
{
	size_t i;

	if (!str || !size)
		return;

	for (i = 0; i + 1 < size; i++)
		str[i] = rand_char();
	str[i] = '\0';
}


void rand_bytes(uint8_t *p, size_t size)
{
	if (p)
		emul_random(p, size);
}

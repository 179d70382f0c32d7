/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed aka milenage: the outputs of Milenage for given K, OP or OPc,
 * RAND, SQN and AMF, one "name: hex" line each, so that a USIM or an HSS
 * someone else configured can be checked by hand against the same
 * computation imsbed's HSS and UEs make. */

#include <string.h>
#include <re.h>
#include "aka.h"
#include "cmd.h"


static int hex_opt(uint8_t *out, size_t n, const char *s, const char *name,
		   char *why, size_t sz)
{
	if (aka_hex(out, n, s)) {
		(void)re_snprintf(why, sz, "--%s: %s, not %zu hex digits",
				  name, s ? s : "missing", 2 * n);
		return EINVAL;
	}

	return 0;
}


int aka_milenage_text(char *out, size_t osz, const char *k, const char *op,
		      const char *opc, const char *rand, const char *sqn,
		      const char *amf, char *why, size_t sz)
{
	uint8_t kb[AKA_KEY], opb[AKA_KEY], opcb[AKA_KEY], rb[AKA_KEY];
	uint8_t sb[AKA_SQN], ab[AKA_AMF], mac_a[AKA_MAC], mac_s[AKA_MAC];
	uint8_t res[AKA_RES], ck[AKA_KEY], ik[AKA_KEY], ak[AKA_AK];
	uint8_t ak_s[AKA_AK], autn[AKA_AUTN];
	size_t i;
	int err;

	if (hex_opt(kb, sizeof(kb), k, "k", why, sz))
		return EINVAL;
	if (!op == !opc) {
		(void)re_snprintf(why, sz, "exactly one of --op and --opc");
		return EINVAL;
	}
	if ((op && hex_opt(opb, sizeof(opb), op, "op", why, sz)) ||
	    (opc && hex_opt(opcb, sizeof(opcb), opc, "opc", why, sz)) ||
	    hex_opt(rb, sizeof(rb), rand, "rand", why, sz) ||
	    hex_opt(sb, sizeof(sb), sqn, "sqn", why, sz) ||
	    hex_opt(ab, sizeof(ab), amf, "amf", why, sz))
		return EINVAL;

	err = op ? milenage_opc(opcb, kb, opb) : 0;
	if (!err)
		err = milenage_f1(mac_a, mac_s, kb, opcb, rb, sb, ab);
	if (!err)
		err = milenage_f2345(res, ck, ik, ak, ak_s, kb, opcb, rb);
	if (err) {
		(void)re_snprintf(why, sz, "milenage: %m", err);
		return err;
	}

	for (i = 0; i < AKA_SQN; i++)
		autn[i] = sb[i] ^ ak[i];
	memcpy(autn + AKA_SQN, ab, AKA_AMF);
	memcpy(autn + AKA_SQN + AKA_AMF, mac_a, AKA_MAC);

	return re_snprintf(out, osz, "opc: %w\nf1: %w\nf1star: %w\nf2: %w\n"
			  "f3: %w\nf4: %w\nf5: %w\nf5star: %w\nautn: %w\n",
			   opcb, sizeof(opcb), mac_a, sizeof(mac_a), mac_s,
			   sizeof(mac_s), res, sizeof(res), ck, sizeof(ck),
			   ik, sizeof(ik), ak, sizeof(ak), ak_s, sizeof(ak_s),
			   autn, sizeof(autn)) < 0 ? ENOMEM : 0;
}


static int milenage_cmd(int argc, char *argv[])
{
	static const char *const names[] = {
		"k", "op", "opc", "rand", "sqn", "amf"
	};
	const char *v[ARRAY_SIZE(names)] = {0};
	char why[128], out[512];
	int i;
	size_t j;

	for (i = 0; i < argc; i++) {
		for (j = 0; j < ARRAY_SIZE(names); j++) {
			if (!strncmp(argv[i], "--", 2) &&
			    !strcmp(argv[i] + 2, names[j]))
				break;
		}
		if (j == ARRAY_SIZE(names) || i + 1 >= argc) {
			(void)re_fprintf(stderr, "imsbed aka milenage: %s:"
					 " %s\n", argv[i],
					 j == ARRAY_SIZE(names) ?
					 "unknown option" : "needs a value");
			return EXIT_USAGE;
		}
		v[j] = argv[++i];
	}

	if (aka_milenage_text(out, sizeof(out), v[0], v[1], v[2], v[3], v[4],
			      v[5], why, sizeof(why))) {
		(void)re_fprintf(stderr, "imsbed aka milenage: %s\n", why);
		return EXIT_USAGE;
	}

	(void)re_printf("%s", out);
	return EXIT_PASS;
}


int cmd_aka(int argc, char *argv[], const struct cli_opts *o)
{
	(void)o;

	if (argc >= 1 && !strcmp(argv[0], "milenage"))
		return milenage_cmd(argc - 1, argv + 1);
	if (argc == 3 && !strcmp(argv[0], "explain"))
		return aka_explain(argv[1], argv[2]);

	(void)re_fprintf(stderr, "imsbed aka: usage: aka milenage --k HEX"
			 " (--op HEX | --opc HEX) --rand HEX --sqn HEX"
			 " --amf HEX | aka explain TRACE TOPOLOGY\n");
	return EXIT_USAGE;
}

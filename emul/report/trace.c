/* SPDX-License-Identifier: BSD-3-Clause */
/* The --trace file: JSON Lines, one object per message sent, with exactly
 * the fields t, proto, transport, src, dst, src_addr, dst_addr, raw. */

#include <stdio.h>
#include <string.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"

struct trace {
	struct le le;
	FILE *f;
};


static void destructor(void *arg)
{
	struct trace *tr = arg;

	msgrec_unlisten(&tr->le);
	if (tr->f)
		fclose(tr->f);
}


static void json_str(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		switch (c) {

		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f);  break;
		case '\r': fputs("\\r", f);  break;
		case '\t': fputs("\\t", f);  break;
		default:
			/* Bytes >= 0x80 pass as they are: the messages are
			 * UTF-8 when valid; anything else is escaped as a
			 * code point so that every line stays valid JSON. */
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else if (c >= 0x80)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
			break;
		}
	}
	fputc('"', f);
}


static void b64_str(FILE *f, const uint8_t *p, size_t n)
{
	size_t olen = 4 * ((n + 2) / 3) + 1;
	char *out = mem_alloc(olen, NULL);

	if (out && !base64_encode(p, n, out, &olen))
		fprintf(f, "\"%.*s\",\"encoding\":\"base64\"", (int)olen,
			out);
	else
		fputs("\"\"", f);
	mem_deref(out);
}


static void rec_handler(const struct msgrec *rec, void *arg)
{
	struct trace *tr = arg;
	char sa[64], da[64];

	(void)re_snprintf(sa, sizeof(sa), "%J", &rec->src_addr);
	(void)re_snprintf(da, sizeof(da), "%J", &rec->dst_addr);

	fprintf(tr->f, "{\"t\":%.6f,\"proto\":\"%s\",\"transport\":\"%s\","
		"\"src\":", rec->t, rec->proto,
		rec->tp == SIP_TRANSP_TCP ? "tcp" : "udp");
	json_str(tr->f, (const uint8_t *)rec->src, strlen(rec->src));
	fputs(",\"dst\":", tr->f);
	json_str(tr->f, (const uint8_t *)rec->dst, strlen(rec->dst));
	fprintf(tr->f, ",\"src_addr\":\"%s\",\"dst_addr\":\"%s\",\"raw\":",
		sa, da);
	/* Diameter is binary: its bytes go as base64, said so */
	if (!strcmp(rec->proto, "diameter"))
		b64_str(tr->f, rec->raw, rec->len);
	else
		json_str(tr->f, rec->raw, rec->len);
	if (rec->flags & MSGREC_RETRANS)
		fputs(",\"retransmission\":true", tr->f);
	if (rec->flags & (MSGREC_LOST | MSGREC_DUP | MSGREC_DELAYED |
			  MSGREC_HELD))
		fprintf(tr->f, ",\"fault\":\"%s\"",
			rec->flags & MSGREC_LOST ? "lost" :
			rec->flags & MSGREC_DUP ? "duplicated" :
			rec->flags & MSGREC_DELAYED ? "delayed" : "held");
	fputs("}\n", tr->f);
}


int trace_open(struct trace **trp, const char *path)
{
	struct trace *tr;
	int err;

	if (!trp || !path)
		return EINVAL;

	tr = mem_zalloc(sizeof(*tr), destructor);
	if (!tr)
		return ENOMEM;

	tr->f = fopen(path, "w");
	if (!tr->f) {
		err = errno;
		goto out;
	}

	err = msgrec_listen(&tr->le, rec_handler, tr);

 out:
	if (err)
		mem_deref(tr);
	else
		*trp = tr;

	return err;
}

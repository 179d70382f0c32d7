/* SPDX-License-Identifier: BSD-3-Clause */
/* JUnit XML for CI servers: one testsuite, one testcase per scenario
 * with its time, a failure with its message, and the ladder of a failed
 * scenario in system-out, in the schema Jenkins and GitLab read. */

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"

struct junit {
	FILE *f;
	struct mbuf *cases;
	uint32_t tests;
	uint32_t failures;
	uint32_t errors;
	double time;
};


static void destructor(void *arg)
{
	struct junit *j = arg;

	if (j->f)
		fclose(j->f);
	mem_deref(j->cases);
}


int junit_open(struct junit **jp, const char *path)
{
	struct junit *j;

	if (!jp || !path)
		return EINVAL;

	j = mem_zalloc(sizeof(*j), destructor);
	if (!j)
		return ENOMEM;

	j->f = fopen(path, "w");
	j->cases = mbuf_alloc(4096);
	if (!j->f || !j->cases) {
		int err = j->f ? ENOMEM : errno;

		mem_deref(j);
		return err;
	}

	*jp = j;

	return 0;
}


/* XML 1.0 text: escape markup, drop what XML cannot carry at all. */
static int xml_text(struct mbuf *mb, const char *s, size_t n)
{
	int err = 0;
	size_t i;

	for (i = 0; i < n && !err; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {

		case '<':  err = mbuf_write_str(mb, "&lt;");   break;
		case '>':  err = mbuf_write_str(mb, "&gt;");   break;
		case '&':  err = mbuf_write_str(mb, "&amp;");  break;
		case '"':  err = mbuf_write_str(mb, "&quot;"); break;
		default:
			if (c < 0x20 && c != '\n' && c != '\t')
				break;
			err = mbuf_write_u8(mb, c);
			break;
		}
	}

	return err;
}


int junit_case(struct junit *j, const char *file, double secs,
	       enum scen_result r, const char *msg, const struct mbuf *ladder)
{
	const char *base = strrchr(file, '/');
	int err;

	if (!j)
		return EINVAL;

	base = base ? base + 1 : file;
	++j->tests;
	j->time += secs;

	err = mbuf_printf(j->cases, "  <testcase classname=\"scenarios\" "
			  "name=\"");
	err |= xml_text(j->cases, base, strlen(base));
	err |= mbuf_printf(j->cases, "\" file=\"");
	err |= xml_text(j->cases, file, strlen(file));
	err |= mbuf_printf(j->cases, "\" time=\"%.3f\"", secs);

	if (r == SCEN_PASS)
		return err | mbuf_write_str(j->cases, "/>\n");

	if (r == SCEN_FAIL)
		++j->failures;
	else
		++j->errors;

	err |= mbuf_printf(j->cases, ">\n    <%s message=\"",
			   r == SCEN_FAIL ? "failure" : "error");
	err |= xml_text(j->cases, msg, strlen(msg));
	err |= mbuf_printf(j->cases, "\" type=\"%s\"/>\n",
			   r == SCEN_FAIL ? "ladder" : "input");
	if (ladder && ladder->end) {
		err |= mbuf_write_str(j->cases, "    <system-out>");
		err |= xml_text(j->cases, (const char *)ladder->buf,
				ladder->end);
		err |= mbuf_write_str(j->cases, "</system-out>\n");
	}

	return err | mbuf_write_str(j->cases, "  </testcase>\n");
}


int junit_close(struct junit *j)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int err = 0;

	if (!j)
		return EINVAL;

	(void)strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S",
		       gmtime_r(&now, &tm));

	if (fprintf(j->f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<testsuite name=\"imsbed\" tests=\"%u\" failures=\"%u\""
		    " errors=\"%u\" skipped=\"0\" time=\"%.3f\""
		    " timestamp=\"%s\">\n", j->tests, j->failures, j->errors,
		    j->time, stamp) < 0 ||
	    fwrite(j->cases->buf, 1, j->cases->end, j->f) != j->cases->end ||
	    fputs("</testsuite>\n", j->f) < 0)
		err = EIO;

	if (fclose(j->f))
		err = EIO;
	j->f = NULL;

	return err;
}

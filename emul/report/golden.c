/* SPDX-License-Identifier: BSD-3-Clause */
/* Golden ladders: a scenario's ladder without its times, compared with
 * DIR/<scenario>.ladder, so that any change in a flow shows as a unified
 * diff in CI; --update-golden writes them anew.  The engine's event loop
 * runs the nodes in a fixed order, so a ladder is stable from run to
 * run; a scenario whose ladder depends on wall time (expiry, refresh)
 * simply has no golden file. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <unistd.h>
#include <re.h>
#include "host.h"
#include "sipkit.h"
#include "report.h"


/* "   0.123  a -> b ..." without the time column. */
static int normalise(struct mbuf *out, const struct mbuf *ladder)
{
	const char *p = (const char *)ladder->buf;
	const char *end = p + ladder->end;
	int err = 0;

	while (p < end && !err) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		size_t n;

		if (!nl)
			nl = end;

		while (q < nl && (*q == ' ' || (*q >= '0' && *q <= '9') ||
				  *q == '.'))
			++q;
		n = (size_t)(nl - q);
		err = mbuf_write_mem(out, (const uint8_t *)q, n);
		err |= mbuf_write_u8(out, '\n');
		p = nl + 1;
	}

	return err;
}


static int golden_path(char *buf, size_t sz, const char *dir,
		       const char *scenario)
{
	char tmp[512], *base, *dot;

	str_ncpy(tmp, scenario, sizeof(tmp));
	base = basename(tmp);
	dot = strrchr(base, '.');
	if (dot)
		*dot = '\0';

	return re_snprintf(buf, sz, "%s/%s.ladder", dir, base) < 0 ?
		ENOMEM : 0;
}


static int write_file(const char *path, const struct mbuf *mb)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return errno;
	if (fwrite(mb->buf, 1, mb->end, f) != mb->end)
		err = EIO;
	if (fclose(f))
		err = EIO;

	return err;
}


/* 0 when equal or written; EPROTO with the diff in *diffp when not;
 * ENOENT when the scenario has no golden file. */
int golden_check(const char *dir, const char *scenario,
		 const struct mbuf *ladder, bool update, char **diffp)
{
	char path[600], tmpl[] = "/tmp/imsbed-ladder-XXXXXX", cmd[1400];
	struct mbuf *norm = mbuf_alloc(4096), *diff = NULL;
	char buf[4096];
	FILE *p;
	int fd, err;

	if (!norm)
		return ENOMEM;

	err = golden_path(path, sizeof(path), dir, scenario);
	err |= normalise(norm, ladder);
	if (err)
		goto out;

	if (update) {
		err = write_file(path, norm);
		goto out;
	}

	p = fopen(path, "r");
	if (!p) {
		err = ENOENT;
		goto out;
	}
	fclose(p);

	fd = mkstemp(tmpl);
	if (fd < 0) {
		err = errno;
		goto out;
	}
	close(fd);
	err = write_file(tmpl, norm);
	if (err)
		goto rm;

	/* diff(1) says it best; the paths are ours, no shell meta. */
	(void)re_snprintf(cmd, sizeof(cmd), "diff -u --label '%s' --label "
			  "'this run' '%s' '%s'", path, path, tmpl);
	p = popen(cmd, "r");
	if (!p) {
		err = errno;
		goto rm;
	}
	diff = mbuf_alloc(1024);
	while (diff && fgets(buf, sizeof(buf), p))
		(void)mbuf_write_str(diff, buf);
	err = pclose(p) ? EPROTO : 0;
	if (err && diff && diffp) {
		diff->pos = 0;
		(void)mbuf_strdup(diff, diffp, diff->end);
	}

 rm:
	(void)remove(tmpl);
 out:
	mem_deref(diff);
	mem_deref(norm);
	return err;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Diameter messages on the dictionary: made by command name, AVPs
 * added and read as text by name, to and from the bytes of the wire
 * (RFC 6733 3 and 4).  freeDiameter owns the message; a struct diam is
 * the mem object that frees it. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>
#include <re.h>
#include "diam.h"
#include "diamint.h"


static void destructor(void *arg)
{
	struct diam *d = arg;

	if (d->m)
		(void)fd_msg_free(d->m);
}


int diam_wrap(struct diam **dp, struct msg *m)
{
	struct diam *d = mem_zalloc(sizeof(*d), destructor);

	if (!d) {
		(void)fd_msg_free(m);
		return ENOMEM;
	}

	d->m = m;
	*dp = d;

	return 0;
}


int diam_request(struct diam **dp, const char *command)
{
	struct dict_object *cmd = NULL;
	struct msg *m = NULL;

	if (!dp || !command || !diam_dict())
		return EINVAL;

	if (fd_dict_search(diam_dict(), DICT_COMMAND, CMD_BY_NAME, command,
			   &cmd, ENOENT))
		return ENOENT;

	if (fd_msg_new(cmd, MSGFL_ALLOC_ETEID, &m))
		return ENOMEM;

	return diam_wrap(dp, m);
}


static int avp_model(const char *name, struct dict_object **mp,
		     struct dict_avp_data *data)
{
	if (fd_dict_search(diam_dict(), DICT_AVP, AVP_BY_NAME_ALL_VENDORS,
			   name, mp, ENOENT))
		return ENOENT;

	return fd_dict_getval(*mp, data) ? EINVAL : 0;
}


static int avp_make(struct avp **ap, const char *name, const char *value)
{
	struct dict_object *model;
	struct dict_avp_data data;
	union avp_value v;
	char *end = NULL;
	int err;

	err = avp_model(name, &model, &data);
	if (err)
		return err;

	if (fd_msg_avp_new(model, 0, ap))
		return ENOMEM;
	if (data.avp_basetype == AVP_TYPE_GROUPED)
		return 0;
	if (!value)
		goto bad;

	memset(&v, 0, sizeof(v));
	switch (data.avp_basetype) {

	case AVP_TYPE_OCTETSTRING:
		v.os.data = (uint8_t *)value;
		v.os.len = strlen(value);
		break;

	case AVP_TYPE_INTEGER32:
		v.i32 = (int32_t)strtol(value, &end, 10);
		break;

	case AVP_TYPE_UNSIGNED32:
		v.u32 = (uint32_t)strtoul(value, &end, 10);
		break;

	case AVP_TYPE_UNSIGNED64:
		v.u64 = strtoull(value, &end, 10);
		break;

	default:
		goto bad;
	}

	if ((end && (end == value || *end)) || fd_msg_avp_setvalue(*ap, &v))
		goto bad;

	return 0;

 bad:
	(void)fd_msg_free(*ap);
	*ap = NULL;
	return EINVAL;
}


int diam_add(struct diam *d, const char *avp, const char *value)
{
	struct avp *a = NULL;
	int err;

	if (!d || !avp)
		return EINVAL;

	err = avp_make(&a, avp, value);
	if (err)
		return err;

	return fd_msg_avp_add(d->m, MSG_BRW_LAST_CHILD, a) ? ENOMEM : 0;
}


int diam_add_group(struct diam *d, const char *avp, ...)
{
	struct avp *g = NULL, *c;
	const char *name;
	va_list ap;
	int err;

	if (!d || !avp)
		return EINVAL;

	err = avp_make(&g, avp, NULL);
	if (err)
		return err;

	va_start(ap, avp);
	while (!err && (name = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);

		c = NULL;
		err = avp_make(&c, name, value);
		if (!err && fd_msg_avp_add(g, MSG_BRW_LAST_CHILD, c))
			err = ENOMEM;
	}
	va_end(ap);

	if (!err && fd_msg_avp_add(d->m, MSG_BRW_LAST_CHILD, g))
		err = ENOMEM;
	if (err)
		(void)fd_msg_free(g);

	return err;
}


int diam_encode(const struct diam *d, struct mbuf **mbp)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	struct mbuf *mb;
	int err;

	if (!d || !mbp)
		return EINVAL;

	if (fd_msg_bufferize(d->m, &buf, &len))
		return EPROTO;

	mb = mbuf_alloc(len);
	err = mb ? mbuf_write_mem(mb, buf, len) : ENOMEM;
	free(buf);
	if (err) {
		mem_deref(mb);
		return err;
	}

	mb->pos = 0;
	*mbp = mb;

	return 0;
}

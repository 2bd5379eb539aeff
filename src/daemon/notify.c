/* SPDX-License-Identifier: MIT */
/*
 * notify.c - the systemd notify protocol (sd_notify(3)) without
 * libsystemd: one AF_UNIX datagram to $NOTIFY_SOCKET, a path or, with a
 * leading '@', an abstract name whose length is exactly what it spells.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "daemon/rtcached.h"

/**
 * notify_send - send @state ("READY=1", ...) to the service manager.
 *
 * Return: 1 when sent, 0 when NOTIFY_SOCKET is unset, -errno otherwise
 * (callers log and go on, as sd_notify(3) suggests).
 */
int
notify_send(const char *state)
{
	struct sockaddr_un sun;
	const char *path = getenv("NOTIFY_SOCKET");
	size_t plen;
	socklen_t slen;
	ssize_t n;
	int fd, rv;

	if (path == NULL || *path == '\0')
		return 0;
	plen = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || plen >= sizeof(sun.sun_path))
		return -EINVAL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, plen);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen +
	    (path[0] == '/'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, slen);
	rv = n < 0 ? -errno : 1;
	close(fd);
	return rv;
}

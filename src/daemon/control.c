/* SPDX-License-Identifier: MIT */
/*
 * control.c - the control socket's file: a SOCK_SEQPACKET AF_UNIX socket,
 * mode 0660, whose group decides who may change state.  An existing
 * socket file is probed first, as OpenBGPD's control_check() does: a
 * daemon that answers keeps it ("already running"); a refused connection
 * means a dead daemon left it, and it is replaced.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "daemon/rtcached.h"

static int
control_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

/**
 * control_check_live - is a daemon answering on @path?
 *
 * Return: 1 live, 0 no socket or a stale one (connection refused), or
 * -errno when it cannot be told (permission, not a socket, ...).
 */
int
control_check_live(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, rv;

	if ((rv = control_addr(&sun, path)) < 0)
		return rv;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		rv = 1;
	else if (errno == ECONNREFUSED || errno == ENOENT)
		rv = 0;
	else if (errno == EAGAIN)	/* a live daemon with a full backlog */
		rv = 1;
	else
		rv = -errno;
	close(fd);
	return rv;
}

static int
control_mkdir(struct control_sock *cs, const char *path)
{
	char buf[sizeof(cs->path)], *dir;

	strcpy(buf, path);
	dir = dirname(buf);
	if (mkdir(dir, 0755) == 0) {
		cs->created_dir = 1;
		return 0;
	}
	return errno == EEXIST ? 0 : -errno;
}

/**
 * control_open - bind and listen on @path (non-blocking, close-on-exec).
 *
 * Return: 0, -EADDRINUSE when a live daemon owns it, or -errno.
 * The error is left to the caller to log.
 */
int
control_open(struct control_sock *cs, const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	mode_t old;
	int fd, rv;

	memset(cs, 0, sizeof(*cs));
	cs->fd = -1;
	if ((rv = control_addr(&sun, path)) < 0)
		return rv;
	strcpy(cs->path, path);
	if ((rv = control_mkdir(cs, path)) < 0)
		return rv;
	if ((rv = control_check_live(path)) < 0)
		return rv;
	if (rv == 1)
		return -EADDRINUSE;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	old = umask(0117);
	rv = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rv < 0 || chmod(path, 0660) < 0 || listen(fd, 512) < 0 ||
	    stat(path, &st) < 0) {
		rv = -errno;
		close(fd);
		return rv;
	}
	cs->gid = st.st_gid;
	cs->fd = fd;
	return 0;
}

void
control_close(struct control_sock *cs)
{
	char buf[sizeof(cs->path)];

	if (cs->fd < 0)
		return;
	close(cs->fd);
	cs->fd = -1;
	unlink(cs->path);
	if (cs->created_dir) {
		strcpy(buf, cs->path);
		rmdir(dirname(buf));
	}
}

/*
 * gitcrq-filetrace DIR...
 *
 * Reports what happens to the files and directories under each DIR (recursively, new directories followed), with
 * the process that did it, through fanotify: one line per event on stdout,
 *
 *   PID|COOKIE|EVENTS|PATH
 *
 * where EVENTS and COOKIE are as inotifywait's --format '%c|%e|%w%f' writes them (CREATE, CLOSE_WRITE,CLOSE, DELETE,
 * MOVED_FROM and MOVED_TO sharing a cookie, ISDIR for a directory, Q_OVERFLOW when the kernel's queue overflowed) and
 * PATH has each control byte and backslash written \xHH (a file name may hold a line feed: it never makes a line), and
 * PID is the process that made the change (0 when not known: what was made in a new directory before it was
 * watched, found by walking it, is reported created with pid 0 — inotifywait misses it). Like inotifywait it says "Watches
 * established." on stderr once every directory is watched, so a reader knows every later change is reported.
 *
 * Needs CAP_SYS_ADMIN (the kernel names other processes' pids only to a privileged listener) and Linux 5.17 or later
 * (FAN_RENAME). Events come as the kernel queued them, read in batches; what was read is written out at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/statfs.h>
#include <unistd.h>

#define MASK (FAN_CREATE | FAN_CLOSE_WRITE | FAN_DELETE | FAN_RENAME | FAN_ONDIR | FAN_EVENT_ON_CHILD)

/* A watched directory: its handle (as the kernel reports it in events) and its path. */
struct dir {
	__kernel_fsid_t fsid;
	unsigned int type;
	unsigned int bytes;
	unsigned char handle[MAX_HANDLE_SZ];
	char *path;
};

static struct dir *dirs;
static size_t dir_count, dir_capacity;
/* Open addressing over dirs by handle: slot holds a dirs index + 1, 0 when free; at most half full. */
static size_t *slots;
static size_t slot_count;
static int fan;
static unsigned long cookie;

static size_t hash(const __kernel_fsid_t *fsid, unsigned int type, const unsigned char *handle, unsigned int bytes)
{
	size_t h = 14695981039346656037UL; /* FNV-1a */
	const unsigned char *f = (const unsigned char *)fsid;
	for (size_t i = 0; i < sizeof(*fsid); i++)
		h = (h ^ f[i]) * 1099511628211UL;
	h = (h ^ type) * 1099511628211UL;
	for (unsigned int i = 0; i < bytes; i++)
		h = (h ^ handle[i]) * 1099511628211UL;
	return h;
}

static int same(const struct dir *d, const __kernel_fsid_t *fsid, unsigned int type, const unsigned char *handle,
		unsigned int bytes)
{
	return memcmp(&d->fsid, fsid, sizeof(*fsid)) == 0 && d->type == type && d->bytes == bytes
			&& memcmp(d->handle, handle, bytes) == 0;
}

/* The slot of the directory with this handle, or the free slot where it would go. */
static size_t *slot(const __kernel_fsid_t *fsid, unsigned int type, const unsigned char *handle, unsigned int bytes)
{
	size_t i = hash(fsid, type, handle, bytes) & (slot_count - 1);
	while (slots[i] && !same(&dirs[slots[i] - 1], fsid, type, handle, bytes))
		i = (i + 1) & (slot_count - 1);
	return &slots[i];
}

static void *allocated(void *p)
{
	if (!p) {
		perror("gitcrq-filetrace");
		exit(1);
	}
	return p;
}

static void index_all(size_t count)
{
	free(slots);
	slot_count = count;
	slots = allocated(calloc(slot_count, sizeof(*slots)));
	for (size_t i = 0; i < dir_count; i++)
		*slot(&dirs[i].fsid, dirs[i].type, dirs[i].handle, dirs[i].bytes) = i + 1;
}

static struct dir *find(const __kernel_fsid_t *fsid, const struct file_handle *h)
{
	if (!slot_count)
		return NULL;
	size_t *s = slot(fsid, h->handle_type, h->f_handle, h->handle_bytes);
	return *s ? &dirs[*s - 1] : NULL;
}

/* Watches one directory; 0, or -1 when it is gone already (a race with its removal, not an error). */
static int watch(const char *path)
{
	struct {
		struct file_handle h;
		unsigned char bytes[MAX_HANDLE_SZ];
	} fh = {.h.handle_bytes = MAX_HANDLE_SZ};
	int mount_id;
	struct statfs fs;
	if (name_to_handle_at(AT_FDCWD, path, &fh.h, &mount_id, 0) != 0 || statfs(path, &fs) != 0)
		return -1;
	__kernel_fsid_t fsid;
	memcpy(&fsid, &fs.f_fsid, sizeof(fsid));
	if (fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_ONLYDIR, MASK, AT_FDCWD, path) != 0)
		return -1;
	struct dir *known = find(&fsid, &fh.h);
	if (known) { /* the same directory under a new path */
		free(known->path);
		known->path = allocated(strdup(path));
		return 0;
	}
	if (dir_count == dir_capacity) {
		dir_capacity = dir_capacity ? dir_capacity * 2 : 64;
		dirs = allocated(realloc(dirs, dir_capacity * sizeof(*dirs)));
	}
	struct dir *d = &dirs[dir_count++];
	d->fsid = fsid;
	d->type = fh.h.handle_type;
	d->bytes = fh.h.handle_bytes;
	memcpy(d->handle, fh.h.f_handle, fh.h.handle_bytes);
	d->path = allocated(strdup(path));
	if (dir_count * 2 > slot_count)
		index_all(slot_count ? slot_count * 2 : 128);
	else
		*slot(&d->fsid, d->type, d->handle, d->bytes) = dir_count;
	return 0;
}

/* A path as data, never as more lines: a control byte or a backslash as \xHH (a name may hold a line feed). */
static void escaped(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p < ' ' || *p == 0x7f || *p == '\\')
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
}

/* While a new directory's tree is walked: what was made in it before it was watched is reported as created. */
static int report_found;
/* Directories that could not be watched (not those removed meanwhile); at start, any is fatal. */
static int unwatched;

static int watch_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	if (type == FTW_D && watch(path) != 0 && errno != ENOENT) {
		fprintf(stderr, "cannot watch %s: %s\n", path, strerror(errno));
		unwatched++;
	}
	if (report_found && ftw->level > 0) {
		printf("0|0|%s|", type == FTW_D ? "CREATE,ISDIR" : "CREATE");
		escaped(path);
		putchar('\n');
	}
	return 0;
}

/* Watches a tree; must: at start (any failure is the caller's), else a directory that appeared while running. */
static int watch_tree(const char *root, int must)
{
	report_found = !must;
	unwatched = 0;
	if (nftw(root, watch_entry, 32, FTW_PHYS | FTW_MOUNT) != 0 && must) {
		fprintf(stderr, "cannot watch %s: %s\n", root, strerror(errno));
		return -1;
	}
	return must && unwatched ? -1 : 0;
}

/* A directory renamed inside the tree: every watched path under its old one moves with it. */
static void moved(const char *from, const char *to)
{
	size_t n = strlen(from);
	for (size_t i = 0; i < dir_count; i++) {
		const char *p = dirs[i].path;
		if (strncmp(p, from, n) == 0 && (p[n] == '\0' || p[n] == '/')) {
			char *renamed;
			if (asprintf(&renamed, "%s%s", to, p + n) < 0)
				continue;
			free(dirs[i].path);
			dirs[i].path = renamed;
		}
	}
}

static void line(int pid, unsigned long c, const char *events, const char *dir, const char *name)
{
	printf("%d|%lu|%s|", pid, c, events);
	escaped(dir);
	putchar('/');
	escaped(name);
	putchar('\n');
}

/* The directory and name an info record names, or NULL when the directory is not one of ours. */
static const char *entry(const struct fanotify_event_info_fid *info, const char **name)
{
	const struct file_handle *h = (const struct file_handle *)info->handle;
	*name = (const char *)h->f_handle + h->handle_bytes;
	struct dir *d = find(&info->fsid, h);
	return d ? d->path : NULL;
}

static void event(const struct fanotify_event_metadata *m)
{
	if (m->mask & FAN_Q_OVERFLOW) {
		printf("%d|0|Q_OVERFLOW|\n", m->pid);
		return;
	}
	const char *dir = NULL, *name = NULL, *old_dir = NULL, *old_name = NULL, *new_dir = NULL, *new_name = NULL;
	for (const char *p = (const char *)m + m->metadata_len; p < (const char *)m + m->event_len;) {
		const struct fanotify_event_info_fid *info = (const void *)p;
		if (info->hdr.len == 0)
			break;
		switch (info->hdr.info_type) {
		case FAN_EVENT_INFO_TYPE_DFID_NAME:
			dir = entry(info, &name);
			break;
		case FAN_EVENT_INFO_TYPE_OLD_DFID_NAME:
			old_dir = entry(info, &old_name);
			break;
		case FAN_EVENT_INFO_TYPE_NEW_DFID_NAME:
			new_dir = entry(info, &new_name);
			break;
		}
		p += info->hdr.len;
	}
	int is_dir = (m->mask & FAN_ONDIR) != 0;
	const char *suffix = is_dir ? ",ISDIR" : "";
	char events[32];
	if (m->mask & FAN_RENAME) {
		/* inotify's pair; one side alone when the other is outside the watched tree */
		unsigned long c = ++cookie;
		if (old_dir) {
			snprintf(events, sizeof(events), "MOVED_FROM%s", suffix);
			line(m->pid, c, events, old_dir, old_name);
		}
		if (new_dir) {
			snprintf(events, sizeof(events), "MOVED_TO%s", suffix);
			line(m->pid, c, events, new_dir, new_name);
		}
		if (is_dir && old_dir && new_dir) {
			char *from = NULL, *to = NULL;
			if (asprintf(&from, "%s/%s", old_dir, old_name) >= 0 && asprintf(&to, "%s/%s", new_dir, new_name) >= 0) {
				moved(from, to);
				free(to);
			}
			free(from);
		} else if (is_dir && new_dir) { /* moved in: its tree is ours to watch now */
			char *to;
			if (asprintf(&to, "%s/%s", new_dir, new_name) >= 0) {
				watch_tree(to, 0);
				free(to);
			}
		}
		return;
	}
	if (!dir)
		return; /* not under a watched directory (a mark the kernel still had) */
	/* a merged event: in the order its parts happened */
	if (m->mask & FAN_CREATE) {
		snprintf(events, sizeof(events), "CREATE%s", suffix);
		line(m->pid, 0, events, dir, name);
		if (is_dir) {
			char *path;
			if (asprintf(&path, "%s/%s", dir, name) >= 0) {
				watch_tree(path, 0);
				free(path);
			}
		}
	}
	if (m->mask & FAN_CLOSE_WRITE)
		line(m->pid, 0, "CLOSE_WRITE,CLOSE", dir, name);
	if (m->mask & FAN_DELETE) {
		snprintf(events, sizeof(events), "DELETE%s", suffix);
		line(m->pid, 0, events, dir, name);
	}
}

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR...\n", argv[0]);
		return 2;
	}
	static char out[1 << 16];
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: a signal ends the read */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	/* as many directories as the tree has (inotify's limit is a sysctl); the queue keeps the kernel's bound, and an
	 * overflow is reported */
	fan = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_UNLIMITED_MARKS,
			O_RDONLY | O_LARGEFILE);
	if (fan < 0) {
		if (errno == EPERM) /* unlimited marks, like pids, are a privileged listener's */
			fprintf(stderr, "cannot report other processes' pids: %s (CAP_SYS_ADMIN needed)\n", strerror(errno));
		else
			fprintf(stderr, "cannot start fanotify: %s\n", strerror(errno));
		return 1;
	}
	/* the kernel names other processes' pids only to a privileged listener: without, this would be inotify */
	if (fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE, AT_FDCWD, argv[1]) != 0) {
		if (errno == EPERM)
			fprintf(stderr, "cannot report other processes' pids: %s (CAP_SYS_ADMIN needed)\n", strerror(errno));
		else
			fprintf(stderr, "cannot watch %s with fanotify: %s\n", argv[1], strerror(errno));
		return 1;
	}
	fanotify_mark(fan, FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM, FAN_CREATE, AT_FDCWD, argv[1]);
	for (int i = 1; i < argc; i++) {
		char real[PATH_MAX];
		if (!realpath(argv[i], real)) {
			fprintf(stderr, "cannot watch %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (watch_tree(real, 1) != 0)
			return 1;
	}
	fputs("Watches established.\n", stderr);

	static char buf[1 << 16] __attribute__((aligned(8)));
	while (!stopping) {
		ssize_t n = read(fan, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "cannot read fanotify events: %s\n", strerror(errno));
			return 1;
		}
		for (struct fanotify_event_metadata *m = (void *)buf; FAN_EVENT_OK(m, n); m = FAN_EVENT_NEXT(m, n))
			event(m);
		if (fflush(stdout) != 0)
			return 1; /* the reader is gone */
	}
	return 0;
}

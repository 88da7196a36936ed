/*
 * gitcrq-proctrace CGROUP_DIR [INTERVAL_MS]
 *
 * Reports every successful exec and every process exit of the tasks in cgroup v2 directory CGROUP_DIR (and its
 * descendants) on stdout, one line each, in the order they happened:
 *
 *   ready                              once the programs are attached: every later exec and exit is reported
 *   exec PID PPID CUT PATH ARG...      CUT 1 when the arguments were longer than the kernel side keeps
 *   exit PID PPID STATUS               STATUS the wait status (exit code << 8 | signal)
 *   lost TOTAL                         records the ring buffer had no room for, in all so far
 *
 * PATH and each ARG are one field each: a byte outside '!'..'~', a backslash and a double quote are written \xHH,
 * an empty one "" — so no field holds a space or a line break and every byte comes back. The ring buffer is read
 * every INTERVAL_MS (default 50) rather than on every record. SIGTERM or SIGINT: what is buffered is read, then it
 * exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "proctrace.h"
#include "proctrace.skel.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int libbpf_messages(enum libbpf_print_level level, const char *format, va_list args)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, format, args);
}

static void field(const unsigned char *bytes, size_t n)
{
	if (n == 0) {
		fputs(" \"\"", stdout);
		return;
	}
	putchar(' ');
	for (size_t i = 0; i < n; i++) {
		unsigned char b = bytes[i];
		if (b > ' ' && b < 0x7f && b != '\\' && b != '"')
			putchar(b);
		else
			printf("\\x%02x", b);
	}
}

static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	const struct proctrace_header *h = data;
	if (size < sizeof(*h))
		return 0;
	if (h->kind == PROCTRACE_EXIT) {
		printf("exit %u %u %u\n", h->pid, h->ppid, h->status);
		return 0;
	}
	if (h->kind != PROCTRACE_EXEC || sizeof(*h) + h->path_len + h->args_len > size)
		return 0;
	const unsigned char *path = (const unsigned char *)data + sizeof(*h);
	const unsigned char *args = path + h->path_len;
	printf("exec %u %u %u", h->pid, h->ppid, h->status);
	field(path, h->path_len);
	size_t at = 0;
	while (at < h->args_len) {
		const unsigned char *end = memchr(args + at, '\0', h->args_len - at);
		size_t n = end ? (size_t)(end - (args + at)) : h->args_len - at;
		field(args + at, n);
		at += n + 1;
	}
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s CGROUP_DIR [INTERVAL_MS]\n", argv[0]);
		return 2;
	}
	long interval_ms = argc == 3 ? strtol(argv[2], NULL, 10) : 50;
	if (interval_ms < 1 || interval_ms > 10000) {
		fprintf(stderr, "INTERVAL_MS must be 1..10000\n");
		return 2;
	}
	static char out[1 << 16];
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	libbpf_set_print(libbpf_messages);
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	int cgroup = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgroup < 0) {
		fprintf(stderr, "cannot open cgroup %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	struct proctrace_bpf *skel = proctrace_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "cannot load the eBPF programs: %s\n", strerror(errno));
		return 1;
	}
	int status = 1;
	struct ring_buffer *rb = NULL;
	__u32 key = 0;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.cgroups), &key, &cgroup, BPF_ANY)) {
		fprintf(stderr, "cannot watch cgroup %s: %s\n", argv[1], strerror(errno));
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "cannot read the ring buffer: %s\n", strerror(errno));
		goto out;
	}
	if (proctrace_bpf__attach(skel)) {
		fprintf(stderr, "cannot attach the eBPF programs: %s\n", strerror(errno));
		goto out;
	}
	puts("ready");
	fflush(stdout);

	__u64 lost = 0;
	struct timespec pause = {.tv_sec = interval_ms / 1000, .tv_nsec = interval_ms % 1000 * 1000000L};
	for (;;) {
		int last = stopping;
		if (ring_buffer__consume(rb) < 0) {
			fprintf(stderr, "cannot read the ring buffer: %s\n", strerror(errno));
			goto out;
		}
		__u64 now_lost = __atomic_load_n(&skel->bss->lost, __ATOMIC_RELAXED);
		if (now_lost != lost) {
			lost = now_lost;
			printf("lost %llu\n", (unsigned long long)lost);
		}
		if (fflush(stdout) != 0)
			goto out; /* the reader is gone */
		if (last)
			break;
		nanosleep(&pause, NULL);
	}
	status = 0;
out:
	ring_buffer__free(rb);
	proctrace_bpf__destroy(skel);
	close(cgroup);
	return status;
}

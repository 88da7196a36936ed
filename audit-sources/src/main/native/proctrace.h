/* What gitcrq-proctrace's kernel side hands its user side through the ring buffer. */
#ifndef GITCRQ_PROCTRACE_H
#define GITCRQ_PROCTRACE_H

#define PROCTRACE_EXEC 1
#define PROCTRACE_EXIT 2

/* Bytes kept of a program's path and of its argument area (argv's strings, each ending in NUL). */
#define PROCTRACE_PATH_MAX 4096
#define PROCTRACE_ARGS_MAX 16384

/* An exit is a header alone; an exec is a header, then path_len bytes of path, then args_len bytes of arguments. */
struct proctrace_header {
	__u32 kind;
	__u32 pid;
	__u32 ppid;
	/* exit: the kernel's wait status (code << 8 | signal); exec: 1 when the argument area was cut */
	__u32 status;
	__u32 path_len;
	__u32 args_len;
};

struct proctrace_exec {
	struct proctrace_header header;
	char data[PROCTRACE_PATH_MAX + PROCTRACE_ARGS_MAX];
};

#endif

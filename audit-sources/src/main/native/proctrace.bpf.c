// SPDX-License-Identifier: GPL-2.0-only
/*
 * gitcrq-proctrace's kernel side: every successful exec (path and argument area) and every process exit (wait
 * status) of the tasks in one cgroup (and its descendants), into one ring buffer in the order they happened.
 * Records are submitted without waking the reader, which reads in batches on a timer: a wakeup per event is what
 * cost a workload of short processes most (docs/benchmarks.md, P5).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "proctrace.h"

/* Only the fields read, relocated against the running kernel's BTF (CO-RE): no vmlinux.h needed to build. */
struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
} __attribute__((preserve_access_index));

struct task_struct {
	int exit_code;
	int pid;
	int tgid;
	struct task_struct *real_parent;
	struct mm_struct *mm;
} __attribute__((preserve_access_index));

struct trace_event_raw_sched_process_exec {
	__u64 ent; /* struct trace_entry: 8 bytes */
	__u32 __data_loc_filename;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);
} events SEC(".maps");

/* An exec record is too large for the BPF stack: it is built here, then copied into the ring buffer. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct proctrace_exec);
} scratch SEC(".maps");

/* Records the ring buffer had no room for; the user side reports the total. */
__u64 lost = 0;

static __always_inline void submit(void *record, __u64 size)
{
	if (bpf_ringbuf_output(&events, record, size, BPF_RB_NO_WAKEUP))
		__sync_fetch_and_add(&lost, 1);
}

SEC("tracepoint/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	if (!bpf_current_task_under_cgroup(&cgroups, 0))
		return 0;
	__u32 zero = 0;
	struct proctrace_exec *e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	e->header.kind = PROCTRACE_EXEC;
	e->header.pid = bpf_get_current_pid_tgid() >> 32;
	e->header.ppid = BPF_CORE_READ(task, real_parent, tgid);

	unsigned int offset = BPF_CORE_READ(ctx, __data_loc_filename) & 0xFFFF;
	long n = bpf_probe_read_kernel_str(e->data, PROCTRACE_PATH_MAX, (void *)ctx + offset);
	__u32 path_len = n > 0 ? (n - 1) & (PROCTRACE_PATH_MAX - 1) : 0; /* without its NUL; at most PATH_MAX - 1 */

	/* the new program's argv strings, as its stack holds them (so what it was really given) */
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	__u32 args_len = end > start && end - start < PROCTRACE_ARGS_MAX ? end - start : PROCTRACE_ARGS_MAX;
	e->header.status = end > start && end - start > PROCTRACE_ARGS_MAX;
	if (end <= start || bpf_probe_read_user(e->data + path_len, args_len, (void *)start))
		args_len = 0;
	e->header.path_len = path_len;
	e->header.args_len = args_len;
	submit(e, sizeof(e->header) + path_len + args_len);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int on_exit(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((__u32)pid_tgid != pid_tgid >> 32) /* a thread ending, not its process */
		return 0;
	if (!bpf_current_task_under_cgroup(&cgroups, 0))
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct proctrace_header h = {};
	h.kind = PROCTRACE_EXIT;
	h.pid = pid_tgid >> 32;
	h.ppid = BPF_CORE_READ(task, real_parent, tgid);
	h.status = BPF_CORE_READ(task, exit_code);
	submit(&h, sizeof(h));
	return 0;
}

/* the kernel lets only programs under a GPL-compatible licence call the helpers used here */
char LICENSE[] SEC("license") = "GPL";

/*
 * nfq_delay: the delay half of `tc netem` for kernels built without sch_netem (this CI's is).
 *
 * Every packet the host's netfilter rules send to queue QUEUE (iptables -j NFQUEUE) is held for
 * MEAN ± JITTER ms (uniform), then accepted and goes on its way; packets leave in due-time
 * order, so jitter reorders them as netem's does. Loss is not this program's: netns.sh drops with
 * the kernel's statistic match. Runs in one network namespace (netns.sh netem starts it there),
 * single-threaded; SIGTERM/SIGINT accept what is still held and exit, printing counts.
 *
 * Usage: nfq_delay QUEUE MEAN_MS JITTER_MS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

struct held {
    uint64_t due_ns;
    uint32_t id;
};

/* A binary min-heap of held packets by due time. */
static struct held *heap;
static size_t heap_size, heap_capacity;

static uint64_t mean_ns, jitter_ns;
static uint64_t queued, accepted, overflows;
static volatile sig_atomic_t stopping;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void push(struct held item) {
    if (heap_size == heap_capacity) {
        heap_capacity = heap_capacity ? heap_capacity * 2 : 4096;
        heap = realloc(heap, heap_capacity * sizeof *heap);
        if (!heap) { perror("nfq_delay: realloc"); exit(1); }
    }
    size_t i = heap_size++;
    while (i > 0 && heap[(i - 1) / 2].due_ns > item.due_ns) {
        heap[i] = heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    heap[i] = item;
}

static struct held pop(void) {
    struct held top = heap[0], last = heap[--heap_size];
    size_t i = 0;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= heap_size) break;
        if (child + 1 < heap_size && heap[child + 1].due_ns < heap[child].due_ns) child++;
        if (heap[child].due_ns >= last.due_ns) break;
        heap[i] = heap[child];
        i = child;
    }
    if (heap_size > 0) heap[i] = last;
    return top;
}

static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *message, struct nfq_data *packet, void *context) {
    (void)queue; (void)message; (void)context;
    struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(packet);
    if (!header) return 0;
    uint64_t delay = mean_ns;
    if (jitter_ns > 0) delay = mean_ns - jitter_ns + (uint64_t)((double)random() / RAND_MAX * 2.0 * (double)jitter_ns);
    push((struct held){ .due_ns = now_ns() + delay, .id = ntohl(header->packet_id) });
    queued++;
    return 0;
}

static void release_due(struct nfq_q_handle *queue, uint64_t until) {
    while (heap_size > 0 && heap[0].due_ns <= until) {
        struct held item = pop();
        nfq_set_verdict(queue, item.id, NF_ACCEPT, 0, NULL);
        accepted++;
    }
}

static void on_signal(int signal) { (void)signal; stopping = 1; }

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: nfq_delay QUEUE MEAN_MS JITTER_MS\n");
        return 2;
    }
    int queue_number = atoi(argv[1]);
    long mean = atol(argv[2]), jitter = atol(argv[3]);
    if (queue_number < 0 || queue_number > 65535 || mean < 0 || jitter < 0 || jitter > mean) {
        fprintf(stderr, "nfq_delay: QUEUE in 0...65535, MEAN_MS >= 0 and 0 <= JITTER_MS <= MEAN_MS\n");
        return 2;
    }
    mean_ns = (uint64_t)mean * 1000000u;
    jitter_ns = (uint64_t)jitter * 1000000u;
    srandom((unsigned)now_ns());

    struct nfq_handle *handle = nfq_open();
    if (!handle) { perror("nfq_delay: nfq_open (root and nfnetlink_queue needed)"); return 1; }
    struct nfq_q_handle *queue = nfq_create_queue(handle, (uint16_t)queue_number, on_packet, NULL);
    if (!queue) { perror("nfq_delay: nfq_create_queue (is another process bound to this queue?)"); return 1; }
    /* Only the metadata: the verdict needs the id, not the bytes. */
    if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0) { perror("nfq_delay: nfq_set_mode"); return 1; }
    if (nfq_set_queue_maxlen(queue, 1 << 20) < 0) { perror("nfq_delay: nfq_set_queue_maxlen"); return 1; }
    /* Whole GSO packets, as netem on a veth sees them, instead of segmenting each in the kernel. */
    nfq_set_queue_flags(queue, NFQA_CFG_F_GSO, NFQA_CFG_F_GSO);
    nfnl_rcvbufsiz(nfq_nfnlh(handle), 64u << 20);

    struct sigaction action = { .sa_handler = on_signal };
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    /* A parent may have blocked them (the mask survives exec), and then SIGTERM would wait forever. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);

    int fd = nfq_fd(handle);
    static char buffer[1 << 16] __attribute__((aligned));
    fprintf(stderr, "nfq_delay: queue %d, delay %ld ± %ld ms\n", queue_number, mean, jitter);
    while (!stopping) {
        uint64_t now = now_ns();
        release_due(queue, now);
        struct timespec wait = { .tv_sec = 1, .tv_nsec = 0 };
        if (heap_size > 0) {
            uint64_t left = heap[0].due_ns > now ? heap[0].due_ns - now : 0;
            wait.tv_sec = (time_t)(left / 1000000000u);
            wait.tv_nsec = (long)(left % 1000000000u);
        }
        struct pollfd readable = { .fd = fd, .events = POLLIN };
        int ready = ppoll(&readable, 1, &wait, NULL);
        if (ready < 0) {
            if (errno == EINTR) continue;
            perror("nfq_delay: ppoll");
            break;
        }
        if (ready == 0) continue;
        for (;;) {
            ssize_t length = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (length < 0) {
                /* ENOBUFS: the socket overflowed and the kernel dropped packets (counted as loss). */
                if (errno == ENOBUFS) { overflows++; continue; }
                break;
            }
            nfq_handle_packet(handle, buffer, (int)length);
        }
    }
    release_due(queue, UINT64_MAX);
    fprintf(stderr, "nfq_delay: %llu packets delayed, %llu accepted, %llu socket overflows\n",
            (unsigned long long)queued, (unsigned long long)accepted, (unsigned long long)overflows);
    nfq_destroy_queue(queue);
    nfq_close(handle);
    return 0;
}

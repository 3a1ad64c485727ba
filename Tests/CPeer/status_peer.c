/*
 * sluice-status-peer: a non-Swift client of the Sluice control plane.
 *
 * It exists to prove that proto/sluice/v1/control.proto is a language-neutral
 * contract: this program is written in C against the protobuf-c code generated
 * from that file (Tests/CPeer/generated) and OpenSSL, and shares no code with
 * the Swift implementation. It connects to a JobManager, performs the mutual
 * HMAC-SHA256 handshake as a STATUS_CLIENT, asks for the cluster status and
 * prints it as one JSON object on stdout.
 *
 * Usage:
 *   SLUICE_CLUSTER_SECRET=... sluice-status-peer --address HOST:PORT \
 *       --cluster-id ID [--timeout-ms N]
 *
 * Exit codes:
 *   0  success, the status JSON was printed
 *   1  usage error, I/O error, timeout, malformed or unexpected message
 *   2  the server rejected the handshake (HandshakeReject)
 *   3  the server failed to prove it knows the cluster secret
 *
 * Wire format (see the header of control.proto): every frame is a 4-byte
 * big-endian unsigned length followed by one serialized Envelope.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sluice/v1/control.pb-c.h"

#define PROGRAM_NAME "sluice-status-peer"
#define PROTOCOL_VERSION 1u
#define NONCE_BYTES 32u
#define PROOF_BYTES 32u /* SHA-256 output */
#define MAX_FRAME_BYTES (16u * 1024u * 1024u)
#define DEFAULT_TIMEOUT_MS 5000
#define PEER_NAME "c-status-peer"
#define SECRET_ENV "SLUICE_CLUSTER_SECRET"

enum exit_code {
    EXIT_OK = 0,
    EXIT_FAILURE_GENERIC = 1,
    EXIT_REJECTED = 2,
    EXIT_SERVER_AUTH_FAILED = 3,
};

/* ------------------------------------------------------------------ errors */

static void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void errorf(const char *fmt, ...)
{
    va_list ap;
    fputs(PROGRAM_NAME ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM_NAME " --address HOST:PORT --cluster-id ID [--timeout-ms N]\n"
            "\n"
            "Connects to a Sluice JobManager, authenticates with the cluster secret from\n"
            "the environment variable " SECRET_ENV " and prints the cluster status as JSON.\n"
            "--timeout-ms bounds connecting and each frame read/write (default %d).\n"
            "Exit codes: 0 ok, 1 error, 2 handshake rejected, 3 server failed authentication.\n",
            DEFAULT_TIMEOUT_MS);
}

/* ------------------------------------------------------------------ time */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline, clamped to [0, INT_MAX] for poll(). */
static int remaining_ms(int64_t deadline)
{
    int64_t left = deadline - now_ms();
    if (left <= 0)
        return 0;
    if (left > INT_MAX)
        return INT_MAX;
    return (int)left;
}

/*
 * Waits until fd is ready for `events` or the deadline passes.
 * Returns 1 when ready, 0 on timeout, -1 on error (errno set).
 */
static int wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        int left = remaining_ms(deadline);
        if (left == 0)
            return 0;
        struct pollfd pfd = { .fd = fd, .events = events, .revents = 0 };
        int rc = poll(&pfd, 1, left);
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (rc == 0)
            continue; /* re-check the deadline; poll may wake a little early */
        return 1;     /* readable/writable, or POLLERR/POLLHUP: the next call reports it */
    }
}

/* ------------------------------------------------------------------ socket I/O */

static bool set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0)
        return false;
    if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return false;
    int fdflags = fcntl(fd, F_GETFD, 0);
    if (fdflags >= 0)
        (void)fcntl(fd, F_SETFD, fdflags | FD_CLOEXEC);
    return true;
}

/*
 * Splits HOST:PORT (or [IPv6]:PORT) into host and port strings.
 * Writes into caller buffers; returns false on a malformed address.
 */
static bool split_address(const char *address, char *host, size_t host_size, char *port,
                          size_t port_size)
{
    const char *host_start;
    size_t host_len;
    const char *port_str;

    if (address[0] == '[') {
        const char *close = strchr(address, ']');
        if (close == NULL || close[1] != ':')
            return false;
        host_start = address + 1;
        host_len = (size_t)(close - host_start);
        port_str = close + 2;
    } else {
        const char *colon = strrchr(address, ':');
        if (colon == NULL)
            return false;
        host_start = address;
        host_len = (size_t)(colon - address);
        port_str = colon + 1;
    }
    if (host_len == 0 || host_len >= host_size)
        return false;

    char *end = NULL;
    errno = 0;
    long port_num = strtol(port_str, &end, 10);
    if (errno != 0 || end == port_str || *end != '\0' || port_num < 1 || port_num > 65535)
        return false;

    memcpy(host, host_start, host_len);
    host[host_len] = '\0';
    snprintf(port, port_size, "%ld", port_num);
    return true;
}

/* Connects to address within timeout_ms. Returns the (non-blocking) socket or -1. */
static int connect_to(const char *address, int timeout_ms)
{
    char host[256];
    char port[8];
    if (!split_address(address, host, sizeof host, port, sizeof port)) {
        errorf("invalid --address '%s' (expected HOST:PORT or [IPv6]:PORT, port 1-65535)",
               address);
        return -1;
    }

    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = AI_NUMERICSERV;

    struct addrinfo *results = NULL;
    int gai = getaddrinfo(host, port, &hints, &results);
    if (gai != 0) {
        errorf("cannot resolve '%s': %s", host, gai_strerror(gai));
        return -1;
    }

    int64_t deadline = now_ms() + timeout_ms;
    int fd = -1;
    int last_errno = 0;
    bool timed_out = false;

    for (struct addrinfo *ai = results; ai != NULL && fd < 0; ai = ai->ai_next) {
        int s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (s < 0) {
            last_errno = errno;
            continue;
        }
        if (!set_nonblocking(s)) {
            last_errno = errno;
            close(s);
            continue;
        }
        int rc = connect(s, ai->ai_addr, ai->ai_addrlen);
        if (rc < 0 && errno != EINPROGRESS && errno != EINTR) {
            last_errno = errno;
            close(s);
            continue;
        }
        if (rc < 0) {
            /* In progress (EINTR on a non-blocking connect also continues asynchronously). */
            int ready = wait_fd(s, POLLOUT, deadline);
            if (ready <= 0) {
                if (ready == 0)
                    timed_out = true;
                else
                    last_errno = errno;
                close(s);
                if (ready == 0)
                    break; /* the connect budget is spent */
                continue;
            }
            int so_error = 0;
            socklen_t len = sizeof so_error;
            if (getsockopt(s, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
                so_error = errno;
            if (so_error != 0) {
                last_errno = so_error;
                close(s);
                continue;
            }
        }
        fd = s;
    }
    freeaddrinfo(results);

    if (fd < 0) {
        if (timed_out)
            errorf("timed out after %d ms connecting to %s", timeout_ms, address);
        else
            errorf("cannot connect to %s: %s", address,
                   last_errno ? strerror(last_errno) : "no usable address");
        return -1;
    }

    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Writes all len bytes before the deadline. Returns false (after reporting) on failure. */
static bool write_all(int fd, const uint8_t *buf, size_t len, int64_t deadline, int timeout_ms,
                      const char *what)
{
    int flags = 0;
#ifdef MSG_NOSIGNAL
    flags |= MSG_NOSIGNAL;
#endif
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(fd, buf + done, len - done, flags);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int ready = wait_fd(fd, POLLOUT, deadline);
            if (ready == 0) {
                errorf("timed out after %d ms sending %s", timeout_ms, what);
                return false;
            }
            if (ready < 0) {
                errorf("poll failed while sending %s: %s", what, strerror(errno));
                return false;
            }
            continue;
        }
        errorf("cannot send %s: %s", what, n < 0 ? strerror(errno) : "send returned 0");
        return false;
    }
    return true;
}

/* Reads exactly len bytes before the deadline. Returns false (after reporting) on failure. */
static bool read_exact(int fd, uint8_t *buf, size_t len, int64_t deadline, int timeout_ms,
                       const char *what)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = recv(fd, buf + done, len - done, 0);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n == 0) {
            errorf("connection closed by the server while waiting for %s", what);
            return false;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int ready = wait_fd(fd, POLLIN, deadline);
            if (ready == 0) {
                errorf("timed out after %d ms waiting for %s", timeout_ms, what);
                return false;
            }
            if (ready < 0) {
                errorf("poll failed while waiting for %s: %s", what, strerror(errno));
                return false;
            }
            continue;
        }
        errorf("cannot read %s: %s", what, strerror(errno));
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ framing */

static bool send_envelope(int fd, const Sluice__V1__Envelope *env, int timeout_ms,
                          const char *what)
{
    size_t size = sluice__v1__envelope__get_packed_size(env);
    if (size > MAX_FRAME_BYTES) {
        errorf("refusing to send %s: %zu bytes exceeds the %u-byte frame limit", what, size,
               MAX_FRAME_BYTES);
        return false;
    }
    uint8_t *frame = malloc(4 + size);
    if (frame == NULL) {
        errorf("out of memory");
        return false;
    }
    frame[0] = (uint8_t)(size >> 24);
    frame[1] = (uint8_t)(size >> 16);
    frame[2] = (uint8_t)(size >> 8);
    frame[3] = (uint8_t)size;
    size_t packed = sluice__v1__envelope__pack(env, frame + 4);
    bool ok;
    if (packed != size) {
        errorf("internal error: packed %zu bytes, expected %zu", packed, size);
        ok = false;
    } else {
        ok = write_all(fd, frame, 4 + size, now_ms() + timeout_ms, timeout_ms, what);
    }
    free(frame);
    return ok;
}

/*
 * Reads one frame and decodes it. Returns NULL (after reporting) on failure;
 * the caller frees the result with sluice__v1__envelope__free_unpacked.
 */
static Sluice__V1__Envelope *receive_envelope(int fd, int timeout_ms, const char *what)
{
    int64_t deadline = now_ms() + timeout_ms;
    uint8_t header[4];
    if (!read_exact(fd, header, sizeof header, deadline, timeout_ms, what))
        return NULL;
    uint32_t size = ((uint32_t)header[0] << 24) | ((uint32_t)header[1] << 16) |
                    ((uint32_t)header[2] << 8) | (uint32_t)header[3];
    if (size > MAX_FRAME_BYTES) {
        errorf("frame of %" PRIu32 " bytes exceeds the %u-byte limit (waiting for %s)", size,
               MAX_FRAME_BYTES, what);
        return NULL;
    }
    uint8_t *body = malloc(size > 0 ? size : 1);
    if (body == NULL) {
        errorf("out of memory");
        return NULL;
    }
    Sluice__V1__Envelope *env = NULL;
    if (read_exact(fd, body, size, deadline, timeout_ms, what)) {
        env = sluice__v1__envelope__unpack(NULL, size, body);
        if (env == NULL)
            errorf("received %" PRIu32 "-byte frame that does not decode as an Envelope "
                   "(waiting for %s)",
                   size, what);
    }
    free(body);
    return env;
}

/* The proto name of the envelope's body ("handshake_accept", ...) for error messages. */
static const char *body_name(const Sluice__V1__Envelope *env)
{
    if (env->body_case == SLUICE__V1__ENVELOPE__BODY__NOT_SET)
        return "an empty envelope";
    const ProtobufCFieldDescriptor *field =
        protobuf_c_message_descriptor_get_field(&sluice__v1__envelope__descriptor,
                                                (unsigned)env->body_case);
    return field != NULL ? field->name : "an unknown message";
}

static void report_unexpected(const Sluice__V1__Envelope *env, const char *what)
{
    if (env->body_case == SLUICE__V1__ENVELOPE__BODY_DISCONNECT && env->disconnect != NULL)
        errorf("server disconnected while waiting for %s: %s", what,
               env->disconnect->reason ? env->disconnect->reason : "");
    else
        errorf("unexpected message %s while waiting for %s", body_name(env), what);
}

static int report_reject(const Sluice__V1__HandshakeReject *reject)
{
    const ProtobufCEnumValue *value = protobuf_c_enum_descriptor_get_value(
        &sluice__v1__reject_reason__descriptor, (int)reject->reason);
    const char *message = reject->message ? reject->message : "";
    if (value != NULL)
        fprintf(stderr, "rejected: %s: %s\n", value->name, message);
    else
        fprintf(stderr, "rejected: REJECT_REASON_%d: %s\n", (int)reject->reason, message);
    return EXIT_REJECTED;
}

/* ------------------------------------------------------------------ crypto */

/* out = HMAC-SHA256(secret, label || a || b || cluster_id). */
static bool compute_proof(const char *secret, const char *label, const uint8_t *a, size_t a_len,
                          const uint8_t *b, size_t b_len, const char *cluster_id,
                          uint8_t out[PROOF_BYTES])
{
    size_t label_len = strlen(label);
    size_t id_len = strlen(cluster_id);
    size_t secret_len = strlen(secret);
    if (secret_len > INT_MAX) {
        errorf("cluster secret is too long");
        return false;
    }
    size_t total = label_len + a_len + b_len + id_len;
    uint8_t *data = malloc(total > 0 ? total : 1);
    if (data == NULL) {
        errorf("out of memory");
        return false;
    }
    size_t off = 0;
    memcpy(data + off, label, label_len);
    off += label_len;
    memcpy(data + off, a, a_len);
    off += a_len;
    memcpy(data + off, b, b_len);
    off += b_len;
    memcpy(data + off, cluster_id, id_len);
    off += id_len;

    unsigned int out_len = 0;
    unsigned char *result =
        HMAC(EVP_sha256(), secret, (int)secret_len, data, off, out, &out_len);
    OPENSSL_cleanse(data, total > 0 ? total : 1);
    free(data);
    if (result == NULL || out_len != PROOF_BYTES) {
        errorf("HMAC-SHA256 computation failed");
        return false;
    }
    return true;
}

/* ------------------------------------------------------------------ JSON */

/* Length of a valid UTF-8 sequence at s (n bytes available), or 0 if invalid. */
static size_t utf8_sequence_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Writes s as a JSON string literal; invalid UTF-8 bytes become U+FFFD. */
static void json_string(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    fputc('"', out);
    while (n > 0) {
        unsigned char c = *p;
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x20) {
                fprintf(out, "\\u%04x", (unsigned)c);
            } else if (c >= 0x80) {
                size_t len = utf8_sequence_length(p, n);
                if (len == 0) {
                    fputs("\\ufffd", out);
                } else {
                    fwrite(p, 1, len, out);
                    p += len;
                    n -= len;
                    continue;
                }
            } else {
                fputc(c, out);
            }
        }
        p++;
        n--;
    }
    fputc('"', out);
}

static void print_status_json(FILE *out, const Sluice__V1__ClusterStatus *st)
{
    fputs("{\"version\":", out);
    json_string(out, st->version);
    fputs(",\"cluster_id\":", out);
    json_string(out, st->cluster_id);
    fprintf(out, ",\"slots_total\":%" PRIu32 ",\"slots_available\":%" PRIu32
                 ",\"jobs_running\":%" PRIu32 ",\"task_managers\":[",
            st->slots_total, st->slots_available, st->jobs_running);
    for (size_t i = 0; i < st->n_task_managers; i++) {
        const Sluice__V1__TaskManagerStatus *tm = st->task_managers[i];
        if (i > 0)
            fputc(',', out);
        if (tm == NULL) {
            fputs("null", out);
            continue;
        }
        fputs("{\"id\":", out);
        json_string(out, tm->task_manager_id);
        fputs(",\"host\":", out);
        json_string(out, tm->host);
        fprintf(out, ",\"data_port\":%" PRIu32 ",\"slots\":%" PRIu32 ",\"free_slots\":%" PRIu32
                     ",\"last_heartbeat_ms\":%" PRIu64 "}",
                tm->data_port, tm->slots, tm->free_slots, tm->last_heartbeat_ms);
    }
    fputs("]}\n", out);
}

/* ------------------------------------------------------------------ protocol */

struct options {
    const char *address;
    char *cluster_id; /* points into argv; protobuf-c wants a non-const char * */
    const char *secret;
    int timeout_ms;
};

/* Runs the handshake. Returns EXIT_OK once HandshakeAccept was received. */
static int handshake(int fd, const struct options *opt)
{
    static char peer_name[] = PEER_NAME;
    uint8_t client_nonce[NONCE_BYTES];
    if (RAND_bytes(client_nonce, (int)sizeof client_nonce) != 1) {
        errorf("RAND_bytes failed to produce a client nonce");
        return EXIT_FAILURE_GENERIC;
    }

    /* 1. HandshakeOffer */
    Sluice__V1__HandshakeOffer offer = SLUICE__V1__HANDSHAKE_OFFER__INIT;
    offer.protocol_version = PROTOCOL_VERSION;
    offer.cluster_id = opt->cluster_id;
    offer.client_nonce.data = client_nonce;
    offer.client_nonce.len = sizeof client_nonce;
    offer.role = SLUICE__V1__PEER_ROLE__PEER_ROLE_STATUS_CLIENT;
    offer.peer_name = peer_name;
    Sluice__V1__Envelope out = SLUICE__V1__ENVELOPE__INIT;
    out.body_case = SLUICE__V1__ENVELOPE__BODY_HANDSHAKE_OFFER;
    out.handshake_offer = &offer;
    if (!send_envelope(fd, &out, opt->timeout_ms, "handshake_offer"))
        return EXIT_FAILURE_GENERIC;

    /* 2. HandshakeChallenge (or HandshakeReject) */
    Sluice__V1__Envelope *in = receive_envelope(fd, opt->timeout_ms, "handshake_challenge");
    if (in == NULL)
        return EXIT_FAILURE_GENERIC;

    /* Declared up front so the error paths below can jump straight to the cleanup. */
    int rc = EXIT_FAILURE_GENERIC;
    const Sluice__V1__HandshakeChallenge *challenge = NULL;
    uint8_t expected[PROOF_BYTES];
    uint8_t client_proof[PROOF_BYTES];
    Sluice__V1__HandshakeResponse response = SLUICE__V1__HANDSHAKE_RESPONSE__INIT;
    Sluice__V1__Envelope out2 = SLUICE__V1__ENVELOPE__INIT;

    if (in->body_case == SLUICE__V1__ENVELOPE__BODY_HANDSHAKE_REJECT && in->handshake_reject) {
        rc = report_reject(in->handshake_reject);
        goto done;
    }
    if (in->body_case != SLUICE__V1__ENVELOPE__BODY_HANDSHAKE_CHALLENGE ||
        in->handshake_challenge == NULL) {
        report_unexpected(in, "handshake_challenge");
        goto done;
    }
    challenge = in->handshake_challenge;
    if (challenge->protocol_version != PROTOCOL_VERSION) {
        errorf("server speaks protocol version %" PRIu32 ", this peer speaks %u",
               challenge->protocol_version, PROTOCOL_VERSION);
        goto done;
    }
    if (challenge->server_nonce.len != NONCE_BYTES) {
        errorf("server nonce is %zu bytes, expected %u", challenge->server_nonce.len,
               NONCE_BYTES);
        goto done;
    }

    if (!compute_proof(opt->secret, "sluice-server", client_nonce, sizeof client_nonce,
                       challenge->server_nonce.data, challenge->server_nonce.len,
                       opt->cluster_id, expected))
        goto done;
    if (challenge->server_proof.len != PROOF_BYTES ||
        CRYPTO_memcmp(challenge->server_proof.data, expected, PROOF_BYTES) != 0) {
        fputs("server failed authentication (wrong cluster secret?)\n", stderr);
        rc = EXIT_SERVER_AUTH_FAILED;
        goto done;
    }

    /* 3. HandshakeResponse */
    if (!compute_proof(opt->secret, "sluice-client", challenge->server_nonce.data,
                       challenge->server_nonce.len, client_nonce, sizeof client_nonce,
                       opt->cluster_id, client_proof))
        goto done;
    sluice__v1__envelope__free_unpacked(in, NULL);
    in = NULL;

    response.client_proof.data = client_proof;
    response.client_proof.len = sizeof client_proof;
    out2.body_case = SLUICE__V1__ENVELOPE__BODY_HANDSHAKE_RESPONSE;
    out2.handshake_response = &response;
    if (!send_envelope(fd, &out2, opt->timeout_ms, "handshake_response"))
        goto done;

    /* 4. HandshakeAccept (or HandshakeReject) */
    in = receive_envelope(fd, opt->timeout_ms, "handshake_accept");
    if (in == NULL)
        goto done;
    if (in->body_case == SLUICE__V1__ENVELOPE__BODY_HANDSHAKE_REJECT && in->handshake_reject) {
        rc = report_reject(in->handshake_reject);
        goto done;
    }
    if (in->body_case != SLUICE__V1__ENVELOPE__BODY_HANDSHAKE_ACCEPT ||
        in->handshake_accept == NULL) {
        report_unexpected(in, "handshake_accept");
        goto done;
    }
    rc = EXIT_OK;

done:
    if (in != NULL)
        sluice__v1__envelope__free_unpacked(in, NULL);
    OPENSSL_cleanse(client_proof, sizeof client_proof);
    return rc;
}

static int query_status(int fd, const struct options *opt)
{
    Sluice__V1__ClusterStatusRequest request = SLUICE__V1__CLUSTER_STATUS_REQUEST__INIT;
    Sluice__V1__Envelope out = SLUICE__V1__ENVELOPE__INIT;
    out.body_case = SLUICE__V1__ENVELOPE__BODY_CLUSTER_STATUS_REQUEST;
    out.cluster_status_request = &request;
    if (!send_envelope(fd, &out, opt->timeout_ms, "cluster_status_request"))
        return EXIT_FAILURE_GENERIC;

    Sluice__V1__Envelope *in = receive_envelope(fd, opt->timeout_ms, "cluster_status");
    if (in == NULL)
        return EXIT_FAILURE_GENERIC;
    int rc = EXIT_FAILURE_GENERIC;
    if (in->body_case != SLUICE__V1__ENVELOPE__BODY_CLUSTER_STATUS || in->cluster_status == NULL) {
        report_unexpected(in, "cluster_status");
    } else {
        print_status_json(stdout, in->cluster_status);
        if (fflush(stdout) != 0 || ferror(stdout))
            errorf("cannot write to stdout: %s", strerror(errno));
        else
            rc = EXIT_OK;
    }
    sluice__v1__envelope__free_unpacked(in, NULL);
    return rc;
}

/* ------------------------------------------------------------------ main */

static bool parse_timeout(const char *text, int *out)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < 1 || value > INT_MAX)
        return false;
    *out = (int)value;
    return true;
}

/* Accepts "--name value" and "--name=value". Returns the value or NULL. */
static char *option_value(const char *name, int argc, char **argv, int *i)
{
    size_t name_len = strlen(name);
    char *arg = argv[*i];
    if (strncmp(arg, name, name_len) != 0)
        return NULL;
    if (arg[name_len] == '=')
        return arg + name_len + 1;
    if (arg[name_len] != '\0')
        return NULL;
    if (*i + 1 >= argc)
        return NULL;
    *i += 1;
    return argv[*i];
}

int main(int argc, char **argv)
{
    struct options opt = { NULL, NULL, NULL, DEFAULT_TIMEOUT_MS };

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        char *value;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if ((value = option_value("--address", argc, argv, &i)) != NULL) {
            opt.address = value;
        } else if ((value = option_value("--cluster-id", argc, argv, &i)) != NULL) {
            opt.cluster_id = value;
        } else if ((value = option_value("--timeout-ms", argc, argv, &i)) != NULL) {
            if (!parse_timeout(value, &opt.timeout_ms)) {
                errorf("invalid --timeout-ms '%s' (expected a positive integer)", value);
                return EXIT_FAILURE_GENERIC;
            }
        } else {
            errorf("unknown or incomplete argument '%s'", arg);
            usage(stderr);
            return EXIT_FAILURE_GENERIC;
        }
    }
    if (opt.address == NULL || opt.address[0] == '\0') {
        errorf("missing --address HOST:PORT");
        usage(stderr);
        return EXIT_FAILURE_GENERIC;
    }
    if (opt.cluster_id == NULL || opt.cluster_id[0] == '\0') {
        errorf("missing --cluster-id ID");
        usage(stderr);
        return EXIT_FAILURE_GENERIC;
    }
    opt.secret = getenv(SECRET_ENV);
    if (opt.secret == NULL || opt.secret[0] == '\0') {
        errorf("no cluster secret: set the environment variable " SECRET_ENV);
        return EXIT_FAILURE_GENERIC;
    }

    /* Belt and braces next to MSG_NOSIGNAL: a peer that hangs up must not kill us. */
    signal(SIGPIPE, SIG_IGN);

    int fd = connect_to(opt.address, opt.timeout_ms);
    if (fd < 0)
        return EXIT_FAILURE_GENERIC;

    int rc = handshake(fd, &opt);
    if (rc == EXIT_OK)
        rc = query_status(fd, &opt);

    close(fd);
    return rc;
}

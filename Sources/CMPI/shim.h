// MPI for Swift: Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, ...) are macros over global
// structures that Swift cannot import, so the calls MKTDistributed makes are wrapped here. Only
// standard MPI-3 calls, so the same code builds against Open MPI and MPICH.
#include <mpi.h>
#include <time.h>

/// Waits for `request` without holding a core: MPI_Test in a loop that spins for the first
/// 0.1 ms (short waits stay fast), then sleeps between tests for an eighth of the time waited
/// so far, from 10 µs up to 1 ms. Blocking MPI calls busy-poll instead (Open MPI and MPICH by
/// default): a rank waiting for another one at work would burn a core the whole time.
static inline int mkt_mpi_wait_patiently(MPI_Request *request) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int done = 0;
        int code = MPI_Test(request, &done, MPI_STATUS_IGNORE);
        if (code != MPI_SUCCESS || done) return code;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long waited = (long long)(now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec);
        if (waited < 100000) continue;
        long long pause = waited / 8;
        if (pause < 10000) pause = 10000;
        if (pause > 1000000) pause = 1000000;
        struct timespec nap = { 0, (long)pause };
        nanosleep(&nap, NULL);
    }
}

/// MPI_Init_thread(SERIALIZED) with errors returned (not fatal) on MPI_COMM_WORLD; 0 on success.
static inline int mkt_mpi_init(void) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
        int provided = 0;
        int code = MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided);
        if (code != MPI_SUCCESS) return code;
    }
    return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

static inline int mkt_mpi_rank(int *rank) { return MPI_Comm_rank(MPI_COMM_WORLD, rank); }
static inline int mkt_mpi_size(int *size) { return MPI_Comm_size(MPI_COMM_WORLD, size); }

static inline int mkt_mpi_allreduce_sum_float(float *buffer, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}
// The small collectives (counts, flags, losses) come first in every exchange, where ranks wait
// for each other: they wait patiently. The large transfers that follow (gradients, rows) find
// every rank ready and stay blocking, so that MPI moves them at full speed.
static inline int mkt_mpi_allreduce_sum_double(double *buffer, int count) {
    MPI_Request request;
    int code = MPI_Iallreduce(MPI_IN_PLACE, buffer, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD, &request);
    return code != MPI_SUCCESS ? code : mkt_mpi_wait_patiently(&request);
}
static inline int mkt_mpi_allreduce_max_long(long long *buffer, int count) {
    MPI_Request request;
    int code = MPI_Iallreduce(MPI_IN_PLACE, buffer, count, MPI_LONG_LONG, MPI_MAX, MPI_COMM_WORLD, &request);
    return code != MPI_SUCCESS ? code : mkt_mpi_wait_patiently(&request);
}
static inline int mkt_mpi_bcast_bytes(void *buffer, int count, int root) {
    return MPI_Bcast(buffer, count, MPI_BYTE, root, MPI_COMM_WORLD);
}
static inline int mkt_mpi_gather_long(long long value, long long *all, int root) {
    MPI_Request request;
    int code = MPI_Igather(&value, 1, MPI_LONG_LONG, all, 1, MPI_LONG_LONG, root, MPI_COMM_WORLD, &request);
    return code != MPI_SUCCESS ? code : mkt_mpi_wait_patiently(&request);
}
static inline int mkt_mpi_send_bytes(const void *buffer, int count, int destination, int tag) {
    return MPI_Send(buffer, count, MPI_BYTE, destination, tag, MPI_COMM_WORLD);
}
static inline int mkt_mpi_recv_bytes(void *buffer, int count, int source, int tag) {
    return MPI_Recv(buffer, count, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}
static inline int mkt_mpi_barrier(void) {
    MPI_Request request;
    int code = MPI_Ibarrier(MPI_COMM_WORLD, &request);
    return code != MPI_SUCCESS ? code : mkt_mpi_wait_patiently(&request);
}
static inline int mkt_mpi_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static inline int mkt_mpi_finalize(void) {
    int finalized = 0;
    MPI_Finalized(&finalized);
    return finalized ? MPI_SUCCESS : MPI_Finalize();
}
/// The text of an MPI error code into `text` (at least MPI_MAX_ERROR_STRING bytes).
static inline void mkt_mpi_error_string(int code, char *text, int capacity) {
    int length = 0;
    if (capacity < MPI_MAX_ERROR_STRING) { if (capacity > 0) text[0] = 0; return; }
    MPI_Error_string(code, text, &length);
    text[length] = 0;
}
static inline int mkt_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING + 1; }

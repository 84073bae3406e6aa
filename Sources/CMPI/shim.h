// MPI for Swift: Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, ...) are macros over global
// structures that Swift cannot import, so the calls MKTDistributed makes are wrapped here.
#include <mpi.h>

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
static inline int mkt_mpi_allreduce_sum_double(double *buffer, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}
static inline int mkt_mpi_allreduce_max_long(long long *buffer, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
}
static inline int mkt_mpi_bcast_bytes(void *buffer, int count, int root) {
    return MPI_Bcast(buffer, count, MPI_BYTE, root, MPI_COMM_WORLD);
}
static inline int mkt_mpi_gather_long(long long value, long long *all, int root) {
    return MPI_Gather(&value, 1, MPI_LONG_LONG, all, 1, MPI_LONG_LONG, root, MPI_COMM_WORLD);
}
static inline int mkt_mpi_send_bytes(const void *buffer, int count, int destination, int tag) {
    return MPI_Send(buffer, count, MPI_BYTE, destination, tag, MPI_COMM_WORLD);
}
static inline int mkt_mpi_recv_bytes(void *buffer, int count, int source, int tag) {
    return MPI_Recv(buffer, count, MPI_BYTE, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}
static inline int mkt_mpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }
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

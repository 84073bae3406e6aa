/*
 * OpenBLAS alone at the ViT-B/16 layer shapes: how fast can a forward's GEMMs be on this machine?
 *
 *   cc -O2 Benchmarks/Compare/gemm_shapes.c -o /tmp/gemm_shapes -lpthread \
 *      -I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas
 *   /tmp/gemm_shapes 197        # rows: 197 = batch 1, 1576 = batch 8
 *
 * For each layer shape (C[rows, n] = X[rows, k] · W[n, k]ᵀ, as `linear` calls it) it prints
 * GFLOP/s of: one thread with the weight hot in cache (the same weight every call); one thread
 * with the weights cold (24 different weights in turn, as the layers of a forward read them
 * from memory); and two threads of one process each computing half of the columns with cold
 * weights (what `linear` does below 512 rows). Best of 5 rounds; OpenBLAS single-threaded.
 */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void openblas_set_num_threads(int);

enum { LAYERS = 24, ROUNDS = 5 };

static int rows, n, k;
static float *x, *c, *w[LAYERS];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Columns [half·n/2, (half+1)·n/2) of every layer's product (half = -1: all columns). */
static void *layers(void *arg) {
    long half = (long)arg;
    int columns = half < 0 ? n : n / 2;
    long first = half < 0 ? 0 : half * columns;
    for (int l = 0; l < LAYERS; l++)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, columns, k, 1, x, k,
                    w[l] + first * k, k, 0, c + first, n);
    return NULL;
}

int main(int argc, char **argv) {
    rows = argc > 1 ? atoi(argv[1]) : 0;
    if (rows <= 0) {
        fprintf(stderr, "usage: %s ROWS (e.g. 197 for batch 1, 1576 for batch 8)\n", argv[0]);
        return 2;
    }
    openblas_set_num_threads(1);
    const int shapes[4][2] = {{2304, 768}, {768, 768}, {3072, 768}, {768, 3072}};
    const char *names[4] = {"qkv", "out", "fc1", "fc2"};
    for (int s = 0; s < 4; s++) {
        n = shapes[s][0];
        k = shapes[s][1];
        x = malloc(sizeof(float) * (size_t)rows * k);
        c = malloc(sizeof(float) * (size_t)rows * n);
        for (long i = 0; i < (long)rows * k; i++) x[i] = (float)(i % 97) * 0.01f - 0.5f;
        for (int l = 0; l < LAYERS; l++) {
            w[l] = malloc(sizeof(float) * (size_t)n * k);
            for (long i = 0; i < (long)n * k; i++) w[l][i] = (float)((i + l) % 89) * 0.01f - 0.4f;
        }
        double hot = 1e30, cold = 1e30, two = 1e30;
        for (int r = 0; r < ROUNDS; r++) {
            double t = now();
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n, k, 1, x, k, w[0], k, 0, c, n);
            t = now() - t;
            if (t < hot) hot = t;
            t = now();
            layers((void *)-1L);
            t = (now() - t) / LAYERS;
            if (t < cold) cold = t;
            pthread_t other;
            t = now();
            pthread_create(&other, NULL, layers, (void *)1L);
            layers((void *)0L);
            pthread_join(other, NULL);
            t = (now() - t) / LAYERS;
            if (t < two) two = t;
        }
        double flops = 2.0 * rows * n * k;
        printf("%s  %4d x %4d x %4d   one thread hot %6.1f  cold %6.1f   two threads by columns, cold %6.1f GFLOP/s\n",
               names[s], rows, n, k, flops / hot / 1e9, flops / cold / 1e9, flops / two / 1e9);
        for (int l = 0; l < LAYERS; l++) free(w[l]);
        free(x);
        free(c);
    }
    return 0;
}

/// Float32 tensors with copy-on-write storage, BLAS-backed kernels and reverse-mode autodiff.
public enum MKTTensorModule {}

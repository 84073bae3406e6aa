/// File formats: NumPy .npy, safetensors, atomic writes and the text-list formats.
public enum MKTFormatsModule {}

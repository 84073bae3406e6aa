/// Layers as modules with discovered parameters and Hugging Face key names.
public enum MKTNNModule {}

/// Image decoding (PNG, JPEG), Pillow-exact resampling and CLIP/MKT preprocessing.
public enum MKTImageModule {}

/// The CLIP teacher: configuration, vision and text towers, strict weight loading.
public enum MKTCLIPModule {}

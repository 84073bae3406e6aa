/// Optimizers (SGD, AdamW) with parameter groups and per-iteration schedules.
public enum MKTOptimModule {}

/// MKT training: stage-1 distillation, stage-2 prompt tuning, contrastive tuning.
public enum MKTDistillModule {}

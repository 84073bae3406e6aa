/// Multi-label metrics of the NUS-WIDE protocol: mAP, F1@K, CF1/OF1.
public enum MKTMetricsModule {}
